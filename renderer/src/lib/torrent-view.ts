// The table's pure logic: which rows a view shows (box, state, label, tracker, search), in
// which order, and the live counts next to each filter. Plain arrays, one pass each, so
// 50 000 rows re-derive in a few milliseconds.
import type { Torrent, TorrentState } from '../../../electron/shared/model';

/** A torrent as the window lists it: the model plus its box and a key unique across boxes. */
export interface TorrentRow extends Torrent {
  seedboxId: string;
  /** `${seedboxId}:${id}` */
  key: string;
  /** Cache of nameKeyOf: computed on the first sort by name, not for 50 000 rows at insert. */
  nameKey: string | undefined;
  /** Cache of searchKeyOf: computed on the first search. */
  searchKey: string | undefined;
}

export function rowKey(seedboxId: string, id: string): string {
  return `${seedboxId}:${id}`;
}

export function splitRowKey(key: string): { seedboxId: string; id: string } {
  const at = key.lastIndexOf(':');
  return { seedboxId: key.slice(0, at), id: key.slice(at + 1) };
}

/** The lowercased name, so sorting never lowercases per comparison. */
export function nameKeyOf(row: TorrentRow): string {
  return (row.nameKey ??= row.name.toLowerCase());
}

/** Name, labels and tracker hosts, lowercased in one string: one `includes` per search word. */
export function searchKeyOf(row: TorrentRow): string {
  // A newline cannot occur in what is typed in the search field, so words never match across parts.
  return (row.searchKey ??= [row.name, ...row.labels, ...row.trackerHosts].join('\n').toLowerCase());
}

/**
 * The torrent becomes the row: it is the caller's to give away (a delta is deserialized afresh
 * for the window), so 50 000 rows cost four fields each rather than 50 000 copies to build and
 * then collect.
 */
export function toRow(seedboxId: string, torrent: Torrent): TorrentRow {
  const row = torrent as TorrentRow;
  row.seedboxId = seedboxId;
  row.key = rowKey(seedboxId, torrent.id);
  row.nameKey = undefined;
  row.searchKey = undefined;
  return row;
}

/**
 * Applies a delta's changed fields to the row itself (rows are plain, non-reactive objects
 * that the store owns; its change signal tells the views), and drops derived keys gone stale.
 */
export function updateRow(row: TorrentRow, change: Partial<Torrent>): void {
  Object.assign(row, change);
  if (change.name !== undefined) row.nameKey = undefined;
  if (change.name !== undefined || change.labels !== undefined || change.trackerHosts !== undefined) row.searchKey = undefined;
}

/**
 * What one delta did to the rows, for the views that follow it incrementally instead of
 * re-deriving 50 000 rows: a view that saw serial n - 1 may apply change n; one that missed a
 * change (it was not read in between) starts from scratch.
 */
export interface RowChange {
  serial: number;
  /** Rows came or went (added, removed, a box replaced or forgotten). */
  membership: boolean;
  /** Rows whose fields were updated in place, and every field any of them had changed. */
  rows: readonly TorrentRow[];
  fields: ReadonlySet<string>;
}

/** True when nothing changed `fields` since `serial`: no change at all, or only the next one, without them. */
export function changedNoneOf(change: RowChange, serial: number, fields: readonly string[]): boolean {
  return change.serial === serial || (change.serial === serial + 1 && !fields.some((field) => change.fields.has(field)));
}

/**
 * The state filters of the sidebar; 'active' means moving bytes, 'tracker-error' a tracker that
 * reports an error or no longer knows the torrent (as qBittorrent's and Flood's sidebars offer),
 * the rest follow the model's state.
 */
