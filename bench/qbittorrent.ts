// qBittorrent list benchmark: many torrents in a real qbittorrent-nox, then the list through
// sync/maindata as the daemon answers it (plain node:http), as our client reads it in full
// (rid 0: round trip + JSON + normalize), and incrementally (rid N) with nothing or 1 % changed.
import { request } from 'node:http';
import { QbittorrentClient } from '../electron/core/clients/qbittorrent/client';
import { SyncState } from '../electron/core/clients/qbittorrent/maindata';
import type { RawMainData } from '../electron/core/clients/qbittorrent/raw';
import { MainDataAnswer } from '../electron/core/clients/qbittorrent/schemas';
import { parseAnswer } from '../electron/core/clients/answers';
import type { Torrent } from '../electron/shared/model';
import type { Generation } from '../test/helpers/generations';
import { startQbittorrent, type QbittorrentInstance } from '../test/helpers/qbittorrent';
import { QbittorrentApi } from '../test/live/qbittorrent/support';
import { makeTorrent } from './helpers';
import type { BenchReport, Figure, Goal } from './report';
import { measure, summarize, type Samples } from './stats';

/** SEEDBOX_BENCH_QB_TORRENTS overrides it (a smaller set for a quick look). */
const TORRENTS = Number(process.env['SEEDBOX_BENCH_QB_TORRENTS'] ?? 10_000);
const RUNS = 7;
/** .torrent files per torrents/add request. */
const ADD_BATCH = 250;
const LOAD_TIMEOUT_MS = 600_000;
/** Torrents whose tags change between two incremental refreshes (1 %). */
const CHANGED_PER_RUN = Math.max(1, Math.round(TORRENTS / 100));

/**
 * Our side of an incremental refresh (JSON + merge + re-normalizing what changed) should cost
 * a small part of a full one. The daemon's side is not ours to win: qBittorrent 4.x builds the
 * whole list for every sync/maindata and diffs it against the last one itself.
 */
const GOAL_INCREMENTAL_SHARE = 0.1;
const CHECKED = { source: 'the bench', call: 'sync/maindata' };

const TITLES = ['Ubuntu 24.04 Desktop', 'Tears & Steel', 'Müller & Söhne <Director’s Cut>', '日本語のテキスト', 'Привет, мир', 'Cosmos Laundromat 🎬'];
const TRACKERS = [['http://127.0.0.1:9/announce'], ['http://127.0.0.1:9/announce?passkey=abc', 'http://localhost:9/backup']];

function buildTorrents(count: number, dataDir: string): { bytes: Uint8Array[]; hashes: string[] } {
  const bytes: Uint8Array[] = [];
  const hashes: string[] = [];
  for (let index = 0; index < count; index++) {
    const multi = index % 5 === 0;
    const files = multi
      ? [1, 2, 3].map((part) => ({ path: `part ${part}.bin`, content: Buffer.alloc(1024 + (index % 977), index & 0xff) }))
      : [{ path: '', content: Buffer.alloc(2048 + (index % 4093), index & 0xff) }];
    const made = makeTorrent({ dataParent: dataDir, name: `${TITLES[index % TITLES.length]} #${index.toString(36)}`, files, trackers: TRACKERS[index % 2]!, writeData: false });
    bytes.push(made.bytes);
    hashes.push(made.infoHash);
  }
  return { bytes, hashes };
}

/** GET sync/maindata with a session of its own, timed from connect to the last byte. */
export function rawMaindata(port: number, cookie: string, rid: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/api/v2/sync/maindata?rid=${rid}`, headers: { Cookie: cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`maindata answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function sessionCookie(qb: QbittorrentInstance): Promise<string> {
  const api = new QbittorrentApi(qb);
  const login = await api.raw('auth/login', { username: qb.username, password: qb.password }, '');
  return login.setCookies[0]!.split(';')[0]!;
}

function expectCount(count: number): (torrents: Torrent[]) => void {
  return (torrents) => {
    if (torrents.length !== count) throw new Error(`expected ${count} torrents, got ${torrents.length}`);
  };
}

/** For runs that time only part of what they do: one warm-up, then RUNS timed parts. */
async function timedRuns(run: () => Promise<number>): Promise<Samples> {
  await run();
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) times.push(await run());
  return summarize(times);
}

function figure(label: string, samples: Samples, bytes?: number, note?: string): Figure {
  return { label, samples, ...(bytes !== undefined ? { bytes } : {}), ...(note !== undefined ? { note } : {}) };
}

