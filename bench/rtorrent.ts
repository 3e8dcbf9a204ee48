// rTorrent list benchmark: 10 000 torrents in a real rtorrent 0.9.8, then the torrent list
// as rtorrent answers it (raw socket), as our client reads it (decode + normalize), and as
// the `xmlrpc` package and fast-xml-parser would read the very same bytes.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { XMLParser } from 'fast-xml-parser';
import Deserializer from 'xmlrpc/lib/deserializer';
import { RtorrentClient, createRtorrentTransport } from '../electron/core/clients/rtorrent/client';
import { encodeLabels } from '../electron/core/clients/rtorrent/labels';
import { LIST_FIELDS, normalizeTorrentRow } from '../electron/core/clients/rtorrent/normalize';
import { RtorrentRpc, type RpcCall } from '../electron/core/clients/rtorrent/rpc';
import { encodeScgiRequest, parseScgiResponse, ScgiResponseParser } from '../electron/core/codecs/scgi';
import { decodeMethodResponse, encodeMethodCall, type XmlRpcValue } from '../electron/core/codecs/xmlrpc';
import { decodeMulticallRows, decodeMulticallRowsOrGeneral } from '../electron/core/codecs/xmlrpc-fast';
import type { Torrent } from '../electron/shared/model';
import { FAST_SESSION_LOAD, makeTorrent, startRtorrent, writeRtorrentSession, type RtorrentInstance, type SessionTorrent } from './helpers';
import { measure, type Samples } from './stats';
import type { BenchReport, Figure, Goal } from './report';

const TORRENTS = 10_000;
const RUNS = 7;
/** rtorrent 0.9.8 drops SCGI request bodies over 2 MiB; batches stay at half of that. */
const BATCH_BODY_BYTES = 1024 * 1024;
const LOAD_TIMEOUT_MS = 180_000;
/** 50 000 torrents from a written session: over 14 minutes of rtorrent's CPU (still quadratic, see FAST_SESSION_LOAD). */
const SESSION_LOAD_TIMEOUT_MS = 90 * 60_000;
const LABEL_STYLE = 'rutorrent' as const;

/** Goals from the issue: decode + normalize vs the `xmlrpc` package and vs rtorrent itself. */
const GOAL_FASTER_THAN_XMLRPC = 10;
const GOAL_SHARE_OF_RTORRENT = 0.5;

// Name parts chosen so that the answer carries entities (&amp; &lt; &gt;), quotes and
// multi-byte UTF-8, as real lists do.
const TITLES = [
  'Ubuntu 24.04 Desktop',
  'Debian Live',
  'Big Buck Bunny',
  'Sintel',
  'Tears & Steel',
  'Élan vital',
  'Müller & Söhne <Director’s Cut>',
  '日本語のテキスト',
  'Привет, мир',
  'Rock \'n\' Roll "Live"',
  'a<b>c & d>e',
  'Naïve café — Ωmega',
  'Cosmos Laundromat 🎬',
  'Night of the Living Dead',
  'Linux Kernel Sources',
];
const SUFFIXES = ['1080p', '720p', 'FLAC', 'x265', 'Remastered', 'S01E01', 'ISO', 'Extended', ''];
const LABELS = ['', 'Movies', 'TV Shows', 'Linux ISOs', 'Musique & Films', '日本', 'Books/Audio', 'to sort'];
const TRACKER_SETS = [
  ['http://127.0.0.1:9/announce'],
  ['http://127.0.0.1:9/announce?passkey=abc&uid=1', 'http://127.0.0.1:9/backup'],
  ['http://localhost:9/announce'],
];

/** A small deterministic generator, so every run loads the same torrents. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export interface LoadedSet {
  bytes: Uint8Array[];
  names: Set<string>;
  hashes: Set<string>;
  /** Labels and added-at stamps, as calls to make after load.raw. */
  calls: RpcCall[];
  /** The same torrents with their labels and stamps, as written into a session directory. */
  torrents: SessionTorrent[];
}

