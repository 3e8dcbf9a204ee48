// Issue 13, the live proof's second finding, on the real qBittorrent of Debian 12 and 13: maindata
// carries no tracker verdicts, and a new client reads the trackers of a few torrents per refresh,
// so a `seedbox rules run` from cron (a new client each time) used to see the same few torrents
// and never the others. The engine now has the client read the trackers of every torrent in a
// tracker-reading rule's scope before it plans.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import { run, type RunBox } from '../../../electron/core/rules/engine';
import type { Torrent } from '../../../electron/shared/model';
import { SeedingSettingsSchema } from '../../../electron/shared/rules/settings';
import { GENERATIONS } from '../../helpers/generations';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startLoopbackTracker, waitForTrackerAnswers, type LoopbackTracker } from '../../helpers/tracker';

/** More than a new client reads per refresh (8), so most cannot be among the first it reads. */
const UNREGISTERED = 12;
const COUNTED = 3;

let tracker: LoopbackTracker;

beforeAll(async () => {
  tracker = await startLoopbackTracker({ swarms: [1] });
});

afterAll(async () => {
  await tracker?.close();
});

describe.each(GENERATIONS)('qBittorrent (%s)', (generation) => {
  let qb: QbittorrentInstance;
  const ids = new Map<string, 'unregistered' | 'counted'>();
  const newClient = (): QbittorrentClient => new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password });

  beforeAll(async () => {
    qb = await startQbittorrent({ generation });
    const client = newClient();
    try {
      const parent = join(qb.dir, 'reads');
      mkdirSync(parent, { recursive: true });
      for (let index = 0; index < UNREGISTERED + COUNTED; index++) {
        const kind = index < UNREGISTERED ? 'unregistered' : 'counted';
        const name = `${kind}-${index}`;
        const made = makeTorrent({ dataParent: parent, name, files: [{ path: '', content: filler(name, 20_000) }], trackers: [kind === 'unregistered' ? tracker.unregisteredUrl : tracker.swarmUrl(1)] });
        ids.set(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent }), kind);
      }
      // The daemon has every tracker's answer once a client that has looked at all of them sees them.
      let listed: Torrent[] = [];
      const pending = (list: Torrent[]): string[] =>
        [...ids].filter(([id, kind]) => list.find((torrent) => torrent.id === id)?.trackerStatus !== (kind === 'unregistered' ? 'unregistered' : 'ok')).map(([id]) => id);
      await waitForTrackerAnswers({
        what: `qBittorrent (${generation}) to hear every tracker`,
        list: async () => (listed = await client.list()),
        pending,
        reannounce: (stuck) => client.reannounce(stuck),
        timeoutMs: 150_000,
      }).catch(async (error: unknown) => {
        // What the daemon itself says of the trackers of those still without a verdict.
        const silent = await Promise.all(listed.filter((torrent) => torrent.trackerStatus === null).map(async (torrent) => ({ name: torrent.name, trackers: (await client.details(torrent.id)).trackers })));
        throw new Error(`${String(error)}: ${JSON.stringify(listed.map(({ name, state, trackerStatus, trackerMessage }) => ({ name, state, trackerStatus, trackerMessage })))}; without a verdict: ${JSON.stringify(silent)}`, { cause: error });
      });
    } finally {
      await client.close();
    }
  }, 240_000);

  afterAll(async () => {
    await qb?.stop();
  });

  it('a run with a new client sees every unregistered torrent and every counted swarm, not just the first few', async () => {
    const settings = SeedingSettingsSchema.parse({
      rules: [
        { id: 'gone', name: 'Gone', enabled: true, version: 1, mode: 'preview', condition: 'unregistered', action: 'stop' },
        { id: 'counted', name: 'Counted', enabled: true, version: 1, mode: 'preview', condition: 'seeders == 1', action: 'stop' },
      ],
      // What is read, not the grace, is under test here (rules-unregistered.test.ts tests the grace): one check suffices.
      unregisteredGrace: { minChecks: 1, minSeconds: 0 },
    });
    // A new client per run, as `seedbox rules run` from cron makes it.
    const box: RunBox = {
      seedbox: { id: 'qb', name: `qBittorrent (${generation})` },
      open: async () => {
        const client = newClient();
        return { client, close: () => client.close() };
      },
    };
    const result = await run(settings, [box]);
    expect(result.failures).toEqual([]);
    const decisions = result.plans[0]!.decisions;
    const by = (ruleId: string): string[] => decisions.filter((decision) => decision.rule.id === ruleId).map((decision) => decision.torrent.id).sort();
    expect(by('gone')).toEqual([...ids].filter(([, kind]) => kind === 'unregistered').map(([id]) => id).sort());
    expect(by('counted')).toEqual([...ids].filter(([, kind]) => kind === 'counted').map(([id]) => id).sort());
    for (const decision of decisions) {
      expect(decision.outcome).toBe('preview');
      expect(decision.values).toEqual([expect.objectContaining(decision.rule.id === 'gone' ? { field: 'unregistered', value: true } : { field: 'seeders', value: 1 })]);
    }
  }, 120_000);
});
