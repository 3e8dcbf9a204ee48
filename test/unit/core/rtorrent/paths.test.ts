import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planDataRemoval, planMove, type TorrentLayout } from '../../../../electron/core/clients/rtorrent/paths';
import { errorOf } from '../../../helpers/errors';

const ID = '0123456789abcdef0123456789abcdef01234567';

const multi = (directory: string, files: string[]): TorrentLayout => ({ id: ID, directory, isMultiFile: true, files });
const single = (directory: string, file: string): TorrentLayout => ({ id: ID, directory, isMultiFile: false, files: [file] });

describe('planDataRemoval', () => {
  it('removes exactly the one file of a single-file torrent and no directory', () => {
    expect(planDataRemoval(single('/home/me/downloads', 'movie.mkv'))).toEqual({
      base: '/home/me/downloads',
      files: ['/home/me/downloads/movie.mkv'],
      directories: [],
    });
  });

  it('normalizes the directory (trailing slashes, "." and inner "..") before joining', () => {
    expect(planDataRemoval(single('/home/me//downloads/./x/../', 'a.iso')).files).toEqual(['/home/me/downloads/a.iso']);
  });

  it('refuses a single-file torrent that reports several files', () => {
    const several = errorOf(() => planDataRemoval({ id: ID, directory: '/d', isMultiFile: false, files: ['a', 'b'] }));
    expect(several.code).toBe('refused');
    expect(several.message).toMatch(/several files/);
  });

  it('plans nothing, not even a folder, for a magnet that has no files yet (its directory is the default one)', () => {
    expect(planDataRemoval({ id: ID, directory: '/downloads', isMultiFile: false, files: [] })).toEqual({ base: '/downloads', files: [], directories: [] });
    expect(planDataRemoval(multi('/downloads', []))).toEqual({ base: '/downloads', files: [], directories: [] });
  });

  it('for a multi-file torrent lists every file and every folder, deepest first, the base last', () => {
    const plan = planDataRemoval(multi('/data/Album', ['disc1/a/01.flac', 'disc1/02.flac', 'disc2/b/c/03.flac', 'cover.jpg']));
    expect(plan.files).toEqual([
      '/data/Album/disc1/a/01.flac',
      '/data/Album/disc1/02.flac',
      '/data/Album/disc2/b/c/03.flac',
      '/data/Album/cover.jpg',
    ]);
    expect(new Set(plan.directories)).toEqual(
      new Set(['/data/Album/disc2/b/c', '/data/Album/disc2/b', '/data/Album/disc2', '/data/Album/disc1/a', '/data/Album/disc1', '/data/Album']),
    );
    expect(plan.directories).toHaveLength(6);
    expect(plan.directories.at(-1)).toBe('/data/Album');
    for (const [index, directory] of plan.directories.entries()) {
      // No directory may come after one of its own ancestors.
      for (const later of plan.directories.slice(index + 1)) expect(later.startsWith(`${directory}/`)).toBe(false);
    }
  });

  it('lists only the base when all files sit at the top', () => {
    expect(planDataRemoval(multi('/data/T/', ['a', 'b'])).directories).toEqual(['/data/T']);
  });

  it('never lists a directory outside the base, even when the base is one level below /', () => {
    const plan = planDataRemoval(multi('/T', ['x/y/z', 'w']));
    expect(plan.directories).toEqual(['/T/x/y', '/T/x', '/T']);
  });

  it('keeps names with spaces, dots and unicode as they are', () => {
    const plan = planDataRemoval(multi('/data/Ünï cødé', ['..hidden/...', 'a b/ c .txt', '🎉/x']));
    expect(plan.files).toEqual(['/data/Ünï cødé/..hidden/...', '/data/Ünï cødé/a b/ c .txt', '/data/Ünï cødé/🎉/x']);
    expect(plan.directories).toContain('/data/Ünï cødé/..hidden');
  });

  const badDirectories: [string, string, RegExp][] = [
    ['a relative directory', 'downloads/T', /is not an absolute path/],
    ['an empty directory', '', /is not an absolute path/],
    ['a home-relative directory', '~/T', /is not an absolute path/],
    ['the root directory', '/', /is the root directory/],
    ['the root with extra slashes', '///', /is the root directory/],
    ['a directory that normalizes to the root', '/data/..', /is the root directory/],
    ['a directory with a NUL byte', '/data/T\0x', /is not an absolute path/],
  ];
  it.each(badDirectories)('refuses %s', (_label, directory, message) => {
    for (const layout of [multi(directory, ['a']), single(directory, 'a')]) {
      const error = errorOf(() => planDataRemoval(layout));
      expect(error.code).toBe('refused');
      expect(error.message).toMatch(message);
      expect(error.message).toContain(ID);
      expect(error.details).toEqual({ id: ID });
    }
  });

  const badFiles: [string, string][] = [
    ['".." at the start', '../etc/passwd'],
    ['".." in the middle', 'a/../../etc/passwd'],
    ['".." alone', '..'],
    ['"." as a segment', 'a/./b'],
    ['an absolute path', '/etc/passwd'],
    ['an empty path', ''],
    ['an empty segment', 'a//b'],
    ['a trailing slash', 'a/'],
  ];
  it.each(badFiles)('refuses a file path with %s', (_label, file) => {
    const fromMulti = errorOf(() => planDataRemoval(multi('/data/T', ['fine.txt', file])));
    expect(fromMulti.code).toBe('refused');
    expect(fromMulti.message).toMatch(/would leave the torrent's folder/);
    expect(fromMulti.message).toContain(`"${file}"`);
    expect(errorOf(() => planDataRemoval(single('/data', file))).code).toBe('refused');
  });

  it('every planned path lies inside the base (property)', () => {
    const segment = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', '.', ' ', 'é') })
      .filter((text) => text !== '.' && text !== '..');
    const relative = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.array(relative, { minLength: 1, maxLength: 6 }), (files) => {
        const base = '/srv/data/T';
        const plan = planDataRemoval(multi(base, files));
        expect(plan.files).toHaveLength(files.length);
        for (const file of plan.files) expect(file.startsWith(`${base}/`)).toBe(true);
        for (const directory of plan.directories) expect(directory === base || directory.startsWith(`${base}/`)).toBe(true);
        expect(plan.directories.at(-1)).toBe(base);
        expect(new Set(plan.directories).size).toBe(plan.directories.length);
        const depths = plan.directories.map((directory) => directory.split('/').length);
        expect(depths).toEqual([...depths].sort((a, b) => b - a));
      }),
      { numRuns: 300 },
    );
  });
});

