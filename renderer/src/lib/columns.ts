// The torrent table's columns: how each one sorts and reads, and the user's choice of which
// ones show, in which order and how wide, remembered in localStorage.
import type { MessageKey } from '../../../electron/shared/i18n';
import type { UnitFormat } from '../composables/units';
import { i18n } from '../i18n';
import { nameKeyOf, type SortColumn, type TorrentRow } from './torrent-view';
import { moveBefore } from './order';

/** What a cell's text depends on besides its row; the table builds it once per render, not per row. */
export interface CellContext {
  nowMs: number;
  /** The units preference's and the language's formatters. */
  format: UnitFormat;
}

export interface ColumnDef extends SortColumn {
  id: string;
  /** The header, in the current language (read afresh on each access). */
  readonly label: string;
  /** Pixels. */
  width: number;
  minWidth: number;
  align: 'start' | 'end';
  /** The cell's text (the name, progress, state and labels columns also draw more). */
  text: (row: TorrentRow, context: CellContext) => string;
  /** Descending first: bigger is usually what one looks for (speeds, sizes, dates). */
  descendingFirst?: boolean;
}

const NONE = -1;
/** Connected, then the swarm in brackets: "?" while no tracker has counted it. */
const count = (connected: number, total: number, format: UnitFormat): string => (total === 0 ? format.count(connected) : `${format.count(connected)} (${format.count(total)})`);

/** A column whose header is a message key, translated when read. */
function defineColumn(def: Omit<ColumnDef, 'label'> & { labelKey: MessageKey }): ColumnDef {
  return Object.defineProperty({ ...def, label: '' }, 'label', { enumerable: true, get: () => i18n.global.t(def.labelKey) });
}

