// Deluge list benchmark: 10 000 torrents in a real deluged 2.0.3, then the torrent list as the
// daemon answers it (raw TLS socket, bytes only), as our client reads it (inflate, rencode
// decode, normalize), and Debian's C rencode (python3-rencode) decoding the very same bytes.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { DelugeClient } from '../electron/core/clients/deluge/client';
import { DelugeConnection, type DelugeCall } from '../electron/core/clients/deluge/connection';
import { normalizeTorrents } from '../electron/core/clients/deluge/normalize';
import { LABEL_KEY, LIST_KEYS } from '../electron/core/clients/deluge/raw';
import { TorrentsAnswer } from '../electron/core/clients/deluge/schemas';
import { parseAnswer } from '../electron/core/clients/answers';
import { decodeRencode, encodeRencode } from '../electron/core/codecs/rencode';
import { startDeluged, type DelugeInstance } from '../test/helpers/deluge';
import type { Generation } from '../test/helpers/generations';
import { makeTorrent } from './helpers';
import type { BenchReport, Figure, Goal } from './report';
import { measure } from './stats';

/** SEEDBOX_BENCH_DELUGE_TORRENTS overrides it (a smaller set for a quick look). */
const TORRENTS = Number(process.env['SEEDBOX_BENCH_DELUGE_TORRENTS'] ?? 10_000);
const RUNS = 7;
/** The client reads a torrent's hosts once and keeps them; the normalizer only looks them up. */
const HOSTS = ['127.0.0.1'];
/** add_torrent_file calls per frame. */
const BATCH = 250;
const LOAD_BUDGET_MS = 300_000;
const LABELS = ['', 'movies', 'tv-shows', 'linux-isos', 'music_flac', 'books.audio'];
const TITLES = ['Ubuntu 24.04 Desktop', 'Élan vital', 'Müller & Söhne', '日本語のテキスト', 'Привет, мир', 'Cosmos Laundromat 🎬', 'Big Buck Bunny'];

/** A deluged with the Label plugin holding up to `wanted` paused, labelled torrents (loading stops at LOAD_BUDGET_MS). */
export async function startLoadedDeluge(
  wanted: number,
  log: (line: string) => void,
  options: { generation?: Generation } = {},
): Promise<{ deluge: DelugeInstance; version: string; loaded: number; loadMs: number }> {
  const deluge = await startDeluged({ plugins: ['Label'], ...options });
  try {
    const connection = await DelugeConnection.open(delugeConnectionSettings(deluge));
    await connection.login(deluge.username, deluge.password);
    const version = await connection.info();
    for (const label of LABELS.filter(Boolean)) await connection.call('label.add', [label]);

    log(`loading up to ${wanted} torrents with core.add_torrent_file, ${BATCH} per frame (budget ${LOAD_BUDGET_MS / 1000} s)`);
    const loadStart = performance.now();
    let loaded = 0;
    for (let first = 0; first < wanted && performance.now() - loadStart < LOAD_BUDGET_MS; first += BATCH) {
      const made = Array.from({ length: Math.min(BATCH, wanted - first) }, (_, offset) => {
        const index = first + offset;
        return makeTorrent({
          dataParent: deluge.downloadDir,
          name: `${TITLES[index % TITLES.length]} ${index}`,
          files: [{ path: '', content: `torrent ${index}` }],
          writeData: false,
        });
      });
      const calls: DelugeCall[] = made.map((torrent, offset) => ({
        method: 'core.add_torrent_file',
        args: [`${first + offset}.torrent`, Buffer.from(torrent.bytes).toString('base64'), { add_paused: true }],
      }));
      const results = await connection.callBatch(calls);
      const failed = results.find((result) => !result.ok);
      if (failed && !failed.ok) throw failed.error;
      const labelled = made.flatMap((torrent, offset) => {
        const label = LABELS[(first + offset) % LABELS.length]!;
        return label ? [{ method: 'label.set_torrent', args: [torrent.infoHash, label] }] : [];
      });
      await connection.callBatch(labelled);
      loaded += made.length;
      if (loaded % 2000 === 0) log(`${loaded} loaded after ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
    }
    const loadMs = performance.now() - loadStart;
    log(`${loaded} torrents loaded in ${(loadMs / 1000).toFixed(1)} s`);
    connection.close();
    return { deluge, version, loaded, loadMs };
  } catch (error) {
    await deluge.stop();
    throw error;
  }
}

function delugeConnectionSettings(deluge: DelugeInstance): Parameters<typeof DelugeConnection.open>[0] {
  return { host: '127.0.0.1', port: deluge.port, tls: { pinnedSha256: deluge.certificateSha256 }, timeoutMs: 120_000 };
}

export async function benchDeluge(log: (line: string) => void): Promise<BenchReport> {
  const { deluge, version, loaded, loadMs } = await startLoadedDeluge(TORRENTS, log);
  try {
    const settings = delugeConnectionSettings(deluge);
    const keys = [...LIST_KEYS, LABEL_KEY];
    // The daemon alone: one frame out, the whole answer frame in, nothing decoded.
    const raw = await RawDeluge.open(deluge.port, deluge.username, deluge.password);
    let compressed: Buffer = Buffer.alloc(0);
    const daemon = await measure(
      async () => {
        compressed = await raw.request('core.get_torrents_status', [{}, keys]);
        return compressed;
      },
      { runs: RUNS },
    );
    raw.close();
    const inflated = zlib.inflateSync(compressed);

    const inflate = await measure(() => zlib.inflateSync(compressed), { runs: RUNS });
    const decode = await measure(() => decodeRencode(inflated), { runs: RUNS, check: (message) => expectCount(((message as unknown[])[2] as object) ?? {}, loaded) });
    const message = decodeRencode(inflated) as unknown[];
    // As the client reads it: the answer checked against its schema, then normalized.
    const checkAnswer = () => parseAnswer(TorrentsAnswer, message[2], { source: 'the bench', call: 'core.get_torrents_status' });
    const check = await measure(checkAnswer, { runs: RUNS, check: (table) => expectCount(table, loaded) });
    const checked = checkAnswer();
    const normalize = await measure(() => normalizeTorrents(checked, () => HOSTS), { runs: RUNS, check: (torrents) => expectCount(torrents, loaded) });
    const client = new DelugeClient({ kind: 'deluge', url: `deluge://127.0.0.1:${deluge.port}`, username: deluge.username, password: deluge.password, transport: { tls: settings.tls, timeoutMs: 120_000 } });
    await client.connect();
    const full = await measure(() => client.list(), { runs: RUNS, check: (torrents) => expectCount(torrents, loaded) });
    await client.close();

    const file = join(deluge.dir, 'list.rencode');
    writeFileSync(file, inflated);
    const python = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PYTHON_DECODE, file, String(RUNS)], { encoding: 'utf8' })) as { runs: number[]; count: number };
    rmSync(file);
    if (python.count !== loaded) throw new Error(`python decoded ${python.count} torrents, expected ${loaded}`);
    const pythonSamples = { runs: python.runs, median: median(python.runs), min: Math.min(...python.runs), max: Math.max(...python.runs) };

    const figures: Figure[] = [
      { label: 'deluged answers get_torrents_status (raw frame)', samples: daemon, bytes: compressed.length },
      { label: 'our inflate (zlib)', samples: inflate, bytes: compressed.length },
      { label: 'our rencode decode', samples: decode, bytes: inflated.length },
      { label: 'python3-rencode 1.0.6 (C) rencode.loads', samples: pythonSamples, bytes: inflated.length, note: 'decode_utf8=True, as Deluge' },
      { label: 'our answer check (schema)', samples: check },
      { label: 'our normalize', samples: normalize },
      { label: 'DelugeClient.list() end to end', samples: full },
    ];
    const ours = inflate.median + decode.median + check.median + normalize.median;
    const goals: Goal[] = [
      { label: 'decode + check + normalize under the daemon’s own time', met: ours < daemon.median, detail: `${ours.toFixed(1)} ms vs ${daemon.median.toFixed(1)} ms` },
    ];
    return {
      title: `Deluge list, ${loaded.toLocaleString('en-US')} torrents`,
      info: [
        ['deluged', `${version}, TLS on 127.0.0.1, Label plugin on`],
        ['torrents', `${loaded} of ${TORRENTS} wanted`],
        ['load', `${(loadMs / 1000).toFixed(1)} s (core.add_torrent_file, ${BATCH} per frame, paused, plus label.set_torrent)`],
        ['request', `core.get_torrents_status({}, ${keys.length} keys)`],
        ['answer', `${(compressed.length / 1e6).toFixed(2)} MB compressed, ${(inflated.length / 1e6).toFixed(2)} MB rencode`],
        ['runs', `median of ${RUNS} after 1 warm-up, full GC before each run`],
      ],
      figures,
      ratios: [
        ['our decode / python C decode', `${(decode.median / pythonSamples.median).toFixed(2)}`],
        ['inflate + decode + check + normalize / daemon', `${(ours / daemon.median).toFixed(2)}`],
      ],
      goals,
    };
  } finally {
    await deluge.stop();
  }
}

