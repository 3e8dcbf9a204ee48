import { describe, expect, it } from 'vitest';
import { dedupeSources, draftsFromAddSources, sourcesFromDataTransfer, sourcesFromText } from '../../../renderer/src/lib/add-sources';

const HASH = 'c9e15763f722f23e98a29decdfae341b98d53056';

describe('sourcesFromText', () => {
  it('finds magnets, URLs and bare info-hashes, one per line or word, skipping the rest', () => {
    const text = `magnet:?xt=urn:btih:${HASH}&dn=Debian\n  https://example.org/a.torrent  some words\n${HASH.toUpperCase().replace('C9', 'D9')}\nftp://nope`;
    expect(sourcesFromText(text)).toEqual([
      { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}&dn=Debian` },
      { kind: 'url', url: 'https://example.org/a.torrent' },
      { kind: 'magnet', uri: `magnet:?xt=urn:btih:d9e15763f722f23e98a29decdfae341b98d53056` },
    ]);
  });

  it('normalizes the scheme case and drops the same torrent pasted twice', () => {
    const sources = sourcesFromText(`MAGNET:?xt=urn:btih:${HASH}\nmagnet:?xt=urn:btih:${HASH.toUpperCase()}&tr=x`);
    expect(sources).toEqual([{ kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` }]);
  });

  it('returns nothing for text without sources', () => {
    expect(sourcesFromText('hello world, nothing here')).toEqual([]);
    expect(sourcesFromText('')).toEqual([]);
  });
});

function dataTransfer(files: File[], data: Record<string, string>): DataTransfer {
  return { files: files as unknown as FileList, getData: (type: string) => data[type] ?? '', types: Object.keys(data) } as unknown as DataTransfer;
}

describe('sourcesFromDataTransfer', () => {
  it('reads dropped .torrent files as bytes and ignores other files', async () => {
    const bytes = new TextEncoder().encode('d4:infod4:name1:aee');
    const drop = dataTransfer([new File([bytes], 'Debian.torrent'), new File(['x'], 'notes.txt', { type: 'text/plain' })], {});
    const sources = await sourcesFromDataTransfer(drop);
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ kind: 'file', fileName: 'Debian.torrent' });
    expect(Array.from((sources[0] as { bytes: Uint8Array }).bytes)).toEqual(Array.from(bytes));
  });

  it('reads links dragged from a browser (uri-list comments skipped, plain text deduplicated)', async () => {
    const link = `magnet:?xt=urn:btih:${HASH}`;
    const drop = dataTransfer([], { 'text/uri-list': `# from a page\n${link}`, 'text/plain': link });
    expect(await sourcesFromDataTransfer(drop)).toEqual([{ kind: 'magnet', uri: link }]);
  });
});

describe('helpers', () => {
  it('gives OS-handed files a name and keeps magnets as they are', () => {
    const bytes = new Uint8Array([1, 2]);
    expect(draftsFromAddSources([{ kind: 'file', bytes }, { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` }])).toEqual([
      { kind: 'file', fileName: 'torrent-1.torrent', bytes },
      { kind: 'magnet', uri: `magnet:?xt=urn:btih:${HASH}` },
    ]);
  });

  it('dedupes files by name and size', () => {
    const file = { kind: 'file' as const, fileName: 'a.torrent', bytes: new Uint8Array(3) };
    expect(dedupeSources([file, { ...file }, { ...file, bytes: new Uint8Array(4) }])).toHaveLength(2);
  });

  it('dedupes a magnet given once in hex and once in base32', () => {
    // The base32 form of HASH (RFC 4648).
    const base32 = 'ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW';
    const hex = { kind: 'magnet' as const, uri: `magnet:?xt=urn:btih:${HASH}` };
    expect(dedupeSources([hex, { kind: 'magnet', uri: `magnet:?xt=urn:btih:${base32}&dn=again` }])).toEqual([hex]);
  });
});