export const STATE_FILTERS = ['active', 'downloading', 'seeding', 'paused', 'queued', 'checking', 'error', 'tracker-error'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

/** A tracker reports an error, or says it no longer knows the torrent. */
export function hasTrackerError(row: Pick<Torrent, 'trackerStatus'>): boolean {
  return row.trackerStatus === 'error' || row.trackerStatus === 'unregistered';
}

export function matchesState(row: Pick<Torrent, 'state' | 'downRate' | 'upRate' | 'trackerStatus'>, filter: StateFilter): boolean {
  switch (filter) {
    case 'active':
      return row.downRate > 0 || row.upRate > 0;
    case 'tracker-error':
      return hasTrackerError(row);
    case 'downloading':
      // Fetching metadata is the first step of a download.
      return row.state === 'downloading' || row.state === 'metadata';
    default:
      return row.state === (filter satisfies TorrentState);
  }
}

export interface ViewFilter {
  /** null: every box ("All seedboxes"). */
  seedboxId: string | null;
  state: StateFilter | null;
  label: string | null;
  tracker: string | null;
  search: string;
}

/** The label filter that selects torrents without any label. */
export const NO_LABEL = '\u0000none';

/** Search: every whitespace-separated word must appear in the name, a label, a tracker, or start the hash. */
export function searchTerms(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

function matchesSearch(row: TorrentRow, terms: readonly string[]): boolean {
  const text = searchKeyOf(row);
  for (const term of terms) {
    if (!text.includes(term) && !row.id.startsWith(term)) return false;
  }
  return true;
}

export function filterRows(rows: readonly TorrentRow[], filter: ViewFilter): TorrentRow[] {
  const terms = searchTerms(filter.search);
  const { seedboxId, state, label, tracker } = filter;
  const out: TorrentRow[] = [];
  for (const row of rows) {
    if (seedboxId !== null && row.seedboxId !== seedboxId) continue;
    if (state !== null && !matchesState(row, state)) continue;
    if (label !== null && (label === NO_LABEL ? row.labels.length > 0 : !row.labels.includes(label))) continue;
    if (tracker !== null && !row.trackerHosts.includes(tracker)) continue;
    if (terms.length > 0 && !matchesSearch(row, terms)) continue;
    out.push(row);
  }
  return out;
}

/** The row fields a filter reads: a delta that changed none of them cannot change what it lets through. */
export function filterFields(filter: ViewFilter): string[] {
  const fields: string[] = [];
  if (filter.state === 'active') fields.push('downRate', 'upRate');
  else if (filter.state === 'tracker-error') fields.push('trackerStatus');
  else if (filter.state !== null) fields.push('state');
  if (filter.label !== null) fields.push('labels');
  if (filter.tracker !== null) fields.push('trackerHosts');
  if (searchTerms(filter.search).length > 0) fields.push('name', 'labels', 'trackerHosts');
  return fields;
}

function sameFilter(a: ViewFilter, b: ViewFilter): boolean {
  return a.seedboxId === b.seedboxId && a.state === b.state && a.label === b.label && a.tracker === b.tracker && a.search === b.search;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * filterRows that returns its previous array (the same object) while the answer cannot have
 * changed (same rows, same filter, a delta that changed none of the fields it reads) or did
 * not change, so the sort after it can keep its order too.
 */
export function createRowFilter(): (rows: readonly TorrentRow[], filter: ViewFilter, change: RowChange) => TorrentRow[] {
  let last: { rows: readonly TorrentRow[]; filter: ViewFilter; serial: number; out: TorrentRow[] } | null = null;
  return (rows, filter, change) => {
    if (last && last.rows === rows && sameFilter(last.filter, filter) && changedNoneOf(change, last.serial, filterFields(filter))) {
      last.serial = change.serial;
      return last.out;
    }
    const out = filterRows(rows, filter);
    last = { rows, filter, serial: change.serial, out: last && sameItems(last.out, out) ? last.out : out };
    return last.out;
  };
}

export interface FacetCounts {
  total: number;
  states: Record<StateFilter, number>;
  /** Label → count, NO_LABEL for unlabelled, sorted by name. */
  labels: [string, number][];
  trackers: [string, number][];
}

/**
 * The filters' counts over a set of rows, kept up to date as rows come, go and change: the
 * store holds one per box and takes a row out before a delta changes it and puts it back after,
 * so a delta costs its changed rows, not a pass over all of them.
 */
export class FacetTally {
  total = 0;
  active = 0;
  unlabelled = 0;
  trackerErrors = 0;
  readonly states = new Map<TorrentState, number>();
  readonly labels = new Map<string, number>();
  readonly trackers = new Map<string, number>();

  add(row: Torrent): void {
    this.count(row, 1);
  }

  remove(row: Torrent): void {
    this.count(row, -1);
  }

  private count(row: Torrent, by: 1 | -1): void {
    this.total += by;
    if (row.downRate > 0 || row.upRate > 0) this.active += by;
    if (hasTrackerError(row)) this.trackerErrors += by;
    bump(this.states, row.state, by);
    if (row.labels.length === 0) this.unlabelled += by;
    else for (const label of row.labels) bump(this.labels, label, by);
    for (const host of row.trackerHosts) bump(this.trackers, host, by);
  }
}

function bump<K>(counts: Map<K, number>, key: K, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  // Gone to zero: the filter disappears from the sidebar.
  if (next === 0) counts.delete(key);
  else counts.set(key, next);
}

/** The counts of one or several tallies (the boxes in view) together. */
export function countsOf(tallies: Iterable<FacetTally>): FacetCounts {
  let total = 0;
  let active = 0;
  let unlabelled = 0;
  let trackerErrors = 0;
  const byState = new Map<string, number>();
  const labels = new Map<string, number>();
  const trackers = new Map<string, number>();
  for (const tally of tallies) {
    total += tally.total;
    active += tally.active;
    unlabelled += tally.unlabelled;
    trackerErrors += tally.trackerErrors;
    for (const [state, count] of tally.states) bump(byState, state, count);
    for (const [label, count] of tally.labels) bump(labels, label, count);
    for (const [host, count] of tally.trackers) bump(trackers, host, count);
  }
  if (unlabelled > 0) labels.set(NO_LABEL, unlabelled);
  const states = { active, 'tracker-error': trackerErrors } as Record<StateFilter, number>;
  for (const state of STATE_FILTERS) if (state !== 'active' && state !== 'tracker-error') states[state] = byState.get(state) ?? 0;
  // Fetching metadata is the first step of a download.
  states.downloading += byState.get('metadata') ?? 0;
  const byName = (a: [string, number], b: [string, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return { total, states, labels: [...labels].sort(byName), trackers: [...trackers].sort(byName) };
}

/** Every filter's count in one pass over the rows of the selected box(es). */
export function facetCounts(rows: readonly TorrentRow[], seedboxId: string | null): FacetCounts {
  const tally = new FacetTally();
  for (const row of rows) if (seedboxId === null || row.seedboxId === seedboxId) tally.add(row);
  return countsOf([tally]);
}

export type SortDirection = 'asc' | 'desc';
export type SortKey = (row: TorrentRow) => number | string;

/** How a column sorts: its key, and the row fields the key reads (a change elsewhere cannot move a row). */
export interface SortColumn {
  sortKey: SortKey;
  sortFields: readonly (keyof Torrent)[];
}

/** Compares input positions by their keys; ties go by position, so the order is total and stable. */
function byKeys(values: readonly (number | string)[], direction: SortDirection): (a: number, b: number) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -sign : x > y ? sign : a - b;
  };
}

function keysOf(rows: readonly TorrentRow[], key: SortKey): (number | string)[] {
  const values = new Array<number | string>(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = key(rows[i]!);
  return values;
}

function pick(rows: readonly TorrentRow[], indexes: readonly number[]): TorrentRow[] {
  const out = new Array<TorrentRow>(indexes.length);
  for (let i = 0; i < indexes.length; i++) out[i] = rows[indexes[i]!]!;
  return out;
}

function identity(count: number): number[] {
  const indexes = new Array<number>(count);
  for (let i = 0; i < count; i++) indexes[i] = i;
  return indexes;
}

/**
 * Sorts by a key computed once per row (not once per comparison); strings compare as plain
 * code units (the name column's key is lowercased). Ties keep their input order both ways.
 */
export function sortRows(rows: readonly TorrentRow[], key: SortKey, direction: SortDirection): TorrentRow[] {
  const values = keysOf(rows, key);
  return pick(rows, identity(rows.length).sort(byKeys(values, direction)));
}

/**
 * sortRows that follows deltas: while the rows (the same array) and the sort stay, a delta that
 * changed none of the column's sort fields keeps the previous order (the same array, so the
 * table knows nothing moved), and one that did moves only its changed rows: they come out of
 * the order, are sorted among themselves and merged back in, O(n) instead of n log n. The
 * result is always exactly what sortRows gives.
 */
export function createRowSorter(): (rows: readonly TorrentRow[], column: SortColumn, direction: SortDirection, change: RowChange) => TorrentRow[] {
  let last: { rows: readonly TorrentRow[]; column: SortColumn; direction: SortDirection; serial: number; values: (number | string)[]; indexes: number[]; out: TorrentRow[] } | null = null;
  return (rows, column, direction, change) => {
    const sameSort = last !== null && last.rows === rows && last.column === column && last.direction === direction;
    if (sameSort && changedNoneOf(change, last!.serial, column.sortFields)) {
      last!.serial = change.serial;
      return last!.out;
    }
    if (sameSort && change.serial === last!.serial + 1) {
      const { values, indexes: previous } = last!;
      const compare = byKeys(values, direction);
      const changed = new Set(change.rows);
      const kept: number[] = [];
      const moved: number[] = [];
      for (const index of previous) {
        const row = rows[index]!;
        if (changed.has(row)) {
          values[index] = column.sortKey(row);
          moved.push(index);
        } else {
          kept.push(index);
        }
      }
      // None of the changed rows is in view: nothing moved.
      if (moved.length === 0) {
        last!.serial = change.serial;
        return last!.out;
      }
      const indexes = merge(kept, moved.sort(compare), compare);
      last = { ...last!, serial: change.serial, indexes, out: pick(rows, indexes) };
      return last.out;
    }
    const values = keysOf(rows, column.sortKey);
    const indexes = identity(rows.length).sort(byKeys(values, direction));
    last = { rows, column, direction, serial: change.serial, values, indexes, out: pick(rows, indexes) };
    return last.out;
  };
}

/** Merges two sorted lists of positions into one. */
function merge(a: readonly number[], b: readonly number[], compare: (x: number, y: number) => number): number[] {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
