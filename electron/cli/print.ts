import type { SessionStats, SpeedLimits, Torrent, TorrentDetails } from '../shared/model';
import type { SeedboxView } from '../core/config/registry';
import { formatBytes, formatCount, formatDuration, formatInteger, formatPercent, formatRate, formatRatio } from '../shared/format';
import { describeEndpoint } from '../core/transports/connect';
import type { CliLanguage } from './language';
import { columnTitles } from './language';
import stringWidth from 'string-width';
import { terminalText } from './terminal-text';

// Every value that came from a server goes through terminalText (see there); numbers and our
// own words need not. Tables are built with plain loops: a list of 300 000 torrents must not
// be spread into one call's arguments (Math.max(...rows) overflows the stack near 130 000).

/** Plain aligned columns; the last column is never padded. Cells are made terminal-safe here, in place. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title) => displayWidth(title));
  for (const row of rows) {
    for (let column = 0; column < row.length; column++) {
      const cell = terminalText(row[column]!);
      row[column] = cell;
      const width = displayWidth(cell);
      if (width > widths[column]!) widths[column] = width;
    }
  }
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : padToWidth(cell, widths[column]!))).join('  ');
  const lines = [line(header)];
  for (const row of rows) lines.push(line(row));
  return `${lines.join('\n')}\n`;
}

/**
 * Columns a text takes on a terminal (string-width: East Asian wide and full-width characters
 * take two, so a Chinese table lines up; combining marks and escape codes none).
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` terminal columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function printTorrentTable(torrents: Torrent[], { t, locale }: CliLanguage): string {
  if (torrents.length === 0) return `${t('cli.list.empty')}\n`;
  return table(
    columnTitles({ t, locale }, [t('cli.column.id'), t('cli.column.state'), t('cli.column.done'), t('table.column.size'), t('table.column.down'), t('table.column.up'), t('table.column.ratio'), t('table.column.labels'), t('table.column.name')]),
    torrents.map((torrent) => [
      torrent.id,
      torrent.state,
      formatPercent(torrent.progress, locale),
      formatBytes(torrent.sizeBytes, 'binary', locale),
      formatRate(torrent.downRate, 'binary', locale),
      formatRate(torrent.upRate, 'binary', locale),
      formatRatio(torrent.ratio, locale),
      torrent.labels.join(',') || '-',
      torrent.name,
    ]),
  );
}

export function printDetails(details: TorrentDetails, language: CliLanguage): string {
  const { t, locale } = language;
  const { torrent } = details;
  const bytes = (count: number): string => formatBytes(count, 'binary', locale);
  const rate = (bytesPerSecond: number): string => formatRate(bytesPerSecond, 'binary', locale);
  const time = (seconds: number | null): string => (seconds === null ? '-' : new Date(seconds * 1000).toISOString());
  const general = [
    [t('table.column.name'), torrent.name],
    [t('cli.details.id'), torrent.id],
    [t('cli.details.state'), torrent.state + (torrent.message ? ` (${torrent.message})` : '')],
    [t('table.column.progress'), t('cli.details.progress', { percent: formatPercent(torrent.progress, locale), size: bytes(torrent.sizeBytes) })],
    [t('cli.details.transferred'), t('cli.details.transferredValue', { down: bytes(torrent.downloadedBytes), up: bytes(torrent.uploadedBytes), ratio: formatRatio(torrent.ratio, locale) })],
    [t('cli.details.speed'), t('cli.details.speedValue', { down: rate(torrent.downRate), up: rate(torrent.upRate), eta: formatDuration(torrent.etaSeconds, locale) })],
    [
      t('table.column.peers'),
      t('cli.details.peersValue', {
        peers: formatCount(torrent.peersConnected, locale),
        peersTotal: formatCount(torrent.peersTotal, locale),
        seeds: formatCount(torrent.seedsConnected, locale),
        seedsTotal: formatCount(torrent.seedsTotal, locale),
      }),
    ],
    [t('table.column.labels'), torrent.labels.join(', ') || '-'],
    [t('table.column.savePath'), torrent.savePath],
    [t('table.column.added'), time(torrent.addedAt)],
    [t('table.column.completed'), time(torrent.completedAt)],
  ];
  const width = general.reduce((widest, [key]) => Math.max(widest, displayWidth(key!)), 0);
  let out = general.map(([key, value]) => `${padToWidth(key!, width)}  ${terminalText(value!)}`).join('\n') + '\n';
  out += `\n${t('cli.details.files', { count: formatInteger(details.files.length, locale) })}\n`;
  out += table(
    columnTitles(language, ['#', t('cli.column.priority'), t('cli.column.done'), t('table.column.size'), t('cli.column.path')]),
    details.files.map((file) => [
      formatInteger(file.index, locale),
      file.priority,
      formatPercent(file.sizeBytes > 0 ? file.doneBytes / file.sizeBytes : 1, locale),
      bytes(file.sizeBytes),
      file.path,
    ]),
  );
  out += `\n${t('cli.details.trackers', { count: formatInteger(details.trackers.length, locale) })}\n`;
  out += table(
    columnTitles(language, [t('cli.column.tier'), t('table.column.status'), t('table.column.seeds'), t('table.column.peers'), t('cli.column.url')]),
    details.trackers.map((tracker) => [
      String(tracker.tier),
      tracker.status + (tracker.message ? ` (${tracker.message})` : ''),
      tracker.seeders < 0 ? '-' : formatInteger(tracker.seeders, locale),
      tracker.leechers < 0 ? '-' : formatInteger(tracker.leechers, locale),
      tracker.url,
    ]),
  );
  out += `\n${t('cli.details.peers', { count: formatInteger(details.peers.length, locale) })}\n`;
  if (details.peers.length > 0) {
    out += table(
      columnTitles(language, [t('cli.column.address'), t('cli.column.done'), t('table.column.down'), t('table.column.up'), t('cli.column.client')]),
      details.peers.map((peer) => [`${peer.address}:${peer.port}`, formatPercent(peer.progress, locale), rate(peer.downRate), rate(peer.upRate), peer.client]),
    );
  }
  return out;
}

export function printLimits(limits: SpeedLimits, { t, locale }: CliLanguage): string {
  const show = (rate: number): string => (rate > 0 ? formatRate(rate, 'binary', locale) : t('cli.limits.unlimited'));
  return labelled([
    [t('cli.stats.down'), show(limits.downBytesPerSecond)],
    [t('cli.stats.up'), show(limits.upBytesPerSecond)],
  ]);
}

export function printStats(stats: SessionStats, { t, locale }: CliLanguage): string {
  const lines = [
    [t('cli.stats.down'), formatRate(stats.downRate, 'binary', locale)],
    [t('cli.stats.up'), formatRate(stats.upRate, 'binary', locale)],
  ];
  if (stats.freeSpaceBytes !== null) lines.push([t('cli.stats.free'), formatBytes(stats.freeSpaceBytes, 'binary', locale)]);
  const alternative = stats.alternativeSpeedEnabled === null ? '' : `${t('cli.stats.alternativeSpeed')} ${stats.alternativeSpeedEnabled ? t('cli.stats.on') : t('cli.stats.off')}\n`;
  return labelled(lines) + alternative;
}

/** "down 1.00 MiB/s" lines, the labels padded to one width. */
function labelled(lines: string[][]): string {
  const width = lines.reduce((widest, [label]) => Math.max(widest, displayWidth(label!)), 0);
  return lines.map(([label, value]) => `${padToWidth(label!, width)} ${value}\n`).join('');
}

