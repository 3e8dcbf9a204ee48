// `seedbox fetch`: torrents' files to this computer over the saved seedbox's SFTP (its SSH
// settings, host key pinned), with the engine of core/fetch. Progress on a terminal; a summary
// (or --json) when done; exit status 9 when some file did not arrive, 10 when space was short.
import type { OpenConnection } from '../core/connections/session';
import type { TorrentClient } from '../core/clients/types';
import { BandwidthLimit } from '../core/fetch/bandwidth';
import { fetchTorrent, type FetchProgress, type FetchReport } from '../core/fetch/fetch-torrent';
import { torrentToFetch } from '../core/fetch/metainfo';
import type { SeedboxError } from '../shared/errors';
import { formatBytes, formatDuration, formatInteger, formatPercent, formatRate, parseByteSize } from '../shared/format';
import type { ParsedArgs } from './args';
import { CliError, json, usage } from './common';
import type { CliLanguage } from './language';
import type { CliOut } from './run';
import { terminalText } from './terminal-text';

/** What `fetch ID... --to DIR [--file INDEX]... [--limit RATE]` asks, checked before anything connects. */
export function fetchOptions(args: ParsedArgs): { destination: string; fileIndexes: number[] | undefined; limit: number } {
  const destination = args.options.to;
  if (!destination) throw usage('cli.usage.fetchNeedsDirFolder');
  const fileIndexes = args.options.file?.map((text) => {
    if (!/^\d+$/.test(text)) throw usage('cli.usage.fileTakesFileIndex', { text });
    return Number(text);
  });
  if (fileIndexes && args.positionals.length !== 1) throw usage('cli.usage.filePicksFilesOne');
  let limit = 0;
  if (args.options.limit !== undefined) {
    const parsed = parseByteSize(args.options.limit);
    if (parsed === null) throw usage('cli.usage.limitTakesRate', { limit: args.options.limit });
    limit = parsed;
  }
  return { destination, fileIndexes, limit };
}

/** A saved seedbox without SSH settings has no SFTP to fetch over. */
export function noSftp(): SeedboxError {
  return new CliError('unsupported', 'cli.failure.noSftp');
}

export async function runFetch(client: TorrentClient, args: ParsedArgs, io: CliOut, connection?: OpenConnection): Promise<void> {
  const { destination, fileIndexes, limit } = fetchOptions(args);
  if (!connection?.openSftp) throw noSftp();
  const sftp = await connection.openSftp();
  const bandwidth = new BandwidthLimit(limit);
  const showProgress = io.isTTY === true && !args.options.json;
  const results: ({ id: string; name: string } & FetchReport)[] = [];
  try {
    for (const id of args.positionals) {
      const torrent = await torrentToFetch(client, id, { sftp, pathMapping: connection.sftpPathMapping });
      const name = torrent.name;
      const report = await fetchTorrent(
        sftp,
        {
          ...torrent,
          fileIndexes,
          destination,
          onExisting: args.options['keep-both'] ? 'keep-both' : 'refuse',
        },
        { bandwidth, openConnection: connection.openSftpConnection, ...(showProgress ? { onProgress: (progress: FetchProgress) => io.stderr(`\r\u001b[K${progressLine(name, progress, io)}`) } : {}) },
      );
      if (showProgress) io.stderr('\n');
      results.push({ id, name, ...report });
    }
  } finally {
    sftp.end();
  }
  if (args.options.json) io.stdout(json(results));
  else io.stdout(results.map((result) => [...result.files.map((file) => fileLine(file)), verificationLine(result, io)].join('')).join(''));
  const missing = results.flatMap((result) => result.files).filter((file) => file.outcome === 'failed' || file.outcome === 'exists');
  if (missing.length > 0) {
    throw new CliError('refused', 'cli.failure.filesMissing', { count: missing.length }, missing.length, { reason: 'fetch-incomplete' });
  }
}

/** "Show  42.3%  1.50 GiB of 3.55 GiB  12.0 MiB/s  ETA 3m 5s": one line, redrawn in place on a terminal. */
export function progressLine(name: string, progress: FetchProgress, { t, locale }: CliLanguage): string {
  const fraction = progress.totalBytes > 0 ? progress.doneBytes / progress.totalBytes : 1;
  const line = t('cli.fetch.progress', {
    name: terminalText(name).slice(0, 40),
    percent: formatPercent(fraction, locale),
    done: formatBytes(progress.doneBytes, 'binary', locale),
    total: formatBytes(progress.totalBytes, 'binary', locale),
    rate: formatRate(progress.bytesPerSecond, 'binary', locale),
  });
  return progress.etaSeconds === null ? line : `${line}  ${t('cli.fetch.eta', { time: formatDuration(progress.etaSeconds, locale) })}`;
}

/** How the torrent's bytes were checked: "verified N pieces", or "size only (no metainfo: WHY)". */
function verificationLine(result: { name: string } & FetchReport, { t, locale }: CliLanguage): string {
  const name = terminalText(result.name);
  if (result.verifiedBy === 'size') {
    const why = result.metainfoUnavailable ? t('cli.fetch.noMetainfoBecause', { reason: terminalText(result.metainfoUnavailable.message) }) : t('cli.fetch.noMetainfo');
    return `${t('cli.fetch.sizeOnly', { name, why })}\n`;
  }
  const pieces = (count: number): string => t('cli.fetch.pieces', { count: formatInteger(count, locale) }, count);
  const { checkedPieces, repairedPieces, badPieces } = result;
  if (badPieces.length > 0) {
    const list = `${badPieces.slice(0, 20).join(', ')}${badPieces.length > 20 ? ', ...' : ''}`;
    return `${t('cli.fetch.badOnBox', { name, checked: pieces(checkedPieces), bad: pieces(badPieces.length), list })}\n`;
  }
  const verified = t('cli.fetch.verified', { name, pieces: pieces(checkedPieces) });
  return `${repairedPieces.length > 0 ? t('cli.fetch.verifiedRepaired', { verified, repaired: pieces(repairedPieces.length) }) : verified}\n`;
}

function fileLine(file: FetchReport['files'][number]): string {
  const problem = file.error ? `: ${terminalText(file.error.message)}` : '';
  return `${file.outcome.padEnd(9)} ${terminalText(file.localPath)}${problem}\n`;
}
