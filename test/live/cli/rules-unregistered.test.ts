// Issue 13 §3 on real rTorrent and Transmission through `seedbox rules run`: `unregistered` acts
// only once a loopback tracker's "Unregistered torrent" has been seen on two checks over the
// grace period, and never for a torrent whose tracker cannot be reached (nothing listens on its
// port). The checks are counted in the file beside the settings, shared by every process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../../electron/core/rules/engine';
import { UNREGISTERED_FILE_NAME } from '../../../electron/core/rules/unregistered';
import type { Torrent } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startLoopbackTracker, type LoopbackTracker } from '../../helpers/tracker';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';

const GRACE_SECONDS = 5;
const BOXES = ['RT', 'TR'];

let rt: RtorrentInstance;
let tr: TransmissionInstance;
let tracker: LoopbackTracker;
let dir: string;

function seedbox(args: string[]): Promise<CliRun> {
  return runSeedbox(['--config', join(dir, 'seedbox-remote.json'), ...args], { env: { SEEDBOX_SECRET_STORE: 'memory' } });
}

async function ok(args: string[]): Promise<string> {
  const run = await seedbox(args);
  expect(run, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
  return run.stdout;
}

async function torrents(box: string): Promise<Torrent[]> {
  return JSON.parse(await ok(['--seedbox', box, 'list', '--json'])) as Torrent[];
}

/** "box torrent: outcome operation" for every decision of a run. */
async function rulesRun(): Promise<{ lines: string[]; decisions: Decision[] }> {
  const result = JSON.parse(await ok(['rules', 'run', '--json'])) as { plans: { seedbox: { name: string }; decisions: Decision[] }[] };
  const decisions = result.plans.flatMap((plan) => plan.decisions);
  return { lines: decisions.map((decision) => `${decision.seedbox.name} ${decision.torrent.name}: ${decision.outcome} ${decision.operation}`).sort(), decisions };
}

beforeAll(async () => {
  expectCliBuilt();
  dir = tempDir('rules-unregistered');
  [rt, tr, tracker] = await Promise.all([startRtorrent(), startTransmission({ authentication: false }), startLoopbackTracker()]);
  await ok(['boxes', 'add', 'RT', '--url', rt.url]);
  await ok(['boxes', 'add', 'TR', '--client', 'transmission', '--url', tr.url]);
  await ok(['rules', 'grace', '--checks', '2', '--after', `${GRACE_SECONDS}s`]);
  await ok(['rules', 'add', 'Cleanup', '--when', 'unregistered', '--action', 'remove-data']);
  // Live before the torrents come: switching lists the boxes, which would count as a check.
  await ok(['rules', 'live', 'Cleanup', '--yes']);
  for (const box of BOXES) {
    for (const [name, url] of [[`${box} gone`, tracker.unregisteredUrl], [`${box} down`, tracker.deadUrl]] as const) {
      const made = makeTorrent({ dataParent: dir, name, files: [{ path: '', content: filler(name, 3000) }], trackers: [url] });
      const file = join(dir, `${name}.torrent`);
      writeFileSync(file, made.bytes);
      await ok(['--seedbox', box, 'add', file, '--path', dir]);
    }
  }
  // Each daemon announces on its own time: wait for both verdicts on every box.
  const deadline = Date.now() + 100_000;
  for (const box of BOXES) {
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = (await torrents(box)).map((torrent) => `${torrent.name}: ${torrent.trackerStatus}`).sort();
      if (statuses.join() === [`${box} down: error`, `${box} gone: unregistered`].join()) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(statuses).toEqual([`${box} down: error`, `${box} gone: unregistered`]);
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([rt?.stop(), tr?.stop(), tracker?.close()]);
});

describe('unregistered cleanup waits for its grace period, on rtorrent and transmission', () => {
  /** When the first run saw the tracker's "unregistered" last, in ms: the grace counts from there. */
  let lastFirstSeenMs = 0;

  it('the first run does not act: it says how long the tracker has said so and when the rule acts', async () => {
    const first = await rulesRun();
    expect(first.lines).toEqual(['RT RT gone: protected remove-data', 'TR TR gone: protected remove-data']);
    for (const decision of first.decisions) expect(decision.reason).toMatch(/^unregistered for \d+s, seen on 1 of 2 checks; acts after 5s and 2 checks$/);
    for (const box of BOXES) expect((await torrents(box)).map((torrent) => torrent.name).sort()).toEqual([`${box} down`, `${box} gone`]);
    const record = JSON.parse(readFileSync(join(dir, UNREGISTERED_FILE_NAME), 'utf8')) as { boxes: Record<string, Record<string, { checks: number; firstSeen: number }>> };
    expect(Object.values(record.boxes).map((box) => Object.values(box).map((sighting) => sighting.checks))).toEqual([[1], [1]]);
    lastFirstSeenMs = Math.max(...Object.values(record.boxes).flatMap((box) => Object.values(box).map((sighting) => sighting.firstSeen * 1000)));
  }, 60_000);

  it('a run after the grace removes the unregistered torrents; those whose tracker is unreachable never', async () => {
    // The grace is time itself, counted from the first sighting the record holds (not from when
    // the first run was started: a CLI that starts faster the second time would come early).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastFirstSeenMs + GRACE_SECONDS * 1000 - Date.now())));
    const second = await rulesRun();
    expect(second.lines).toEqual(['RT RT gone: done remove-data', 'TR TR gone: done remove-data']);
    for (const box of BOXES) {
      expect((await torrents(box)).map((torrent) => `${torrent.name}: ${torrent.trackerStatus}`)).toEqual([`${box} down: error`]);
      expect(existsSync(join(dir, `${box} gone`))).toBe(false);
      expect(existsSync(join(dir, `${box} down`))).toBe(true);
    }
    // Checked three times over more than the grace, the unreachable ones were never even counted.
    expect((await rulesRun()).lines).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, UNREGISTERED_FILE_NAME), 'utf8'))).toEqual({ version: 1, boxes: {} });
  }, 60_000);

  it('"rules grace" shows the setting and refuses what it cannot mean, changing nothing', async () => {
    expect(await ok(['rules', 'grace'])).toBe('unregistered acts once its tracker has said so on 2 checks over at least 5s\n');
    expect(await seedbox(['rules', 'grace', '--checks', '0'])).toMatchObject({ code: 2, stderr: 'seedbox: --checks takes a number of checks from 1 to 1000, not 0.\n' });
    expect(await seedbox(['rules', 'grace', '--after', 'soon'])).toMatchObject({ code: 2, stderr: 'seedbox: --after takes a duration such as 90m, 12h or 14d, not "soon".\n' });
    expect(JSON.parse(await ok(['rules', 'grace', '--json']))).toEqual({ minChecks: 2, minSeconds: GRACE_SECONDS });
  }, 60_000);
});
