import { describe, expect, it } from 'vitest';
import {
  checkAbsoluteDirectory,
  checkFileIndexes,
  addUndone,
  checkRate,
  checkSkipFiles,
  checkTorrentUrl,
  isTorrentId,
  notFound,
  queueMethod,
  toHash,
  toHashes,
} from '../../../../electron/core/clients/checks';
import type { QueueMove } from '../../../../electron/shared/model';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';

const HASH = 'ab'.repeat(20);
const OTHER = 'cd'.repeat(20);

describe('torrent ids', () => {
  it('takes 40 hexadecimal digits in either case and gives them in lower case', () => {
    expect(isTorrentId(HASH.toUpperCase())).toBe(true);
    expect(toHash(HASH.toUpperCase())).toBe(HASH);
    expect(toHashes([HASH.toUpperCase(), OTHER, HASH])).toEqual([HASH, OTHER]);
  });

  it.each([
    ['too short', 'ab'.repeat(19)],
    ['too long', `${HASH}0`],
    ['not hexadecimal', `${'ab'.repeat(19)}zz`],
    ['padded', ` ${HASH}`],
  ])('refuses an id that is %s, quoting it', (_, id) => {
    expect(isTorrentId(id)).toBe(false);
    const error = errorOf(() => toHash(id));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe(`"${id}" is not a torrent id (40 hexadecimal digits).`);
  });

  it('refuses an empty id list, and a list with one bad id', () => {
    expect(errorOf(() => toHashes([]))).toMatchObject({ code: 'invalid-argument', message: 'No torrent ids given.' });
    expect(errorOf(() => toHashes([HASH, 'xyz']))).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('"xyz"') });
  });

  it('names the missing torrents by their model (lower-case) ids', () => {
    const error = notFound([HASH.toUpperCase(), OTHER]);
    expect(error).toMatchObject({ code: 'not-found', message: `No torrent ${HASH}, ${OTHER} on this seedbox.`, details: { ids: `${HASH},${OTHER}` } });
  });
});

describe('speed limits', () => {
  it('passes whole numbers of bytes per second, 0 included', () => {
    expect(checkRate(0)).toBe(0);
    expect(checkRate(1_048_576)).toBe(1_048_576);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (rate) => {
    expect(errorOf(() => checkRate(rate))).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining(`not ${rate}.`) });
  });
});

describe('file indexes', () => {
  it('passes indexes within the torrent', () => {
    expect(checkFileIndexes(HASH, [0, 2], 3)).toEqual([0, 2]);
  });

  it('refuses an empty list, which some daemons read as every file', () => {
    expect(errorOf(() => checkFileIndexes(HASH, [], 3))).toMatchObject({ code: 'invalid-argument', message: 'No file indexes given.' });
  });

  it('names the files that do not exist, and how many there are', () => {
    const error = errorOf(() => checkFileIndexes(HASH.toUpperCase(), [1, 3, -1, 0.5], 3));
    expect(error).toMatchObject({
      code: 'not-found',
      message: `Torrent ${HASH} has 3 file(s) (0 to 2); there is no file 3, -1, 0.5.`,
      details: { id: HASH },
    });
  });

  it('says a torrent without metadata has no files yet', () => {
    expect(errorOf(() => checkFileIndexes(HASH, [0], 0)).message).toBe(
      `Torrent ${HASH} has no files yet (a magnet without its metadata); there is no file 0.`,
    );
  });
});

describe('queue moves', () => {
  const methods: Record<QueueMove, string> = { up: 'q.up', down: 'q.down', top: 'q.top', bottom: 'q.bottom' };

  it('gives the daemon’s name for each of the four moves', () => {
    expect((['up', 'down', 'top', 'bottom'] as const).map((move) => queueMethod(methods, move))).toEqual(['q.up', 'q.down', 'q.top', 'q.bottom']);
  });

  it.each(['sideways', 'constructor', 'toString'])('refuses "%s", inherited names included', (move) => {
    expect(errorOf(() => queueMethod(methods, move as QueueMove))).toMatchObject({
      code: 'invalid-argument',
      message: `A queue move is up, down, top or bottom, not "${move}".`,
    });
  });
});