/** A qbittorrent-nox holding `count` paused torrents, settled (no refresh carries a change). */
export async function startLoadedQbittorrent(
  count: number,
  log: (line: string) => void,
  options: { generation?: Generation } = {},
): Promise<{ qb: QbittorrentInstance; set: { bytes: Uint8Array[]; hashes: string[] }; version: string; protocol: string; loadMs: number }> {
  const qb = await startQbittorrent(options);
  try {
    const api = new QbittorrentApi(qb);
    const client = new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password, transport: { timeoutMs: 120_000 } });
    const info = await client.connect();

    log(`qbittorrent ${info.version}: building ${count} torrents`);
    const set = buildTorrents(count, qb.downloadDir);

    log(`qbittorrent: adding ${count} torrents, ${ADD_BATCH} per torrents/add`);
    const loadStart = performance.now();
    for (let offset = 0; offset < set.bytes.length; offset += ADD_BATCH) {
      const form = new FormData();
      set.bytes.slice(offset, offset + ADD_BATCH).forEach((bytes, index) => form.append('torrents', new Blob([bytes]), `${offset + index}.torrent`));
      // 4.x says "paused", 5.x "stopped": both are sent, each ignores the other's.
      form.append('paused', 'true');
      form.append('stopped', 'true');
      await api.multipart('torrents/add', form);
    }
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    let listed = 0;
    while ((listed = (await client.list()).length) < count) {
      if (Date.now() > deadline) throw new Error(`Only ${listed} of ${count} torrents appeared in qBittorrent.`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const loadMs = performance.now() - loadStart;
    log(`qbittorrent: ${count} torrents in ${(loadMs / 1000).toFixed(1)} s; letting it settle`);
    // checkingResumeData → pausedDL for every torrent: wait until a refresh carries nothing.
    for (let quiet = 0, tries = 0; quiet < 2 && tries < 120; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await client.list();
      quiet = (await client.listChanges()).changed.length === 0 ? quiet + 1 : 0;
    }
    await client.close();
    return { qb, set, version: info.version, protocol: info.protocol, loadMs };
  } catch (error) {
    await qb.stop();
    throw error;
  }
}