export function buildTorrents(count: number, downloadDir: string): LoadedSet {
  const random = prng(0x5eedb0c5);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const bytes: Uint8Array[] = [];
  const names = new Set<string>();
  const hashes = new Set<string>();
  const calls: RpcCall[] = [];
  const torrents: SessionTorrent[] = [];
  for (let index = 0; index < count; index++) {
    const name = `${pick(TITLES)} ${pick(SUFFIXES)} #${index.toString(36)}`.replace(/ +/g, ' ');
    const multi = random() < 0.2;
    const fileCount = multi ? 2 + Math.floor(random() * 3) : 1;
    const files = Array.from({ length: fileCount }, (_, file) => ({
      path: multi ? `part ${file + 1}.bin` : '',
      content: Buffer.alloc(1024 + Math.floor(random() * 63 * 1024), index & 0xff),
    }));
    const trackers = pick(TRACKER_SETS);
    const made = makeTorrent({ dataParent: downloadDir, name, files, trackers, writeData: false });
    bytes.push(made.bytes);
    names.add(name);
    hashes.add(made.infoHash);
    const hash = made.infoHash.toUpperCase();
    const labels = pick(LABELS);
    const custom1 = labels === '' ? undefined : encodeLabels([labels], LABEL_STYLE);
    if (custom1 !== undefined) calls.push({ method: 'd.custom1.set', params: [hash, custom1] });
    const addtime = random() < 0.5 ? String(1_700_000_000 + index * 37) : undefined;
    if (addtime !== undefined) calls.push({ method: 'd.custom.set', params: [hash, 'addtime', addtime] });
    torrents.push({
      bytes: made.bytes,
      infoHash: made.infoHash,
      name,
      fileCount,
      multiFile: multi,
      trackers,
      ...(custom1 === undefined ? {} : { custom1 }),
      ...(addtime === undefined ? {} : { custom: { addtime } }),
    });
  }
  if (names.size !== count || hashes.size !== count) throw new Error('The generated torrents are not all distinct.');
  return { bytes, names, hashes, calls, torrents };
}

/** An rtorrent started on a session directory written directly, holding the generated torrents. */
export interface LoadedRtorrent {
  rt: RtorrentInstance;
  set: LoadedSet;
  /** Generating the torrents (hashing their pieces), writing the session files, rtorrent reading them. */
  buildMs: number;
  writeMs: number;
  loadMs: number;
}

/**
 * Starts rtorrent already holding `count` of the generated torrents (labels and added-at stamps
 * included), the first `startedShare` of them started: the session directory is written before
 * it starts (test/helpers/rtorrent-session.ts) instead of loading each with load.raw, which is
 * quadratic in 0.9.8. Reading the session is quadratic too, with a smaller factor: 10 000 torrents
 * take about 20 s of rtorrent's CPU; 50 000 took over 14 minutes of it on a busy machine.
 * Resolves once view.size("", "main") is `count`; the caller stops `rt`.
 */
export async function startLoadedRtorrent(
  count: number,
  options: {
    startedShare?: number;
    scgi?: 'unix' | 'tcp';
    timeoutMs?: number;
    extraConfig?: string[];
    /** See startRtorrent's option of that name. */
    detachedIn?: string;
    /** false: resolves as soon as rtorrent runs, before it has read its session (loadMs 0). */
    awaitLoad?: boolean;
  } = {},
): Promise<LoadedRtorrent> {
  let set: LoadedSet | undefined;
  let buildMs = 0;
  let writeMs = 0;
  const rt = await startRtorrent({
    ...(options.detachedIn ? { detachedIn: options.detachedIn } : {}),
    scgi: options.scgi ?? 'unix',
    extraConfig: [...FAST_SESSION_LOAD, ...(options.extraConfig ?? [])],
    prepareSession(paths) {
      const built = performance.now();
      set = buildTorrents(count, paths.downloadDir);
      const started = Math.round(count * (options.startedShare ?? 0));
      const torrents = set.torrents.map((torrent, index) => (index < started ? { ...torrent, started: true } : torrent));
      const written = performance.now();
      buildMs = written - built;
      writeRtorrentSession(paths, torrents);
      writeMs = performance.now() - written;
    },
  });
  if (options.awaitLoad === false) return { rt, set: set!, buildMs, writeMs, loadMs: 0 };
  const loading = performance.now();
  try {
    // rtorrent accepts on its socket while it reads the session but answers only once it has read it all.
    const timeoutMs = options.timeoutMs ?? SESSION_LOAD_TIMEOUT_MS;
    const rpc = new RtorrentRpc(createRtorrentTransport({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs } }));
    await waitForMainView(rpc, count, timeoutMs);
  } catch (error) {
    await rt.stop();
    throw error;
  }
  return { rt, set: set!, buildMs, writeMs, loadMs: performance.now() - loading };
}