export const COLUMNS: readonly ColumnDef[] = [
  defineColumn({ id: 'name', labelKey: 'table.column.name', width: 190, minWidth: 120, align: 'start', sortFields: ['name'], sortKey: nameKeyOf, text: (r) => r.name }),
  defineColumn({ id: 'seedbox', labelKey: 'table.column.seedbox', width: 104, minWidth: 60, align: 'start', sortFields: [], sortKey: (r) => r.seedboxId, text: (r) => r.seedboxId }),
  defineColumn({ id: 'size', labelKey: 'table.column.size', width: 84, minWidth: 60, align: 'end', sortFields: ['sizeBytes'], sortKey: (r) => r.sizeBytes, text: (r, { format }) => format.bytes(r.sizeBytes), descendingFirst: true }),
  defineColumn({ id: 'progress', labelKey: 'table.column.progress', width: 110, minWidth: 70, align: 'start', sortFields: ['progress'], sortKey: (r) => r.progress, text: (r, { format }) => format.percent(r.progress), descendingFirst: true }),
  defineColumn({ id: 'state', labelKey: 'table.column.status', width: 104, minWidth: 70, align: 'start', sortFields: ['state'], sortKey: (r) => r.state, text: (r) => r.state }),
  defineColumn({ id: 'downRate', labelKey: 'table.column.down', width: 76, minWidth: 60, align: 'end', sortFields: ['downRate'], sortKey: (r) => r.downRate, text: (r, { format }) => format.rate(r.downRate), descendingFirst: true }),
  defineColumn({ id: 'upRate', labelKey: 'table.column.up', width: 76, minWidth: 60, align: 'end', sortFields: ['upRate'], sortKey: (r) => r.upRate, text: (r, { format }) => format.rate(r.upRate), descendingFirst: true }),
  defineColumn({ id: 'eta', labelKey: 'table.column.eta', width: 64, minWidth: 50, align: 'end', sortFields: ['etaSeconds'], sortKey: (r) => r.etaSeconds ?? Number.MAX_SAFE_INTEGER, text: (r, { format }) => format.duration(r.etaSeconds) }),
  defineColumn({ id: 'ratio', labelKey: 'table.column.ratio', width: 56, minWidth: 44, align: 'end', sortFields: ['ratio'], sortKey: (r) => (Number.isNaN(r.ratio) ? NONE : r.ratio), text: (r, { format }) => format.ratio(r.ratio), descendingFirst: true }),
  defineColumn({ id: 'seeds', labelKey: 'table.column.seeds', width: 70, minWidth: 44, align: 'end', sortFields: ['seedsConnected'], sortKey: (r) => r.seedsConnected, text: (r, { format }) => count(r.seedsConnected, r.seedsTotal, format), descendingFirst: true }),
  defineColumn({ id: 'peers', labelKey: 'table.column.peers', width: 70, minWidth: 44, align: 'end', sortFields: ['peersConnected'], sortKey: (r) => r.peersConnected, text: (r, { format }) => count(r.peersConnected, r.peersTotal, format), descendingFirst: true }),
  defineColumn({ id: 'uploaded', labelKey: 'table.column.uploaded', width: 84, minWidth: 60, align: 'end', sortFields: ['uploadedBytes'], sortKey: (r) => r.uploadedBytes, text: (r, { format }) => format.bytes(r.uploadedBytes), descendingFirst: true }),
  defineColumn({ id: 'downloaded', labelKey: 'table.column.downloaded', width: 90, minWidth: 60, align: 'end', sortFields: ['downloadedBytes'], sortKey: (r) => r.downloadedBytes, text: (r, { format }) => format.bytes(r.downloadedBytes), descendingFirst: true }),
  defineColumn({ id: 'labels', labelKey: 'table.column.labels', width: 96, minWidth: 60, align: 'start', sortFields: ['labels'], sortKey: (r) => r.labels.join(',').toLowerCase(), text: (r) => r.labels.join(', ') }),
  defineColumn({ id: 'tracker', labelKey: 'table.column.tracker', width: 130, minWidth: 60, align: 'start', sortFields: ['trackerHosts'], sortKey: (r) => r.trackerHosts[0] ?? '', text: (r) => r.trackerHosts.join(', ') }),
  defineColumn({ id: 'added', labelKey: 'table.column.added', width: 78, minWidth: 60, align: 'end', sortFields: ['addedAt'], sortKey: (r) => r.addedAt ?? NONE, text: (r, { nowMs, format }) => format.relativeTime(r.addedAt, nowMs), descendingFirst: true }),
  defineColumn({ id: 'completed', labelKey: 'table.column.completed', width: 90, minWidth: 60, align: 'end', sortFields: ['completedAt'], sortKey: (r) => r.completedAt ?? NONE, text: (r, { nowMs, format }) => format.relativeTime(r.completedAt, nowMs), descendingFirst: true }),
  defineColumn({ id: 'savePath', labelKey: 'table.column.savePath', width: 200, minWidth: 80, align: 'start', sortFields: ['savePath'], sortKey: (r) => r.savePath, text: (r) => r.savePath }),
  defineColumn({ id: 'queue', labelKey: 'table.column.queue', width: 44, minWidth: 36, align: 'end', sortFields: ['queuePosition'], sortKey: (r) => r.queuePosition ?? Number.MAX_SAFE_INTEGER, text: (r) => (r.queuePosition === null ? '' : String(r.queuePosition)) }),
  defineColumn({ id: 'message', labelKey: 'table.column.message', width: 200, minWidth: 80, align: 'start', sortFields: ['message'], sortKey: (r) => r.message, text: (r) => r.message }),
];

export const COLUMNS_BY_ID: ReadonlyMap<string, ColumnDef> = new Map(COLUMNS.map((column) => [column.id, column]));

export interface ColumnPrefs {
  /** Every known column, in display order. */
  order: string[];
  hidden: string[];
  widths: Record<string, number>;
}

export const DEFAULT_HIDDEN = ['uploaded', 'downloaded', 'completed', 'savePath', 'queue', 'message', 'tracker', 'peers', 'seeds'];
export const COLUMN_PREFS_KEY = 'seedbox-remote.columns.v1';

