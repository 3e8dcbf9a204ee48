// One row of the add dialog per source: what was read locally (name, size, files, info-hash),
// whether it can be added, and what happened when it was.
import { markRaw } from 'vue';
import { call } from '../../api';
import type { InvokeArgs } from '../../../../electron/shared/contract';
import { readMagnet } from '../../../../electron/shared/magnet';
import type { AddSourceDraft } from '../../lib/add-sources';
import { buildFileTree, type FolderNode } from '../../lib/file-tree';
import { errorMessage, errorReason } from '../../stores/toasts';

export type RowState =
  /** Being read (a .torrent goes through main's parser). */
  | 'reading'
  /** Not a torrent: never sent. */
  | 'invalid'
  | 'ready'
  | 'adding'
  /** The box refused it; Add tries again. */
  | 'failed';

export interface SourceRow {
  key: number;
  draft: AddSourceDraft;
  state: RowState;
  title: string;
  /** What the title is, for the row's small caption: the file's name once read, or null for the words naming the source's kind (SOURCE_CAPTIONS). */
  caption: string | null;
  infoHash: string | null;
  sizeBytes: number | null;
  /** A .torrent's files as far as main sends them (the first few thousand); null for magnets and URLs (unknown until the daemon fetches them). */
  tree: FolderNode | null;
  /** All of a .torrent's files, listed or not; those beyond the tree are always downloaded. */
  fileCount: number;
  /** Indexes of the files to download (all of them at first). */
  selected: Set<number>;
  message: string | null;
  /** The technical reason behind the message, shown only on demand. */
  detail: string | null;
}

/** The caption's message for each kind of source, until a .torrent is read. */
export const SOURCE_CAPTIONS = {
  file: 'add.caption.file',
  magnet: 'add.caption.magnet',
  url: 'add.caption.url',
} as const satisfies Record<AddSourceDraft['kind'], string>;

let nextKey = 1;

/** A new row for a draft, already as far as it can be read synchronously. */
export function createRow(draft: AddSourceDraft): SourceRow {
  const row: SourceRow = {
    key: nextKey++,
    draft: markRaw(draft),
    state: 'ready',
    title: '',
    caption: null,
    infoHash: null,
    sizeBytes: null,
    tree: null,
    fileCount: 0,
    selected: new Set(),
    message: null,
    detail: null,
  };
  if (draft.kind === 'file') {
    row.state = 'reading';
    row.title = draft.fileName;
  } else if (draft.kind === 'magnet') {
    // Read as core will read it, so a link shown as ready is one main accepts.
    const parsed = readMagnet(draft.uri);
    if (parsed.ok) {
      row.title = parsed.magnet.displayName.trim() || parsed.magnet.infoHash;
      row.infoHash = parsed.magnet.infoHash;
    } else {
      row.title = draft.uri.length > 80 ? `${draft.uri.slice(0, 80)}…` : draft.uri;
      row.state = 'invalid';
      row.message = parsed.message;
    }
  } else {
    row.title = draft.url;
  }
  return row;
}

/** Reads a .torrent through main's parser; an invalid one only marks its own row. */
export async function readTorrentFile(row: SourceRow): Promise<void> {
  if (row.draft.kind !== 'file') return;
  try {
    const info = await call('torrents:parseFile', { bytes: plainBytes(row.draft.bytes), fileName: row.draft.fileName });
    row.title = info.name;
    row.caption = row.draft.fileName;
    row.infoHash = info.infoHash;
    row.sizeBytes = info.totalBytes;
    row.tree = markRaw(buildFileTree(info.files.map((file, index) => ({ index, path: file.path, sizeBytes: file.sizeBytes }))));
    row.fileCount = info.fileCount;
    row.selected = new Set(row.tree.indexes);
    row.state = 'ready';
  } catch (error) {
    row.state = 'invalid';
    // The parser's own sentence already names the file; its technical reason goes behind "Details".
    row.message = errorMessage(error);
    row.detail = errorReason(error);
  }
}

type WireSource = InvokeArgs<'torrents:add'>['sources'][number];

/** Bytes read from a File or received over IPC are never on a SharedArrayBuffer. */
function plainBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

/** The source as 'torrents:add' takes it; a .torrent carries the files to skip (skipFiles), if any. */
export function toAddSource(draft: AddSourceDraft, skipFiles: number[] = []): WireSource {
  if (draft.kind === 'file') return { kind: 'file', bytes: plainBytes(draft.bytes), fileName: draft.fileName, ...(skipFiles.length > 0 ? { skipFiles } : {}) };
  return draft.kind === 'magnet' ? { kind: 'magnet', uri: draft.uri } : { kind: 'url', url: draft.url };
}

/** Files of the torrent that are not in its tree (too many to list): always downloaded. */
export function unlistedFileCount(row: SourceRow): number {
  return row.tree ? row.fileCount - row.tree.indexes.length : 0;
}

/** File indexes the user unticked: the daemon never downloads them. */
export function unselectedIndexes(row: SourceRow): number[] {
  return row.tree ? row.tree.indexes.filter((index) => !row.selected.has(index)) : [];
}

/** Labels typed in the dialog: one, or several separated by commas. */
export function parseLabels(text: string, multiple: boolean): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (!multiple) return [trimmed];
  return [...new Set(trimmed.split(',').map((label) => label.trim()).filter(Boolean))];
}
