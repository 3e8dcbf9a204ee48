import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { piecesOfFile, pieceHash, readPieceLayout, segmentsOfPiece } from '../../../../electron/core/fetch/pieces';
import { toSftpPath } from '../../../../electron/core/fetch/remote';
import { filler, makeTorrent } from '../../../helpers/torrents';
import { tempDir } from '../../../helpers/processes';

describe('piece layout', () => {
  // Piece length 16 KiB: file 0 ends inside piece 1, file 1 lies inside piece 1, file 2 spans 1..3.
  const files = [
    { path: 'a.bin', content: filler('a', 20_000) },
    { path: 'b.bin', content: filler('b', 100) },
    { path: 'empty', content: Buffer.alloc(0) },
    { path: 'c.bin', content: filler('c', 40_000) },
  ];
  const made = makeTorrent({ dataParent: tempDir('pieces'), name: 't', files, writeData: false });
  const layout = readPieceLayout(made.bytes);
  const all = Buffer.concat(files.map((file) => file.content));

  it('places the files in the byte space and counts the pieces', () => {
    expect(layout.files.map((file) => file.offset)).toEqual([0, 20_000, 20_100, 20_100]);
    expect(layout.pieceCount).toBe(Math.ceil(60_100 / 16_384));
  });

  it('lists the pieces of each file, none for an empty one', () => {
    expect(piecesOfFile(layout, 0)).toEqual([0, 1]);
    expect(piecesOfFile(layout, 1)).toEqual([1]);
    expect(piecesOfFile(layout, 2)).toEqual([]);
    expect(piecesOfFile(layout, 3)).toEqual([1, 2, 3]);
  });

  it('splits a piece across files so that hashing the segments gives the piece hash', () => {
    expect(segmentsOfPiece(layout, 1)).toEqual([
      { fileIndex: 0, offset: 16_384, length: 20_000 - 16_384 },
      { fileIndex: 1, offset: 0, length: 100 },
      { fileIndex: 3, offset: 0, length: 2 * 16_384 - 20_100 },
    ]);
    for (let piece = 0; piece < layout.pieceCount; piece++) {
      const hash = createHash('sha1');
      for (const segment of segmentsOfPiece(layout, piece)) hash.update(files[segment.fileIndex]!.content.subarray(segment.offset, segment.offset + segment.length));
      expect(hash.digest().equals(Buffer.from(pieceHash(layout, piece)))).toBe(true);
      expect(createHash('sha1').update(all.subarray(piece * 16_384, (piece + 1) * 16_384)).digest().equals(Buffer.from(pieceHash(layout, piece)))).toBe(true);
    }
  });

  it('refuses a .torrent that is not one', () => {
    expect(() => readPieceLayout(Buffer.from('not a torrent'))).toThrow(expect.objectContaining({ code: 'invalid-torrent' }));
  });
});

describe('toSftpPath', () => {
  const mappings = [
    { daemon: '/home/me', sftp: '/' },
    { daemon: '/home/me/downloads/', sftp: '/data' },
  ];

  it('takes the longest mapping that holds the path by whole components', () => {
    expect(toSftpPath('/home/me/downloads/Show/a.bin', mappings)).toBe('/data/Show/a.bin');
    expect(toSftpPath('/home/me/other/x', mappings)).toBe('/other/x');
    expect(toSftpPath('/home/me', mappings)).toBe('/');
  });

  it('leaves a path no mapping holds as it is (not a mere prefix of a name)', () => {
    expect(toSftpPath('/home/meadow/x', mappings)).toBe('/home/meadow/x');
    expect(toSftpPath('/srv/x', [])).toBe('/srv/x');
  });
});
