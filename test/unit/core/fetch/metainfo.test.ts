import { describe, expect, it } from 'vitest';
import type { MetainfoExport, TorrentClient } from '../../../../electron/core/clients/types';
import { checkMetainfo, metainfoForFetch } from '../../../../electron/core/fetch/metainfo';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';
import { tempDir } from '../../../helpers/processes';
import { filler, makeTorrent } from '../../../helpers/torrents';

describe('a .torrent from the daemon is trusted only once checked', () => {
  const parent = tempDir('metainfo');
  const mine = makeTorrent({ dataParent: parent, name: 'mine', files: [{ path: '', content: filler('mine', 1000) }], writeData: false });
  const other = makeTorrent({ dataParent: parent, name: 'other', files: [{ path: '', content: filler('other', 1000) }], writeData: false });

  it('takes the bytes whose info-hash is the torrent id, in either case', () => {
    expect(checkMetainfo(mine.bytes, mine.infoHash.toUpperCase(), 'x')).toBe(mine.bytes);
  });

  it("refuses another torrent's .torrent, naming both hashes", () => {
    const error = errorOf(() => checkMetainfo(other.bytes, mine.infoHash, '/box/state/x.torrent on the box'));
    expect(error.code).toBe('invalid-torrent');
    expect(error.details).toMatchObject({ reason: 'info-hash-mismatch', expected: mine.infoHash, found: other.infoHash });
    expect(error.message).toBe(`/box/state/x.torrent on the box belongs to another torrent (${other.infoHash}), not to ${mine.infoHash}.`);
  });

  it('refuses bytes that are no .torrent at all', () => {
    expect(errorOf(() => checkMetainfo(Buffer.from('<html>'), mine.infoHash, "the daemon's .torrent")).code).toBe('invalid-torrent');
  });

  /** A client whose exportMetainfo answers `answer`; nothing else of it is used. */
  const clientAnswering = (answer: () => Promise<MetainfoExport>): TorrentClient =>
    ({ exportMetainfo: answer, connect: async () => ({ kind: 'qbittorrent' }) }) as unknown as TorrentClient;
  const box = { sftp: undefined as never };

  it('gives the fetch the bytes, or the reason there are none, and throws what is not a reason', async () => {
    expect(await metainfoForFetch(clientAnswering(async () => ({ from: 'daemon', bytes: mine.bytes })), mine.infoHash, box)).toEqual({ metainfo: mine.bytes });
    expect(await metainfoForFetch(clientAnswering(async () => ({ from: 'daemon', bytes: other.bytes })), mine.infoHash, box)).toMatchObject({
      metainfoUnavailable: { code: 'invalid-torrent' },
    });
    const unsupported = new SeedboxError('unsupported', 'qBittorrent 4.3 cannot export a .torrent.');
    expect(await metainfoForFetch(clientAnswering(() => Promise.reject(unsupported)), mine.infoHash, box)).toEqual({
      metainfoUnavailable: { code: 'unsupported', message: 'qBittorrent 4.3 cannot export a .torrent.' },
    });
    // The torrent gone, or the daemon gone: the fetch cannot go on either, so no reason is made of it.
    for (const error of [new SeedboxError('not-found', 'No torrent x.', { ids: 'x' }), new SeedboxError('connection-lost', 'gone')]) {
      await expect(metainfoForFetch(clientAnswering(() => Promise.reject(error)), mine.infoHash, box)).rejects.toBe(error);
    }
  });
});
