import { createHash } from 'node:crypto';
import bencode from 'bencode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TORRENT_FILE_BYTES, parseTorrentFile, summarizeMetainfo, TORRENT_LIMITS, type TorrentMetainfo } from '../../../../electron/core/torrent/metainfo';
import { SeedboxError } from '../../../../electron/shared/errors';
import { craftManyFileTorrent, makeTorrent } from '../../../helpers/torrents';

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('hex');
/** A bencoded byte string, its length counted in bytes. */
const bstr = (text: string | Buffer): Buffer => {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([latin1(`${data.length}:`), data]);
};
const PIECES_20 = Buffer.alloc(20, 0xab);

/** The technical reason the parser keeps out of its one-sentence message. */
function reasonOf(error: SeedboxError): string {
  return String(error.details['reason']);
}

function invalidTorrent(bytes: Uint8Array, fileName?: string): SeedboxError {
  try {
    if (fileName === undefined) parseTorrentFile(bytes);
    else parseTorrentFile(bytes, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedboxError);
    expect((error as SeedboxError).code).toBe('invalid-torrent');
    return error as SeedboxError;
  }
  throw new Error('expected a SeedboxError, the torrent was accepted');
}

/** A valid info dictionary as an object for bencode.encode; override or delete fields. */
function info(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = { name: 'sample', 'piece length': 16384, pieces: PIECES_20, length: 5 };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete base[key];
    else base[key] = value;
  }
  return base;
}

const torrentWith = (infoDict: unknown, root: Record<string, unknown> = {}): Uint8Array =>
  bencode.encode({ announce: 'http://t.example/announce', ...root, info: infoDict });

