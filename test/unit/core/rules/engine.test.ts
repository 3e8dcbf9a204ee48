import { describe, expect, it } from 'vitest';
import { plan, run, type BoxPlan, type RuleClient } from '../../../../electron/core/rules/engine';
import { SeedboxError } from '../../../../electron/shared/errors';
import type { Torrent } from '../../../../electron/shared/model';
import { modelTorrent } from '../../../helpers/model';
import { SeedingSettingsSchema, type SeedingSettings } from '../../../../electron/shared/rules/settings';

const NOW = 1_800_000_000;
const DAY = 86_400;
const BOX_A = { id: 'box-a', name: 'A' };
const BOX_B = { id: 'box-b', name: 'B' };

/** The policy quoted in issue 13, in the language. */
const POLICY = 'ratio >= 2 or (seeders < 3 and ratio >= 1) or age > 60d';

function torrent(n: number, fields: Partial<Torrent> = {}): Torrent {
  const { seedingSeconds, ...rest } = fields;
  const base = modelTorrent({ id: n.toString(16).padStart(40, '0'), name: `Torrent ${n}`, sizeBytes: 1000 * n, doneBytes: 1000 * n, savePath: '/data', trackerHosts: ['tracker.example'], addedAt: NOW - DAY, ...rest });
  return seedingSeconds === undefined ? base : { ...base, seedingSeconds };
}

function settings(input: Record<string, unknown>): SeedingSettings {
  const rules = ((input['rules'] as Record<string, unknown>[] | undefined) ?? []).map((rule, index) => ({
    id: `rule-${index}`,
    name: `Rule ${index}`,
    enabled: true,
    mode: 'live',
    version: 1,
    ...rule,
  }));
  return SeedingSettingsSchema.parse({ ...input, rules });
}

function outcomes(plans: BoxPlan[]): Record<string, string> {
  return Object.fromEntries(plans.flatMap((box) => box.decisions.map((decision) => [decision.torrent.name, `${decision.outcome} ${decision.operation}`])));
}

