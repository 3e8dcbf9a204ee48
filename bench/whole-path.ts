// The whole path at 50 000 torrents on one real rtorrent 0.9.8, in one run: rtorrent's own
// answer, our decode, normalize, diff and wire on the very same bytes, then `npm run web`'s app
// (the real core and harness, in a process of its own: bench/whole-path-server.ts) with the
// window in Debian's Chromium, timed from the server's start to the first names and to all rows
// painted; the server's memory; rtorrent's CPU with nothing connected, while watched, and what
// each kind of refresh costs it; and Flood 4.16.2 on the same rtorrent as the reference.
//
//   npm run build && npm run bench -- whole-path
//
// SEEDBOX_BENCH_WHOLE_TORRENTS (default 50 000), SEEDBOX_BENCH_WHOLE_WATCH_MS (60 000) and
// SEEDBOX_BENCH_FLOOD_CAP_MS (120 000) change the size and the windows. rtorrent 0.9.8 reads 50 000
// torrents in over 14 minutes: with SEEDBOX_BENCH_KEEP_RTORRENT=DIR the loaded one stays running
// between runs (`npm run bench -- whole-path-load` loads it alone). Flood is never a dependency of
// the project: the bench runs it from FLOOD_DIR, installed once outside the
// bench's network namespace (see floodEntry()); without it the Flood figures say so.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { RtorrentClient } from '../electron/core/clients/rtorrent/client';
import { TransmissionClient } from '../electron/core/clients/transmission/client';
import type { TorrentClient } from '../electron/core/clients/types';
import { LIST_FIELDS, TRACKER_SUMMARY_FIELD, VOLATILE_FIELDS, normalizeTorrentRow } from '../electron/core/clients/rtorrent/normalize';
import { encodeScgiRequest } from '../electron/core/codecs/scgi';
import { encodeMethodCall } from '../electron/core/codecs/xmlrpc';
import { decodeMulticallRowsOrGeneral } from '../electron/core/codecs/xmlrpc-fast';
import { decodeRencode } from '../electron/core/codecs/rencode';
import { countTorrents, diffTorrents } from '../electron/core/polling/diff';
import { snapshotDeltas } from '../electron/core/polling/poller';
import { composeCore } from '../electron/core/service/compose';
import type { Torrent } from '../electron/shared/model';
import type { NewSeedbox } from '../electron/shared/seedbox';
import { toWire } from '../electron/shared/wire';
import { launchChromium } from '../test/helpers/chromium';
import { canConnect, freePort, tempDir, waitFor } from '../test/helpers/processes';
import { DelugeClient } from '../electron/core/clients/deluge/client';
import { LABEL_KEY, LIST_KEYS } from '../electron/core/clients/deluge/raw';
import { QbittorrentClient } from '../electron/core/clients/qbittorrent/client';
import type { Generation } from '../test/helpers/generations';
import { RawDeluge, startLoadedDeluge } from './deluge';
import { rawMaindata, sessionCookie, startLoadedQbittorrent } from './qbittorrent';
import type { BenchReport, Figure, Goal } from './report';
import { loadedRtorrentForBench, rawExchange } from './rtorrent';
import { rawTorrentGet, startLoadedTransmission } from './transmission';
import { measure, summarize, type Samples } from './stats';
import { AFTER_PAINT, gridRowCount, INSTRUMENT } from './ui';
import type { ServerMessage, ServerRequest } from './whole-path-server';

const ROOT = resolve(import.meta.dirname, '..');
const COUNT = Number(process.env['SEEDBOX_BENCH_WHOLE_TORRENTS'] ?? 50_000);
const WATCH_MS = Number(process.env['SEEDBOX_BENCH_WHOLE_WATCH_MS'] ?? 60_000);
const FLOOD_CAP_MS = Number(process.env['SEEDBOX_BENCH_FLOOD_CAP_MS'] ?? 120_000);
/** As in the poller bench: 1 % started (retrying their loopback tracker), the rest stopped. */
const STARTED_SHARE = 0.01;
/** Each full list costs rtorrent seconds at 50 000: few runs. */
const RUNS = 3;
const INCREMENTAL_RUNS = 10;
/** rtorrent settles after loading (started torrents checked, first announces) before its idle figure. */
const SETTLE_MS = 10_000;
const PAINT_TIMEOUT_MS = Number(process.env['SEEDBOX_BENCH_WHOLE_PAINT_TIMEOUT_MS'] ?? 600_000);
const LABEL_STYLE = 'rutorrent' as const;

export const FLOOD_VERSION = '4.16.2';
/** Outside the project: `npm install --prefix FLOOD_DIR flood@FLOOD_VERSION` puts it there. */
export const FLOOD_DIR = `/var/cache/seedbox-remote/flood-${FLOOD_VERSION}`;

