import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plan, run, type RuleClient } from '../../../../electron/core/rules/engine';
import { graceVerdict, observe, UNREGISTERED_FILE_NAME, UnregisteredSightings, type BoxSightings } from '../../../../electron/core/rules/unregistered';
import { SeedboxError } from '../../../../electron/shared/errors';
import type { Torrent, TrackerSummary } from '../../../../electron/shared/model';
import { SeedingSettingsSchema, type SeedingSettings } from '../../../../electron/shared/rules/settings';
import { modelTorrent } from '../../../helpers/model';
import { tempDir } from '../../../helpers/processes';

const T0 = 1_800_000_000;
const MINUTE = 60;
const HOUR = 3600;
const BOX = { id: 'box-a', name: 'A' };
const GRACE = { minChecks: 2, minSeconds: HOUR };

function torrent(n: number, trackerStatus: TrackerSummary | null, fields: Partial<Torrent> = {}): Torrent {
  const message = trackerStatus === 'unregistered' ? 'Unregistered torrent' : trackerStatus === 'error' ? 'Connection refused' : '';
  return modelTorrent({ id: n.toString(16).padStart(40, '0'), name: `Torrent ${n}`, trackerStatus, trackerMessage: message, ...fields });
}

function settings(condition: string, extra: Record<string, unknown> = {}): SeedingSettings {
  return SeedingSettingsSchema.parse({ rules: [{ id: 'cleanup', name: 'Cleanup', enabled: true, mode: 'live', version: 1, condition, action: 'remove-data' }], ...extra });
}

describe('observe: one check of a box', () => {
  it('counts each check that sees "unregistered" from the first one', () => {
    const first = observe(undefined, [torrent(1, 'unregistered')], T0);
    expect(first[torrent(1, null).id]).toEqual({ firstSeen: T0, lastSeen: T0, checks: 1 });
    const second = observe(first, [torrent(1, 'unregistered')], T0 + 10 * MINUTE);
    expect(second[torrent(1, null).id]).toEqual({ firstSeen: T0, lastSeen: T0 + 10 * MINUTE, checks: 2 });
  });

  it('an unreachable tracker or no answer yet neither counts nor resets; registered again or gone forgets it', () => {
    const ids = [1, 2, 3, 4].map((n) => torrent(n, null).id);
    const seen = observe(undefined, [1, 2, 3, 4].map((n) => torrent(n, 'unregistered')), T0);
    const next = observe(seen, [torrent(1, 'error'), torrent(2, null), torrent(3, 'ok')], T0 + HOUR);
    expect(next).toEqual({ [ids[0]!]: seen[ids[0]!], [ids[1]!]: seen[ids[1]!] });
    // A torrent that is merely unreachable is never recorded in the first place.
    expect(observe(undefined, [torrent(5, 'error'), torrent(6, 'warning')], T0)).toEqual({});
  });
});

describe('graceVerdict', () => {
  it.each([
    ['not checked yet', undefined, T0, false, /not yet checked over the grace period; acts after 1h and 2 checks/],
    ['seen once, 10 minutes ago', { firstSeen: T0 - 10 * MINUTE, lastSeen: T0 - 10 * MINUTE, checks: 1 }, T0, false, /^unregistered for 10m, seen on 1 of 2 checks; acts after 1h and 2 checks$/],
    ['two checks, 59 minutes apart', { firstSeen: T0, lastSeen: T0 + 59 * MINUTE, checks: 2 }, T0 + 59 * MINUTE, false, /for 59m, seen on 2 of 2/],
    ['one check, two hours ago', { firstSeen: T0, lastSeen: T0, checks: 1 }, T0 + 2 * HOUR, false, /for 2h, seen on 1 of 2/],
    ['two checks an hour apart', { firstSeen: T0, lastSeen: T0 + HOUR, checks: 2 }, T0 + HOUR, true, /for 1h, seen on 2 of 2/],
  ])('%s', (_name, sighting, now, passed, reason) => {
    const verdict = graceVerdict(sighting, GRACE, now);
    expect(verdict.passed).toBe(passed);
    expect(verdict.reason).toMatch(reason);
  });
});

