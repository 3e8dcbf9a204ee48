// Transmission list benchmark: up to 10 000 torrents in a real transmission-daemon 3.00, then
// the full list (torrent-get of every torrent, table format) and the incremental refresh
// (ids "recently-active") as TransmissionClient does them, transport and normalizing included.
import { TransmissionClient } from '../electron/core/clients/transmission/client';
import { LIST_FIELDS } from '../electron/core/clients/transmission/raw';
import { TransmissionRpc } from '../electron/core/clients/transmission/rpc';
import type { Generation } from '../test/helpers/generations';
import { startTransmission, type TransmissionInstance } from '../test/helpers/transmission';
import { makeTorrent, type MadeTorrent } from '../test/helpers/torrents';
import { measure, summarize } from './stats';
import type { BenchReport, Figure, Goal } from './report';

const WANTED = 10_000;
/** Adding stops here even if fewer than WANTED are in: the count reached is reported. */
const ADD_BUDGET_MS = 240_000;
/** Requests in flight while adding (one connection each). */
const ADD_CONCURRENCY = 8;
const RUNS = 7;
/** Transmission counts a torrent as recently active for 60 s after it was added. */
const QUIET_MS = 62_000;
/** Goal from the design: a refresh of a big box must stay well under the poll interval. */
const GOAL_INCREMENTAL_MS = 250;

const TITLES = ['Ubuntu 24.04 Desktop', 'Tears & Steel', 'Müller & Söhne <Director’s Cut>', '日本語のテキスト', 'Привет, мир', 'Rock \'n\' Roll "Live"'];
const LABELS = [[], ['Movies'], ['TV Shows', 'HD'], ['Linux ISOs'], ['日本']];

function build(count: number, dataParent: string): { made: MadeTorrent[]; labels: string[][] } {
  const made: MadeTorrent[] = [];
  const labels: string[][] = [];
  for (let index = 0; index < count; index++) {
    const multi = index % 5 === 0;
    made.push(
      makeTorrent({
        dataParent,
        name: `${TITLES[index % TITLES.length]} #${index.toString(36)}`,
        files: multi
          ? [{ path: 'a.bin', content: Buffer.alloc(2048, index & 0xff) }, { path: 'sub/b.bin', content: Buffer.alloc(1024, 1) }]
          : [{ path: '', content: Buffer.alloc(1024 + (index % 7) * 512, index & 0xff) }],
        trackers: index % 2 === 0 ? ['http://127.0.0.1:9/announce'] : ['http://127.0.0.1:9/announce?passkey=abc', 'http://localhost:9/backup'],
        writeData: false,
      }),
    );
    labels.push(LABELS[index % LABELS.length]!);
  }
  return { made, labels };
}

/** A transmission-daemon 3.00 holding up to `wanted` stopped, labelled torrents (adding stops at ADD_BUDGET_MS). */
export async function startLoadedTransmission(
  wanted: number,
  log: (line: string) => void,
  options: { generation?: Generation } = {},
): Promise<{ tr: TransmissionInstance; made: MadeTorrent[]; count: number; buildMs: number; addMs: number }> {
  // Added torrents stay stopped: the benches measure listing, not a swarm.
  const tr = await startTransmission({ settings: { 'start-added-torrents': false }, ...options });
  try {
    const buildStart = performance.now();
    const { made, labels } = build(wanted, tr.downloadDir);
    const buildMs = performance.now() - buildStart;
    log(`adding up to ${wanted} torrents (budget ${ADD_BUDGET_MS / 1000} s)`);
    const rpc = new TransmissionRpc({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password, transport: { timeoutMs: 120_000 } });
    const addStart = performance.now();
    let next = 0;
    let added = 0;
    const worker = async (): Promise<void> => {
      while (next < made.length && performance.now() - addStart < ADD_BUDGET_MS) {
        const index = next++;
        await rpc.call('torrent-add', { metainfo: Buffer.from(made[index]!.bytes).toString('base64'), paused: true });
        if (labels[index]!.length > 0) await rpc.call('torrent-set', { ids: [made[index]!.infoHash], labels: labels[index] });
        if (++added % 1000 === 0) log(`  ${added} added (${((performance.now() - addStart) / 1000).toFixed(1)} s)`);
      }
    };
    await Promise.all(Array.from({ length: ADD_CONCURRENCY }, worker));
    return { tr, made, count: added, buildMs, addMs: performance.now() - addStart };
  } catch (error) {
    await tr.stop();
    throw error;
  }
}

/**
 * The daemon's own answer to the list call (torrent-get of every torrent, LIST_FIELDS, table
 * format): the body's bytes, nothing parsed. The session id is fetched once, beforehand.
 */
