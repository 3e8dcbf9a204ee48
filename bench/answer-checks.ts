// What checking daemon answers at the boundary costs on the hot paths: rTorrent's list of
// 50 000 torrents (fast XML decoder, then checkRows, then the normalizer) and Transmission's
// torrent-get of 10 000 torrents in the table format. The answers are built here in the exact
// shapes the daemons write (rtorrent 0.9.8: <i8> and <string> cells; Transmission 3.00:
// table rows), so no daemon is needed: `npx tsx bench/answer-checks.ts`.
// "before" is what the clients did before the checks; "after" is what they do now. Figures are
// this process's CPU time (process.cpuUsage), not wall time: on a machine shared with other
// work, wall time mostly measures the wait for a core.
import { cpus, loadavg } from 'node:os';
import { LIST_FIELDS, normalizeTorrentRow } from '../electron/core/clients/rtorrent/normalize';
import { checkRows } from '../electron/core/clients/rtorrent/raw';
import { normalizeTorrent, tableToRawTorrents } from '../electron/core/clients/transmission/normalize';
import { LIST_FIELDS as TR_LIST_FIELDS } from '../electron/core/clients/transmission/raw';
import { checkTorrentTable } from '../electron/core/clients/transmission/schemas';
import { decodeMulticallRowsOrGeneral } from '../electron/core/codecs/xmlrpc-fast';
import { z } from 'zod';
import { measure, summarize, type Samples } from './stats';

const RT_ROWS = Number(process.env['BENCH_ROWS'] ?? 50_000);
const TR_ROWS = Number(process.env['BENCH_TR_ROWS'] ?? 10_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);

function hex(index: number): string {
  return index.toString(16).toUpperCase().padStart(40, '0');
}

function rtorrentAnswer(rows: number): Buffer {
  const cell = (value: string | number): string =>
    typeof value === 'number' ? `<value><i8>${value}</i8></value>` : `<value><string>${value}</string></value>`;
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?><methodResponse><params><param><value><array><data>'];
  for (let index = 0; index < rows; index++) {
    const values: Array<string | number> = LIST_FIELDS.map((field) => {
      switch (field) {
        case 'd.hash=':
          return hex(index);
        case 'd.custom1=':
          return index % 3 === 0 ? 'tv' : '';
        case 'd.directory=':
          return `/data/torrents/Some &amp; name ${index}`;
        case 'd.custom=addtime':
          return String(1_700_000_000 + index);
        case 'd.message=':
          return '';
        default:
          if (field.startsWith('cat=')) return `http://tracker${index % 3}.example/announce|12|3|1|0|1|||`;
          if (field.startsWith('branch=')) return `Some name ${index} ünï`;
          return field === 'd.size_bytes=' ? 1_000_000 + index : index % 7;
      }
    });
    parts.push(`<value><array><data>${values.map(cell).join('')}</data></array></value>`);
  }
  parts.push('</data></array></value></param></params></methodResponse>');
  return Buffer.from(parts.join(''), 'utf8');
}

function transmissionAnswer(rows: number): string {
  const tracker = {
    announce: 'http://tracker.example/announce',
    tier: 0,
    announceState: 1,
    hasAnnounced: true,
    lastAnnounceSucceeded: true,
    lastAnnounceTimedOut: false,
    lastAnnounceResult: 'Success',
    seederCount: 12,
    leecherCount: 3,
    isBackup: false,
  };
  const table: unknown[][] = [[...TR_LIST_FIELDS]];
  for (let index = 0; index < rows; index++) {
    const values: Record<string, unknown> = {
      id: index + 1,
      hashString: hex(index).toLowerCase(),
      name: `Some name ${index}`,
      status: 6,
      error: 0,
      errorString: '',
      percentDone: 1,
      metadataPercentComplete: 1,
      sizeWhenDone: 1_000_000 + index,
      leftUntilDone: 0,
      uploadedEver: index,
      downloadedEver: 1_000_000,
      uploadRatio: 0.25,
      rateDownload: 0,
      rateUpload: 0,
      eta: -1,
      peersConnected: 0,
      peersSendingToUs: 0,
      peersGettingFromUs: 0,
      labels: index % 3 === 0 ? ['tv'] : [],
      downloadDir: '/data/torrents',
      addedDate: 1_700_000_000 + index,
      doneDate: 1_700_000_100 + index,
      queuePosition: index,
      isPrivate: true,
      secondsSeeding: 0,
      activityDate: 0,
      trackerStats: [tracker, { ...tracker, tier: 1, announce: 'http://backup.example/announce' }],
    };
    table.push(TR_LIST_FIELDS.map((field) => values[field]));
  }
  return JSON.stringify({ arguments: { torrents: table }, result: 'success' });
}