const now = (): number => performance.timeOrigin + performance.now();
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** A process's CPU time so far (user + system), in milliseconds, from /proc/PID/stat. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** A process's resident memory now and at its peak, in bytes, from /proc/PID/status. */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** CPU milliseconds per second of `pid` while `during` runs (or over `ms` of waiting). */
async function cpuRate(pid: number, during: number | (() => Promise<void>)): Promise<{ msPerSecond: number; seconds: number }> {
  const cpuStart = cpuMsOf(pid);
  const wallStart = performance.now();
  if (typeof during === 'number') await sleep(during);
  else await during();
  const seconds = (performance.now() - wallStart) / 1000;
  return { msPerSecond: (cpuMsOf(pid) - cpuStart) / seconds, seconds };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const s = (value: number): string => `${(value / 1000).toFixed(2)} s`;

/** rtorrent's CPU for one request of a kind, its idle work over the same time taken out. */
async function costPerRequest(pid: number, idleMsPerSecond: number, runs: number, request: () => Promise<unknown>): Promise<{ cpuMs: number; wall: Samples }> {
  const cpuStart = cpuMsOf(pid);
  const wallStart = performance.now();
  const wall: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await request();
    wall.push(performance.now() - started);
  }
  const seconds = (performance.now() - wallStart) / 1000;
  return { cpuMs: (cpuMsOf(pid) - cpuStart - idleMsPerSecond * seconds) / runs, wall: summarize(wall) };
}

function scgiFrame(method: string, params: Parameters<typeof encodeMethodCall>[1]): Buffer {
  return encodeScgiRequest(encodeMethodCall(method, params), { CONTENT_TYPE: 'text/xml' });
}

interface AppRun {
  began: number;
  served: number;
  /** The box connected, so its first list was asked for. */
  connected: number;
  /** The first torrents:delta that carried rows (a window's subscription gets an empty one before). */
  firstDelta: number;
  lastSnapshotDelta: number;
  /** The page's navigation start and its first message from the server (the bridge). */
  pageOpened: number;
  firstMessage: number;
  firstNames: number;
  allRows: number;
  rendererApplyMs: number;
  messages: number;
  memoryAllRows: Extract<ServerMessage, { type: 'memory' }>;
  memoryWatched: Extract<ServerMessage, { type: 'memory' }>;
  serverRss: { rss: number; peak: number };
  watched: { msPerSecond: number; seconds: number };
  deltasWatched: number;
  serverCpuWatched: number;
}

/**
 * The box under test: saved in the settings file before the server starts (as `npm run web` finds
 * it), or, when it has a password, added over IPC as soon as the server serves (the password can
 * only live in the server's memory here, there being no keychain in the bench's namespace).
 */
type BoxUnderTest = { saved: NewSeedbox } | { add: NewSeedbox; password: string };