describe('parseTorrentFile: valid torrents', () => {
  it('reads a single-file torrent made by the test helper', () => {
    const made = makeTorrent({
      dataParent: '/nonexistent',
      name: 'hello.txt',
      files: [{ path: '', content: 'hello world' }],
      writeData: false,
    });
    const meta = parseTorrentFile(made.bytes);
    expect(meta).toEqual<TorrentMetainfo>({
      infoHash: made.infoHash,
      name: 'hello.txt',
      totalBytes: 11,
      files: [{ path: 'hello.txt', sizeBytes: 11 }],
      trackers: [['http://127.0.0.1:9/announce']],
      isPrivate: true,
    });
    expect(meta.infoHash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads a multi-file torrent with nested folders, keeping the torrent order', () => {
    const made = makeTorrent({
      dataParent: '/nonexistent',
      name: 'Album',
      files: [
        { path: 'disc 2/track.flac', content: Buffer.alloc(40_000, 1) },
        { path: 'cover.jpg', content: 'jpeg' },
        { path: 'disc 1/extras/empty.txt', content: '' },
      ],
      writeData: false,
    });
    const meta = parseTorrentFile(made.bytes);
    expect(meta.name).toBe('Album');
    expect(meta.infoHash).toBe(made.infoHash);
    expect(meta.files).toEqual([
      { path: 'disc 2/track.flac', sizeBytes: 40_000 },
      { path: 'cover.jpg', sizeBytes: 4 },
      { path: 'disc 1/extras/empty.txt', sizeBytes: 0 },
    ]);
    expect(meta.totalBytes).toBe(40_004);
  });

  it('keeps announce-list tiers, drops empty tiers and entries, and ignores announce then', () => {
    const bytes = torrentWith(info(), {
      announce: 'http://ignored.example/announce',
      'announce-list': [
        ['http://a.example/announce', 'http://b.example/announce'],
        [],
        ['', 'udp://c.example:6969/announce'],
        [42],
      ],
    });
    expect(parseTorrentFile(bytes).trackers).toEqual([
      ['http://a.example/announce', 'http://b.example/announce'],
      ['udp://c.example:6969/announce'],
    ]);
  });

  it('falls back to announce when the announce-list has no usable tier, and to nothing without either', () => {
    const onlyEmpty = torrentWith(info(), { announce: 'http://solo.example/announce', 'announce-list': [[], ['']] });
    expect(parseTorrentFile(onlyEmpty).trackers).toEqual([['http://solo.example/announce']]);
    const none = bencode.encode({ info: info() });
    expect(parseTorrentFile(none).trackers).toEqual([]);
  });

  it('tiers from the helper come one tracker per tier', () => {
    const made = makeTorrent({
      dataParent: '/nonexistent',
      name: 'x.bin',
      files: [{ path: '', content: 'x' }],
      trackers: ['http://one/announce', 'http://two/announce'],
      writeData: false,
    });
    expect(parseTorrentFile(made.bytes).trackers).toEqual([['http://one/announce'], ['http://two/announce']]);
  });

  it('prefers name.utf-8 and path.utf-8 over the legacy fields', () => {
    const bytes = torrentWith(
      info({
        name: latin1('caf\xe9'),
        'name.utf-8': 'Café 🎉',
        length: undefined,
        files: [
          { length: 3, path: ['legacy'], 'path.utf-8': ['Ünïcødé', 'fïlé.txt'] },
          { length: 4, path: ['plain.txt'] },
        ],
      }),
    );
    const meta = parseTorrentFile(bytes);
    expect(meta.name).toBe('Café 🎉');
    expect(meta.files).toEqual([
      { path: 'Ünïcødé/fïlé.txt', sizeBytes: 3 },
      { path: 'plain.txt', sizeBytes: 4 },
    ]);
    expect(meta.totalBytes).toBe(7);
  });

  it('decodes a UTF-8 name given only in "name"', () => {
    expect(parseTorrentFile(torrentWith(info({ name: 'Фильм 2024' }))).name).toBe('Фильм 2024');
  });

  it('is private only when info.private is exactly 1', () => {
    expect(parseTorrentFile(torrentWith(info({ private: 1 }))).isPrivate).toBe(true);
    expect(parseTorrentFile(torrentWith(info({ private: 0 }))).isPrivate).toBe(false);
    expect(parseTorrentFile(torrentWith(info())).isPrivate).toBe(false);
    // A private flag outside the info dictionary does not count (and would not change the hash).
    expect(parseTorrentFile(torrentWith(info(), { private: 1 })).isPrivate).toBe(false);
  });

  it('accepts a zero-length single file and a huge piece count', () => {
    const meta = parseTorrentFile(torrentWith(info({ length: 0, pieces: Buffer.alloc(20 * 5000, 7) })));
    expect(meta.totalBytes).toBe(0);
    expect(meta.files).toEqual([{ path: 'sample', sizeBytes: 0 }]);
  });

  it('hashes the raw info bytes of a sorted dictionary (same as re-encoding)', () => {
    const infoDict = info({ private: 1 });
    const bytes = torrentWith(infoDict);
    expect(parseTorrentFile(bytes).infoHash).toBe(sha1(bencode.encode(infoDict)));
  });

  it('hashes the original info bytes even when the keys are not sorted', () => {
    // Keys in the order a careless creator might write them: name, pieces, length, piece length.
    const rawInfo = Buffer.concat([
      latin1('d'),
      bstr('name'), bstr('unsorted.bin'),
      bstr('pieces'), bstr(PIECES_20),
      bstr('length'), latin1('i123e'),
      bstr('piece length'), latin1('i16384e'),
      latin1('e'),
    ]);
    // Root keys unsorted too, with "info" in the middle and something after it.
    const bytes = Buffer.concat([
      latin1('d'),
      bstr('info'), rawInfo,
      bstr('announce'), bstr('http://z.example/announce'),
      bstr('comment'), bstr('after info'),
      latin1('e'),
    ]);
    const meta = parseTorrentFile(bytes);
    expect(meta.infoHash).toBe(sha1(rawInfo));
    // The test means something only if re-encoding would have changed the bytes.
    const reencoded = bencode.encode(bencode.decode(rawInfo));
    expect(Buffer.from(reencoded).equals(rawInfo)).toBe(false);
    expect(meta.infoHash).not.toBe(sha1(reencoded));
    expect(meta).toMatchObject({ name: 'unsorted.bin', totalBytes: 123, trackers: [['http://z.example/announce']] });
  });

  it('takes the top-level info, not a nested dictionary under an "info" key', () => {
    const realInfo = Buffer.from(bencode.encode(info({ name: 'real' })));
    const fakeInfo = Buffer.from(bencode.encode(info({ name: 'fake' })));
    const bytes = Buffer.concat([
      latin1('d'),
      bstr('a'), latin1('d'), bstr('info'), fakeInfo, latin1('e'),
      bstr('info'), realInfo,
      bstr('z'), latin1('l'), latin1('d'), bstr('info'), fakeInfo, latin1('e'), latin1('e'),
      latin1('e'),
    ]);
    const meta = parseTorrentFile(bytes);
    expect(meta.name).toBe('real');
    expect(meta.infoHash).toBe(sha1(realInfo));
  });

  it('does not mistake a value equal to "info" for the key', () => {
    const realInfo = Buffer.from(bencode.encode(info()));
    const bytes = Buffer.concat([latin1('d'), bstr('a'), bstr('info'), bstr('info'), realInfo, latin1('e')]);
    expect(parseTorrentFile(bytes).infoHash).toBe(sha1(realInfo));
  });

  it('accepts nesting up to the limit (63 lists inside the root dictionary)', () => {
    const deep = latin1(`d${'l'.repeat(63)}${'e'.repeat(63)}`);
    const bytes = Buffer.concat([deep.subarray(0, 1), bstr('deep'), deep.subarray(1), bstr('info'), Buffer.from(bencode.encode(info())), latin1('e')]);
    expect(parseTorrentFile(bytes).name).toBe('sample');
  });
});

describe('parseTorrentFile: invalid torrents', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(), /it is empty/],
    ['a list, not a dictionary', latin1('l4:infoe'), /does not start with a bencoded dictionary/],
    ['a string, not a dictionary', latin1('4:spam'), /does not start with a bencoded dictionary/],
    ['an integer, not a dictionary', latin1('i42e'), /does not start with a bencoded dictionary/],
    ['plain text', latin1('<html>not a torrent</html>'), /does not start with a bencoded dictionary/],
    ['only "d"', latin1('d'), /ends in the middle of a value/],
    ['a dictionary never closed', latin1('d4:infod4:name1:a'), /ends in the middle of a value/],
    ['trailing bytes', latin1('de\n'), /trailing data after the dictionary/],
    ['missing info', latin1('d8:announce3:urle'), /no info dictionary/],
    ['an empty dictionary', latin1('de'), /no info dictionary/],
    ['info is an integer', latin1('d4:infoi1ee'), /no info dictionary/],
    ['info is a string', latin1('d4:info4:abcde'), /no info dictionary/],
    ['info is a list', latin1('d4:infolee'), /no info dictionary/],
    ['a key with no value', latin1('d4:infoe'), /a dictionary key has no value/],
    ['a key that is not a string', latin1('di1e4:infoe'), /a dictionary key is not a string/],
    ['a string length running past the end', latin1('d4:info50:abce'), /a string runs past the end/],
    ['a negative string length', latin1('d4:infol-2:ee'), /unexpected byte 0x2d/],
    ['a negative length as a key', latin1('d-4:infodee'), /a dictionary key is not a string/],
    ['a string length without colon', latin1('d4:info12'), /malformed number/],
    ['an integer with no digits', latin1('d1:ai-ee'), /malformed number/],
    ['an empty integer', latin1('d1:aiee'), /malformed number/],
    ['an integer never closed', latin1('d1:ai12'), /malformed number/],
    ['an integer with 17 digits', latin1('d1:ai12345678901234567ee'), /malformed number/],
    ['a string length with 17 digits', latin1('d1:a12345678901234567:xe'), /malformed number/],
    ['an unknown type byte', latin1('d1:ax1:be'), /unexpected byte 0x78/],
  ];
  it.each(cases)('%s', (_label, bytes, message) => {
    const error = invalidTorrent(bytes);
    expect(reasonOf(error)).toMatch(message);
    expect(error.message).toBe('the file is not a torrent file.');
  });

  it('names the file in the message and the details', () => {
    const error = invalidTorrent(latin1('garbage'), 'movie.torrent');
    expect(error.message).toBe('movie.torrent is not a torrent file.');
    expect(error.details).toEqual({ fileName: 'movie.torrent', reason: 'it does not start with a bencoded dictionary.' });
  });

  it('refuses a file larger than the bound without scanning it', () => {
    const bytes = new Uint8Array(MAX_TORRENT_FILE_BYTES + 1);
    bytes[0] = 0x64;
    expect(reasonOf(invalidTorrent(bytes))).toMatch(/larger than 64 MiB/);
  });

  it('refuses truncation at every position of a valid torrent', () => {
    const bytes = makeTorrent({
      dataParent: '/nonexistent',
      name: 'multi',
      files: [{ path: 'a/b', content: 'x' }, { path: 'c', content: 'yy' }],
      trackers: ['http://a/announce', 'http://b/announce'],
      writeData: false,
    }).bytes;
    expect(() => parseTorrentFile(bytes)).not.toThrow();
    for (let end = 0; end < bytes.length; end++) invalidTorrent(bytes.subarray(0, end));
  });

  describe('limits that keep a crafted torrent from exhausting memory', () => {
    it.each([
      ['more than 3 000 000 bencoded values, before decoding', craftManyFileTorrent(500_001), 'values', /holds more than 3000000 bencoded values/],
      ['more than 200 000 files', craftManyFileTorrent(200_001), 'files', /lists more than 200000 files/],
      ['a path 65 parts deep', craftManyFileTorrent(2, { path: '1:a'.repeat(65) }), 'pathDepth', /file 0 is more than 64 folders deep/],
      ['a path of 4097 characters', craftManyFileTorrent(2, { path: `4097:${'a'.repeat(4097)}` }), 'pathChars', /the path of file 0 is longer than 4096 characters/],
    ] as const)('refuses %s, naming the limit', (_label, bytes, limit, message) => {
      const error = invalidTorrent(bytes, 'crafted.torrent');
      expect(error.message).toBe('crafted.torrent is too large a torrent to open.');
      expect(reasonOf(error)).toMatch(message);
      expect(error.details).toEqual({ fileName: 'crafted.torrent', reason: expect.any(String), limit, maximum: TORRENT_LIMITS[limit] });
    });

    it('takes what is just within them', () => {
      expect(parseTorrentFile(craftManyFileTorrent(2, { path: '1:a'.repeat(64) })).files[0]!.path).toBe(Array(64).fill('a').join('/'));
      expect(parseTorrentFile(craftManyFileTorrent(200_000)).files).toHaveLength(200_000);
    });

    it('summarizes for the window: the first 5 000 files, their count, at most 200 trackers', () => {
      const meta: TorrentMetainfo = {
        infoHash: '0'.repeat(40),
        name: 'n',
        totalBytes: 6000,
        files: Array.from({ length: 6000 }, (_, index) => ({ path: `f${index}`, sizeBytes: 1 })),
        trackers: [Array.from({ length: 150 }, (_, index) => `http://a${index}/`), Array.from({ length: 150 }, (_, index) => `http://b${index}/`)],
        isPrivate: false,
      };
      const summary = summarizeMetainfo(meta);
      expect(summary.fileCount).toBe(6000);
      expect(summary.files).toHaveLength(5000);
      expect(summary.trackers.map((tier) => tier.length)).toEqual([150, 50]);
    });
  });

  it('refuses nesting 65 levels deep', () => {
    const bytes = latin1(`d1:a${'l'.repeat(64)}${'e'.repeat(64)}e`);
    expect(reasonOf(invalidTorrent(bytes))).toMatch(/nested too deeply/);
    // Deeper still, and never closed: still the same answer, no stack overflow.
    const deeper = latin1(`d1:a${'l'.repeat(100_000)}`);
    expect(reasonOf(invalidTorrent(deeper))).toMatch(/nested too deeply/);
  });

  it('refuses nested dictionaries too deep inside info', () => {
    let nested = 'i1e';
    for (let level = 0; level < 70; level++) nested = `d1:k${nested}e`;
    expect(reasonOf(invalidTorrent(latin1(`d4:info${nested}e`)))).toMatch(/nested too deeply/);
  });

  const infoCases: [string, Record<string, unknown>, RegExp][] = [
    ['missing name', { name: undefined }, /has no name/],
    ['an empty name', { name: '' }, /has no name/],
    ['a name that is an integer', { name: 7 }, /has no name/],
    ['missing piece length', { 'piece length': undefined }, /piece length is missing/],
    ['a zero piece length', { 'piece length': 0 }, /piece length is missing/],
    ['a negative piece length', { 'piece length': -16384 }, /piece length is missing/],
    ['a piece length that is a string', { 'piece length': '16384' }, /piece length is missing/],
    ['missing pieces', { pieces: undefined }, /piece hashes are missing or malformed/],
    ['pieces of 19 bytes', { pieces: Buffer.alloc(19) }, /piece hashes are missing or malformed/],
    ['pieces of 41 bytes', { pieces: Buffer.alloc(41) }, /piece hashes are missing or malformed/],
    ['pieces as an integer', { pieces: 20 }, /piece hashes are missing or malformed/],
    ['neither length nor files', { length: undefined }, /neither a length nor a file list/],
    ['a negative length', { length: -1 }, /neither a length nor a file list/],
    ['a length that is a string', { length: '5' }, /neither a length nor a file list/],
    ['an empty file list', { length: undefined, files: [] }, /file list is empty/],
    ['a file with a negative length', { length: undefined, files: [{ length: -5, path: ['a'] }] }, /file 0 has no path or length/],
    ['a file without length', { length: undefined, files: [{ path: ['a'] }] }, /file 0 has no path or length/],
    ['a file without path', { length: undefined, files: [{ length: 1 }] }, /file 0 has no path or length/],
    ['a file with an empty path list', { length: undefined, files: [{ length: 1, path: [] }] }, /file 0 has no path or length/],
    ['a file entry that is not a dictionary', { length: undefined, files: [4] }, /file 0 has no path or length/],
    ['a path that is a string', { length: undefined, files: [{ length: 1, path: 'a/b' }] }, /file 0 has no path or length/],
    ['a ".." path component', { length: undefined, files: [{ length: 1, path: ['ok'] }, { length: 1, path: ['..', 'etc', 'passwd'] }] }, /file 1 has an unsafe path/],
    ['a "." path component', { length: undefined, files: [{ length: 1, path: ['.', 'a'] }] }, /file 0 has an unsafe path/],
    ['a "/" inside a path component', { length: undefined, files: [{ length: 1, path: ['a/../../b'] }] }, /file 0 has an unsafe path/],
    ['an absolute path component', { length: undefined, files: [{ length: 1, path: ['/etc/passwd'] }] }, /file 0 has an unsafe path/],
    ['an empty path component', { length: undefined, files: [{ length: 1, path: ['a', '', 'b'] }] }, /file 0 has an unsafe path/],
    ['a non-string path component', { length: undefined, files: [{ length: 1, path: ['a', 3] }] }, /file 0 has an unsafe path/],
    ['an unsafe path.utf-8 beside a safe path', { length: undefined, files: [{ length: 1, path: ['safe'], 'path.utf-8': ['..'] }] }, /file 0 has an unsafe path/],
    ['a name of ".."', { name: '..' }, /not a safe folder name/],
    ['a name of "."', { name: '.' }, /not a safe folder name/],
    ['a name with a slash', { name: '../escape' }, /not a safe folder name/],
    ['a multi-file name with a slash', { name: 'a/b', length: undefined, files: [{ length: 1, path: ['x'] }] }, /not a safe folder name/],
    ['an unsafe name.utf-8 beside a safe name', { name: 'safe', 'name.utf-8': '..' }, /not a safe folder name/],
  ];
  it.each(infoCases)('%s', (_label, fields, message) => {
    expect(reasonOf(invalidTorrent(torrentWith(info(fields))))).toMatch(message);
  });
});

