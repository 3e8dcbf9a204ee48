// Issue 13 §7 on every real daemon (rTorrent, and Deluge, qBittorrent and Transmission of Debian
// 12 and 13): the quoted seeding policy as an acceptance test, over torrents with real ratios and
// ages (test/helpers/aged-torrents.ts gives them their past through the daemon's own saved
// state) and real swarm sizes (a loopback tracker says how many seeders each has). The engine
// runs as the app runs it (run() with the app's clients), in preview and live; the box's state
// and disk are read back after each run, and the audit log after the live one.
//
// "Seed until the upload is twice the download, but accept a lower ratio for something nobody else
// wants, and after a couple of months remove it whatever the ratio; anything that reached its
// ratio can go from the server."
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/rules/audit-log';
import { run, type Decision, type RunBox, type RunResult } from '../../../electron/core/rules/engine';
import type { TorrentClient } from '../../../electron/core/clients/types';
import type { Torrent } from '../../../electron/shared/model';
import { fieldNamed } from '../../../electron/shared/rules';
import { SeedingSettingsSchema, type SeedingSettings } from '../../../electron/shared/rules/settings';
import { AGED_BOXES, dataOnDisk, daysAgo, seedAgedTorrents, type AgedBox, type AgedTorrent, type AgedTorrentSpec, type TorrentHistory } from '../../helpers/aged-torrents';
import { freePort, tempDir, waitFor } from '../../helpers/processes';
import { startLoopbackTracker, waitForTrackerAnswers, type LoopbackTracker } from '../../helpers/tracker';

const POLICY = 'ratio >= 2 or (seeders < 3 and ratio >= 1) or age > 60d';
const SIZE = 48 * 1024;
/** The floor's host: a private tracker whose torrents must seed three days before they go. */
const FLOOR_HOST = 'localhost';
const FLOOR_SECONDS = 3 * 86_400;

/** A past of `days`, seeding all along unless `seedingSeconds` says less, with `ratio` × SIZE uploaded. */
function past(days: number, ratio: number, seedingSeconds = days * 86_400): TorrentHistory {
  return { uploadedBytes: Math.round(ratio * SIZE), addedAt: daysAgo(days), completedAt: daysAgo(days), seedingSeconds };
}

let tracker: LoopbackTracker;
/** A loopback port nothing listens on: an unreachable tracker. */
let deadPort: number;

beforeAll(async () => {
  tracker = await startLoopbackTracker({ swarms: [1, 10] });
  deadPort = await freePort();
});

afterAll(async () => {
  await tracker?.close();
});

/** Each torrent, what it has behind it, and what the policy must do with it. */
function specs(): AgedTorrentSpec[] {
  const common = tracker.swarmUrl(10);
  return [
    // Reached its ratio: goes, with its data.
    { name: 'reached ratio', sizeBytes: SIZE, tracker: common, history: past(10, 2.5) },
    // Nobody else wants it (one seeder) and it gave back more than it took: goes.
    { name: 'rare', sizeBytes: SIZE, tracker: tracker.swarmUrl(1), history: past(20, 1.2) },
    // Two months and more, whatever the ratio: goes.
    { name: 'old', sizeBytes: SIZE, tracker: common, history: past(70, 0.3) },
    // Ratio 1.5 in a swarm of ten, a month old: stays.
    { name: 'keeps seeding', sizeBytes: SIZE, tracker: common, history: past(30, 1.5) },
    // Added just now: stays.
    { name: 'fresh', sizeBytes: SIZE, tracker: common },
    // Old enough for the policy, but an hour of seeding is below the private tracker's floor.
    { name: 'hit and run', sizeBytes: SIZE, tracker: `http://${FLOOR_HOST}:${deadPort}/announce`, history: past(70, 0.3, 3600) },
    // Cross-seeded twins: the same file under two hashes; the one that reached its ratio goes,
    // the file stays for the other.
    { name: 'shared', sizeBytes: SIZE, tracker: common, source: 'one tracker', history: past(10, 2.5) },
    { name: 'shared', sizeBytes: SIZE, tracker: common, source: 'another tracker' },
    // Tracker verdicts, both on torrents the policy leaves alone.
    { name: 'unregistered', sizeBytes: SIZE, tracker: tracker.unregisteredUrl },
    { name: 'tracker down', sizeBytes: SIZE, tracker: `http://127.0.0.1:${deadPort}/announce` },
    // Ratio 1.2 like "rare", but its tracker is down: nobody counted its swarm, so "seeders < 3"
    // is unknown and the policy leaves it (an unknown swarm once read as 0 and removed it).
    { name: 'swarm unknown', sizeBytes: SIZE, tracker: `http://127.0.0.1:${deadPort}/announce`, history: past(20, 1.2) },
  ];
}

