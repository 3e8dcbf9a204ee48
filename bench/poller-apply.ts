// The poller's own cost per refresh of one big box, without a daemon: 10 000 torrents, 1 % of
// them changing between two refreshes, handed to the real BoxPoller the two ways a client can:
// its merged list (unchanged torrents keeping their object), diffed by the poller, or what
// changed (PollChanges, as qBittorrent's and Transmission's clients do). Prints our CPU per
// refresh; the daemons' and the transports' costs are in the per-client benches.
import type { TorrentDelta } from '../electron/shared/contract';
import type { Torrent } from '../electron/shared/model';
import type { PollChanges, TorrentClient } from '../electron/core/clients/types';
import type { SeedboxSession } from '../electron/core/connections/session';
import { BoxPoller } from '../electron/core/polling/poller';
import type { BenchReport } from './report';
import { summarize } from './stats';
import { modelTorrent } from '../test/helpers/model';

const TORRENTS = 10_000;
const CHANGED_PER_REFRESH = 100;
const REFRESHES = 400;
const RUNS = 5;

function torrentAt(index: number): Torrent {
  const downloading = index % 10 === 0;
  return modelTorrent({
    id: index.toString(16).padStart(40, '0'),
    name: `Torrent ${index}`,
    state: downloading ? 'downloading' : 'seeding',
    progress: downloading ? 0.5 : 1,
    sizeBytes: 1e9,
    doneBytes: downloading ? 5e8 : 1e9,
    labels: ['Linux ISOs'],
    savePath: '/srv/downloads',
    addedAt: 1_700_000_000 + index,
    trackerHosts: ['tracker.example'],
  });
}

type Handover = 'list' | 'changes';

/** A client whose poll() changes CHANGED_PER_REFRESH torrents (their rates) and hands them over. */
function fakeClient(handover: Handover): TorrentClient {
  const torrents = new Map<string, Torrent>();
  for (let index = 0; index < TORRENTS; index++) {
    const torrent = torrentAt(index);
    torrents.set(torrent.id, torrent);
  }
  const ids = [...torrents.keys()];
  let round = 0;
  const poll = async (): Promise<Torrent[] | PollChanges> => {
    round++;
    const changed: Torrent[] = [];
    for (let step = 0; step < CHANGED_PER_REFRESH; step++) {
      const id = ids[(round * CHANGED_PER_REFRESH + step) % ids.length]!;
      const torrent = { ...torrents.get(id)!, upRate: round * 1000 + step };
      torrents.set(id, torrent);
      changed.push(torrent);
    }
    if (handover === 'list' || round === 1) return [...torrents.values()];
    return { full: false, changed, removed: [] };
  };
  return { poll, list: poll, sessionStats: async () => ({ freeSpaceBytes: null, alternativeSpeedEnabled: null }) } as unknown as TorrentClient;
}

/** CPU milliseconds per refresh over REFRESHES refreshes after the first (full) one. */
async function run(handover: Handover): Promise<number> {
  const client = fakeClient(handover);
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
  const samples: Record<Handover, number[]> = { list: [], changes: [] };
  for (let index = 0; index < RUNS; index++) {
    log(`run ${index + 1} of ${RUNS}`);
    // Alternated, so a busy moment of the machine weighs on both alike.
    for (const handover of ['list', 'changes'] as const) samples[handover].push(await run(handover));
  }
  const list = summarize(samples.list);
  const changes = summarize(samples.changes);
  return {
    title: `The poller's CPU per refresh: one box of ${TORRENTS} torrents, ${CHANGED_PER_REFRESH} changed per refresh`,
    info: [['refreshes', `${REFRESHES} per run, ${RUNS} runs of each`]],
    figures: [
      { label: 'whole list, diffed by the poller', samples: list, note: 'CPU ms per refresh' },
      { label: 'changes handed over (PollChanges)', samples: changes, note: 'CPU ms per refresh' },
    ],
    ratios: [['changes / whole list', `${((changes.median / list.median) * 100).toFixed(0)} %`]],
    goals: [],
  };
}