export function defaultColumnPrefs(): ColumnPrefs {
  return { order: COLUMNS.map((column) => column.id), hidden: [...DEFAULT_HIDDEN], widths: {} };
}

/**
 * Reads what was saved, keeping only columns this version knows (a renamed or removed column
 * is dropped, a new one is appended where the defaults put it); anything unreadable → defaults.
 */
export function normalizeColumnPrefs(value: unknown): ColumnPrefs {
  const defaults = defaultColumnPrefs();
  if (!value || typeof value !== 'object') return defaults;
  const saved = value as Partial<Record<keyof ColumnPrefs, unknown>>;
  const known = (id: unknown): id is string => typeof id === 'string' && COLUMNS_BY_ID.has(id);
  const order = Array.isArray(saved.order) ? [...new Set(saved.order.filter(known))] : [];
  for (const id of defaults.order) if (!order.includes(id)) order.push(id);
  const hidden = Array.isArray(saved.hidden) ? saved.hidden.filter(known).filter((id) => id !== 'name') : defaults.hidden;
  const widths: Record<string, number> = {};
  if (saved.widths && typeof saved.widths === 'object') {
    for (const [id, width] of Object.entries(saved.widths as Record<string, unknown>)) {
      const column = COLUMNS_BY_ID.get(id);
      if (column && typeof width === 'number' && Number.isFinite(width)) widths[id] = clampWidth(column, width);
    }
  }
  return { order, hidden, widths };
}

/** The most a column sized by its content takes; the user can still drag it wider. */
const CONTENT_WIDTH_MAX = 260;
/** A cell's horizontal padding (8 px each side) plus a pixel of slack for rounding. */
const CELL_PADDING = 17;

/** The width that shows every one of `texts` (and the header) in full, within the column's bounds. */
export function contentWidth(column: ColumnDef, texts: readonly string[], measure: (text: string) => number): number {
  const widest = Math.max(measure(column.label), ...texts.map(measure));
  return Math.round(Math.min(CONTENT_WIDTH_MAX, Math.max(column.minWidth, widest + CELL_PADDING)));
}

/** The header's font size (TorrentTable's .th); its weight and family come from the page. */
export const HEADER_FONT_PX = 12;
/** Around a header's words: its padding (8 px each side), the sort arrow (11 px after a 4 px gap) and 2 px for rounding. */
const HEADER_CHROME = 16 + 4 + 11 + 2;

/** The width a header needs to show `label` in full next to its sort arrow. */
export function headerWidth(label: string, measure: (text: string) => number): number {
  return Math.ceil(measure(label)) + HEADER_CHROME;
}

export function clampWidth(column: ColumnDef, width: number): number {
  return Math.round(Math.min(1200, Math.max(column.minWidth, width)));
}

export function loadColumnPrefs(storage: Pick<Storage, 'getItem'> = localStorage): ColumnPrefs {
  try {
    const text = storage.getItem(COLUMN_PREFS_KEY);
    return normalizeColumnPrefs(text ? JSON.parse(text) : null);
  } catch {
    return defaultColumnPrefs();
  }
}

export function saveColumnPrefs(prefs: ColumnPrefs, storage: Pick<Storage, 'setItem'> = localStorage): void {
  try {
    storage.setItem(COLUMN_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // A full or disabled storage only loses the layout, not the app.
  }
}

/** The visible columns, in order, with their current widths. */
export function visibleColumns(prefs: ColumnPrefs): { column: ColumnDef; width: number }[] {
  return prefs.order
    .filter((id) => !prefs.hidden.includes(id))
    .map((id) => COLUMNS_BY_ID.get(id)!)
    .map((column) => ({ column, width: prefs.widths[column.id] ?? column.width }));
}

/** Moves a column before another (drag and drop in the header). */
export function moveColumn(prefs: ColumnPrefs, id: string, beforeId: string | null): ColumnPrefs {
  return { ...prefs, order: moveBefore(prefs.order, id, beforeId) };
}
