// What the add dialog starts from: dropped or pasted .torrent files, magnet links and URLs,
// read in the window before anything is sent (the dialog validates and adds them).
import type { AddSource } from '../../../electron/shared/model';
import { MAX_TORRENT_FILE_BYTES } from '../../../electron/shared/limits';
import { readMagnet } from '../../../electron/shared/magnet';

export type AddSourceDraft =
  | { kind: 'file'; fileName: string; bytes: Uint8Array }
  | { kind: 'magnet'; uri: string }
  | { kind: 'url'; url: string };

const MAX_URI_LENGTH = 65_536;
const MAX_URL_LENGTH = 8192;
const INFO_HASH_HEX = /^[0-9a-f]{40}$/i;

/** Magnet links, http(s) URLs and bare 40-hex info-hashes found in pasted or dropped text, one per token. */
export function sourcesFromText(text: string): AddSourceDraft[] {
  const sources: AddSourceDraft[] = [];
  for (const raw of text.split(/[\s<>"']+/)) {
    const token = raw.trim();
    if (!token) continue;
    if (/^magnet:\?/i.test(token) && token.length <= MAX_URI_LENGTH) {
      sources.push({ kind: 'magnet', uri: `magnet:${token.slice('magnet:'.length)}` });
    } else if (/^https?:\/\/[^/\s]+/i.test(token) && token.length <= MAX_URL_LENGTH) {
      sources.push({ kind: 'url', url: token });
    } else if (INFO_HASH_HEX.test(token)) {
      sources.push({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${token.toLowerCase()}` });
    }
  }
  return dedupeSources(sources);
}

export function isTorrentFile(file: Pick<File, 'name' | 'type'>): boolean {
  return /\.torrent$/i.test(file.name) || file.type === 'application/x-bittorrent';
}

/** Reads what was dropped on the window: .torrent files first, else magnet/URL text. */
export async function sourcesFromDataTransfer(dt: DataTransfer): Promise<AddSourceDraft[]> {
  const files = Array.from(dt.files ?? []).filter((file) => isTorrentFile(file) && file.size <= MAX_TORRENT_FILE_BYTES);
  const fromFiles = await Promise.all(
    files.map(async (file): Promise<AddSourceDraft> => ({ kind: 'file', fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })),
  );
  // A link dragged from a browser comes as text/uri-list (comment lines start with #) and text/plain.
  const uriList = dt.getData('text/uri-list')
    .split(/\r?\n/)
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  const fromText = sourcesFromText(`${uriList}\n${dt.getData('text/plain')}`);
  return dedupeSources([...fromFiles, ...fromText]);
}

/** What the OS handed to the app (app:addRequest) as drafts for the dialog. */
export function draftsFromAddSources(sources: readonly AddSource[]): AddSourceDraft[] {
  return sources.map((source, index) =>
    source.kind === 'file' ? { kind: 'file', fileName: source.fileName ?? `torrent-${index + 1}.torrent`, bytes: source.bytes } : source,
  );
}

function sourceKey(source: AddSourceDraft): string {
  if (source.kind === 'file') return `file:${source.fileName}:${source.bytes.byteLength}`;
  return source.kind === 'magnet' ? `magnet:${magnetHash(source.uri) ?? source.uri}` : `url:${source.url}`;
}

/** The info-hash of a magnet, so the same torrent pasted twice (hex or base32) is one source. */
function magnetHash(uri: string): string | null {
  const reading = readMagnet(uri);
  return reading.ok ? reading.magnet.infoHash : null;
}

export function dedupeSources(sources: readonly AddSourceDraft[]): AddSourceDraft[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = sourceKey(source);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
