import { createHash } from 'node:crypto';
import bencode from 'bencode';
import { SeedboxError } from '../../shared/errors';
import { MAX_LISTED_TORRENT_FILES, MAX_LISTED_TRACKERS, MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILES } from '../../shared/limits';

/** What we need to know about a .torrent before handing it to a daemon. */
export interface TorrentMetainfo {
  /** Lowercase hex SHA-1 of the raw bencoded info dictionary (the v1 info-hash). */
  infoHash: string;
  name: string;
  /** Sum of all file lengths. */
  totalBytes: number;
  /** In torrent order; paths '/'-joined, without the torrent's own folder. */
  files: { path: string; sizeBytes: number }[];
  /** One entry per tier. */
  trackers: string[][];
  isPrivate: boolean;
}

export { MAX_TORRENT_FILE_BYTES };

/**
 * What a .torrent may hold, so that a crafted one (64 MiB of 2.8 million empty files took 1.8 GB
 * and 11 s to decode) is refused before it is decoded. Far above real torrents, and in line with
 * libtorrent's own load limits (3 million bencoded values, 100 levels).
 */
export const TORRENT_LIMITS = {
  /** Bencoded values of any kind (keys included), counted by the scan before anything is decoded. */
  values: 3_000_000,
  files: MAX_TORRENT_FILES,
  /** Folders plus the file name, per file. */
  pathDepth: 64,
  /** Characters of a file's '/'-joined path, or of the name. */
  pathChars: 4096,
  nesting: 64,
} as const;

/**
 * Parses .torrent bytes, or throws SeedboxError('invalid-torrent') saying what is wrong.
 * The structure is checked by a bounded, iterative scan first: it also yields the exact bytes
 * of the info dictionary, whose hash is the torrent's id (re-encoding a decoded dictionary
 * would change the hash of any torrent whose creator did not sort its keys).
 */
export function parseTorrentFile(bytes: Uint8Array, fileName = 'the file'): TorrentMetainfo {
  // One sentence a user understands; the technical reason stays in details.reason for whoever
  // wants it (the add dialog's disclosure, `--json`).
  const invalid = (why: string, limit?: keyof typeof TORRENT_LIMITS, tooLarge = limit !== undefined): SeedboxError =>
    new SeedboxError('invalid-torrent', tooLarge ? `${fileName} is too large a torrent to open.` : `${fileName} is not a torrent file.`, {
      fileName,
      reason: `${why}.`,
      ...(limit ? { limit, maximum: TORRENT_LIMITS[limit] } : {}),
    });

  if (bytes.length === 0) throw invalid('it is empty');
  if (bytes.length > MAX_TORRENT_FILE_BYTES) throw invalid(`it is larger than ${MAX_TORRENT_FILE_BYTES / 1048576} MiB`, undefined, true);
  if (bytes[0] !== 0x64 /* d */) throw invalid('it does not start with a bencoded dictionary');

  let infoSpan: [number, number];
  try {
    const scan = scanBencode(bytes);
    if (scan.end !== bytes.length) throw new Error('trailing data after the dictionary');
    if (!scan.infoSpan || bytes[scan.infoSpan[0]] !== 0x64) throw new Error('no info dictionary');
    infoSpan = scan.infoSpan;
  } catch (error) {
    throw invalid((error as Error).message, error instanceof LimitError ? error.limit : undefined);
  }

  const root = bencode.decode(bytes) as Record<string, unknown>;
  const info = root['info'] as Record<string, unknown>;
  const name = text(info['name.utf-8'] ?? info['name']);
  if (!name) throw invalid('the info dictionary has no name');
  if (name.length > TORRENT_LIMITS.pathChars) throw invalid(`its name is longer than ${TORRENT_LIMITS.pathChars} characters`, 'pathChars');
  const pieceLength = info['piece length'];
  if (typeof pieceLength !== 'number' || pieceLength <= 0) throw invalid('the piece length is missing');
  if (!(info['pieces'] instanceof Uint8Array) || info['pieces'].length % 20 !== 0) {
    throw invalid('the piece hashes are missing or malformed');
  }

  let files: TorrentMetainfo['files'];
  if (Array.isArray(info['files'])) {
    if (info['files'].length > TORRENT_LIMITS.files) throw invalid(`it lists more than ${TORRENT_LIMITS.files} files`, 'files');
    files = info['files'].map((entry: unknown, index: number) => {
      const file = entry as Record<string, unknown>;
      const parts = (file['path.utf-8'] ?? file['path']) as unknown;
      const size = file['length'];
      if (!Array.isArray(parts) || parts.length === 0 || typeof size !== 'number' || size < 0) {
        throw invalid(`file ${index} has no path or length`);
      }
      if (parts.length > TORRENT_LIMITS.pathDepth) throw invalid(`file ${index} is more than ${TORRENT_LIMITS.pathDepth} folders deep`, 'pathDepth');
      const path = parts.map(text);
      if (path.some((part) => part === '' || part === '.' || part === '..' || part.includes('/'))) {
        throw invalid(`file ${index} has an unsafe path`);
      }
      const joined = path.join('/');
      if (joined.length > TORRENT_LIMITS.pathChars) throw invalid(`the path of file ${index} is longer than ${TORRENT_LIMITS.pathChars} characters`, 'pathChars');
      return { path: joined, sizeBytes: size };
    });
    if (files.length === 0) throw invalid('the file list is empty');
  } else if (typeof info['length'] === 'number' && info['length'] >= 0) {
    files = [{ path: name, sizeBytes: info['length'] }];
  } else {
    throw invalid('it has neither a length nor a file list');
  }
  if (name === '.' || name === '..' || name.includes('/')) throw invalid('its name is not a safe folder name');

  const tiers = Array.isArray(root['announce-list'])
    ? (root['announce-list'] as unknown[]).map((tier) => (Array.isArray(tier) ? tier.map(text).filter(Boolean) : []))
    : [];
  const trackers = tiers.filter((tier) => tier.length > 0);
  const announce = text(root['announce']);
  if (trackers.length === 0 && announce) trackers.push([announce]);

  return {
    infoHash: createHash('sha1').update(bytes.subarray(infoSpan[0], infoSpan[1])).digest('hex'),
    name,
    totalBytes: files.reduce((sum, file) => sum + file.sizeBytes, 0),
    files,
    trackers,
    isPrivate: info['private'] === 1,
  };
}