/** A loaded rtorrent for a bench: started for this run, or kept from an earlier one. */
export interface BenchRtorrent {
  pid: number;
  url: string;
  socketPath: string;
  buildMs: number;
  writeMs: number;
  /** From rtorrent's start to its answering with every torrent (for a kept one: when it first did). */
  loadMs: number;
  /** Started by an earlier run and still running. */
  kept: boolean;
  /** Stops an rtorrent started for this run; leaves a kept one running. */
  stop(): Promise<void>;
}

/** What SEEDBOX_BENCH_KEEP_RTORRENT/kept.json says of the rtorrent kept there. */
interface KeptState {
  count: number;
  startedShare: number;
  pid: number;
  url: string;
  socketPath: string;
  buildMs: number;
  writeMs: number;
  /** Epoch ms when it started reading its session. */
  startedAt: number;
  loadMs: number | null;
}

function isRtorrent(pid: number): boolean {
  try {
    // Its main thread names itself "rtorrent main".
    return readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('rtorrent');
  } catch {
    return false;
  }
}

/**
 * rtorrent 0.9.8 reads a 50 000-torrent session in quadratic time (over 14 minutes of its CPU),
 * so benches may keep one loaded between runs: with SEEDBOX_BENCH_KEEP_RTORRENT=DIR, the first
 * run starts it detached in DIR (see startRtorrent's detachedIn) and later runs with the same
 * count and started share use it while it lives (kill the pid in DIR/kept.json to end it).
 * Benches only read from it. Without the variable, each run starts and stops its own.
 */