/** "socks5 host:port, ssh user@host:port (files only)": how the box is reached; "-" directly. */
function routeText(seedbox: SeedboxView, t: CliLanguage['t']): string {
  const parts: string[] = [];
  if (seedbox.proxy) parts.push(`${seedbox.proxy.kind} ${describeEndpoint({ kind: 'tcp', host: seedbox.proxy.host, port: seedbox.proxy.port })}`);
  const ssh = seedbox.sshTunnel;
  if (ssh) parts.push(`ssh ${ssh.username}@${describeEndpoint({ kind: 'tcp', host: ssh.host, port: ssh.port })}${ssh.remote === null ? ` (${t('cli.boxes.filesOnly')})` : ''}`);
  return parts.join(', ') || '-';
}

/** The saved seedboxes; secrets only as "saved" or "-". */
export function printSeedboxTable(seedboxes: SeedboxView[], language: CliLanguage): string {
  const { t } = language;
  if (seedboxes.length === 0) return `${t('cli.boxes.empty')}\n`;
  return table(
    columnTitles(language, [t('table.column.name'), t('cli.column.client'), t('cli.column.user'), t('cli.column.password'), t('cli.column.pin'), t('cli.column.route'), t('cli.column.id'), t('cli.column.url')]),
    seedboxes.map((seedbox) => [
      seedbox.name,
      seedbox.kind,
      seedbox.username || '-',
      seedbox.secrets['daemon-password'] ? t('cli.boxes.saved') : '-',
      seedbox.tlsPinSha256 ? `${seedbox.tlsPinSha256.slice(0, 16)}…` : '-',
      routeText(seedbox, t),
      seedbox.id,
      seedbox.url,
    ]),
  );
}