describe('plan', () => {
  it.each([
    ['ratio reached', { ratio: 2.3, seedsTotal: 50, addedAt: NOW - 5 * DAY }, true],
    ['unwanted, lower ratio accepted', { ratio: 1.2, seedsTotal: 2, addedAt: NOW - 5 * DAY }, true],
    ['wanted, ratio 1.2 is not enough', { ratio: 1.2, seedsTotal: 20, addedAt: NOW - 5 * DAY }, false],
    ['unwanted but ratio 0.5', { ratio: 0.5, seedsTotal: 1, addedAt: NOW - 5 * DAY }, false],
    ['two months and a day, ratio 0.1', { ratio: 0.1, seedsTotal: 40, addedAt: NOW - 61 * DAY }, true],
    ['fifty days, ratio 0.1', { ratio: 0.1, seedsTotal: 40, addedAt: NOW - 50 * DAY }, false],
  ])('the quoted policy as remove-data: %s', (name, fields, removed) => {
    const rules = settings({ rules: [{ condition: POLICY, action: 'remove-data' }] });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents: [torrent(1, { name, ...fields })] }], NOW);
    if (!removed) return void expect(box!.decisions).toEqual([]);
    expect(box!.decisions).toHaveLength(1);
    expect(box!.decisions[0]).toMatchObject({ outcome: 'act', operation: 'remove-data', bytesFreed: 1000, bytesFreedUpperBound: true, rule: { id: 'rule-0', version: 1 } });
    expect(box!.decisions[0]!.values.length).toBeGreaterThan(0);
    expect(box!.bytesFreed).toBe(1000);
  });

  it('a tracker floor blocks an otherwise matching removal; unknown seeding time protects too', () => {
    const rules = settings({
      rules: [{ condition: 'ratio >= 2', action: 'remove-data' }],
      protections: { trackerFloors: [{ host: 'private.example', minSeedingSeconds: 14 * DAY }] },
    });
    const torrents: Torrent[] = [
      torrent(1, { name: 'young', ratio: 3, trackerHosts: ['private.example'], seedingSeconds: 2 * DAY }),
      torrent(2, { name: 'unknown', ratio: 3, trackerHosts: ['PRIVATE.example'] }),
      torrent(3, { name: 'old enough', ratio: 3, trackerHosts: ['private.example'], seedingSeconds: 15 * DAY }),
      torrent(4, { name: 'public', ratio: 3, trackerHosts: ['public.example'] }),
    ];
    const plans = plan(rules, [{ seedbox: BOX_A, torrents }], NOW);
    expect(outcomes(plans)).toEqual({ young: 'protected remove-data', unknown: 'protected remove-data', 'old enough': 'act remove-data', public: 'act remove-data' });
    expect(plans[0]!.decisions[0]!.reason).toBe('tracker floor private.example: seeding time 2d below 14d');
    expect(plans[0]!.decisions[0]!.bytesFreed).toBe(0);
  });

  // The floors are looked up by the torrent's hosts: the one reported is still the first in the settings that holds it back.
  it('a torrent under two floors is held by the first listed in the settings, whatever its trackers order or case', () => {
    const rules = settings({
      rules: [{ condition: 'ratio >= 0.5', action: 'remove' }],
      protections: {
        trackerFloors: [
          { host: 'a.example', minSeedingSeconds: 14 * DAY },
          { host: 'b.example', minRatio: 2 },
        ],
      },
    });
    const torrents: Torrent[] = [
      torrent(1, { name: 'both', ratio: 1, trackerHosts: ['B.example', 'a.example', 'A.EXAMPLE'], seedingSeconds: DAY }),
      torrent(2, { name: 'both, a passed', ratio: 1, trackerHosts: ['b.example', 'a.example'], seedingSeconds: 20 * DAY }),
      torrent(3, { name: 'both passed', ratio: 3, trackerHosts: ['b.example', 'a.example'], seedingSeconds: 20 * DAY }),
    ];
    const reasons = plan(rules, [{ seedbox: BOX_A, torrents }], NOW)[0]!.decisions.map((decision) => [decision.torrent.name, decision.outcome, decision.reason]);
    expect(reasons).toEqual([
      ['both', 'protected', 'tracker floor a.example: seeding time 1d below 14d'],
      ['both, a passed', 'protected', 'tracker floor b.example: ratio 1.00 below 2'],
      ['both passed', 'act', ''],
    ]);
  });

  it('a torrent with several protected labels is held by its own first one', () => {
    const rules = settings({ rules: [{ condition: 'size > 0', action: 'stop' }], protections: { labels: ['keep', 'archive'] } });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents: [torrent(1, { labels: ['tv', 'archive', 'keep'] })] }], NOW);
    expect(box!.decisions.map((decision) => decision.reason)).toEqual(['protected label "archive"']);
  });

  it('protected labels and incomplete torrents are held back from remove-data unless the rule allows', () => {
    const torrents = [torrent(1, { name: 'kept', labels: ['keep'] }), torrent(2, { name: 'partial', progress: 0.5, state: 'downloading' })];
    const strict = settings({ rules: [{ condition: 'size > 0', action: 'remove-data' }], protections: { labels: ['keep'] } });
    expect(outcomes(plan(strict, [{ seedbox: BOX_A, torrents }], NOW))).toEqual({ kept: 'protected remove-data', partial: 'protected remove-data' });
    const allowing = settings({ rules: [{ condition: 'size > 0', action: 'remove-data', options: { allowIncompleteRemoveData: true } }], protections: { labels: ['keep'] } });
    expect(outcomes(plan(allowing, [{ seedbox: BOX_A, torrents }], NOW))).toEqual({ kept: 'protected remove-data', partial: 'act remove-data' });
  });

  it('cross-seeded twins: remove-data of one while the twin stays keeps the data and frees nothing', () => {
    const rules = settings({ rules: [{ condition: 'label == "done"', action: 'remove-data' }] });
    const torrents = [
      torrent(1, { name: 'Show.S01', savePath: '/data/', labels: ['done'] }),
      torrent(2, { name: 'Show.S01', savePath: '/data', labels: ['seeding'] }),
      torrent(3, { name: 'Show.S01', savePath: '/other', labels: ['done'] }),
    ];
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents }], NOW);
    expect(box!.decisions.map((decision) => [decision.torrent.id, decision.operation, decision.bytesFreed])).toEqual([
      [torrent(1).id, 'remove', 0],
      [torrent(3).id, 'remove-data', 3000],
    ]);
    expect(box!.decisions[0]!.reason).toMatch(/shared with 1 cross-seeded twin/);
  });

  it('cross-seeded twins both going with their data: only the last one deletes it', () => {
    const rules = settings({ rules: [{ condition: 'size > 0', action: 'remove-data' }] });
    const torrents = [torrent(1, { name: 'Same' }), torrent(2, { name: 'Same' })];
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents }], NOW);
    expect(box!.decisions.map((decision) => decision.operation)).toEqual(['remove', 'remove-data']);
    expect(box!.bytesFreed).toBe(2000);
  });

  it('a twin cut by a cap stays, so its partner keeps the data', () => {
    const rules = settings({ rules: [{ condition: 'size > 0', action: 'remove-data' }], caps: { perSeedbox: { maxTorrents: 1, maxBytes: 1_000_000 } } });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents: [torrent(1, { name: 'Same' }), torrent(2, { name: 'Same' })] }], NOW);
    expect(box!.decisions.map((decision) => `${decision.outcome} ${decision.operation}`)).toEqual(['act remove', 'capped remove-data']);
    expect(box!.bytesFreed).toBe(0);
  });

  it('caps per box and per run, in count and bytes, report what they cut', () => {
    const rules = settings({
      rules: [{ condition: 'size > 0', action: 'remove-data' }],
      caps: { perRun: { maxTorrents: 3, maxBytes: 1_000_000 }, perSeedbox: { maxTorrents: 2, maxBytes: 3500 } },
    });
    const onA = [torrent(1), torrent(2), torrent(3)];
    const onB = [torrent(4), torrent(5)].map((item) => ({ ...item, sizeBytes: 1000 }));
    const plans = plan(rules, [
      { seedbox: BOX_A, torrents: onA },
      { seedbox: BOX_B, torrents: onB },
    ], NOW);
    const summary = plans.map((box) => box.decisions.map((decision) => `${decision.outcome}${decision.reason ? `: ${decision.reason}` : ''}`));
    expect(summary).toEqual([
      ['act', 'act', 'capped: per-seedbox cap of 2 torrents reached'],
      ['act', 'capped: per-run cap of 3 torrents reached'],
    ]);
    const bytes = settings({ rules: [{ condition: 'size > 0', action: 'remove-data' }], caps: { perSeedbox: { maxTorrents: 10, maxBytes: 2500 } } });
    expect(plan(bytes, [{ seedbox: BOX_A, torrents: onA }], NOW)[0]!.decisions.map((decision) => decision.outcome)).toEqual(['act', 'capped', 'capped']);
  });

  it('scope narrows by seedbox id, label and tracker; the first matching rule wins; preview rules only report', () => {
    const rules = settings({
      rules: [
        { condition: 'size > 0', action: { label: 'old', change: 'add' }, scope: { seedboxes: ['box-b'] } },
        { condition: 'size > 0', action: 'stop', scope: { labels: ['tv'], trackers: ['t.example'] }, mode: 'preview' },
        { condition: 'size > 0', action: 'remove' },
      ],
    });
    const torrents = [
      torrent(1, { name: 'tv on t', labels: ['tv'], trackerHosts: ['t.example'] }),
      torrent(2, { name: 'tv elsewhere', labels: ['tv'] }),
      // Tracker hosts compare without case; labels with it.
      torrent(3, { name: 'tv on T', labels: ['music', 'tv'], trackerHosts: ['other.example', 'T.Example'] }),
      torrent(4, { name: 'TV on t', labels: ['TV'], trackerHosts: ['t.example'] }),
    ];
    expect(outcomes(plan(rules, [{ seedbox: BOX_A, torrents }], NOW))).toEqual({ 'tv on t': 'preview stop', 'tv elsewhere': 'act remove', 'tv on T': 'preview stop', 'TV on t': 'act remove' });
    expect(outcomes(plan(rules, [{ seedbox: BOX_B, torrents }], NOW))).toEqual({ 'tv on t': 'act add-label', 'tv elsewhere': 'act add-label', 'tv on T': 'act add-label', 'TV on t': 'act add-label' });
  });

  it('nothing acts while rules are paused; a no-op is skipped', () => {
    const rules = settings({ rules: [{ condition: 'size > 0', action: 'stop' }], paused: true });
    const torrents = [torrent(1, { name: 'running' }), torrent(2, { name: 'stopped', state: 'paused' })];
    expect(outcomes(plan(rules, [{ seedbox: BOX_A, torrents }], NOW))).toEqual({ running: 'paused stop', stopped: 'skipped stop' });
  });
});