export async function benchQbittorrent(log: (line: string) => void = () => undefined): Promise<BenchReport> {
  let qb: QbittorrentInstance | undefined;
  const stopOnSignal = (): void => {
    void qb?.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    log('qbittorrent: starting');
    const loaded = await startLoadedQbittorrent(TORRENTS, log);
    qb = loaded.qb;
    const { set, loadMs } = loaded;
    const info = { version: loaded.version, protocol: loaded.protocol };
    const api = new QbittorrentApi(qb);
    const settings = { kind: 'qbittorrent' as const, url: qb.url, username: qb.username, password: qb.password, transport: { timeoutMs: 120_000 } };
    const client = new QbittorrentClient(settings);
    await client.connect();

    const cookie = await sessionCookie(qb);
    log('raw: qBittorrent answering sync/maindata?rid=0');
    let body: Buffer = Buffer.alloc(0);
    const raw = await measure(() => rawMaindata(qb!.port, cookie, 0), { runs: RUNS, check: (answer) => void (body = answer) });
    log('raw: qBittorrent answering sync/maindata?rid=N with nothing changed');
    let rid = (JSON.parse((await rawMaindata(qb.port, cookie, 0)).toString('utf8')) as RawMainData).rid;
    let quietBody: Buffer = Buffer.alloc(0);
    const rawQuiet = await measure(
      async () => {
        quietBody = await rawMaindata(qb!.port, cookie, rid);
        rid = (JSON.parse(quietBody.toString('utf8')) as RawMainData).rid;
      },
      { runs: RUNS },
    );

    log('ours: JSON.parse + check + merge + normalize of the full answer');
    const parseNormalize = await measure(
      () => {
        const state = new SyncState();
        // As the client reads it: checked against its schema first.
        state.apply(parseAnswer(MainDataAnswer, JSON.parse(body.toString('utf8')), CHECKED));
        return state.list();
      },
      { runs: RUNS, check: expectCount(TORRENTS) },
    );

    log(`ours: JSON.parse + merge of an incremental answer with ${CHANGED_PER_RUN} torrents retagged`);
    await api.post('torrents/addTags', { hashes: set.hashes.slice(0, CHANGED_PER_RUN).join('|'), tags: 'delta' });
    const deltaBody = await rawMaindata(qb.port, cookie, rid);
    const delta = JSON.parse(deltaBody.toString('utf8')) as RawMainData;
    if (Object.keys(delta.torrents ?? {}).length !== CHANGED_PER_RUN || delta.full_update) throw new Error('the delta is not the retagged torrents alone');
    const merged = new SyncState();
    merged.apply(JSON.parse(body.toString('utf8')) as RawMainData);
    merged.takeChanges();
    const parseMerge = await measure(
      () => {
        merged.apply(parseAnswer(MainDataAnswer, JSON.parse(deltaBody.toString('utf8')), CHECKED));
        return merged.takeChanges().changed;
      },
      {
        runs: RUNS,
        check: (changed) => {
          if (changed.length !== CHANGED_PER_RUN) throw new Error(`expected ${CHANGED_PER_RUN} changed ids, got ${changed.length}`);
        },
      },
    );

    log('ours: full list() (rid 0, a new client each run, logged in beforehand)');
    const full = await timedRuns(async () => {
      const fresh = new QbittorrentClient(settings);
      await fresh.connect();
      const start = performance.now();
      expectCount(TORRENTS)(await fresh.list());
      const elapsed = performance.now() - start;
      await fresh.close();
      return elapsed;
    });

    log('ours: incremental list(), nothing changed');
    await client.listChanges();
    const incrementalQuiet = await measure(() => client.list(), { runs: RUNS, check: expectCount(TORRENTS) });

    log(`ours: incremental listChanges(), ${CHANGED_PER_RUN} torrents retagged before each run`);
    let round = 0;
    const retag = async (): Promise<void> => {
      const hashes = set.hashes.slice((round * CHANGED_PER_RUN) % TORRENTS, ((round * CHANGED_PER_RUN) % TORRENTS) + CHANGED_PER_RUN);
      round++;
      await api.post('torrents/addTags', { hashes: hashes.join('|'), tags: `round-${round}` });
    };
    let lastChanged = 0;
    const incrementalChanged = await timedRuns(async () => {
      // One refresh consumes anything else pending; the timed one carries the retagging.
      await client.listChanges();
      await retag();
      const start = performance.now();
      const changes = await client.listChanges();
      const elapsed = performance.now() - start;
      lastChanged = changes.changed.length;
      expectCount(TORRENTS)(changes.torrents);
      return elapsed;
    });
    await client.close();
    const figures: Figure[] = [
      figure('qBittorrent answer (raw, rid 0)', raw, body.length, 'connect → last byte, node:http'),
      figure('qBittorrent answer (raw, rid N, no change)', rawQuiet, quietBody.length, 'the daemon still builds the whole list'),
      figure('ours: JSON.parse + check + merge + normalize', parseNormalize, body.length, 'schema, SyncState.apply + list(), full answer'),
      figure(`ours: JSON.parse + merge, ${CHANGED_PER_RUN} changed`, parseMerge, deltaBody.length, 'SyncState.apply, incremental answer'),
      figure('ours: full list() (rid 0)', full, body.length, 'list() alone, on a fresh logged-in client'),
      figure('ours: incremental list(), no change', incrementalQuiet, undefined, 'rid N, empty delta'),
      figure(`ours: incremental listChanges(), ${CHANGED_PER_RUN} changed`, incrementalChanged, undefined, `rid N; last delta reported ${lastChanged} ids`),
    ];
    const share = parseMerge.median / parseNormalize.median;
    const goals: Goal[] = [
      {
        label: `our side of a 1 % incremental refresh ≤ ${GOAL_INCREMENTAL_SHARE}× a full one`,
        met: share <= GOAL_INCREMENTAL_SHARE,
        detail: `${share.toFixed(3)}× (${parseMerge.median.toFixed(2)} ms / ${parseNormalize.median.toFixed(1)} ms)`,
      },
    ];
    return {
      title: `qBittorrent list, ${TORRENTS.toLocaleString('en-US')} torrents`,
      info: [
        ['qbittorrent', `${info.version} (${info.protocol}), WebUI over loopback HTTP`],
        ['torrents', `${TORRENTS} paused, no data; 20 % multi-file; 2 tracker sets`],
        ['load', `${(loadMs / 1000).toFixed(1)} s (torrents/add, ${ADD_BATCH} files per request, until all are listed)`],
        ['answer body', `${(body.length / 1e6).toFixed(2)} MB for rid 0`],
        ['runs', `median of ${RUNS} after 1 warm-up (full GC before each run where measure() times the whole run)`],
      ],
      figures,
      ratios: [
        ['ours (parse + normalize) / qBittorrent raw', (parseNormalize.median / raw.median).toFixed(2)],
        ['full list() / qBittorrent raw', (full.median / raw.median).toFixed(2)],
        ['ours: incremental (1 %) / full parse + normalize', share.toFixed(3)],
        ['qBittorrent raw: rid N / rid 0', (rawQuiet.median / raw.median).toFixed(2)],
        ['incremental list() (no change) / full list()', (incrementalQuiet.median / full.median).toFixed(3)],
        ['incremental (1 % changed) / full list()', (incrementalChanged.median / full.median).toFixed(3)],
      ],
      goals,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    if (qb) {
      log('qbittorrent: stopping');
      await qb.stop();
    }
  }
}