/** What the add dialog is sent: the file list only as far as it shows it, and how long it is. */
export interface TorrentSummary extends Omit<TorrentMetainfo, 'files'> {
  fileCount: number;
  /** The first files, in torrent order (their index is their position). */
  files: TorrentMetainfo['files'];
}

export function summarizeMetainfo(meta: TorrentMetainfo): TorrentSummary {
  let trackerBudget = MAX_LISTED_TRACKERS;
  const trackers: string[][] = [];
  for (const tier of meta.trackers) {
    if (trackerBudget <= 0) break;
    trackers.push(tier.slice(0, trackerBudget));
    trackerBudget -= tier.length;
  }
  return { ...meta, fileCount: meta.files.length, files: meta.files.slice(0, MAX_LISTED_TORRENT_FILES), trackers };
}

function text(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return typeof value === 'string' ? value : '';
}

/**
 * Walks one bencoded value starting at 0 without recursion or allocation, checking every
 * length and delimiter; returns where it ends and, for the top-level dictionary, the byte
 * span of the value under the key "info".
 */
class LimitError extends Error {
  constructor(
    readonly limit: keyof typeof TORRENT_LIMITS,
    message: string,
  ) {
    super(message);
  }
}

function scanBencode(bytes: Uint8Array): { end: number; infoSpan?: [number, number] } {
  // Each open container: 'd' or 'l', and for dictionaries whether the next item is a key.
  const stack: { kind: number; expectKey: boolean; keyIsInfo: boolean; valueStart: number }[] = [];
  let infoSpan: [number, number] | undefined;
  let position = 0;
  let values = 0;

  const readNumber = (from: number, terminator: number): [number, number] => {
    let index = from;
    let negative = false;
    if (bytes[index] === 0x2d /* - */) {
      negative = true;
      index++;
    }
    const digitsStart = index;
    let value = 0;
    while (index < bytes.length && bytes[index]! >= 0x30 && bytes[index]! <= 0x39) {
      value = value * 10 + (bytes[index]! - 0x30);
      index++;
    }
    if (index === digitsStart || index - digitsStart > 16) throw new Error(`malformed number at byte ${from}`);
    if (bytes[index] !== terminator) throw new Error(`malformed number at byte ${from}`);
    return [negative ? -value : value, index + 1];
  };

  do {
    const top = stack[stack.length - 1];
    const byte = bytes[position];
    if (byte === undefined) throw new Error('it ends in the middle of a value');
    const valueStart = position;

    if (byte === 0x65 /* e */ && top) {
      if (top.kind === 0x64 && !top.expectKey) throw new Error(`a dictionary key has no value at byte ${position}`);
      const closed = stack.pop()!;
      position++;
      completeValue(closed.valueStart);
      continue;
    }
    if (top?.kind === 0x64 && top.expectKey && !(byte >= 0x30 && byte <= 0x39)) {
      throw new Error(`a dictionary key is not a string at byte ${position}`);
    }
    if (++values > TORRENT_LIMITS.values) throw new LimitError('values', `it holds more than ${TORRENT_LIMITS.values} bencoded values`);

    if (byte === 0x64 /* d */ || byte === 0x6c /* l */) {
      if (stack.length >= TORRENT_LIMITS.nesting) throw new LimitError('nesting', `it is nested too deeply (more than ${TORRENT_LIMITS.nesting} levels)`);
      stack.push({ kind: byte, expectKey: byte === 0x64, keyIsInfo: false, valueStart });
      position++;
      continue;
    }
    if (byte === 0x69 /* i */) {
      position = readNumber(position + 1, 0x65)[1];
    } else if (byte >= 0x30 && byte <= 0x39) {
      const [length, dataStart] = readNumber(position, 0x3a /* : */);
      if (length < 0 || dataStart + length > bytes.length) throw new Error('a string runs past the end');
      position = dataStart + length;
      if (top?.kind === 0x64 && top.expectKey) {
        const key = length <= 9 ? Buffer.from(bytes.subarray(dataStart, position)).toString('latin1') : '';
        // The bencode package decodes dictionaries into plain objects, where this key would
        // replace the object's prototype; no real torrent has it.
        if (key === '__proto__') throw new Error('it has a dictionary key named "__proto__"');
        top.keyIsInfo = stack.length === 1 && key === 'info';
        top.expectKey = false;
        continue;
      }
    } else {
      throw new Error(`unexpected byte 0x${byte.toString(16)} at ${position}`);
    }
    completeValue(valueStart);
  } while (stack.length > 0);

  return { end: position, ...(infoSpan ? { infoSpan } : {}) };

  // A value just ended at `position`; if it was a dictionary value, the next item is a key.
  function completeValue(start: number): void {
    const parent = stack[stack.length - 1];
    if (parent?.kind !== 0x64) return;
    if (parent.keyIsInfo) {
      infoSpan = [start, position];
      parent.keyIsInfo = false;
    }
    parent.expectKey = true;
  }
}