describe('plan: space targets', () => {
  const GiB = 1024 ** 3;
  const target = (fields: Record<string, unknown>): SeedingSettings => settings({ spaceTargets: [{ seedboxId: 'box-a', mode: 'live', ...fields }] });
  const names = (box: BoxPlan): string[] => box.decisions.map((decision) => `${decision.torrent.name} ${decision.outcome}`);

  it('removes the fewest candidates in the chosen order until the target holds, unknown values last', () => {
    const torrents = [
      torrent(1, { name: 'new', addedAt: NOW - DAY, sizeBytes: 3 * GiB }),
      torrent(2, { name: 'old', addedAt: NOW - 9 * DAY, sizeBytes: 2 * GiB }),
      torrent(3, { name: 'older', addedAt: NOW - 20 * DAY, sizeBytes: 2 * GiB }),
      torrent(4, { name: 'undated', addedAt: null, sizeBytes: 9 * GiB }),
      torrent(5, { name: 'downloading', addedAt: NOW - 99 * DAY, state: 'downloading', progress: 0.5, sizeBytes: 9 * GiB }),
    ];
    const [box] = plan(target({ minFreeBytes: 10 * GiB }), [{ seedbox: BOX_A, torrents, freeBytes: 7 * GiB }], NOW);
    expect(names(box!)).toEqual(['older act', 'old act']);
    expect(box!.decisions[0]).toMatchObject({ operation: 'remove-data', bytesFreedUpperBound: true, reason: expect.stringMatching(/^space target: free 7\.00 GiB < 10\.0 GiB$/) });
    expect(box!.target?.status).toBe('reached');
    expect(box!.bytesFreed).toBe(4 * GiB);
    const [largest] = plan(target({ minFreeBytes: 10 * GiB, order: 'largest' }), [{ seedbox: BOX_A, torrents, freeBytes: 7 * GiB }], NOW);
    expect(names(largest!)).toEqual(['undated act']);
    const [holds] = plan(target({ minFreeBytes: 10 * GiB }), [{ seedbox: BOX_A, torrents, freeBytes: 11 * GiB }], NOW);
    expect(holds!.decisions).toEqual([]);
    expect(holds!.target?.status).toBe('holds');
  });

  it('maxSeedingBytes counts seeding torrents only; a rule-chosen torrent is not chosen twice and its removal counts', () => {
    const torrents = [
      torrent(1, { name: 'stopped', state: 'paused', addedAt: NOW - 50 * DAY }),
      torrent(2, { name: 'ruled', labels: ['go'], addedAt: NOW - 40 * DAY }),
      torrent(3, { name: 'seed a', addedAt: NOW - 30 * DAY }),
      torrent(4, { name: 'seed b', addedAt: NOW - 20 * DAY }),
    ];
    const rules = settings({ rules: [{ condition: 'label == "go"', action: 'remove-data' }], spaceTargets: [{ seedboxId: 'box-a', maxSeedingBytes: 5000, mode: 'live' }] });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents }], NOW);
    // Seeding 2000 + 3000 + 4000 = 9000; the rule frees 2000, the target takes 'seed a' (3000) and holds at 4000.
    expect(names(box!)).toEqual(['ruled act', 'seed a act']);
    expect(box!.target?.status).toBe('reached');
  });

  it('a cross-seeded twin frees nothing, so it is not taken; protected torrents are skipped', () => {
    const torrents = [
      torrent(1, { name: 'shared', addedAt: NOW - 90 * DAY }),
      torrent(2, { name: 'shared', addedAt: NOW - 80 * DAY }),
      torrent(3, { name: 'kept', labels: ['keep'], addedAt: NOW - 70 * DAY }),
      torrent(4, { name: 'floor', trackerHosts: ['private.example'], addedAt: NOW - 60 * DAY }),
      torrent(5, { name: 'free to go', addedAt: NOW - 50 * DAY }),
    ];
    const rules = settings({
      spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 100_000, mode: 'live' }],
      protections: { labels: ['keep'], trackerFloors: [{ host: 'private.example', minRatio: 1 }] },
    });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents: torrents.map((item) => ({ ...item, ratio: -1 })), freeBytes: 0 }], NOW);
    expect(names(box!)).toEqual(['free to go act']);
    expect(box!.target).toMatchObject({ status: 'short' });
  });

  it('caps cut the target, which then reports it is still short', () => {
    const torrents = [torrent(1, { addedAt: NOW - 3 * DAY }), torrent(2, { addedAt: NOW - 2 * DAY }), torrent(3, { addedAt: NOW - DAY })];
    const rules = settings({ spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 6000, mode: 'live' }], caps: { perSeedbox: { maxTorrents: 1, maxBytes: 1e12 } } });
    const [box] = plan(rules, [{ seedbox: BOX_A, torrents, freeBytes: 0 }], NOW);
    expect(names(box!)).toEqual(['Torrent 1 act', 'Torrent 2 capped', 'Torrent 3 capped']);
    expect(box!.bytesFreed).toBe(1000);
    expect(box!.target?.message).toMatch(/still short after 1 removal\(s\) \(caps reached\)/);
  });

  it('unknown free space removes nothing; a target starts in preview and the pause holds a live one', () => {
    const torrents = [torrent(1, { addedAt: NOW - 3 * DAY })];
    const [unknown] = plan(target({ minFreeBytes: 6000 }), [{ seedbox: BOX_A, torrents, freeBytes: null }], NOW);
    expect(unknown!.decisions).toEqual([]);
    expect(unknown!.target?.status).toBe('unchecked');
    const preview = settings({ spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 6000 }] });
    expect(preview.spaceTargets[0]!.mode).toBe('preview');
    expect(names(plan(preview, [{ seedbox: BOX_A, torrents, freeBytes: 0 }], NOW)[0]!)).toEqual(['Torrent 1 preview']);
    const paused = settings({ paused: true, spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 6000, mode: 'live' }] });
    expect(names(plan(paused, [{ seedbox: BOX_A, torrents, freeBytes: 0 }], NOW)[0]!)).toEqual(['Torrent 1 paused']);
  });
});