function settings(rules: { name: string; condition: string; action: string; mode: 'preview' | 'live' }[]): SeedingSettings {
  return SeedingSettingsSchema.parse({
    rules: rules.map((rule, index) => ({ id: `rule-${index}`, enabled: true, version: 1, ...rule })),
    protections: { trackerFloors: [{ host: FLOOR_HOST, minSeedingSeconds: FLOOR_SECONDS }] },
  });
}

describe.each(AGED_BOXES)('$title', (spec) => {
  let box: AgedBox;
  let torrents: AgedTorrent[];
  let audit: AuditLog;
  /**
   * One client for the whole suite, as the app keeps one per box: qBittorrent's reads tracker
   * verdicts a few torrents per refresh, so a new client knows only the first few.
   */
  let client: TorrentClient;
  const runBox = (): RunBox => ({
    seedbox: { id: 'box', name: spec.title },
    open: () => Promise.resolve({ client, close: () => Promise.resolve() }),
  });
  const named = (name: string, source?: string): AgedTorrent =>
    torrents.find((torrent) => torrent.name === name && (source === undefined || torrent.spec.source === source))!;

  const list = (): Promise<Torrent[]> => client.list();

  /** "name: outcome operation" per decision, sorted. */
  function outcomes(result: RunResult): string[] {
    expect(result.failures).toEqual([]);
    return result.plans.flatMap((plan) => plan.decisions.map((decision) => `${decision.torrent.name}: ${decision.outcome} ${decision.operation}`)).sort();
  }

  function decisionFor(result: RunResult, torrent: AgedTorrent): Decision | undefined {
    return result.plans.flatMap((plan) => plan.decisions).find((decision) => decision.torrent.id === torrent.id);
  }

  beforeAll(async () => {
    box = await spec.start();
    audit = new AuditLog({ configPath: join(tempDir('policy-audit'), 'seedbox-remote.json') });
    torrents = await seedAgedTorrents(box, specs());
    client = box.newClient();
    // The rules read the tracker's seeders and verdicts: wait until the daemon has them all.
    let seen: Torrent[] = [];
    const expected = (torrent: AgedTorrent): Partial<Torrent> => {
      if (torrent.spec.tracker === tracker.unregisteredUrl) return { trackerStatus: 'unregistered' };
      if (torrent.spec.tracker.includes(`:${deadPort}/`)) return { trackerStatus: 'error', seedsTotal: -1 };
      return { seedsTotal: torrent.spec.tracker === tracker.swarmUrl(1) ? 1 : 10 };
    };
    const pending = (list: Torrent[]): string[] =>
      torrents
        .filter((torrent) => {
          const listed = list.find((candidate) => candidate.id === torrent.id);
          return listed === undefined || !Object.entries(expected(torrent)).every(([key, value]) => listed[key as keyof Torrent] === value);
        })
        .map((torrent) => torrent.id);
    await waitForTrackerAnswers({
      what: `${spec.title} to read every tracker's answer`,
      list: async () => (seen = await list()),
      pending,
      reannounce: (stuck) => client.reannounce(stuck),
      timeoutMs: 100_000,
    }).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(seen.map(({ name, seedsTotal, trackerStatus, trackerMessage }) => ({ name, seedsTotal, trackerStatus, trackerMessage })))}`, { cause: error });
    });
  }, 300_000);

  afterAll(async () => {
    await client?.close();
    await box?.stop();
  });

  it('the torrents have their past: real ratios, ages and seeding times', async () => {
    const listed = new Map((await list()).map((torrent) => [torrent.id, torrent]));
    const now = Date.now() / 1000;
    const rare = listed.get(named('rare').id)!;
    expect(rare.ratio).toBeCloseTo(1.2, 2);
    expect(rare.seedsTotal).toBe(1);
    expect(listed.get(named('reached ratio').id)!.ratio).toBeCloseTo(2.5, 2);
    const old = listed.get(named('old').id)!;
    expect(now - old.addedAt!).toBeGreaterThan(69 * 86_400);
    expect(old.ratio).toBeCloseTo(0.3, 2);
    // rTorrent counts only the current run (README); the others keep the saved seeding time.
    if (box.keepsSeedingTime) expect(old.seedingSeconds).toBeGreaterThanOrEqual(69 * 86_400);
    expect(listed.get(named('hit and run').id)!.seedingSeconds).toBeLessThan(FLOOR_SECONDS);
    expect(listed.get(named('fresh').id)!.ratio).toBe(0);
    // No tracker counted its swarm: unknown (-1), not 0, and the rule field reads unknown.
    const unknown = listed.get(named('swarm unknown').id)!;
    expect(unknown.ratio).toBeCloseTo(1.2, 2);
    expect(unknown).toMatchObject({ trackerStatus: 'error', seedsTotal: -1, peersTotal: -1 });
    expect(fieldNamed('seeders')!.read(unknown, now)).toBeNull();
  });

  it('in preview the policy reports what it would remove, the floor what it saves, and nothing changes', async () => {
    const before = await list();
    const result = await run(settings([{ name: 'Policy', condition: POLICY, action: 'remove-data', mode: 'preview' }]), [runBox()]);
    expect(outcomes(result)).toEqual([
      'hit and run: protected remove-data',
      'old: preview remove-data',
      'rare: preview remove-data',
      'reached ratio: preview remove-data',
      'shared: preview remove',
    ]);
    expect(decisionFor(result, named('hit and run'))!.reason).toMatch(new RegExp(`^tracker floor ${FLOOR_HOST}: seeding time`));
    // Under a per-run cap of two, two would act and the rest say why not.
    const capped = await run({ ...settings([{ name: 'Policy', condition: POLICY, action: 'remove-data', mode: 'preview' }]), caps: { perRun: { maxTorrents: 2, maxBytes: 1e12 }, perSeedbox: { maxTorrents: 20, maxBytes: 1e12 } } }, [runBox()]);
    expect(outcomes(capped).map((line) => line.split(': ')[1]!.split(' ')[0]).sort()).toEqual(['capped', 'capped', 'preview', 'preview', 'protected']);
    const after = await list();
    expect(after.map(({ id, state }) => ({ id, state }))).toEqual(before.map(({ id, state }) => ({ id, state })));
    for (const torrent of torrents) expect(dataOnDisk(torrent), torrent.name).toBe(true);
  });

  it('live, it removes with their data exactly the torrents the policy names; the floor and a twin keep theirs; the audit log says so', async () => {
    const result = await run(settings([{ name: 'Policy', condition: POLICY, action: 'remove-data', mode: 'live' }]), [runBox()], { record: (plan) => audit.record(plan) });
    expect(outcomes(result)).toEqual([
      'hit and run: protected remove-data',
      'old: done remove-data',
      'rare: done remove-data',
      'reached ratio: done remove-data',
      'shared: done remove',
    ]);
    // Which branch of the policy each one met, in the values the condition saw.
    const seen = (name: string): Record<string, unknown> => Object.fromEntries(decisionFor(result, named(name))!.values.map(({ field, value }) => [field, value]));
    expect(seen('rare')).toMatchObject({ seeders: 1 });
    expect(seen('old')['age']).toBeGreaterThan(60 * 86_400);

    const gone = ['reached ratio', 'rare', 'old'].map((name) => named(name));
    const listed = await list();
    const ids = new Set(listed.map((torrent) => torrent.id));
    for (const torrent of gone) {
      expect(ids.has(torrent.id), torrent.name).toBe(false);
      // The daemon answers once the torrent is gone; its files may go a moment later (Deluge has
      // libtorrent delete them on its disk thread), so this waits for them, and fails if they stay.
      await waitFor(`${torrent.name}'s data to leave the disk`, () => !dataOnDisk(torrent));
    }
    expect(ids.has(named('shared', 'one tracker').id)).toBe(false);
    for (const torrent of torrents.filter((candidate) => !gone.includes(candidate) && candidate !== named('shared', 'one tracker'))) {
      expect(ids.has(torrent.id), torrent.name).toBe(true);
      expect(dataOnDisk(torrent), torrent.name).toBe(true);
    }
    expect(result.plans[0]!.bytesFreed).toBe(3 * SIZE);

    const entries = await audit.read();
    expect(entries.map((entry) => `${entry.torrent.name}: ${entry.result} ${entry.operation} ${entry.bytesFreed}`).sort()).toEqual([
      'hit and run: protected remove-data 0',
      'old: done remove-data 49152',
      'rare: done remove-data 49152',
      'reached ratio: done remove-data 49152',
      'shared: done remove 0',
    ]);
    const rare = entries.find((entry) => entry.torrent.name === 'rare')!;
    expect(rare).toMatchObject({ action: 'remove-data', rule: { name: 'Policy', version: 1, mode: 'live' }, trackers: ['127.0.0.1'] });
    expect(rare.values).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'seeders', value: 1 }), expect.objectContaining({ field: 'ratio' })]));
    expect(entries.find((entry) => entry.torrent.name === 'shared')!.reason).toMatch(/cross-seeded twin/);
  });

  it('a live stop rule stops exactly the torrents it matches, as the daemon itself reports', async () => {
    const result = await run(settings([{ name: 'Stop', condition: 'ratio >= 1', action: 'stop', mode: 'live' }]), [runBox()]);
    expect(outcomes(result)).toEqual(['keeps seeding: done stop', 'swarm unknown: done stop']);
    const stopped = [named('keeps seeding'), named('swarm unknown')];
    for (const torrent of stopped) await waitFor(`${spec.title} to stop "${torrent.name}"`, async () => (await box.view(torrent.id))?.running === false);
    for (const torrent of torrents.filter((candidate) => !stopped.includes(candidate))) {
      const view = await box.view(torrent.id);
      // The policy's removals are gone; every other torrent still runs.
      if (view) expect(view.running, torrent.name).toBe(true);
    }
  });

  it('"unregistered" is the tracker\'s own words; an unreachable tracker never counts', async () => {
    const listed = await list();
    expect(listed.find((torrent) => torrent.id === named('unregistered').id)).toMatchObject({ trackerStatus: 'unregistered', trackerMessage: expect.stringMatching(/Unregistered torrent/) });
    expect(listed.find((torrent) => torrent.id === named('tracker down').id)).toMatchObject({ trackerStatus: 'error' });
    // Live: the torrent whose tracker is down is never touched, whatever grace "unregistered" gets.
    const result = await run(settings([{ name: 'Gone from tracker', condition: 'unregistered', action: 'stop', mode: 'live' }]), [runBox()]);
    const decisions = result.plans.flatMap((plan) => plan.decisions);
    expect(decisions.map((decision) => decision.torrent.name)).toEqual(['unregistered']);
    expect(decisions[0]!.values).toEqual([expect.objectContaining({ field: 'unregistered', value: true })]);
    expect(await box.view(named('tracker down').id)).toMatchObject({ running: true });
  });
});

