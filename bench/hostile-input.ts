// Figures for hostile input (issue 11 §6/§7), one case per process so that each peak RSS is
// its own: `npx tsx bench/hostile-input.ts CASE` with CASE one of
//   crafted-in-thread    the crafted 64 MiB / 2.79 million-file .torrent parsed on the main thread
//   crafted-off-thread   the same through readTorrentOffThread (what the window and CLI use)
//   large-off-thread     a valid torrent of 200 000 files (the limit) through readTorrentOffThread
//   rtorrent-300k        a d.multicall2 answer of 300 000 rows: fast XML decode, then the CLI table
// Prints the main thread's longest stall (event-loop delay), the time, and the peak RSS.
import { cliLanguage } from '../electron/cli/language';
import { printTorrentTable } from '../electron/cli/print';
import { normalizeTorrentRow, LIST_FIELDS } from '../electron/core/clients/rtorrent/normalize';
import { decodeMulticallRows } from '../electron/core/codecs/xmlrpc-fast';
import { parseTorrentFile } from '../electron/core/torrent/metainfo';
import { readTorrentOffThread } from '../electron/core/torrent/metainfo-off-thread';
import { craftManyFileTorrent } from '../test/helpers/torrents';

const CASES: Record<string, () => Promise<string>> = {
  'crafted-in-thread': async () => outcome(() => Promise.resolve(parseTorrentFile(craftManyFileTorrent(2_790_000), 'crafted.torrent'))),
  'crafted-off-thread': async () => outcome(() => readTorrentOffThread(craftManyFileTorrent(2_790_000), 'crafted.torrent')),
  'large-off-thread': async () => outcome(() => readTorrentOffThread(craftManyFileTorrent(200_000, { path: '3:dir19:file-name-of-a-file' }), 'large.torrent')),
  'rtorrent-300k': async () => {
    const xml = multicallAnswer(300_000);
    const phases = [`answer ${(xml.length / 1e6).toFixed(0)} MB: RSS ${rssMb()}`];
    let mark = performance.now();
    const rows = decodeMulticallRows(xml);
    if (!rows) throw new Error('the fast decoder stepped aside');
    phases.push(`decoded ${rows.length} rows in ${seconds(mark)}: RSS ${rssMb()}`);
    mark = performance.now();
    const torrents = rows.map((row) => normalizeTorrentRow(row, 'rutorrent'));
    phases.push(`normalized in ${seconds(mark)}: RSS ${rssMb()}`);
    mark = performance.now();
    const table = printTorrentTable(torrents, cliLanguage({}));
    phases.push(`table of ${(table.length / 1e6).toFixed(0)} MB in ${seconds(mark)}: RSS ${rssMb()}`);
    return phases.join('; ');
  },
};

function rssMb(): string {
  return `${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

async function outcome(run: () => Promise<{ files: unknown[] }>): Promise<string> {
  try {
    const result = await run();
    return `parsed, ${result.files.length} files handed back`;
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

/** 25 fields per row as rTorrent sends them for `list` (strings and integers). */
function multicallAnswer(rowCount: number): Buffer {
  const parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?><methodResponse><params><param><value><array><data>'];
  for (let index = 0; index < rowCount; index++) {
    const hash = index.toString(16).toUpperCase().padStart(40, '0');
    const fields = LIST_FIELDS.map((field, column) => {
      if (column === 0) return `<value><string>${hash}</string></value>`;
      if (column === 1) return `<value><string>Some.Show.S01E${index % 100}.1080p.WEB.x264-GROUP ${index}</string></value>`;
      if (field === 'd.custom1=' || field === 'd.custom=addtime' || field === 'd.message=') return '<value><string></string></value>';
      if (field === 'd.directory=') return `<value><string>/home/me/downloads/${index}</string></value>`;
      if (column === LIST_FIELDS.length - 1) return '<value><string>tracker.example.org</string></value>';
      return `<value><i8>${index % 2}</i8></value>`;
    });
    parts.push(`<value><array><data>${fields.join('')}</data></array></value>`);
  }
  parts.push('</data></array></value></param></params></methodResponse>');
  return Buffer.from(parts.join(''));
}

const name = process.argv[2] ?? '';
const run = CASES[name];
if (!run) {
  console.error(`usage: npx tsx bench/hostile-input.ts ${Object.keys(CASES).join('|')}`);
  process.exit(2);
}
// The longest gap between ticks of a 10 ms timer is the main thread's longest stall.
let lastTick = performance.now();
let longestStall = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  longestStall = Math.max(longestStall, now - lastTick);
  lastTick = now;
}, 10);
const started = performance.now();
const result = await run();
const elapsed = performance.now() - started;
await new Promise((resolve) => setTimeout(resolve, 30));
clearInterval(ticker);
console.log(
  `${name}: ${result}; ${(elapsed / 1000).toFixed(1)} s; main thread's longest stall ${(longestStall / 1000).toFixed(2)} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