describe('run', () => {
  function fakeClient(torrents: Torrent[], fail: Set<string> = new Set(), freeSpaceBytes: number | null = null): RuleClient & { calls: string[] } {
    const calls: string[] = [];
    const call = (what: string) => async (ids: string[], extra?: unknown) => {
      calls.push(`${what} ${ids.join(',')}${extra === undefined ? '' : ` ${JSON.stringify(extra)}`}`);
      if (ids.some((id) => fail.has(id))) throw new SeedboxError('rpc-fault', 'the daemon said no');
    };
    return {
      calls,
      list: async () => {
        calls.push('list');
        return torrents;
      },
      stop: call('stop'),
      reannounce: call('reannounce'),
      remove: call('remove'),
      setLabels: call('setLabels'),
      sessionStats: async () => {
        calls.push('sessionStats');
        return { downRate: 0, upRate: 0, freeSpaceBytes, alternativeSpeedEnabled: null };
      },
    };
  }

  it('a live space target reads free space once, then removes with data until it holds', async () => {
    const rules = settings({ spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 10_000, mode: 'live' }] });
    const torrents = [torrent(3, { addedAt: NOW - 3 * DAY }), torrent(5, { addedAt: NOW - 2 * DAY }), torrent(9, { addedAt: NOW - 9 * DAY })];
    const client = fakeClient(torrents, new Set(), 4000);
    const result = await run(rules, [{ seedbox: BOX_A, open: async () => ({ client, close: async () => undefined }) }], { now: () => NOW });
    expect(client.calls).toEqual(['list', 'sessionStats', `remove ${torrents[2]!.id} {"deleteData":true}`]);
    expect(result.plans[0]!.target?.status).toBe('reached');
    expect(result.plans[0]!.bytesFreed).toBe(9000);
  });

  it('a client that cannot tell free space leaves a free-space target unchecked and removes nothing', async () => {
    const rules = settings({ spaceTargets: [{ seedboxId: 'box-a', minFreeBytes: 10_000, mode: 'live' }] });
    const client = fakeClient([torrent(1)], new Set(), null);
    const result = await run(rules, [{ seedbox: BOX_A, open: async () => ({ client, close: async () => undefined }) }], { now: () => NOW });
    expect(client.calls).toEqual(['list', 'sessionStats']);
    expect(result.plans[0]!.target).toMatchObject({ status: 'unchecked', message: expect.stringMatching(/cannot be checked/) });
    expect(result.plans[0]!.decisions).toEqual([]);
  });

  it('lists once, acts for live rules only, reannounces before removing, reports a failure once and keeps a twin whose partner failed', async () => {
    const rules = settings({
      rules: [
        { condition: 'label == "a"', action: 'stop' },
        { condition: 'label == "b"', action: 'stop', mode: 'preview' },
        { condition: 'label == "c"', action: 'remove-data', options: { reannounceBeforeRemove: true } },
        { condition: 'label == "d"', action: { label: 'x', change: 'add' } },
      ],
    });
    const torrents = [
      torrent(1, { labels: ['a'] }),
      torrent(2, { labels: ['b'] }),
      torrent(3, { labels: ['c'], name: 'twin' }),
      torrent(4, { labels: ['c'], name: 'twin' }),
      torrent(5, { labels: ['d'] }),
    ];
    const client = fakeClient(torrents, new Set([torrent(3).id]));
    const recorded: BoxPlan[] = [];
    const result = await run(rules, [{ seedbox: BOX_A, open: async () => ({ client, close: async () => undefined }) }], {
      now: () => NOW,
      record: async (box) => void recorded.push(box),
    });
    const [id1, , id3, id4, id5] = torrents.map((item) => item.id);
    expect(client.calls).toEqual([
      'list',
      `stop ${id1}`,
      `reannounce ${id3}`,
      `setLabels ${id5} ["d","x"]`,
    ]);
    expect(result.plans[0]!.decisions.map((decision) => decision.outcome)).toEqual(['done', 'preview', 'failed', 'skipped', 'done']);
    expect(result.plans[0]!.bytesFreed).toBe(0);
    expect(recorded).toHaveLength(1);
    expect(id4).toBeDefined();
  });

  it('a dry run acts on nothing; a box that cannot be opened is reported and the others run', async () => {
    const rules = settings({ rules: [{ condition: 'size > 0', action: 'stop' }] });
    const client = fakeClient([torrent(1)]);
    const result = await run(
      rules,
      [
        { seedbox: BOX_A, open: () => Promise.reject(new SeedboxError('connection-refused', 'refused')) },
        { seedbox: BOX_B, open: async () => ({ client, close: async () => undefined }) },
      ],
      { dryRun: true, now: () => NOW },
    );
    expect(client.calls).toEqual(['list']);
    expect(result.failures.map((failure) => [failure.seedbox.id, failure.error.code])).toEqual([['box-a', 'connection-refused']]);
    expect(result.plans[0]!.decisions[0]!.outcome).toBe('act');
  });
});