export async function rawTorrentGet(tr: TransmissionInstance): Promise<() => Promise<Buffer>> {
  const authorization = `Basic ${Buffer.from(`${tr.username}:${tr.password}`).toString('base64')}`;
  const body = JSON.stringify({ method: 'torrent-get', arguments: { fields: [...LIST_FIELDS], format: 'table' } });
  const post = (sessionId: string): Promise<Response> =>
    fetch(tr.url, { method: 'POST', headers: { Authorization: authorization, 'X-Transmission-Session-Id': sessionId, 'Content-Type': 'application/json' }, body });
  const first = await post('');
  await first.arrayBuffer();
  const sessionId = first.headers.get('x-transmission-session-id');
  if (!sessionId) throw new Error(`Transmission answered ${first.status} without a session id.`);
  return async () => {
    const answer = await post(sessionId);
    const bytes = Buffer.from(await answer.arrayBuffer());
    if (answer.status !== 200) throw new Error(`torrent-get answered ${answer.status}.`);
    return bytes;
  };
}

export async function benchTransmission(log: (line: string) => void = console.error): Promise<BenchReport> {
  log('transmission: starting');
  const { tr, made, count, buildMs, addMs } = await startLoadedTransmission(WANTED, log);
  const stopOnSignal = (): void => void tr.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const settings = { kind: 'transmission' as const, url: tr.url, username: tr.username, password: tr.password, transport: { timeoutMs: 120_000 } };
    const rpc = new TransmissionRpc(settings);
    const client = new TransmissionClient(settings);
    const info = await client.connect();
    const listed = await client.list();
    if (listed.length !== count) throw new Error(`The client lists ${listed.length} torrents, ${count} were added.`);
    const names = new Set(made.slice(0, count).map((torrent) => torrent.name));
    if (!listed.every((torrent) => names.has(torrent.name))) throw new Error('A listed name differs from the added ones.');

    log(`waiting ${QUIET_MS / 1000} s until no torrent counts as recently active`);
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));

    log('full list: a fresh client each run (its connect not timed)');
    const fullRuns: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const fresh = new TransmissionClient(settings);
      await fresh.connect();
      const start = performance.now();
      expectCount((await fresh.list()).length, count);
      if (run > 0) fullRuns.push(performance.now() - start); // run 0 warms up
    }
    const full = summarize(fullRuns);

    log('raw torrent-get of every torrent (transport + JSON.parse, no normalizing)');
    const raw = await measure(() => rpc.call('torrent-get', { fields: [...LIST_FIELDS], format: 'table' }), {
      runs: RUNS,
      check: (answer) => expectCount((answer['torrents'] as unknown[]).length - 1, count),
    });

    log('incremental: listChanges() with ids "recently-active" on a warm client');
    await client.list();
    let lastChanges = 0;
    const incremental = await measure(
      async () => {
        const changes = await client.listChanges();
        lastChanges = changes.changed.length;
        return changes;
      },
      { runs: RUNS },
    );

    const figures: Figure[] = [
      { label: 'full list() (fresh client)', samples: full, note: `${count} torrents` },
      { label: 'torrent-get all, raw (no normalize)', samples: raw },
      { label: 'listChanges(), recently-active', samples: incremental, note: `${lastChanges} changed` },
    ];
    const goals: Goal[] = [
      {
        label: `incremental refresh < ${GOAL_INCREMENTAL_MS} ms`,
        met: incremental.median < GOAL_INCREMENTAL_MS,
        detail: `${incremental.median.toFixed(1)} ms median`,
      },
    ];
    return {
      title: `Transmission list, ${count.toLocaleString('en-US')} torrents`,
      info: [
        ['transmission', `${info.version} (${info.protocol}), HTTP on 127.0.0.1, basic auth`],
        ['torrents', `${count} of ${WANTED} wanted (built in ${buildMs.toFixed(0)} ms)`],
        ['add', `${(addMs / 1000).toFixed(1)} s (torrent-add + torrent-set labels, ${ADD_CONCURRENCY} in flight)`],
        ['request', `torrent-get, ${LIST_FIELDS.length} fields (LIST_FIELDS), format "table"`],
        ['runs', `median of ${RUNS} after 1 warm-up, full GC before each run`],
      ],
      figures,
      ratios: [
        ['full list() / raw torrent-get', `${(full.median / raw.median).toFixed(2)}`],
        ['full / incremental', `${(full.median / incremental.median).toFixed(1)}×`],
      ],
      goals,
    };
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    log('transmission: stopping');
    await tr.stop();
  }
}

function expectCount(actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`Expected ${expected} torrents, got ${actual}.`);
}