/** One run of `operation` (after a full GC, via measure): its CPU milliseconds. */
async function cpuRun<T>(operation: () => T, check?: (result: T) => void): Promise<number> {
  let cpu = 0;
  await measure(
    () => {
      const start = process.cpuUsage();
      const result = operation();
      const used = process.cpuUsage(start);
      cpu = (used.user + used.system) / 1000;
      return result;
    },
    { runs: 1, warmups: 0, ...(check ? { check } : {}) },
  );
  return cpu;
}

async function cpuTimes<T>(operation: () => T, check?: (result: T) => void): Promise<Samples> {
  operation();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) times.push(await cpuRun(operation, check));
  return summarize(times);
}

/** Before and after, run in turns, so that a machine whose load drifts weighs on both alike. */
async function inTurns<T>(before: () => T, after: () => T, check: (result: T) => void): Promise<[Samples, Samples]> {
  check(before());
  check(after());
  const times: [number[], number[]] = [[], []];
  for (let run = 0; run < RUNS; run++) {
    times[0].push(await cpuRun(before, check));
    times[1].push(await cpuRun(after, check));
  }
  return [summarize(times[0]), summarize(times[1])];
}

function line(label: string, samples: Samples): string {
  return `${label.padEnd(48)} ${samples.median.toFixed(1).padStart(8)} ms CPU  (min ${samples.min.toFixed(1)}, max ${samples.max.toFixed(1)})`;
}

async function main(): Promise<void> {
  console.log(`cpu ${cpus()[0]?.model.trim()}, ${cpus().length} cores; node ${process.version}; load ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const body = rtorrentAnswer(RT_ROWS);
  const fields = [...LIST_FIELDS];
  const expectRows = (rows: unknown[]): void => {
    if (rows.length !== RT_ROWS) throw new Error(`expected ${RT_ROWS} rows, got ${rows.length}`);
  };
  console.log(`rTorrent d.multicall2 answer: ${RT_ROWS} rows, ${(body.length / 1e6).toFixed(2)} MB`);
  const rows = decodeMulticallRowsOrGeneral(body);
  const [before, after] = await inTurns(
    () => decodeMulticallRowsOrGeneral(body).map((row) => normalizeTorrentRow(row, 'rutorrent')),
    () => checkRows('d.multicall2', decodeMulticallRowsOrGeneral(body), fields).map((row) => normalizeTorrentRow(row, 'rutorrent')),
    expectRows,
  );
  const checkOnly = await cpuTimes(() => checkRows('d.multicall2', rows, fields), expectRows);
  // The alternative the hot path does not take: zod on each row's tuple.
  const cells: z.ZodType[] = fields.map((field, index) => (field === 'd.hash=' ? z.string().regex(/^[0-9A-F]{40}$/i) : typeof rows[0]![index] === 'number' ? z.int() : z.string()));
  const tuple = z.array(z.tuple(cells as [z.ZodType, ...z.ZodType[]]));
  const zodOnly = await cpuTimes(() => tuple.parse(rows), expectRows);
  console.log(line('  before: decode + normalize', before));
  console.log(line('  after:  decode + checkRows + normalize', after));
  console.log(line('  checkRows alone', checkOnly));
  console.log(line('  (zod tuple per row alone, not used)', zodOnly));
  console.log(`  after / before: ${(after.median / before.median).toFixed(3)}`);

  const text = transmissionAnswer(TR_ROWS);
  console.log(`Transmission torrent-get (table): ${TR_ROWS} torrents, ${(text.length / 1e6).toFixed(2)} MB`);
  const expectTorrents = (list: unknown[]): void => {
    if (list.length !== TR_ROWS) throw new Error(`expected ${TR_ROWS} torrents, got ${list.length}`);
  };
  const [trBefore, trAfter] = await inTurns(
    () => {
      const answer = JSON.parse(text) as { arguments: { torrents: unknown[][] } };
      return tableToRawTorrents(answer.arguments.torrents).map(normalizeTorrent);
    },
    () => {
      const answer = JSON.parse(text) as { arguments: Record<string, unknown> };
      return checkTorrentTable(answer.arguments, TR_LIST_FIELDS, (name) => name).torrents.map(normalizeTorrent);
    },
    expectTorrents,
  );
  const parsed = (JSON.parse(text) as { arguments: Record<string, unknown> }).arguments;
  const tableOnly = await cpuTimes(() => tableToRawTorrents(parsed['torrents'] as unknown[][]), expectTorrents);
  const checkedOnly = await cpuTimes(() => checkTorrentTable(parsed, TR_LIST_FIELDS, (name) => name).torrents, expectTorrents);
  console.log(line('  before: JSON.parse + table + normalize', trBefore));
  console.log(line('  after:  JSON.parse + checked table + normalize', trAfter));
  console.log(line('  table to objects alone (before)', tableOnly));
  console.log(line('  checked table to objects alone (after)', checkedOnly));
  console.log(`  after / before: ${(trAfter.median / trBefore.median).toFixed(3)}`);
}

await main();