describe('planMove', () => {
  const move = (layout: TorrentLayout, name: string, target: string) => planMove({ ...layout, name, target });

  it('moves a multi-file torrent folder to <target>/<name>', () => {
    expect(move(multi('/data/incoming/Album', ['a', 'b/c']), 'Album', '/data/music')).toEqual({
      source: '/data/incoming/Album',
      destination: '/data/music/Album',
    });
  });

  it('moves a single file to <target>/<file>', () => {
    expect(move(single('/data/incoming', 'movie.mkv'), 'movie.mkv', '/data/films/')).toEqual({
      source: '/data/incoming/movie.mkv',
      destination: '/data/films/movie.mkv',
    });
  });

  it('moves into the root directory', () => {
    expect(move(single('/data', 'f.bin'), 'f.bin', '/')).toEqual({ source: '/data/f.bin', destination: '/f.bin' });
    expect(move(multi('/data/T', ['a']), 'T', '/')).toEqual({ source: '/data/T', destination: '/T' });
  });

  it('normalizes the target', () => {
    expect(move(multi('/a/T', ['x']), 'T', '/b//c/./d/../')).toEqual({ source: '/a/T', destination: '/b/c/T' });
  });

  it('returns null when the data is already there', () => {
    expect(move(multi('/data/music/Album', ['a']), 'Album', '/data/music')).toBeNull();
    expect(move(multi('/data/music/Album/', ['a']), 'Album', '/data/music/')).toBeNull();
    expect(move(single('/data/films', 'movie.mkv'), 'movie.mkv', '/data/films')).toBeNull();
    expect(move(single('/data//films', 'movie.mkv'), 'movie.mkv', '/data/./films//')).toBeNull();
  });

  it('moves next to itself when the folder name differs from the torrent name', () => {
    expect(move(multi('/data/old-name', ['a']), 'New Name', '/data')).toEqual({ source: '/data/old-name', destination: '/data/New Name' });
  });

  it('refuses to move a multi-file torrent into itself or below itself', () => {
    for (const target of ['/data/Album', '/data/Album/', '/data/Album/sub', '/data/Album/a/b']) {
      const error = errorOf(() => move(multi('/data/Album', ['a']), 'Album', target));
      expect(error.code).toBe('refused');
      expect(error.message).toMatch(/into itself/);
      expect(error.details).toEqual({ id: ID });
    }
  });

  it('refuses to move a single file "into" itself', () => {
    expect(errorOf(() => move(single('/data', 'f.bin'), 'f.bin', '/data/f.bin')).message).toMatch(/into itself/);
  });

  it('allows a sibling whose name merely starts with the source name', () => {
    expect(move(multi('/data/Album', ['a']), 'Album', '/data/Album2')).toEqual({ source: '/data/Album', destination: '/data/Album2/Album' });
  });

  it('refuses a relative or empty target with invalid-argument', () => {
    for (const target of ['data/music', '', '~/music', './x']) {
      const error = errorOf(() => move(multi('/data/T', ['a']), 'T', target));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toMatch(/must be an absolute path/);
      expect(error.message).toContain(`"${target}"`);
    }
  });

  it('says "moving", not "deleting", when it refuses a move', () => {
    for (const run of [() => move(multi('/', ['a']), 'T', '/x'), () => move(multi('/data/T', ['a']), '..', '/x')]) {
      const error = errorOf(run);
      expect(error.code).toBe('refused');
      expect(error.message).not.toMatch(/delet/i);
    }
  });

  it('refuses an unsafe source directory', () => {
    expect(errorOf(() => move(multi('relative/T', ['a']), 'T', '/x')).code).toBe('refused');
    expect(errorOf(() => move(multi('/', ['a']), 'T', '/x')).code).toBe('refused');
  });

  it('refuses a torrent name or file name that would leave the target', () => {
    for (const name of ['..', '.', '', '/abs', 'a/../..']) {
      expect(errorOf(() => move(multi('/data/T', ['a']), name, '/x')).code).toBe('refused');
    }
    expect(errorOf(() => move(single('/data', '../f'), '../f', '/x')).code).toBe('refused');
    expect(errorOf(() => move({ id: ID, directory: '/data', isMultiFile: false, files: [] }, 'f', '/x')).code).toBe('refused');
  });
});