describe('parseTorrentFile: robustness (property tests)', () => {
  const valid = makeTorrent({
    dataParent: '/nonexistent',
    name: 'fuzz',
    files: [
      { path: 'dir/a.bin', content: Buffer.alloc(20_000, 3) },
      { path: 'b.txt', content: 'bee' },
    ],
    trackers: ['http://a.example/announce', 'udp://b.example:1/announce'],
    writeData: false,
  }).bytes;

  /** Runs the parser; anything but a result or an invalid-torrent SeedboxError fails the property. */
  function parsesOrRefuses(bytes: Uint8Array): void {
    let result: TorrentMetainfo;
    try {
      result = parseTorrentFile(bytes);
    } catch (error) {
      if (!(error instanceof SeedboxError) || error.code !== 'invalid-torrent') throw error;
      expect(error.message).toMatch(/^the file is (not a torrent file|too large a torrent to open)\.$/);
      return;
    }
    expect(result.infoHash).toMatch(/^[0-9a-f]{40}$/);
    expect(result.name).not.toBe('');
    expect(result.files.length).toBeGreaterThan(0);
    for (const file of result.files) {
      expect(file.sizeBytes).toBeGreaterThanOrEqual(0);
      expect(file.path.split('/')).not.toContain('..');
    }
    expect(result.totalBytes).toBe(result.files.reduce((sum, file) => sum + file.sizeBytes, 0));
  }

  it('arbitrary bytes give a result or invalid-torrent, never another exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), parsesOrRefuses), { numRuns: 1000 });
  });

  it('arbitrary bytes after a "d" (to get past the first check) likewise', () => {
    const bencodeish = fc.array(fc.constantFrom(...'deil0123456789:-x'.split('').map((c) => c.charCodeAt(0))), { maxLength: 120 });
    fc.assert(
      fc.property(bencodeish, (tail) => parsesOrRefuses(Uint8Array.from([0x64, ...tail]))),
      { numRuns: 1000 },
    );
  });

  it('mutations of a valid torrent (flip, truncate, insert, delete bytes) likewise', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let bytes = Buffer.from(valid);
        for (const step of mutations) {
          const at = bytes.length === 0 ? 0 : step.at % bytes.length;
          if (step.kind === 'flip') {
            if (bytes.length > 0) bytes[at] = step.value;
          } else if (step.kind === 'truncate') {
            bytes = bytes.subarray(0, at);
          } else if (step.kind === 'insert') {
            bytes = Buffer.concat([bytes.subarray(0, at), step.bytes, bytes.subarray(at)]);
          } else {
            bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + step.count)]);
          }
        }
        parsesOrRefuses(bytes);
      }),
      { numRuns: 1500 },
    );
  });

  it('well-formed bencode of arbitrary shape under "info" likewise', () => {
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer({ min: -1000, max: 1_000_000 }),
        fc.constantFrom('', '.', '..', 'a', 'a/b', '/abs', 'Ünï'),
        fc.uint8Array({ maxLength: 45 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('name', 'length', 'path', 'files', 'pieces', 'piece length', 'name.utf-8', 'path.utf-8', 'private', '__proto__', 'constructor', 'toString'), tie('value'), { maxKeys: 5 }),
      ),
    }));
    const infoDict = fc.record(
      {
        name: value,
        'piece length': fc.oneof(fc.constant(16384), value),
        pieces: fc.oneof(fc.constant(PIECES_20), value),
        length: value,
        files: fc.array(fc.record({ length: value, path: fc.oneof(fc.array(value, { maxLength: 3 }), value) }, { requiredKeys: [] }), { maxLength: 3 }),
        private: value,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(infoDict, fc.option(value), (dict, announceList) => {
        parsesOrRefuses(bencode.encode(announceList === null ? { info: dict } : { info: dict, 'announce-list': announceList }));
      }),
      { numRuns: 1000 },
    );
  });

  // bencode.decode builds plain objects, so a "__proto__" key would replace the dictionary's prototype.
  it('a "__proto__" key inside info gives invalid-torrent, not a TypeError', () => {
    // info = { __proto__: <empty string, a Uint8Array>, length: 1 }: assigning "length" on an
    // object whose prototype is a Uint8Array would throw inside bencode.decode.
    parsesOrRefuses(latin1('d4:infod9:__proto__0:6:lengthi1eee'));
    const sorted = Buffer.concat([latin1('d'), bstr('info'), latin1('d'), bstr('__proto__'), bstr(''), bstr('length'), latin1('i1e'), bstr('name'), bstr('a'), bstr('piece length'), latin1('i16384e'), bstr('pieces'), bstr(PIECES_20), latin1('ee')]);
    parsesOrRefuses(sorted);
    expect(reasonOf(invalidTorrent(sorted))).toMatch(/__proto__/);
  });

  it('does not take the name from a "__proto__" dictionary when info has none', () => {
    const bytes = latin1(`d4:infod9:__proto__d4:name4:evile6:lengthi1e12:piece lengthi16384e6:pieces20:${'x'.repeat(20)}ee`);
    expect(reasonOf(invalidTorrent(bytes))).toMatch(/__proto__|has no name/);
  });

  it('refuses a "__proto__" key anywhere (root, a file entry)', () => {
    const valid = Buffer.from(bencode.encode(info()));
    const atRoot = Buffer.concat([latin1('d'), bstr('__proto__'), latin1('de'), bstr('info'), valid, latin1('e')]);
    expect(reasonOf(invalidTorrent(atRoot))).toMatch(/__proto__/);
    const inFile = torrentWith(info({ length: undefined, files: [{ length: 1, path: ['a'], __proto__x: 1 }] }));
    const patched = Buffer.from(Buffer.from(inFile).toString('latin1').replace('10:__proto__x', '9:__proto__'), 'latin1');
    expect(patched.length).toBe(inFile.length - 2);
    expect(reasonOf(invalidTorrent(patched))).toMatch(/__proto__/);
    // A key that merely contains "__proto__" is an ordinary key.
    expect(parseTorrentFile(inFile).files).toEqual([{ path: 'a', sizeBytes: 1 }]);
  });

  it('scans a large flat torrent quickly (no quadratic work)', () => {
    const many = torrentWith(
      info({ length: undefined, files: Array.from({ length: 20_000 }, (_, index) => ({ length: index, path: ['d', `f${index}`] })) }),
    );
    const started = performance.now();
    const meta = parseTorrentFile(many);
    expect(meta.files).toHaveLength(20_000);
    expect(meta.files[19_999]).toEqual({ path: 'd/f19999', sizeBytes: 19_999 });
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
