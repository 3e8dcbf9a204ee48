import { describe, expect, it } from 'vitest';
import { INVOKE, skipFilesSchema } from '../../../electron/shared/contract';

const bytes = new TextEncoder().encode('d4:infod4:name1:aee');
const addArgs = (source: Record<string, unknown>): unknown => ({ seedboxId: 'box-a', sources: [source], options: {} });

describe('skipFilesSchema', () => {
  it('takes distinct whole indexes from 0, below the file count when it is known', () => {
    expect(skipFilesSchema(3).parse([2, 0])).toEqual([2, 0]);
    expect(skipFilesSchema().parse([199_999])).toEqual([199_999]);
    expect(skipFilesSchema(3).parse([])).toEqual([]);
  });

  it.each([
    ['an index past the last file', [3], /the torrent has 3 file\(s\), numbered 0 to 2/],
    ['a negative index', [-1], /a file index is 0 or more/],
    ['a fraction', [1.5], /a file index is a whole number/],
    ['a string', ['1'], /a file index is a number/],
    ['an index twice', [1, 1], /a file index is listed twice/],
  ])('refuses %s, saying so', (_, value, message) => {
    const result = skipFilesSchema(3).safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(message);
  });

  it('bounds an unknown torrent by the most files a .torrent may have', () => {
    expect(skipFilesSchema().safeParse([200_000]).success).toBe(false);
  });
});

describe("'torrents:add' carries the files to skip with each .torrent", () => {
  const schema = INVOKE['torrents:add'].args;

  it('passes them through on a file source', () => {
    const parsed = schema.parse(addArgs({ kind: 'file', bytes, fileName: 'a.torrent', skipFiles: [0, 2] })) as { sources: unknown[] };
    expect(parsed.sources[0]).toMatchObject({ kind: 'file', skipFiles: [0, 2] });
  });

  it('refuses bad indexes on a file source', () => {
    expect(schema.safeParse(addArgs({ kind: 'file', bytes, skipFiles: [1, 1] })).success).toBe(false);
    expect(schema.safeParse(addArgs({ kind: 'file', bytes, skipFiles: [-2] })).success).toBe(false);
  });

  it('refuses them on a magnet or URL, which has no file list yet, instead of dropping them', () => {
    expect(schema.safeParse(addArgs({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'a'.repeat(40)}`, skipFiles: [0] })).success).toBe(false);
    expect(schema.safeParse(addArgs({ kind: 'url', url: 'https://example.org/a.torrent', skipFiles: [0] })).success).toBe(false);
    expect(schema.safeParse(addArgs({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'a'.repeat(40)}` })).success).toBe(true);
  });
});