/** `npm run web`'s app in its own process on a settings file with one box, the window in Chromium. */
async function runApp(browser: Browser, box: BoxUnderTest, count: number, daemonPid: number, log: (line: string) => void): Promise<AppRun> {
  const configPath = join(tempDir('whole-path'), 'seedbox-remote.json');
  if ('saved' in box) {
    const saving = await composeCore({ configPath, version: 'saving', platform: 'linux', memorySecrets: 'whole-path bench' });
    await saving.registry.add(box.saved);
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.addInitScript(INSTRUMENT);
  page.on('pageerror', (error) => log(`page error: ${error.message}`));

  const spawned = now();
  const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/whole-path-server.ts'), configPath], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const deltas: Extract<ServerMessage, { type: 'delta' }>[] = [];
  const waiting = new Map<ServerMessage['type'], (message: ServerMessage) => void>();
  let connectedAt = NaN;
  server.on('message', (message: ServerMessage) => {
    if (message.type === 'delta') deltas.push(message);
    if (message.type === 'connected') connectedAt = message.at;
    waiting.get(message.type)?.(message);
  });
  const next = <T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      waiting.set(type, (message) => resolve(message as Extract<ServerMessage, { type: T }>));
      server.once('exit', (code) => reject(new Error(`The server exited (${code}) before it said ${type}.`)));
    });
  const ask = <T extends ServerMessage['type']>(request: ServerRequest, answer: T): Promise<Extract<ServerMessage, { type: T }>> => {
    const answered = next(answer);
    server.send(request);
    return answered;
  };
  try {
    const served = await next('served');
    log(`server serving after ${ms(served.served - spawned)}; opening the window`);
    if ('add' in box) await ask({ type: 'add', seedbox: box.add, password: box.password }, 'added');
    await page.goto(served.url);
    const origin = (await page.evaluate('performance.timeOrigin')) as number;
    await page
      .locator(`[role="grid"][aria-rowcount="${gridRowCount(count)}"]`)
      .waitFor({ timeout: PAINT_TIMEOUT_MS })
      .catch(async (error: unknown) => {
        // Say what the window showed instead: its row count and the box's state in the sidebar.
        const rows = await page.locator('[role="grid"]').getAttribute('aria-rowcount', { timeout: 1000 }).catch(() => 'no grid');
        const sidebar = await page.locator('.seedbox-item').allInnerTexts().catch(() => []);
        throw new Error(`The window did not show ${count} rows (it shows ${rows}; sidebar: ${JSON.stringify(sidebar)}).`, { cause: error });
      });
    const allRows = origin + ((await page.evaluate(`(${AFTER_PAINT})()`)) as number);
    const timings = (await page.evaluate('window.__bench.messages')) as { start: number; handled: number; rendered: number; painted: number; rows: number }[];
    const first = timings.find((timing) => timing.rows > 0 && timing.painted > 0);
    if (!first) throw new Error('No frame with rows was timed.');
    const rendererApplyMs = timings.reduce((sum, timing) => sum + (timing.rendered - timing.start), 0);
    let added = 0;
    const lastSnapshot = deltas.find((delta) => (added += delta.added) >= count);
    log(`all ${count} rows painted ${s(allRows - spawned)} after the server's start`);
    const memoryAllRows = await ask({ type: 'memory' }, 'memory');

    log(`watching: the daemon's CPU for ${WATCH_MS / 1000} s with the window open`);
    const deltasBefore = deltas.length;
    const serverCpuStart = cpuMsOf(server.pid!);
    const watched = await cpuRate(daemonPid, WATCH_MS);
    const serverCpuWatched = (cpuMsOf(server.pid!) - serverCpuStart) / watched.seconds;
    const serverRss = rssOf(server.pid!);
    const memoryWatched = await ask({ type: 'memory' }, 'memory');
    return {
      began: served.began - spawned,
      served: served.served - spawned,
      connected: connectedAt - spawned,
      firstDelta: (deltas.find((delta) => delta.added > 0)?.at ?? NaN) - spawned,
      lastSnapshotDelta: (lastSnapshot?.at ?? NaN) - spawned,
      pageOpened: origin - spawned,
      firstMessage: origin + (timings[0]?.start ?? NaN) - spawned,
      firstNames: origin + first.painted - spawned,
      allRows: allRows - spawned,
      rendererApplyMs,
      messages: timings.length,
      memoryAllRows,
      memoryWatched,
      serverRss,
      watched,
      deltasWatched: deltas.length - deltasBefore,
      serverCpuWatched,
    };
  } finally {
    await page.close();
    await stopChild(server, () => server.send({ type: 'stop' } satisfies ServerRequest));
  }
}

/** Asks a child to stop, and kills it if it has not within 20 s. */
async function stopChild(child: ChildProcess, ask: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    ask();
  } catch {
    child.kill('SIGKILL');
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Flood's entry script, or why it cannot run (the bench's namespace cannot reach the registry). */
export function floodEntry(): { path: string } | { missing: string } {
  const path = join(FLOOD_DIR, 'node_modules/flood/dist/index.js');
  if (existsSync(path)) return { path };
  return { missing: `Flood ${FLOOD_VERSION} is not installed: run \`npm install --prefix ${FLOOD_DIR} flood@${FLOOD_VERSION}\` once (outside the bench).` };
}

interface FloodRun {
  firstNames: number | null;
  watched: { msPerSecond: number; seconds: number };
  rss: { rss: number; peak: number };
  cpuMsPerSecond: number;
}

