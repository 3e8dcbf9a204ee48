import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import bencode from 'bencode';

/** A torrent the tests made themselves, with its data written to disk. */
export interface MadeTorrent {
  bytes: Uint8Array;
  infoHash: string;
  name: string;
  /** Where the data lies: the parent directory of the file or folder called `name`. */
  dataParent: string;
  files: { path: string; content: Buffer }[];
}

/** Every test torrent's piece length: files of a multiple of it share no piece. */
export const PIECE_LENGTH = 16 * 1024;

/**
 * Writes the files under `dataParent/name` (or `dataParent/name` as one file when `files` has
 * a single entry with path '') and returns a private torrent for them whose only tracker is
 * a loopback URL nobody answers, so no daemon ever looks elsewhere.
 */
export function makeTorrent(options: {
  dataParent: string;
  name: string;
  files: { path: string; content: Buffer | string }[];
  trackers?: string[];
  writeData?: boolean;
  /** A "source" key in the info, as cross-seeding tools add: another hash for the same files. */
  source?: string;
}): MadeTorrent {
  const files = options.files.map((file) => ({ path: file.path, content: Buffer.from(file.content) }));
  const single = files.length === 1 && files[0]!.path === '';
  if (options.writeData !== false) {
    for (const file of files) {
      const target = single ? join(options.dataParent, options.name) : join(options.dataParent, options.name, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
  }
  const all = Buffer.concat(files.map((file) => file.content));
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < all.length || offset === 0; offset += PIECE_LENGTH) {
    pieces.push(createHash('sha1').update(all.subarray(offset, offset + PIECE_LENGTH)).digest());
    if (all.length === 0) break;
  }
  const info: Record<string, unknown> = {
    name: options.name,
    'piece length': PIECE_LENGTH,
    pieces: Buffer.concat(pieces),
    private: 1,
    ...(options.source === undefined ? {} : { source: options.source }),
  };
  if (single) info['length'] = files[0]!.content.length;
  else info['files'] = files.map((file) => ({ length: file.content.length, path: file.path.split('/') }));
  const trackers = options.trackers ?? ['http://127.0.0.1:9/announce'];
  const root: Record<string, unknown> = { announce: trackers[0], info };
  if (trackers.length > 1) root['announce-list'] = trackers.map((url) => [url]);
  const bytes = bencode.encode(root);
  const infoHash = createHash('sha1').update(bencode.encode(info)).digest('hex');
  return { bytes, infoHash, name: options.name, dataParent: options.dataParent, files };
}

/** Deterministic filler so each test's data differs and pieces are not all equal. */
export function filler(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let offset = 0; offset < length; offset += block.length) {
    block.copy(out, offset);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/**
 * A crafted .torrent of many tiny files, as an attacker would make one to exhaust a parser:
 * `fileCount` entries of 24 bytes each (length 1, path "a"), so 2.79 million fit in 64 MiB.
 * `path` replaces the one-part path list of every file (bencoded list items, e.g. '1:a1:b').
 */
export function craftManyFileTorrent(fileCount: number, options: { path?: string } = {}): Buffer {
  const entry = Buffer.from(`d6:lengthi1e4:pathl${options.path ?? '1:a'}ee`);
  const head = Buffer.from('d4:infod5:filesl');
  const tail = Buffer.from(`e4:name7:crafted12:piece lengthi16384e6:pieces20:${'x'.repeat(20)}ee`);
  const bytes = Buffer.allocUnsafe(head.length + entry.length * fileCount + tail.length);
  head.copy(bytes, 0);
  let offset = head.length;
  for (let index = 0; index < fileCount; index++) offset += entry.copy(bytes, offset);
  tail.copy(bytes, offset);
  return bytes;
}