export async function loadedRtorrentForBench(count: number, startedShare: number, log: (line: string) => void): Promise<BenchRtorrent> {
  const keepDir = process.env['SEEDBOX_BENCH_KEEP_RTORRENT'];
  if (!keepDir) {
    const loaded = await startLoadedRtorrent(count, { startedShare });
    const { rt } = loaded;
    return { pid: rt.daemon.child.pid!, url: rt.url, socketPath: rt.socketPath!, buildMs: loaded.buildMs, writeMs: loaded.writeMs, loadMs: loaded.loadMs, kept: false, stop: () => rt.stop() };
  }
  const statePath = join(keepDir, 'kept.json');
  const saved = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as KeptState) : undefined;
  let state: KeptState;
  if (saved && saved.count === count && saved.startedShare === startedShare && isRtorrent(saved.pid)) {
    log(`rtorrent: using the one kept in ${keepDir} (pid ${saved.pid})`);
    state = saved;
  } else {
    if (saved && isRtorrent(saved.pid)) {
      log(`rtorrent: ending the kept one (pid ${saved.pid}), made for ${saved.count} torrents`);
      process.kill(saved.pid, 'SIGKILL');
      while (isRtorrent(saved.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const dir = join(keepDir, 'rtorrent');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`rtorrent: starting one to keep in ${keepDir}`);
    const { rt, buildMs, writeMs } = await startLoadedRtorrent(count, { startedShare, detachedIn: dir, awaitLoad: false });
    // Written before the long wait below, so a run cut short leaves it usable to the next.
    const started: KeptState = { count, startedShare, pid: rt.daemon.child.pid!, url: rt.url, socketPath: rt.socketPath!, buildMs, writeMs, startedAt: Date.now(), loadMs: null };
    writeFileSync(statePath, JSON.stringify(started, null, 2));
    state = started;
  }
  if (state.loadMs === null) {
    const rpc = new RtorrentRpc(createRtorrentTransport({ kind: 'rtorrent', url: state.url, transport: { timeoutMs: SESSION_LOAD_TIMEOUT_MS } }));
    await waitForMainView(rpc, count, SESSION_LOAD_TIMEOUT_MS);
    state = { ...state, loadMs: Date.now() - state.startedAt };
    writeFileSync(statePath, JSON.stringify(state, null, 2));
  }
  return { pid: state.pid, url: state.url, socketPath: state.socketPath, buildMs: state.buildMs, writeMs: state.writeMs, loadMs: state.loadMs!, kept: true, stop: async () => undefined };
}

/** Waits until rtorrent's main view holds exactly `count` torrents (fails on more, or on none in time). */
async function waitForMainView(rpc: RtorrentRpc, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let size: number;
  for (;;) {
    size = Number(await rpc.call('view.size', ['', 'main']));
    if (size >= count) break;
    if (Date.now() > deadline) throw new Error(`Only ${size} of ${count} torrents appeared in rtorrent's main view.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (size !== count) throw new Error(`rtorrent's main view holds ${size} torrents, expected ${count}.`);
}

/** Splits calls into system.multicall batches whose request body stays under `limit` bytes. */
function batches(calls: RpcCall[], limit: number): RpcCall[][] {
  const out: RpcCall[][] = [];
  let current: RpcCall[] = [];
  let size = 512;
  for (const call of calls) {
    // The call's own encoding plus the struct/member wrapping system.multicall adds.
    const callSize = encodeMethodCall(call.method, call.params).length + 200;
    if (current.length > 0 && size + callSize > limit) {
      out.push(current);
      current = [];
      size = 512;
    }
    current.push(call);
    size += callSize;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function loadTorrents(rpc: RtorrentRpc, set: LoadedSet): Promise<{ loadMs: number; batchCount: number }> {
  const start = performance.now();
  const loads = batches(
    set.bytes.map((bytes) => ({ method: 'load.raw', params: ['', bytes] })),
    BATCH_BODY_BYTES,
  );
  for (const batch of loads) await rpc.multicallAll(batch);
  // load.raw is asynchronous: the torrents appear in the main view a little later.
  await waitForMainView(rpc, set.bytes.length, LOAD_TIMEOUT_MS);
  const loadMs = performance.now() - start;
  // Labels and added-at stamps, as ruTorrent leaves them (not part of the load time).
  const setups = batches(set.calls, BATCH_BODY_BYTES);
  for (const batch of setups) await rpc.multicallAll(batch);
  return { loadMs, batchCount: loads.length };
}

/** One request over a fresh Unix socket, timed from connect to the last byte of the answer. */
export function rawExchange(socketPath: string, frame: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const parser = new ScgiResponseParser('rtorrent');
    const socket = connect(socketPath);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      try {
        const response = parseScgiResponse(Buffer.concat(chunks), 'rtorrent');
        if (response.status !== 200) throw new Error(`rtorrent answered status ${response.status}`);
        resolve(response.body);
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (parser.push(chunk)) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}

function xmlrpcDecode(body: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodResponse(Readable.from([body]), (error, value) => (error ? reject(error as Error) : resolve(value)));
  });
}

function normalizeAll(rows: XmlRpcValue[][]): Torrent[] {
  return rows.map((row) => normalizeTorrentRow(row, LABEL_STYLE));
}

function expectRows(count: number): (rows: unknown) => void {
  return (rows) => {
    if (!Array.isArray(rows) || rows.length !== count) {
      throw new Error(`expected ${count} rows, got ${Array.isArray(rows) ? rows.length : typeof rows}`);
    }
  };
}

function figure(label: string, samples: Samples, bytes?: number, note?: string): Figure {
  return { label, samples, ...(bytes !== undefined ? { bytes } : {}), ...(note !== undefined ? { note } : {}) };
}

/**
 * rtorrent 0.9.8 (xmlrpc-c) answers every character outside the Basic Multilingual Plane
 * (4-byte UTF-8, e.g. emoji) as "????": that is what it sends, so that is what we must read.
 */
function asRtorrentAnswers(name: string): string {
  return name.replace(/[\u{10000}-\u{10FFFF}]/gu, '????');
}

/** Checks that what our client lists is what was loaded: same hashes, same names (entities and UTF-8 decoded). */
function checkTorrents(torrents: Torrent[], set: LoadedSet): void {
  const ids = new Set(torrents.map((torrent) => torrent.id));
  const names = new Set(torrents.map((torrent) => torrent.name));
  const missingId = [...set.hashes].find((hash) => !ids.has(hash));
  const missingName = [...set.names].find((name) => !names.has(asRtorrentAnswers(name)));
  if (missingId !== undefined || missingName !== undefined) {
    throw new Error(`The list does not match what was loaded (missing ${missingId ?? JSON.stringify(missingName)}).`);
  }
}

export async function benchRtorrent(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  let rt: RtorrentInstance | undefined;
  const stopOnSignal = (): void => {
    void rt?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    log('rtorrent: starting');
    rt = await startRtorrent({ scgi: 'unix' });
    const socketPath = rt.socketPath;
    if (!socketPath) throw new Error('startRtorrent gave no Unix socket');
    const rpc = new RtorrentRpc(createRtorrentTransport({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs: 120_000 } }));
    const methods = new Set(await rpc.detectDialect());
    const version = String(await rpc.call('system.client_version', []));
    const libVersion = String(await rpc.call('system.library_version', []));

    log(`rtorrent ${version}: building ${TORRENTS} torrents`);
    const start = performance.now();
    const set = buildTorrents(TORRENTS, rt.downloadDir);
    const buildMs = performance.now() - start;
    const torrentBytes = set.bytes.reduce((sum, bytes) => sum + bytes.length, 0);

    log(`rtorrent: loading ${TORRENTS} torrents (load.raw)`);
    const { loadMs, batchCount } = await loadTorrents(rpc, set);

    // Exactly the request RtorrentClient.list() sends.
    const fields = methods.has('d.is_meta') ? [...LIST_FIELDS] : LIST_FIELDS.map((field) => (field === 'd.is_meta=' ? 'cat=0' : field));
    const request = encodeMethodCall('d.multicall2', ['', 'main', ...fields]);
    const frame = encodeScgiRequest(request, { CONTENT_TYPE: 'text/xml' });

    log('raw: rtorrent answering d.multicall2');
    let body: Buffer = Buffer.alloc(0);
    const raw = await measure(() => rawExchange(socketPath, frame), {
      runs: RUNS,
      check: (answer) => {
        body = answer;
      },
    });
    const size = body.length;
    // For profiling the decoders offline: SEEDBOX_BENCH_SAVE_BODY=/tmp/list.xml npm run bench
    const savePath = process.env['SEEDBOX_BENCH_SAVE_BODY'];
    if (savePath) writeFileSync(savePath, body);

    const fastPath = decodeMulticallRows(body) !== null;
    const rows = decodeMulticallRowsOrGeneral(body);
    expectRows(TORRENTS)(rows);
    if (rows[0]?.length !== fields.length) throw new Error(`rows have ${rows[0]?.length} fields, expected ${fields.length}`);
    checkTorrents(normalizeAll(rows), set);

    log('decode: ours (fast path + normalize)');
    const ours = await measure(() => normalizeAll(decodeMulticallRowsOrGeneral(body)), { runs: RUNS, check: expectRows(TORRENTS) });
    log('decode: ours, decode only / normalize only');
    const decodeOnly = await measure(() => decodeMulticallRowsOrGeneral(body), { runs: RUNS, check: expectRows(TORRENTS) });
    const normalizeOnly = await measure(() => normalizeAll(rows), { runs: RUNS, check: expectRows(TORRENTS) });
    log('decode: ours, general decoder');
    const general = await measure(() => decodeMethodResponse(body), { runs: RUNS, check: expectRows(TORRENTS) });
    log('decode: xmlrpc package');
    const xmlrpc = await measure(() => xmlrpcDecode(body), { runs: RUNS, check: expectRows(TORRENTS) });
    log('decode: fast-xml-parser');
    const parser = new XMLParser();
    const fxp = await measure(() => parser.parse(body) as unknown, { runs: RUNS });

    log('list: RtorrentClient.list()');
    const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url, labelStyle: LABEL_STYLE, transport: { timeoutMs: 120_000 } });
    await client.connect();
    let listed: Torrent[] = [];
    const list = await measure(() => client.list(), {
      runs: RUNS,
      check: (torrents) => {
        listed = torrents;
      },
    });
    checkTorrents(listed, set);
    await client.close();

    const figures: Figure[] = [
      figure('rtorrent answer (raw socket read)', raw, size, 'connect → last byte'),
      figure('ours: decode + normalize', ours, size, fastPath ? 'fast path' : 'FAST PATH NOT TAKEN: general decoder'),
      figure('  ours: decode only', decodeOnly, size, 'decodeMulticallRows'),
      figure('  ours: normalize only', normalizeOnly, undefined, 'normalizeTorrentRow × rows'),
      figure('ours: general decoder (reference)', general, size, 'decodeMethodResponse'),
      figure('xmlrpc package: deserialize', xmlrpc, size, 'Deserializer.deserializeMethodResponse'),
      figure('fast-xml-parser: plain parse', fxp, size, 'new XMLParser().parse'),
      figure('ours: full list()', list, size, 'RtorrentClient.list(): round trip + decode + normalize'),
    ];
    const xmlrpcOverOurs = xmlrpc.median / ours.median;
    const oursOverRaw = ours.median / raw.median;
    const goals: Goal[] = [
      {
        label: `decode + normalize ≥ ${GOAL_FASTER_THAN_XMLRPC}× faster than xmlrpc's deserializer`,
        met: xmlrpcOverOurs >= GOAL_FASTER_THAN_XMLRPC,
        detail: `${xmlrpcOverOurs.toFixed(1)}× (${xmlrpc.median.toFixed(1)} ms / ${ours.median.toFixed(1)} ms)`,
      },
      {
        label: `decode + normalize ≤ ${GOAL_SHARE_OF_RTORRENT}× rtorrent's own answer time`,
        met: oursOverRaw <= GOAL_SHARE_OF_RTORRENT,
        detail: `${oursOverRaw.toFixed(2)}× (${ours.median.toFixed(1)} ms / ${raw.median.toFixed(1)} ms)`,
      },
    ];
    return {
      title: `rTorrent list, ${TORRENTS.toLocaleString('en-US')} torrents`,
      info: [
        ['rtorrent', `${version} (libtorrent ${libVersion}), Unix socket`],
        ['torrents', `${TORRENTS} (${(torrentBytes / 1e6).toFixed(1)} MB of .torrent, built in ${buildMs.toFixed(0)} ms)`],
        ['load', `${(loadMs / 1000).toFixed(2)} s (load.raw in ${batchCount} system.multicall batches ≤ ${BATCH_BODY_BYTES / 1024} KiB, until view.size = ${TORRENTS})`],
        ['request', `d.multicall2 "" main, ${fields.length} fields (LIST_FIELDS)`],
        ['answer body', `${(size / 1e6).toFixed(2)} MB (${size} bytes), ${rows.length} rows`],
        ['fast path', fastPath ? 'taken' : 'NOT taken (fell back to the general decoder)'],
        ['runs', `median of ${RUNS} after 1 warm-up, full GC before each run`],
      ],
      figures,
      ratios: [
        ['xmlrpc / ours (decode + normalize)', `${xmlrpcOverOurs.toFixed(1)}×`],
        ['fast-xml-parser / ours', `${(fxp.median / ours.median).toFixed(1)}×`],
        ['general decoder / ours', `${(general.median / ours.median).toFixed(1)}×`],
        ['ours / rtorrent raw', `${oursOverRaw.toFixed(2)}`],
        ['full list() / rtorrent raw', `${(list.median / raw.median).toFixed(2)}`],
      ],
      goals,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    if (rt) {
      log('rtorrent: stopping');
      await rt.stop();
    }
  }
}