/** Flood on the same rtorrent's socket, its page in Chromium until it shows a torrent or the cap. */
async function runFlood(browser: Browser, entry: string, socketPath: string, rtPid: number, log: (line: string) => void): Promise<FloodRun> {
  const port = await freePort();
  const flood = spawn(process.execPath, [entry, '--auth', 'none', '--rtsocket', socketPath, '--rundir', tempDir('flood'), '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await waitFor(`Flood listening on 127.0.0.1:${port}`, () => (flood.exitCode === null ? canConnect({ port }) : Promise.reject(new Error(`Flood exited (${flood.exitCode})`))), 60_000);
    log(`flood: page open, waiting up to ${FLOOD_CAP_MS / 1000} s for a torrent's name`);
    const floodCpuStart = cpuMsOf(flood.pid!);
    const opened = performance.now();
    let firstNames: number | null = null;
    const watched = await cpuRate(rtPid, async () => {
      await page.goto(`http://127.0.0.1:${port}/`, { timeout: FLOOD_CAP_MS });
      while (performance.now() - opened < FLOOD_CAP_MS) {
        // Flood's list rows carry the class "torrent"; a row shows the torrent's name.
        if (firstNames === null && ((await page.evaluate(`document.querySelectorAll('.torrent').length`)) as number) > 0) firstNames = performance.now() - opened;
        if (firstNames !== null && performance.now() - opened > Math.min(FLOOD_CAP_MS, firstNames + WATCH_MS)) break;
        await sleep(250);
      }
    });
    return { firstNames, watched, rss: rssOf(flood.pid!), cpuMsPerSecond: (cpuMsOf(flood.pid!) - floodCpuStart) / watched.seconds };
  } finally {
    await page.close();
    await stopChild(flood, () => flood.kill('SIGINT'));
  }
}

function figure(label: string, samples: Samples, bytes?: number, note?: string): Figure {
  return { label, samples, ...(bytes !== undefined ? { bytes } : {}), ...(note !== undefined ? { note } : {}) };
}

export async function benchWholePath(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  if (!existsSync(join(ROOT, 'out/web/seedbox-bridge.js'))) throw new Error('Run `npm run build` first: the bench serves the built window.');
  const flood = floodEntry();
  log(`rtorrent: writing a session of ${COUNT} torrents and starting on it`);
  const loaded = await loadedRtorrentForBench(COUNT, STARTED_SHARE, log);
  const rt = loaded;
  const rtPid = loaded.pid;
  const socketPath = loaded.socketPath;
  let browser: Browser | undefined;
  try {
    log(`rtorrent: ${COUNT} torrents after ${s(loaded.loadMs)}; settling ${SETTLE_MS / 1000} s, then idle CPU over ${WATCH_MS / 1000} s`);
    await sleep(SETTLE_MS);
    const idle = await cpuRate(rtPid, WATCH_MS);

    log('stages: connect + dialect probe');
    const connect = await measure(() => new RtorrentClient({ kind: 'rtorrent', url: rt.url }).connect(), { runs: RUNS });
    log("stages: rtorrent's own answer to the list call (raw socket)");
    const listFrame = scgiFrame('d.multicall2', ['', 'main', ...LIST_FIELDS]);
    let body: Buffer = Buffer.alloc(0);
    const fullCost = await costPerRequest(rtPid, idle.msPerSecond, RUNS, async () => (body = await rawExchange(socketPath, listFrame)));
    const withoutTrackers = await costPerRequest(rtPid, idle.msPerSecond, RUNS, () => rawExchange(socketPath, scgiFrame('d.multicall2', ['', 'main', ...LIST_FIELDS.filter((field) => field !== TRACKER_SUMMARY_FIELD)])));
    const volatile = [...VOLATILE_FIELDS];
    const incrementalFrame = scgiFrame('system.multicall', [
      [
        { methodName: 'view.size', params: ['', 'main'] },
        { methodName: 'd.multicall2', params: ['', 'started', ...volatile] },
        { methodName: 'd.multicall2', params: ['', 'hashing', ...volatile] },
      ],
    ]);
    const incremental = await costPerRequest(rtPid, idle.msPerSecond, INCREMENTAL_RUNS, () => rawExchange(socketPath, incrementalFrame));

    log('stages: decode, normalize, diff, snapshot, wire');
    const rows = decodeMulticallRowsOrGeneral(body);
    if (rows.length !== COUNT) throw new Error(`rtorrent listed ${rows.length} torrents, ${COUNT} were written.`);
    const decode = await measure(() => decodeMulticallRowsOrGeneral(body), { runs: RUNS });
    const normalize = await measure(() => rows.map((row) => normalizeTorrentRow(row, LABEL_STYLE)), { runs: RUNS });
    const torrents: Torrent[] = rows.map((row) => normalizeTorrentRow(row, LABEL_STYLE));
    const firstDiff = await measure(() => diffTorrents(new Map(), torrents), { runs: RUNS });
    const held = new Map<string, Torrent>();
    diffTorrents(held, torrents);
    const again = rows.map((row) => normalizeTorrentRow(row, LABEL_STYLE));
    const steadyDiff = await measure(() => diffTorrents(new Map(held), again), { runs: RUNS });
    const stats = { ...countTorrents(torrents), freeSpaceBytes: null, alternativeSpeedEnabled: null };
    const deltas = snapshotDeltas({ seedboxId: 'bench', torrents, stats });
    const snapshot = await measure(() => snapshotDeltas({ seedboxId: 'bench', torrents, stats }), { runs: RUNS });
    const wire = await measure(() => deltas.map((delta) => toWire(delta)), { runs: RUNS });
    const wireBytes = deltas.reduce((sum, delta) => sum + Buffer.byteLength(toWire(delta)), 0);

    browser = await launchChromium();
    log('app: starting the server (npm run web) and the window');
    const app = await runApp(browser, { saved: { name: 'Big box', kind: 'rtorrent', url: rt.url } }, COUNT, rtPid, log);
    const refreshesWatched = app.watched.seconds / 1.5;

    let floodInfo: Array<[string, string]>;
    if ('missing' in flood) {
      log(flood.missing);
      floodInfo = [['flood', flood.missing]];
    } else {
      log(`flood ${FLOOD_VERSION}: starting on the same rtorrent`);
      const floodRun = await runFlood(browser, flood.path, socketPath, rtPid, log);
      floodInfo = [
        ['flood: first names', floodRun.firstNames === null ? `none within ${FLOOD_CAP_MS / 1000} s` : `${s(floodRun.firstNames)} after its page opened (Flood already running)`],
        ['flood: rtorrent CPU, page open', `${floodRun.watched.msPerSecond.toFixed(1)} ms/s over ${floodRun.watched.seconds.toFixed(0)} s (${(floodRun.watched.msPerSecond / idle.msPerSecond).toFixed(1)}× idle)`],
        ['flood: its own CPU', `${floodRun.cpuMsPerSecond.toFixed(1)} ms/s`],
        ['flood: RSS', `${mb(floodRun.rss.rss)} (peak ${mb(floodRun.rss.peak)})`],
      ];
    }

    const figures: Figure[] = [
      figure('connect + dialect probe', connect, undefined, 'RtorrentClient.connect(), fresh client'),
      figure("rtorrent's answer: full list", fullCost.wall, body.length, `d.multicall2 main, ${LIST_FIELDS.length} fields, raw socket`),
      figure("rtorrent's answer: full list, no tracker summary", withoutTrackers.wall, undefined, `${LIST_FIELDS.length - 1} fields`),
      figure("rtorrent's answer: incremental refresh", incremental.wall, undefined, 'view.size + started/hashing views, volatile fields'),
      figure('decode', decode, body.length, 'decodeMulticallRowsOrGeneral'),
      figure('normalize', normalize, undefined, 'normalizeTorrentRow × rows'),
      figure('diff: first list', firstDiff, undefined, 'diffTorrents from nothing'),
      figure('diff: same list again', steadyDiff, undefined, 'new objects, nothing changed'),
      figure('snapshot deltas', snapshot, undefined, `${deltas.length} deltas`),
      figure('wire', wire, wireBytes, 'toWire of every snapshot delta'),
    ];
    const memory = (label: string, m: AppRun['memoryAllRows']): [string, string] => [label, `RSS ${mb(m.rss)}, heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} (${mb(m.heapUsedAfterGc)} after a full GC), external ${mb(m.external)}, array buffers ${mb(m.arrayBuffers)}`];
    return {
      title: `The whole path: ${COUNT.toLocaleString('en-US')} torrents on one rtorrent 0.9.8 (Chromium ${browser.version()})`,
      info: [
        ['torrents', `${COUNT} (${STARTED_SHARE * 100} % started), session written in ${s(loaded.writeMs)} (generated in ${s(loaded.buildMs)}), read by rtorrent in ${s(loaded.loadMs)}${loaded.kept ? ' (kept loaded from an earlier run: SEEDBOX_BENCH_KEEP_RTORRENT)' : ''}`],
        ['list answer', `${(body.length / 1e6).toFixed(1)} MB, ${rows.length} rows; wire ${(wireBytes / 1e6).toFixed(1)} MB in ${deltas.length} deltas`],
        ['server: node + tsx up', ms(app.began)],
        ['server: serving', ms(app.served)],
        ['server: box connected (first list asked)', s(app.connected)],
        ['server: first rows out', `${s(app.firstDelta)} (rtorrent's answer, the first rows decoded and normalized)`],
        ['server: whole snapshot out', s(app.lastSnapshotDelta)],
        ['window: page opened / first message in', `${s(app.pageOpened)} / ${s(app.firstMessage)}`],
        ['window: first names painted', `${s(app.firstNames)} (${s(app.firstNames - app.connected)} after the list was asked for)`],
        ['window: all rows painted', s(app.allRows)],
        ['window: renderer apply', `${ms(app.rendererApplyMs)} of main thread in ${app.messages} messages (parse + store + render)`],
        memory('server memory, all rows shown', app.memoryAllRows),
        memory(`server memory, after ${WATCH_MS / 1000} s watched`, app.memoryWatched),
        ['server RSS (from /proc)', `${mb(app.serverRss.rss)} (peak ${mb(app.serverRss.peak)})`],
        ['server CPU, watched', `${app.serverCpuWatched.toFixed(1)} ms/s`],
        ['rtorrent CPU, idle', `${idle.msPerSecond.toFixed(1)} ms/s over ${idle.seconds.toFixed(0)} s, nothing connected`],
        ['rtorrent CPU, watched', `${app.watched.msPerSecond.toFixed(1)} ms/s over ${app.watched.seconds.toFixed(0)} s (${(app.watched.msPerSecond / idle.msPerSecond).toFixed(2)}× idle), ${app.deltasWatched} deltas pushed`],
        ['rtorrent CPU per refresh, watched', `${(((app.watched.msPerSecond - idle.msPerSecond) * app.watched.seconds) / refreshesWatched).toFixed(1)} ms: (watched − idle) × time / refreshes at one per 1.5 s`],
        ['rtorrent CPU: one full list', `${fullCost.cpuMs.toFixed(0)} ms (no tracker summary: ${withoutTrackers.cpuMs.toFixed(0)} ms)`],
        ['rtorrent CPU: one incremental refresh', `${incremental.cpuMs.toFixed(1)} ms`],
        ...floodInfo,
      ],
      figures,
      ratios: [
        ['first names after the list was asked − rtorrent answer (goal ≤ 1 s)', s(app.firstNames - app.connected - fullCost.wall.median)],
        ["first names after the server's start − rtorrent answer", s(app.firstNames - fullCost.wall.median)],
        ['rtorrent watched / idle (goal ≤ 1.5)', (app.watched.msPerSecond / idle.msPerSecond).toFixed(2)],
      ],
      goals: [
        // From the list request: the server's own start (node, tsx compiling the sources, the
        // core, the harness) is `npm run web`'s, not the path the goal is about; it is printed above.
        { label: "first names within rtorrent's answer + 1 s of the list being asked for", met: app.firstNames - app.connected <= fullCost.wall.median + 1000, detail: `${s(app.firstNames - app.connected)} after it was asked for (${s(app.firstNames)} from the server's start); rtorrent answers in ${s(fullCost.wall.median)}` },
        { label: 'server RSS ≤ 300 MB', met: app.serverRss.rss <= 300e6, detail: mb(app.serverRss.rss) },
        { label: "rtorrent's CPU watched ≤ 1.5× idle", met: app.watched.msPerSecond <= 1.5 * idle.msPerSecond, detail: `${app.watched.msPerSecond.toFixed(1)} / ${idle.msPerSecond.toFixed(1)} ms/s` },
      ],
    };
  } finally {
    await browser?.close();
    await rt.stop();
  }
}

/**
 * Only the load, for SEEDBOX_BENCH_KEEP_RTORRENT: leaves the loaded rtorrent for later whole-path
 * runs and says what reading its session cost it.
 */
export async function benchWholePathLoad(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  if (!process.env['SEEDBOX_BENCH_KEEP_RTORRENT']) throw new Error('Set SEEDBOX_BENCH_KEEP_RTORRENT=DIR: without it the loaded rtorrent would stop with this run.');
  const loaded = await loadedRtorrentForBench(COUNT, STARTED_SHARE, log);
  const memory = rssOf(loaded.pid);
  return {
    title: `rtorrent 0.9.8 reading a session of ${COUNT.toLocaleString('en-US')} torrents (kept for later runs)`,
    info: [
      ['torrents', `${COUNT} (${STARTED_SHARE * 100} % started), generated in ${s(loaded.buildMs)}, session written in ${s(loaded.writeMs)}`],
      ['read by rtorrent', `${s(loaded.loadMs)} from its start to answering with every torrent`],
      ['rtorrent CPU so far', s(cpuMsOf(loaded.pid))],
      ['rtorrent RSS', `${mb(memory.rss)} (peak ${mb(memory.peak)})`],
      ['kept', `pid ${loaded.pid}, ${loaded.url}`],
    ],
    figures: [],
    ratios: [],
    goals: [],
  };
}

const OTHERS_COUNT = Number(process.env['SEEDBOX_BENCH_WHOLE_OTHERS_TORRENTS'] ?? 10_000);

/** A daemon other than rtorrent, loaded, with what the app needs to reach it. */
interface LoadedDaemon {
  title: string;
  count: number;
  pid: number;
  box: BoxUnderTest;
  newClient(): TorrentClient;
  /** The daemon's own answer to the list call the app makes: its bytes, nothing decoded. */
  rawList(): Promise<Buffer>;
  rawListCall: string;
  stop(): Promise<void>;
}

type StartDaemon = (count: number, log: (line: string) => void) => Promise<LoadedDaemon>;

function transmissionDaemon(generation: Generation): StartDaemon {
  return async (count, log) => {
    const { tr, count: added, addMs } = await startLoadedTransmission(count, log, { generation });
    try {
      const settings = { kind: 'transmission' as const, url: tr.url, username: tr.username, password: tr.password, transport: { timeoutMs: 120_000 } };
      const version = (await new TransmissionClient(settings).connect()).version;
      return {
        title: `transmission-daemon ${version}, ${added} torrents added in ${s(addMs)}`,
        count: added,
        pid: tr.daemon.child.pid!,
        box: { add: { name: 'Big box', kind: 'transmission', url: tr.url, username: tr.username }, password: tr.password },
        newClient: () => new TransmissionClient(settings),
        rawList: await rawTorrentGet(tr),
        rawListCall: 'torrent-get, table format, HTTP',
        stop: () => tr.stop(),
      };
    } catch (error) {
      await tr.stop();
      throw error;
    }
  };
}

function qbittorrentDaemon(generation: Generation): StartDaemon {
  return async (count, log) => {
    const { qb, version, loadMs } = await startLoadedQbittorrent(count, log, { generation });
    try {
      const settings = { kind: 'qbittorrent' as const, url: qb.url, username: qb.username, password: qb.password, transport: { timeoutMs: 120_000 } };
      const cookie = await sessionCookie(qb);
      return {
        title: `qbittorrent-nox ${version}, ${count} torrents added in ${s(loadMs)}`,
        count,
        pid: qb.daemon.child.pid!,
        box: { add: { name: 'Big box', kind: 'qbittorrent', url: qb.url, username: qb.username }, password: qb.password },
        newClient: () => new QbittorrentClient(settings),
        rawList: () => rawMaindata(qb.port, cookie, 0),
        rawListCall: 'sync/maindata?rid=0, HTTP',
        stop: () => qb.stop(),
      };
    } catch (error) {
      await qb.stop();
      throw error;
    }
  };
}

function delugeDaemon(generation: Generation): StartDaemon {
  return async (count, log) => {
    const { deluge, version, loaded, loadMs } = await startLoadedDeluge(count, log, { generation });
    let raw: RawDeluge | undefined;
    try {
      const url = `deluge://127.0.0.1:${deluge.port}`;
      const transport = { tls: { pinnedSha256: deluge.certificateSha256 }, timeoutMs: 120_000 };
      const opened = await RawDeluge.open(deluge.port, deluge.username, deluge.password);
      raw = opened;
      const listCall = (): Promise<Buffer> => opened.request('core.get_torrents_status', [{}, [...LIST_KEYS, LABEL_KEY]]);
      // Once, that the frame timed is the list and not an error reply: (1, id, {hash: status}).
      const answer = decodeRencode(inflateSync(await listCall())) as unknown[];
      if (answer[0] !== 1 || Object.keys(answer[2] as object).length !== loaded) throw new Error(`deluged's list answer is not ${loaded} torrents: ${JSON.stringify(answer).slice(0, 200)}`);
      return {
        title: `deluged ${version}, ${loaded} torrents added in ${s(loadMs)}`,
        count: loaded,
        pid: deluge.daemon.child.pid!,
        box: { add: { name: 'Big box', kind: 'deluge', url, username: deluge.username, tlsPinSha256: deluge.certificateSha256 }, password: deluge.password },
        newClient: () => new DelugeClient({ kind: 'deluge', url, username: deluge.username, password: deluge.password, transport }),
        rawList: listCall,
        rawListCall: 'core.get_torrents_status, compressed frame, TLS',
        stop: async () => {
          opened.close();
          await deluge.stop();
        },
      };
    } catch (error) {
      raw?.close();
      await deluge.stop();
      throw error;
    }
  };
}

/** Debian 12's daemons, then Debian 13's (from the trixie root). */
const OTHER_DAEMONS: Record<string, StartDaemon> = {
  transmission: transmissionDaemon('debian12'),
  qbittorrent: qbittorrentDaemon('debian12'),
  deluge: delugeDaemon('debian12'),
  'transmission-13': transmissionDaemon('debian13'),
  'qbittorrent-13': qbittorrentDaemon('debian13'),
  'deluge-13': delugeDaemon('debian13'),
};

/** SEEDBOX_BENCH_WHOLE_OTHERS=transmission,deluge-13 runs only those (the keys of OTHER_DAEMONS). */
function chosenDaemons(): Array<[string, StartDaemon]> {
  const wanted = process.env['SEEDBOX_BENCH_WHOLE_OTHERS']?.split(',').map((name) => name.trim());
  if (!wanted) return Object.entries(OTHER_DAEMONS);
  const unknown = wanted.filter((name) => !(name in OTHER_DAEMONS));
  if (unknown.length > 0) throw new Error(`SEEDBOX_BENCH_WHOLE_OTHERS: unknown ${unknown.join(', ')} (known: ${Object.keys(OTHER_DAEMONS).join(', ')}).`);
  return wanted.map((name) => [name, OTHER_DAEMONS[name]!]);
}

/**
 * The same path for the other daemons at 10 000 torrents (SEEDBOX_BENCH_WHOLE_OTHERS_TORRENTS),
 * each generation (SEEDBOX_BENCH_WHOLE_OTHERS to choose): the daemon's own answer to the list
 * call and what it costs the daemon, what a full list and a refresh of the app's own client cost
 * it, then the app from the server's start to names and all rows, the server's memory, and the
 * daemon's CPU idle and watched. The goals are about rtorrent at 50 000; the same tests
 * are applied here to say which each daemon would meet.
 */
export async function benchWholePathOthers(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  if (!existsSync(join(ROOT, 'out/web/seedbox-bridge.js'))) throw new Error('Run `npm run build` first: the bench serves the built window.');
  const daemons = chosenDaemons();
  const info: Array<[string, string]> = [];
  const figures: Figure[] = [];
  const ratios: Array<[string, string]> = [];
  const goals: Goal[] = [];
  const browser = await launchChromium();
  try {
    for (const [name, start] of daemons) {
      log(`${name}: loading ${OTHERS_COUNT} torrents`);
      const daemon = await start(OTHERS_COUNT, (line) => log(`${name}: ${line}`));
      try {
        log(`${name}: settling ${SETTLE_MS / 1000} s, then idle CPU over ${WATCH_MS / 1000} s`);
        await sleep(SETTLE_MS);
        const idle = await cpuRate(daemon.pid, WATCH_MS);
        let answerBytes = 0;
        const answer = await costPerRequest(daemon.pid, idle.msPerSecond, RUNS, async () => (answerBytes = (await daemon.rawList()).length));
        const full = await costPerRequest(daemon.pid, idle.msPerSecond, RUNS, async () => {
          const fresh = daemon.newClient();
          await fresh.list();
          await fresh.close();
        });
        const client = daemon.newClient();
        const refresh = (): Promise<unknown> => (client.poll ? client.poll({ light: false }) : client.list());
        await refresh();
        const incremental = await costPerRequest(daemon.pid, idle.msPerSecond, INCREMENTAL_RUNS, refresh);
        await client.close();
        const app = await runApp(browser, daemon.box, daemon.count, daemon.pid, (line) => log(`${name}: ${line}`));
        const watchedRatio = app.watched.msPerSecond / idle.msPerSecond;
        // /proc counts CPU in clock ticks (10 ms): a daemon doing nothing may show none at all.
        const ratioText = idle.msPerSecond > 0 ? `${watchedRatio.toFixed(2)}×` : 'no idle CPU counted';
        figures.push(
          figure(`${name}: the daemon's answer to the list call`, answer.wall, answerBytes, `${daemon.rawListCall}; ${answer.cpuMs.toFixed(0)} ms of its CPU each`),
          figure(`${name}: full list(), the app's client`, full.wall, undefined, `connect + list on a fresh client; ${full.cpuMs.toFixed(0)} ms of the daemon's CPU each`),
          figure(`${name}: refresh, the app's client`, incremental.wall, undefined, `${incremental.cpuMs.toFixed(1)} ms of the daemon's CPU each`),
        );
        info.push(
          [name, daemon.title],
          [`${name}: server serving`, ms(app.served)],
          [`${name}: box connected / first rows out`, `${s(app.connected)} / ${s(app.firstDelta)}`],
          [`${name}: whole snapshot out`, s(app.lastSnapshotDelta)],
          [`${name}: first names painted`, `${s(app.firstNames)} (${s(app.firstNames - app.connected)} after the list was asked for)`],
          [`${name}: all rows painted`, s(app.allRows)],
          [`${name}: renderer apply`, `${ms(app.rendererApplyMs)} in ${app.messages} messages`],
          [`${name}: server RSS`, `${mb(app.serverRss.rss)} (peak ${mb(app.serverRss.peak)}); heap used ${mb(app.memoryWatched.heapUsed)} (${mb(app.memoryWatched.heapUsedAfterGc)} after a full GC)`],
          [`${name}: server CPU, watched`, `${app.serverCpuWatched.toFixed(1)} ms/s`],
          [`${name}: daemon CPU idle / watched`, `${idle.msPerSecond.toFixed(1)} / ${app.watched.msPerSecond.toFixed(1)} ms/s over ${app.watched.seconds.toFixed(0)} s (${ratioText}), ${app.deltasWatched} deltas`],
        );
        ratios.push(
          [`${name}: first names after the list was asked − the daemon's answer`, s(app.firstNames - app.connected - answer.wall.median)],
          [`${name}: first names − server serving`, s(app.firstNames - app.served)],
          [`${name}: daemon watched / idle`, ratioText],
        );
        goals.push(
          // Timed from the list request, as for rtorrent (see benchWholePath's goals).
          { label: `${name}: first names within the daemon's answer + 1 s of the list being asked for`, met: app.firstNames - app.connected <= answer.wall.median + 1000, detail: `${s(app.firstNames - app.connected)} after it was asked for (${s(app.firstNames)} from the server's start); the daemon answers in ${s(answer.wall.median)}` },
          { label: `${name}: server RSS ≤ 300 MB`, met: app.serverRss.rss <= 300e6, detail: mb(app.serverRss.rss) },
          { label: `${name}: daemon's CPU watched ≤ 1.5× idle`, met: watchedRatio <= 1.5, detail: `${app.watched.msPerSecond.toFixed(1)} / ${idle.msPerSecond.toFixed(1)} ms/s` },
        );
        // The report comes at the end of a long run: each daemon's figures as soon as they are in.
        log(
          `${name}: answer ${ms(answer.wall.median)} (${answer.cpuMs.toFixed(0)} ms CPU); first names ${s(app.firstNames)}, all rows ${s(app.allRows)}; ` +
            `server RSS ${mb(app.serverRss.rss)}; daemon CPU idle ${idle.msPerSecond.toFixed(1)}, watched ${app.watched.msPerSecond.toFixed(1)} ms/s`,
        );
      } finally {
        await daemon.stop();
      }
    }
    return { title: `The whole path at ${OTHERS_COUNT.toLocaleString('en-US')} torrents: the other daemons (Chromium ${browser.version()})`, info, figures, ratios, goals };
  } finally {
    await browser.close();
  }
}
