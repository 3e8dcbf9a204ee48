// One rtorrent holding 50 000 torrents (1 % started), watched by the app's own poller at the
// window's pace: how soon the first names leave the core against rtorrent's own answer time,
// the core's memory, and what the refreshes cost rtorrent against its idle CPU (issue 16,
// goals 2 to 4). The core side only: the harness's wire encoding is applied to every delta, the
// renderer is bench/ui.ts's and the whole path bench50k's.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { RtorrentClient } from '../electron/core/clients/rtorrent/client';
import { LIST_FIELDS } from '../electron/core/clients/rtorrent/normalize';
import { encodeScgiRequest } from '../electron/core/codecs/scgi';
import { encodeMethodCall } from '../electron/core/codecs/xmlrpc';
import { SeedboxSession } from '../electron/core/connections/session';
import { BoxPoller } from '../electron/core/polling/poller';
import { toWire } from '../electron/shared/wire';
import type { BenchReport } from './report';
import { startLoadedRtorrent } from './rtorrent';
import { collectGarbage } from './stats';

const TORRENTS = 50_000;
const STARTED_SHARE = 0.01;
const INTERVAL_MS = 1500;
const IDLE_MS = 30_000;
const WATCH_MS = 120_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

export async function benchPoller50k(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  log(`starting rtorrent on a written session of ${TORRENTS} torrents (minutes: its session load is quadratic)`);
  const loaded = await startLoadedRtorrent(TORRENTS, { startedShare: STARTED_SHARE });
  const { rt } = loaded;
  const pid = rt.daemon.child.pid!;
  const cpuMs = (): number => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  };
  const cpuPerSecond = async (ms: number): Promise<number> => {
    const [cpu, wall] = [cpuMs(), performance.now()];
    await sleep(ms);
    return (cpuMs() - cpu) / ((performance.now() - wall) / 1000);
  };
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  let poller: BoxPoller | undefined;
  let session: SeedboxSession | undefined;
  try {
    await sleep(10_000); // what starting 500 torrents sets off
    log(`rtorrent idle for ${IDLE_MS / 1000} s`);
    const idle = await cpuPerSecond(IDLE_MS);

    log("rtorrent's own answer to the full list (raw socket)");
    const frame = encodeScgiRequest(encodeMethodCall('d.multicall2', ['', 'main', ...LIST_FIELDS]), { CONTENT_TYPE: 'text/xml' });
    const answerCpu = cpuMs();
    const asked = performance.now();
    let firstByteMs = 0;
    let answerBytes = 0;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(rt.socketPath!);
      socket.on('data', (chunk) => {
        firstByteMs ||= performance.now() - asked;
        answerBytes += chunk.length;
      });
      socket.on('end', resolve);
      socket.on('error', reject);
      socket.write(frame);
    });
    const answerMs = performance.now() - asked;
    const fullListCpu = cpuMs() - answerCpu;
    await sleep(5000);

    log('the poller: first list');
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    peakRss = 0;
    let firstNamesMs = 0;
    let allMs = 0;
    let received = 0;
    let changed = 0;
    const started = performance.now();
    const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs: 300_000 } });
    session = new SeedboxSession({ seedboxId: 'box', open: async () => ({ client, close: async () => client.close() }) });
    poller = new BoxPoller({
      seedboxId: 'box',
      session,
      intervalMs: () => INTERVAL_MS,
      light: () => false,
      onDelta: (delta) => {
        toWire({ type: 'event', channel: 'torrents:delta', payload: delta }); // what the harness sends
        if (delta.full) received = 0;
        received += delta.added.length;
        changed += delta.changed.length;
        if (!firstNamesMs && delta.added.length > 0) firstNamesMs = performance.now() - started;
        if (!allMs && received >= TORRENTS) allMs = performance.now() - started;
      },
    });
    poller.start();
    await session.start();
    while (!allMs) await sleep(20);
    const firstListPeak = peakRss;
    await sleep(1000);
    collectGarbage();
    const settled = process.memoryUsage();

    log(`the poller: watching for ${WATCH_MS / 1000} s`);
    peakRss = 0;
    changed = 0;
    const watched = await cpuPerSecond(WATCH_MS);
    const watchPeak = peakRss;
    const ratio = watched / idle;
    const afterAnswer = firstNamesMs - answerMs;
    return {
      title: `One rtorrent, ${TORRENTS} torrents (${STARTED_SHARE * 100} % started), polled every ${INTERVAL_MS / 1000} s`,
      info: [
        ['session', `built ${(loaded.buildMs / 1000).toFixed(0)} s, written ${(loaded.writeMs / 1000).toFixed(0)} s, read by rtorrent ${(loaded.loadMs / 1000).toFixed(0)} s`],
        ['full list', `${(answerBytes / 1e6).toFixed(1)} MB; rtorrent's first byte after ${firstByteMs.toFixed(0)} ms, last after ${answerMs.toFixed(0)} ms; ${fullListCpu.toFixed(0)} ms of its CPU`],
        ['watched', `${changed} changed torrents sent in ${WATCH_MS / 1000} s`],
      ],
      figures: [],
      ratios: [
        ['first names leave the core (from start)', `${firstNamesMs.toFixed(0)} ms`],
        ['all names out (from start)', `${allMs.toFixed(0)} ms`],
        ["rtorrent's own answer (raw, alone)", `${answerMs.toFixed(0)} ms`],
        ['core RSS before / peak over the first list', `${mb(rssBefore)} / ${mb(firstListPeak)}`],
        ['core RSS and heap after it (GC)', `${mb(settled.rss)}, heap ${mb(settled.heapUsed)}`],
        ['core peak RSS while watched', mb(watchPeak)],
        ['rtorrent CPU idle / watched', `${idle.toFixed(1)} / ${watched.toFixed(1)} ms/s`],
      ],
      goals: [
        { label: "first names within rtorrent's answer + 1 s", met: afterAnswer <= 1000, detail: `${afterAnswer.toFixed(0)} ms after it (connect included)` },
        { label: 'core RSS at most 300 MB', met: Math.max(firstListPeak, watchPeak) <= 300 * 1048576, detail: `peak ${mb(Math.max(firstListPeak, watchPeak))}` },
        { label: "rtorrent's CPU watched at most 1.5 x idle", met: ratio <= 1.5, detail: `${ratio.toFixed(2)} x` },
      ],
    };
  } finally {
    clearInterval(sampler);
    await poller?.stop();
    await session?.stop();
    await rt.stop();
  }
}
