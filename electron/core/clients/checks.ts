// Argument checks every client makes before a request leaves: a daemon would otherwise skip an
// unknown id silently, read an empty list as "all", or store a nonsense limit.
import { skipFilesSchema } from '../../shared/contract';
import { SeedboxError, toSeedboxError } from '../../shared/errors';
import type { AddSource, QueueMove } from '../../shared/model';

const TORRENT_ID = /^[0-9a-f]{40}$/i;

/** A torrent id is its info-hash: 40 hexadecimal digits (either case). */
export function isTorrentId(id: string): boolean {
  return TORRENT_ID.test(id);
}

/** The info-hash of `id` in lower case, the model's spelling; 'invalid-argument' if it is not one. */
export function toHash(id: string): string {
  if (!isTorrentId(id)) {
    throw new SeedboxError('invalid-argument', `"${id}" is not a torrent id (40 hexadecimal digits).`);
  }
  return id.toLowerCase();
}

/** The distinct info-hashes of a non-empty id list, in lower case. */
export function toHashes(ids: string[]): string[] {
  if (ids.length === 0) throw new SeedboxError('invalid-argument', 'No torrent ids given.');
  return [...new Set(ids.map(toHash))];
}

/** 'not-found' naming the missing torrents by their model ids. */
export function notFound(ids: string[]): SeedboxError {
  const list = ids.map((id) => id.toLowerCase());
  return new SeedboxError('not-found', `No torrent ${list.join(', ')} on this seedbox.`, { ids: list.join(',') });
}

/** A speed limit in bytes per second: a whole number, 0 meaning none. */
export function checkRate(bytesPerSecond: number): number {
  if (!Number.isInteger(bytesPerSecond) || bytesPerSecond < 0) {
    throw new SeedboxError('invalid-argument', `A speed limit is a whole number of bytes per second (0 for none), not ${bytesPerSecond}.`);
  }
  return bytesPerSecond;
}

/**
 * File indexes of torrent `hash`, which has `fileCount` files: a non-empty list (an empty one
 * means "every file" to some daemons) of indexes from 0 to fileCount - 1.
 */
export function checkFileIndexes(hash: string, fileIndexes: number[], fileCount: number): number[] {
  if (fileIndexes.length === 0) throw new SeedboxError('invalid-argument', 'No file indexes given.');
  const bad = fileIndexes.filter((index) => !Number.isInteger(index) || index < 0 || index >= fileCount);
  if (bad.length > 0) {
    const id = hash.toLowerCase();
    const has = fileCount === 0 ? 'has no files yet (a magnet without its metadata)' : `has ${fileCount} file(s) (0 to ${fileCount - 1})`;
    throw new SeedboxError('not-found', `Torrent ${id} ${has}; there is no file ${bad.join(', ')}.`, { id });
  }
  return fileIndexes;
}

/**
 * The files an add skips (AddOptions.skipFiles) of a .torrent with `fileCount` files, sorted;
 * [] when none. Only a .torrent file has a file list before the daemon has it: files to skip
 * with a magnet or URL are 'unsupported', since skipping them afterwards could let bytes in.
 */
export function checkSkipFiles(source: AddSource, skipFiles: number[] | undefined, fileCount: number | undefined): number[] {
  if (skipFiles === undefined || skipFiles.length === 0) return [];
  if (source.kind !== 'file' || fileCount === undefined) {
    throw new SeedboxError(
      'unsupported',
      `Files can be skipped only when adding a .torrent file: a ${source.kind === 'magnet' ? 'magnet link' : 'URL'} has no file list until the daemon has fetched it. Add it, then set the files to "skip".`,
    );
  }
  const checked = skipFilesSchema(fileCount).safeParse(skipFiles);
  if (!checked.success) {
    const name = source.fileName ?? 'the torrent';
    throw new SeedboxError('invalid-argument', `Cannot skip those files of ${name}: ${checked.error.issues[0]!.message}.`, { fileCount });
  }
  return [...checked.data].sort((a, b) => a - b);
}

/**
 * The error of an add that failed after the daemon had the torrent, stopped and so without data:
 * the cause, and whether the client removed the torrent again or it stays (`removed`).
 */
export function addUndone(thrown: unknown, id: string, removed: boolean): SeedboxError {
  const error = toSeedboxError(thrown);
  const outcome = removed ? 'The torrent was removed again; nothing of it was downloaded.' : `The torrent stays on the seedbox, stopped (${id}): remove it or set its files there.`;
  return new SeedboxError(error.code, `${error.message} ${outcome}`, { ...error.details, id, removed });
}

/** What the daemon calls `move` (a method or endpoint name); 'invalid-argument' for anything but the four moves. */
export function queueMethod<T>(methods: Record<QueueMove, T>, move: QueueMove): T {
  const method = Object.hasOwn(methods, move) ? methods[move] : undefined;
  if (method === undefined) throw new SeedboxError('invalid-argument', `A queue move is up, down, top or bottom, not "${String(move)}".`);
  return method;
}

/**
 * A directory on the seedbox as an absolute path (POSIX, or a Windows drive for daemons that run
 * there): a relative one would be resolved against the daemon's working directory.
 */
export function checkAbsoluteDirectory(path: string, what: string): string {
  if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) {
    throw new SeedboxError('invalid-argument', `The ${what} must be an absolute path on the seedbox, not "${path}".`);
  }
  return path;
}

/** A URL the daemon itself downloads a .torrent from: http:// or https:// only. */
export function checkTorrentUrl(url: string, daemon: string): string {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new SeedboxError('invalid-argument', 'The torrent URL is not a valid URL.');
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new SeedboxError('invalid-argument', `${daemon} downloads torrents from http(s):// URLs, not ${protocol}//.`);
  }
  return url;
}
