// The poller's own cost per refresh of one big box, without a daemon: 10 000 torrents, 1 % of
// them changing between two refreshes, handed to the real BoxPoller as qBittorrent's and
// Transmission's clients hand them over (their merged list, unchanged torrents keeping their
// object). Prints our CPU per refresh; the daemons' and the transports' costs are in the
// per-client benches.
import type { TorrentDelta } from '../electron/shared/contract';
import type { Torrent } from '../electron/shared/model';
import type { TorrentClient } from '../electron/core/clients/types';
import type { SeedboxSession } from '../electron/core/connections/session';
import { BoxPoller } from '../electron/core/polling/poller';
import type { BenchReport } from './report';
import { summarize } from './stats';

const TORRENTS = 10_000;
const CHANGED_PER_REFRESH = 100;
const REFRESHES = 400;
const RUNS = 5;

function torrentAt(index: number): Torrent {
  return {
    id: index.toString(16).padStart(40, '0'),
    name: `Torrent ${index}`,
    state: index % 10 === 0 ? 'downloading' : 'seeding',
    progress: index % 10 === 0 ? 0.5 : 1,
    sizeBytes: 1e9,
    doneBytes: index % 10 === 0 ? 5e8 : 1e9,
    uploadedBytes: 0,
    downloadedBytes: 0,
    ratio: 0,
    downRate: 0,
    upRate: 0,
    etaSeconds: null,
    peersConnected: 0,
    peersTotal: 0,
    seedsConnected: 0,
    seedsTotal: 0,
    labels: ['Linux ISOs'],
    savePath: '/srv/downloads',
    addedAt: 1_700_000_000 + index,
    completedAt: null,
    trackerHosts: ['tracker.example'],
    message: '',
    queuePosition: null,
  };
}

/** A client whose poll() changes CHANGED_PER_REFRESH torrents (their rates) and returns the merged list. */
function fakeClient(): TorrentClient {
  const torrents = new Map<string, Torrent>();
  for (let index = 0; index < TORRENTS; index++) {
    const torrent = torrentAt(index);
    torrents.set(torrent.id, torrent);
  }
  const ids = [...torrents.keys()];
  let round = 0;
  const poll = async (): Promise<Torrent[]> => {
    round++;
    for (let step = 0; step < CHANGED_PER_REFRESH; step++) {
      const id = ids[(round * CHANGED_PER_REFRESH + step) % ids.length]!;
      torrents.set(id, { ...torrents.get(id)!, upRate: round * 1000 + step });
    }
    return [...torrents.values()];
  };
  return { poll, list: poll, sessionStats: async () => ({ freeSpaceBytes: null, alternativeSpeedEnabled: null }) } as unknown as TorrentClient;
}

/** CPU milliseconds per refresh over REFRESHES refreshes after the first (full) one. */
async function run(): Promise<number> {
  const client = fakeClient();
  const session = { connected: true, run: <T>(action: (client: TorrentClient) => Promise<T>) => action(client), reportRefresh: () => undefined } as unknown as SeedboxSession;
  let deltas = 0;
  let started: NodeJS.CpuUsage | undefined;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let cpu = 0;
  const poller = new BoxPoller({
    seedboxId: 'box',
    session,
    intervalMs: () => 0,
    light: () => false,
    statsEvery: 1_000_000,
    onDelta: (delta: TorrentDelta) => {
      if (delta.full) return;
      deltas++;
      if (deltas === 1) started = process.cpuUsage();
      if (deltas === REFRESHES + 1) {
        const used = process.cpuUsage(started);
        cpu = (used.user + used.system) / 1000 / REFRESHES;
        done();
      }
    },
  });
  poller.start();
  await finished;
  await poller.stop();
  return cpu;
}

export async function benchPollerApply(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  const samples: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    log(`run ${index + 1} of ${RUNS}`);
    samples.push(await run());
  }
  return {
    title: `The poller's CPU per refresh: one box of ${TORRENTS} torrents, ${CHANGED_PER_REFRESH} changed per refresh`,
    info: [['refreshes', `${REFRESHES} per run, ${RUNS} runs; the client hands over its merged list`]],
    figures: [{ label: 'full list, diffed by the poller', samples: summarize(samples), note: 'CPU ms per refresh' }],
    ratios: [],
    goals: [],
  };
}
