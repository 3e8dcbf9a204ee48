// The torrent's own SHA-1 piece hashes, laid over its files: what the fetch engine checks the
// bytes that arrived against. Pieces run across file boundaries, so a piece names segments.
import bencode from 'bencode';
import { SeedboxError } from '../../shared/errors';
import { parseTorrentFile } from '../torrent/metainfo';

export interface PieceLayout {
  pieceLength: number;
  pieceCount: number;
  /** 20 bytes per piece. */
  hashes: Uint8Array;
  totalBytes: number;
  /** In torrent order, with where each starts in the torrent's byte space. */
  files: { path: string; sizeBytes: number; offset: number }[];
}

/** One piece's bytes inside one file. */
export interface PieceSegment {
  fileIndex: number;
  /** Within the file. */
  offset: number;
  length: number;
}

/** Reads the piece layout of .torrent bytes; the file is checked by the metainfo parser first. */
export function readPieceLayout(bytes: Uint8Array, fileName = 'the .torrent'): PieceLayout {
  const meta = parseTorrentFile(bytes, fileName);
  const info = (bencode.decode(bytes) as { info: { 'piece length': number; pieces: Uint8Array } }).info;
  const pieceLength = info['piece length'];
  const hashes = info.pieces;
  const pieceCount = hashes.length / 20;
  const expectedCount = Math.max(1, Math.ceil(meta.totalBytes / pieceLength));
  if (pieceCount !== expectedCount) {
    throw new SeedboxError('invalid-torrent', `${fileName} is not a torrent file.`, {
      fileName,
      reason: `it has ${pieceCount} piece hashes for ${expectedCount} pieces.`,
    });
  }
  let offset = 0;
  const files = meta.files.map((file) => {
    const placed = { ...file, offset };
    offset += file.sizeBytes;
    return placed;
  });
  return { pieceLength, pieceCount, hashes, totalBytes: meta.totalBytes, files };
}

/** The pieces holding any byte of the file (none for an empty file). */
export function piecesOfFile(layout: PieceLayout, fileIndex: number): number[] {
  const file = layout.files[fileIndex]!;
  if (file.sizeBytes === 0) return [];
  const first = Math.floor(file.offset / layout.pieceLength);
  const last = Math.floor((file.offset + file.sizeBytes - 1) / layout.pieceLength);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Where a piece's bytes lie, file by file, in order. */
export function segmentsOfPiece(layout: PieceLayout, piece: number): PieceSegment[] {
  const start = piece * layout.pieceLength;
  const end = Math.min(start + layout.pieceLength, layout.totalBytes);
  const segments: PieceSegment[] = [];
  for (const [fileIndex, file] of layout.files.entries()) {
    const from = Math.max(start, file.offset);
    const to = Math.min(end, file.offset + file.sizeBytes);
    if (from < to) segments.push({ fileIndex, offset: from - file.offset, length: to - from });
    if (file.offset >= end) break;
  }
  return segments;
}

export function pieceHash(layout: PieceLayout, piece: number): Uint8Array {
  return layout.hashes.subarray(piece * 20, piece * 20 + 20);
}