describe('the engine and the grace', () => {
  function decisionsAt(rules: SeedingSettings, torrents: Torrent[], sightings: BoxSightings | undefined, now: number): string[] {
    const [box] = plan(rules, [{ seedbox: BOX, torrents, sightings }], now);
    return box!.decisions.map((decision) => `${decision.torrent.name}: ${decision.outcome}${decision.outcome === 'protected' ? ` (${decision.reason})` : ''}`);
  }

  it('unregistered acts only once the grace has passed; until then the preview says how long it has been', () => {
    const rules = settings('unregistered');
    const torrents = [torrent(1, 'unregistered'), torrent(2, 'error'), torrent(3, 'ok')];
    let sightings = observe(undefined, torrents, T0);
    expect(decisionsAt(rules, torrents, sightings, T0)).toEqual(['Torrent 1: protected (unregistered for 0s, seen on 1 of 2 checks; acts after 1h and 2 checks)']);
    sightings = observe(sightings, torrents, T0 + 10 * MINUTE);
    expect(decisionsAt(rules, torrents, sightings, T0 + 10 * MINUTE)).toEqual(['Torrent 1: protected (unregistered for 10m, seen on 2 of 2 checks; acts after 1h and 2 checks)']);
    sightings = observe(sightings, torrents, T0 + HOUR);
    expect(decisionsAt(rules, torrents, sightings, T0 + HOUR)).toEqual(['Torrent 1: act']);
    const [box] = plan(rules, [{ seedbox: BOX, torrents, sightings }], T0 + HOUR);
    expect(box!.decisions[0]!.values.map((value) => value.text)).toEqual(['unregistered = yes']);
  });

  it('without a record nothing has been checked, so nothing acts; a grace of one check and no time acts at once', () => {
    expect(decisionsAt(settings('unregistered'), [torrent(1, 'unregistered')], undefined, T0)).toEqual([
      'Torrent 1: protected (unregistered, not yet checked over the grace period; acts after 1h and 2 checks)',
    ]);
    const immediate = settings('unregistered', { unregisteredGrace: { minChecks: 1, minSeconds: 0 } });
    const torrents = [torrent(1, 'unregistered')];
    expect(decisionsAt(immediate, torrents, observe(undefined, torrents, T0), T0)).toEqual(['Torrent 1: act']);
  });

  it('during the grace the tracker verdict is unknown to every condition, so no rule acts on it early', () => {
    const torrents = [torrent(1, 'unregistered', { ratio: 0.5 })];
    const sightings = observe(undefined, torrents, T0);
    for (const condition of ['tracker_status == "unregistered"', 'tracker_message ~ "*unregistered*"', 'tracker_status != "ok" and ratio < 1']) {
      expect(decisionsAt(settings(condition), torrents, sightings, T0)).toEqual([expect.stringMatching(/^Torrent 1: protected \(unregistered for 0s/)]);
    }
    // "not unregistered" does not hold for it either (unknown), while a condition that does not read the tracker decides as always.
    expect(decisionsAt(settings('not unregistered'), torrents, sightings, T0)).toEqual([]);
    expect(decisionsAt(settings('ratio < 1'), torrents, sightings, T0)).toEqual(['Torrent 1: act']);
  });

  it('a torrent seen registered again starts over', () => {
    const rules = settings('unregistered');
    let sightings = observe(undefined, [torrent(1, 'unregistered')], T0);
    sightings = observe(sightings, [torrent(1, 'ok')], T0 + 30 * MINUTE);
    sightings = observe(sightings, [torrent(1, 'unregistered')], T0 + 2 * HOUR);
    expect(decisionsAt(rules, [torrent(1, 'unregistered')], sightings, T0 + 2 * HOUR)).toEqual([expect.stringMatching(/for 0s, seen on 1 of 2/)]);
  });

  it('an unreachable tracker never acts, however long it lasts', () => {
    const rules = settings('unregistered or tracker_status == "unregistered"');
    const torrents = [torrent(1, 'error')];
    let sightings: BoxSightings | undefined;
    for (let check = 0; check < 5; check++) sightings = observe(sightings, torrents, T0 + check * 10 * HOUR);
    expect(sightings).toEqual({});
    expect(decisionsAt(rules, torrents, sightings, T0 + 50 * HOUR)).toEqual([]);
  });
});

describe('UnregisteredSightings: the file the app and the CLI share', () => {
  function client(torrents: () => Torrent[]): RuleClient & { removed: string[] } {
    const removed: string[] = [];
    const nothing = async (): Promise<void> => undefined;
    return {
      removed,
      list: async () => torrents(),
      stop: nothing,
      reannounce: nothing,
      setLabels: nothing,
      remove: async (ids) => void removed.push(...ids),
      sessionStats: async () => ({ downRate: 0, upRate: 0, freeSpaceBytes: null, alternativeSpeedEnabled: null }),
    };
  }

  it('runs in separate processes count the same checks: the first run waits, one after the grace acts', async () => {
    const configPath = join(tempDir('unregistered'), 'seedbox-remote.json');
    const rules = settings('unregistered');
    const box = client(() => [torrent(1, 'unregistered'), torrent(2, 'error')]);
    const runAt = async (now: number) =>
      run(rules, [{ seedbox: BOX, open: async () => ({ client: box, close: async () => undefined }) }], { now: () => now, sightings: new UnregisteredSightings({ configPath }) });
    const first = await runAt(T0);
    expect(first.plans[0]!.decisions.map((decision) => decision.outcome)).toEqual(['protected']);
    expect(box.removed).toEqual([]);
    const onDisk = JSON.parse(readFileSync(join(configPath, '..', UNREGISTERED_FILE_NAME), 'utf8')) as unknown;
    expect(onDisk).toEqual({ version: 1, boxes: { [BOX.id]: { [torrent(1, null).id]: { firstSeen: T0, lastSeen: T0, checks: 1 } } } });
    expect(statSync(join(configPath, '..', UNREGISTERED_FILE_NAME)).mode & 0o777).toBe(0o600);
    const second = await runAt(T0 + HOUR);
    expect(second.plans[0]!.decisions.map((decision) => decision.outcome)).toEqual(['done']);
    expect(box.removed).toEqual([torrent(1, null).id]);
  });

  it('a damaged record refuses the box with a clear error, acts on nothing and is left as it was', async () => {
    const folder = tempDir('unregistered');
    const path = join(folder, UNREGISTERED_FILE_NAME);
    writeFileSync(path, '{"version": 1, "boxes": {"box-a": 3}}');
    const box = client(() => [torrent(1, 'unregistered')]);
    const result = await run(settings('unregistered', { unregisteredGrace: { minChecks: 1, minSeconds: 0 } }), [{ seedbox: BOX, open: async () => ({ client: box, close: async () => undefined }) }], {
      sightings: new UnregisteredSightings({ configPath: join(folder, 'seedbox-remote.json') }),
    });
    expect(result.plans).toEqual([]);
    expect(result.failures[0]!.error).toBeInstanceOf(SeedboxError);
    expect(result.failures[0]!.error).toMatchObject({ code: 'refused', message: expect.stringMatching(/is damaged; move it away/) });
    expect(box.removed).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "boxes": {"box-a": 3}}');
  });

  it('a record that cannot be read acts on nothing', async () => {
    const folder = tempDir('unregistered');
    // A folder where the file should be: reading it fails (as root, permissions would not).
    mkdirSync(join(folder, UNREGISTERED_FILE_NAME));
    const box = client(() => [torrent(1, 'unregistered')]);
    const result = await run(settings('unregistered', { unregisteredGrace: { minChecks: 1, minSeconds: 0 } }), [{ seedbox: BOX, open: async () => ({ client: box, close: async () => undefined }) }], {
      sightings: new UnregisteredSightings({ configPath: join(folder, 'seedbox-remote.json') }),
    });
    expect(result.failures[0]!.error).toMatchObject({ code: 'internal', message: expect.stringMatching(/^Cannot read .*rules-unregistered\.json/) });
    expect(box.removed).toEqual([]);
  });
});