function expectCount(value: object, expected: number): void {
  const count = Array.isArray(value) ? value.length : Object.keys(value).length;
  if (count !== expected) throw new Error(`Expected ${expected} torrents, got ${count}.`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Times rencode.loads on the file's bytes; prints {"runs": [ms...], "count": N}. */
const PYTHON_DECODE = String.raw`
import gc, json, sys, time
import rencode
data = open(sys.argv[1], 'rb').read()
runs = []
message = rencode.loads(data, decode_utf8=True)
for _ in range(int(sys.argv[2])):
    gc.collect()
    start = time.perf_counter()
    message = rencode.loads(data, decode_utf8=True)
    runs.append((time.perf_counter() - start) * 1000)
print(json.dumps({'runs': runs, 'count': len(message[2])}))
`;

/** A bare protocol client for timing the daemon: frames in and out, nothing decoded. */
export class RawDeluge {
  private nextId = 1;
  private constructor(private readonly socket: TLSSocket) {}

  static async open(port: number, user: string, password: string): Promise<RawDeluge> {
    // Bench only, on loopback: the certificate is the one startDeluged just made.
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const tls = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(tls));
      tls.once('error', reject);
    });
    const raw = new RawDeluge(socket);
    await raw.request('daemon.login', [user, password], { client_version: 'bench' });
    return raw;
  }

  request(method: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<Buffer> {
    const body = zlib.deflateSync(encodeRencode([[this.nextId++, method, args as never, kwargs as never]]));
    const header = Buffer.alloc(5);
    header[0] = 1;
    header.writeUInt32BE(body.length, 1);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let received = 0;
      let length = -1;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        received += chunk.length;
        if (length < 0 && received >= 5) length = Buffer.concat(chunks).readUInt32BE(1);
        if (length >= 0 && received >= length + 5) {
          this.socket.off('data', onData);
          this.socket.off('error', reject);
          resolve(Buffer.concat(chunks).subarray(5, 5 + length));
        }
      };
      this.socket.on('data', onData);
      this.socket.once('error', reject);
      this.socket.write(Buffer.concat([header, body]));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