describe('torrent URLs', () => {
  it('passes http and https URLs unchanged', () => {
    for (const url of ['http://tracker.example/a.torrent?passkey=1', 'https://tracker.example/b.torrent']) {
      expect(checkTorrentUrl(url, 'Transmission')).toBe(url);
    }
  });

  it('refuses other schemes naming the daemon, and text that is no URL', () => {
    expect(errorOf(() => checkTorrentUrl('ftp://tracker.example/a.torrent', 'qBittorrent'))).toMatchObject({
      code: 'invalid-argument',
      message: 'qBittorrent downloads torrents from http(s):// URLs, not ftp://.',
    });
    expect(errorOf(() => checkTorrentUrl('not a url', 'Transmission')).message).toBe('The torrent URL is not a valid URL.');
  });
});

describe('files to skip of an add', () => {
  const file = { kind: 'file' as const, bytes: new Uint8Array(1), fileName: 'linux.torrent' };

  it('gives none for none, and the indexes sorted otherwise', () => {
    expect(checkSkipFiles(file, undefined, 3)).toEqual([]);
    expect(checkSkipFiles(file, [], 3)).toEqual([]);
    expect(checkSkipFiles(file, [2, 0], 3)).toEqual([0, 2]);
  });

  it('refuses an index the torrent does not have, or one given twice, naming the file', () => {
    const past = errorOf(() => checkSkipFiles(file, [3], 3));
    expect(past.code).toBe('invalid-argument');
    expect(past.message).toBe('Cannot skip those files of linux.torrent: the torrent has 3 file(s), numbered 0 to 2.');
    expect(past.details).toEqual({ fileCount: 3 });
    expect(errorOf(() => checkSkipFiles(file, [1, 1], 3)).message).toMatch(/listed twice/);
    expect(errorOf(() => checkSkipFiles(file, [0.5], 3)).message).toMatch(/whole number/);
  });

  it('refuses files to skip with a magnet link or URL: unsupported, since they have no file list yet', () => {
    const magnet = errorOf(() => checkSkipFiles({ kind: 'magnet', uri: 'magnet:?xt=urn:btih:x' }, [0], undefined));
    expect(magnet.code).toBe('unsupported');
    expect(magnet.message).toMatch(/^Files can be skipped only when adding a \.torrent file: a magnet link has no file list/);
    expect(errorOf(() => checkSkipFiles({ kind: 'url', url: 'https://example.org/a.torrent' }, [0], undefined)).message).toMatch(/a URL has no file list/);
    // Without files to skip a magnet is fine.
    expect(checkSkipFiles({ kind: 'magnet', uri: 'magnet:?xt=urn:btih:x' }, [], undefined)).toEqual([]);
  });

  it('says, when an add fails part-way, whether the torrent was removed again', () => {
    const cause = new SeedboxError('rpc-fault', 'The daemon refused.', { method: 'f.priority.set' });
    const removed = addUndone(cause, HASH, true);
    expect(removed.code).toBe('rpc-fault');
    expect(removed.message).toBe('The daemon refused. The torrent was removed again; nothing of it was downloaded.');
    expect(removed.details).toEqual({ method: 'f.priority.set', id: HASH, removed: true });
    expect(addUndone(cause, HASH, false).message).toBe(`The daemon refused. The torrent stays on the seedbox, stopped (${HASH}): remove it or set its files there.`);
  });
});

describe('directories on the seedbox', () => {
  it('passes absolute POSIX paths and Windows drive paths unchanged', () => {
    for (const path of ['/', '/srv/data ü', 'C:\\Downloads', 'd:/torrents']) expect(checkAbsoluteDirectory(path, 'target directory')).toBe(path);
  });

  it.each(['relative/path', '  ', '', '~/data', 'C:relative'])('refuses "%s", which the daemon would resolve against its working directory', (path) => {
    const error = errorOf(() => checkAbsoluteDirectory(path, 'target directory'));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain('target directory must be an absolute path');
  });
});
