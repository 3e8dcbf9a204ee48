// Steady-state polling cost: two real rtorrents with 10 000 torrents each, 1 % of them started,
// refreshed every 1.5 s by the same poller the app runs. Prints our CPU per second, each
// rtorrent's CPU per second spent answering us, and the bytes of the deltas we push next to
// a full snapshot's.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { TorrentDelta } from '../electron/shared/contract';
import { RtorrentClient, createRtorrentTransport } from '../electron/core/clients/rtorrent/client';
import { RtorrentRpc } from '../electron/core/clients/rtorrent/rpc';
import { SeedboxSession } from '../electron/core/connections/session';
import { BoxPoller } from '../electron/core/polling/poller';
import { startRtorrent, type RtorrentInstance } from './helpers';
import type { BenchReport } from './report';
import { buildTorrents, loadTorrents } from './rtorrent';

const TORRENTS_PER_BOX = 10_000;
const ACTIVE_SHARE = 0.01;
const INTERVAL_MS = 1500;
const MEASURE_MS = 60_000;
/** rtorrent's own idle cost (100 started torrents retrying their tracker), measured first. */
const BASELINE_MS = 20_000;

function cpuTicksOf(pid: number): number {
  // /proc/PID/stat: utime and stime are fields 14 and 15, after the parenthesised command.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export async function benchPoller(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const boxes: RtorrentInstance[] = [];
  const pollers: BoxPoller[] = [];
  const sessions: SeedboxSession[] = [];
  try {
    log(`starting two rtorrents with ${TORRENTS_PER_BOX} torrents each`);
    for (let box = 0; box < 2; box++) boxes.push(await startRtorrent({ scgi: 'unix' }));
    await Promise.all(
      boxes.map(async (rt) => {
        const rpc = new RtorrentRpc(createRtorrentTransport({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs: 120_000 } }));
        const set = buildTorrents(TORRENTS_PER_BOX, rt.downloadDir);
        await loadTorrents(rpc, set);
        const active = [...set.hashes].slice(0, Math.round(TORRENTS_PER_BOX * ACTIVE_SHARE));
        await rpc.multicallAll(active.flatMap((hash) => [{ method: 'd.open', params: [hash.toUpperCase()] }, { method: 'd.start', params: [hash.toUpperCase()] }]));
      }),
    );

    // Let rtorrent finish what loading and starting set off before taking its idle figure.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    log(`measuring rtorrent's idle CPU for ${BASELINE_MS / 1000} s (nobody polling)`);
    const idleStart = boxes.map((rt) => cpuTicksOf(rt.daemon.child.pid!));
    const idleWall = performance.now();
    await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
    const idleSeconds = (performance.now() - idleWall) / 1000;
    const idleMsPerSecond = boxes.map((rt, index) => ((cpuTicksOf(rt.daemon.child.pid!) - idleStart[index]!) * 1000) / ticksPerSecond / idleSeconds);

    const deltaBytes: number[] = [];
    let snapshotBytes = 0;
    let firstLists = 0;
    const firstListBytes: number[] = [];
    const counted: boolean[] = [];
    const firstDone = new Promise<void>((resolve) => {
      for (const [index, rt] of boxes.entries()) {
        const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs: 60_000 } });
        const session = new SeedboxSession({ seedboxId: `box-${index}`, open: async () => ({ client, close: async () => client.close() }) });
        const poller = new BoxPoller({
          seedboxId: `box-${index}`,
          session,
          intervalMs: () => INTERVAL_MS,
          light: () => false,
          onDelta: (delta: TorrentDelta) => {
            const bytes = Buffer.byteLength(JSON.stringify(delta));
            // A first list goes out in several deltas, its first one while the rest is still read:
            // it is the snapshot until the poller holds the whole list.
            if (!poller.listed || firstLists < boxes.length) {
              firstListBytes[index] = (firstListBytes[index] ?? 0) + bytes;
              snapshotBytes = Math.max(snapshotBytes, firstListBytes[index]);
              if (poller.listed && !counted[index]) {
                counted[index] = true;
                if (++firstLists === boxes.length) resolve();
              }
            } else {
              deltaBytes.push(bytes);
            }
          },
        });
        sessions.push(session);
        pollers.push(poller);
      }
    });
    for (const [index, session] of sessions.entries()) {
      pollers[index]!.start();
      await session.start();
    }
    await firstDone;
    log(`polling; measuring ${MEASURE_MS / 1000} s of steady state`);
    deltaBytes.length = 0;
    const ourStart = process.cpuUsage();
    const daemonStart = boxes.map((rt) => cpuTicksOf(rt.daemon.child.pid!));
    const wallStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
    const seconds = (performance.now() - wallStart) / 1000;
    const ours = process.cpuUsage(ourStart);
    const ourMsPerSecond = (ours.user + ours.system) / 1000 / seconds;
    const daemonTotal = boxes.map((rt, index) => ((cpuTicksOf(rt.daemon.child.pid!) - daemonStart[index]!) * 1000) / ticksPerSecond / seconds);
    // Conservative: the goal is judged on rtorrent's whole CPU while polled, its own idle work
    // (tracker retries of the started torrents) included; the idle figure is for reference.
    const daemonMsPerSecond = daemonTotal;
    const ticks = Math.round(seconds / (INTERVAL_MS / 1000)) * boxes.length;
    const averageDelta = deltaBytes.reduce((sum, bytes) => sum + bytes, 0) / Math.max(1, ticks);
    const ourPer10k = ourMsPerSecond / ((boxes.length * TORRENTS_PER_BOX) / 10_000);
    const daemonWorst = Math.max(...daemonMsPerSecond);
    const deltaShare = averageDelta / snapshotBytes;
    return {
      title: `Polling two rtorrents, ${TORRENTS_PER_BOX} torrents each, ${ACTIVE_SHARE * 100} % started, every ${INTERVAL_MS / 1000} s`,
      info: [
        ['measured', `${seconds.toFixed(1)} s of steady state, ${ticks} refreshes (${deltaBytes.length} carried changes)`],
        ['full list', "after 40 refreshes and 200 times what the last took, or when a box's torrent count changes"],
        ['rtorrent idle', `${idleMsPerSecond.map((value) => value.toFixed(1)).join(' and ')} ms/s before polling (not subtracted below)`],
        ['snapshot', `${(snapshotBytes / 1e6).toFixed(2)} MB of JSON (one box's first, full delta)`],
      ],
      figures: [],
      ratios: [
        ['our CPU, both boxes', `${ourMsPerSecond.toFixed(1)} ms/s`],
        ['our CPU per 10 000 torrents', `${ourPer10k.toFixed(1)} ms/s`],
        ...daemonMsPerSecond.map((value, index): [string, string] => [`rtorrent ${index + 1} CPU while polled (all of it)`, `${value.toFixed(1)} ms/s`]),
        ['delta bytes per refresh (mean)', `${Math.round(averageDelta)} B`],
        ['delta / full snapshot', `${(deltaShare * 100).toFixed(3)} %`],
      ],
      goals: [
        { label: 'our CPU under 25 ms/s per 10 000 torrents', met: ourPer10k < 25, detail: `${ourPer10k.toFixed(1)} ms/s` },
        { label: "each rtorrent's CPU under 20 ms/s", met: daemonWorst < 20, detail: `${daemonWorst.toFixed(1)} ms/s (worst box)` },
        { label: 'delta bytes under 5 % of a snapshot', met: deltaShare < 0.05, detail: `${(deltaShare * 100).toFixed(3)} %` },
      ],
    };
  } finally {
    await Promise.all(pollers.map((poller) => poller.stop()));
    await Promise.all(sessions.map((session) => session.stop()));
    await Promise.all(boxes.map((rt) => rt.stop()));
  }
}
