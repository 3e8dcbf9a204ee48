import type { SessionStats, SpeedLimits, Torrent, TorrentDetails } from '../shared/model';
import type { SeedboxView } from '../core/config/registry';
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatRatio } from '../shared/format';
import { describeEndpoint } from '../core/transports/connect';
import { terminalText } from './terminal-text';

// Every value that came from a server goes through terminalText (see there); numbers and our
// own words need not. Tables are built with plain loops: a list of 300 000 torrents must not
// be spread into one call's arguments (Math.max(...rows) overflows the stack near 130 000).

/** Plain aligned columns; the last column is never padded. Cells are made terminal-safe here, in place. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title) => title.length);
  for (const row of rows) {
    for (let column = 0; column < row.length; column++) {
      const cell = terminalText(row[column]!);
      row[column] = cell;
      const length = codePointLength(cell);
      if (length > widths[column]!) widths[column] = length;
    }
  }
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]! + (cell.length - codePointLength(cell))))).join('  ');
  const lines = [line(header)];
  for (const row of rows) lines.push(line(row));
  return `${lines.join('\n')}\n`;
}

function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // The high half of a surrogate pair starts a code point; its low half does not.
    if (code < 0xdc00 || code > 0xdfff) length++;
  }
  return length;
}

export function printTorrentTable(torrents: Torrent[]): string {
  if (torrents.length === 0) return 'No torrents.\n';
  return table(
    ['ID', 'STATE', 'DONE', 'SIZE', 'DOWN', 'UP', 'RATIO', 'LABELS', 'NAME'],
    torrents.map((torrent) => [
      torrent.id,
      torrent.state,
      formatPercent(torrent.progress),
      formatBytes(torrent.sizeBytes),
      formatRate(torrent.downRate),
      formatRate(torrent.upRate),
      formatRatio(torrent.ratio),
      torrent.labels.join(',') || '-',
      torrent.name,
    ]),
  );
}

export function printDetails(details: TorrentDetails): string {
  const { torrent } = details;
  const time = (seconds: number | null): string => (seconds === null ? '-' : new Date(seconds * 1000).toISOString());
  const general = [
    ['Name', torrent.name],
    ['ID', torrent.id],
    ['State', torrent.state + (torrent.message ? ` (${torrent.message})` : '')],
    ['Progress', `${formatPercent(torrent.progress)} of ${formatBytes(torrent.sizeBytes)}`],
    ['Transferred', `${formatBytes(torrent.downloadedBytes)} down, ${formatBytes(torrent.uploadedBytes)} up, ratio ${formatRatio(torrent.ratio)}`],
    ['Speed', `${formatRate(torrent.downRate)} down, ${formatRate(torrent.upRate)} up, ETA ${formatDuration(torrent.etaSeconds)}`],
    ['Peers', `${torrent.peersConnected} of ${formatCount(torrent.peersTotal)}; seeds ${torrent.seedsConnected} of ${formatCount(torrent.seedsTotal)}`],
    ['Labels', torrent.labels.join(', ') || '-'],
    ['Save path', torrent.savePath],
    ['Added', time(torrent.addedAt)],
    ['Completed', time(torrent.completedAt)],
  ];
  const width = general.reduce((widest, [key]) => Math.max(widest, key!.length), 0);
  let out = general.map(([key, value]) => `${key!.padEnd(width)}  ${terminalText(value!)}`).join('\n') + '\n';
  out += `\nFiles (${details.files.length}):\n`;
  out += table(
    ['#', 'PRIORITY', 'DONE', 'SIZE', 'PATH'],
    details.files.map((file) => [
      String(file.index),
      file.priority,
      formatPercent(file.sizeBytes > 0 ? file.doneBytes / file.sizeBytes : 1),
      formatBytes(file.sizeBytes),
      file.path,
    ]),
  );
  out += `\nTrackers (${details.trackers.length}):\n`;
  out += table(
    ['TIER', 'STATUS', 'SEEDS', 'PEERS', 'URL'],
    details.trackers.map((tracker) => [
      String(tracker.tier),
      tracker.status + (tracker.message ? ` (${tracker.message})` : ''),
      tracker.seeders < 0 ? '-' : String(tracker.seeders),
      tracker.leechers < 0 ? '-' : String(tracker.leechers),
      tracker.url,
    ]),
  );
  out += `\nPeers (${details.peers.length}):\n`;
  if (details.peers.length > 0) {
    out += table(
      ['ADDRESS', 'DONE', 'DOWN', 'UP', 'CLIENT'],
      details.peers.map((peer) => [`${peer.address}:${peer.port}`, formatPercent(peer.progress), formatRate(peer.downRate), formatRate(peer.upRate), peer.client]),
    );
  }
  return out;
}

export function printLimits(limits: SpeedLimits): string {
  const show = (rate: number): string => (rate > 0 ? formatRate(rate) : 'unlimited');
  return `down ${show(limits.downBytesPerSecond)}\nup   ${show(limits.upBytesPerSecond)}\n`;
}

export function printStats(stats: SessionStats): string {
  const lines = [`down ${formatRate(stats.downRate)}`, `up   ${formatRate(stats.upRate)}`];
  if (stats.freeSpaceBytes !== null) lines.push(`free ${formatBytes(stats.freeSpaceBytes)}`);
  if (stats.alternativeSpeedEnabled !== null) lines.push(`alternative speed ${stats.alternativeSpeedEnabled ? 'on' : 'off'}`);
  return `${lines.join('\n')}\n`;
}

/** The saved seedboxes; secrets only as "saved" or "-". */
/** "socks5 host:port, ssh user@host:port (files only)": how the box is reached; "-" directly. */
function routeText(seedbox: SeedboxView): string {
  const parts: string[] = [];
  if (seedbox.proxy) parts.push(`${seedbox.proxy.kind} ${describeEndpoint({ kind: 'tcp', host: seedbox.proxy.host, port: seedbox.proxy.port })}`);
  const ssh = seedbox.sshTunnel;
  if (ssh) parts.push(`ssh ${ssh.username}@${describeEndpoint({ kind: 'tcp', host: ssh.host, port: ssh.port })}${ssh.remote === null ? ' (files only)' : ''}`);
  return parts.join(', ') || '-';
}

export function printSeedboxTable(seedboxes: SeedboxView[]): string {
  if (seedboxes.length === 0) return 'No saved seedboxes. Add one with "seedbox boxes add".\n';
  return table(
    ['NAME', 'CLIENT', 'USER', 'PASSWORD', 'PIN', 'ROUTE', 'ID', 'URL'],
    seedboxes.map((seedbox) => [
      seedbox.name,
      seedbox.kind,
      seedbox.username || '-',
      seedbox.secrets['daemon-password'] ? 'saved' : '-',
      seedbox.tlsPinSha256 ? `${seedbox.tlsPinSha256.slice(0, 16)}…` : '-',
      routeText(seedbox),
      seedbox.id,
      seedbox.url,
    ]),
  );
}
