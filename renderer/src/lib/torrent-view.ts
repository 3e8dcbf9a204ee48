// The table's pure logic: which rows a view shows (box, state, label, tracker, search), in
// which order, and the live counts next to each filter. Plain arrays, one pass each, so
// 50 000 rows re-derive in a few milliseconds.
import type { Torrent, TorrentState } from '../../../electron/shared/model';

/** A torrent as the window lists it: the model plus its box and a key unique across boxes. */
export interface TorrentRow extends Torrent {
  seedboxId: string;
  /** `${seedboxId}:${id}` */
  key: string;
  /** Lowercased name, kept next to the name so search and sort never lowercase per keystroke. */
  nameKey: string;
  /** Name, labels and tracker hosts, lowercased in one string: one `includes` per search word. */
  searchKey: string;
}

export function rowKey(seedboxId: string, id: string): string {
  return `${seedboxId}:${id}`;
}

export function splitRowKey(key: string): { seedboxId: string; id: string } {
  const at = key.lastIndexOf(':');
  return { seedboxId: key.slice(0, at), id: key.slice(at + 1) };
}

function searchKeyOf(torrent: Pick<Torrent, 'name' | 'labels' | 'trackerHosts'>): string {
  // A newline cannot occur in what is typed in the search field, so words never match across parts.
  return [torrent.name, ...torrent.labels, ...torrent.trackerHosts].join('\n').toLowerCase();
}

export function toRow(seedboxId: string, torrent: Torrent): TorrentRow {
  return { ...torrent, seedboxId, key: rowKey(seedboxId, torrent.id), nameKey: torrent.name.toLowerCase(), searchKey: searchKeyOf(torrent) };
}

/** The row after a delta's changed fields, with its derived keys brought up to date. */
export function mergeRow(previous: TorrentRow, change: Partial<Torrent>): TorrentRow {
  const next: TorrentRow = { ...previous, ...change };
  if (change.name !== undefined) next.nameKey = change.name.toLowerCase();
  if (change.name !== undefined || change.labels !== undefined || change.trackerHosts !== undefined) next.searchKey = searchKeyOf(next);
  return next;
}

/** The state filters of the sidebar; 'active' means moving bytes, the rest follow the model. */
export const STATE_FILTERS = ['active', 'downloading', 'seeding', 'paused', 'queued', 'checking', 'error'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export function matchesState(row: Pick<Torrent, 'state' | 'downRate' | 'upRate'>, filter: StateFilter): boolean {
  switch (filter) {
    case 'active':
      return row.downRate > 0 || row.upRate > 0;
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
  for (const term of terms) {
    if (!row.searchKey.includes(term) && !row.id.startsWith(term)) return false;
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

export interface FacetCounts {
  total: number;
  states: Record<StateFilter, number>;
  /** Label → count, NO_LABEL for unlabelled, sorted by name. */
  labels: [string, number][];
  trackers: [string, number][];
}

/** Every filter's count in one pass over the rows of the selected box(es). */
export function facetCounts(rows: readonly TorrentRow[], seedboxId: string | null): FacetCounts {
  let active = 0;
  let unlabelled = 0;
  let total = 0;
  const byState = new Map<string, number>();
  const labels = new Map<string, number>();
  const trackers = new Map<string, number>();
  for (const row of rows) {
    if (seedboxId !== null && row.seedboxId !== seedboxId) continue;
    total++;
    if (row.downRate > 0 || row.upRate > 0) active++;
    byState.set(row.state, (byState.get(row.state) ?? 0) + 1);
    if (row.labels.length === 0) unlabelled++;
    else for (const label of row.labels) labels.set(label, (labels.get(label) ?? 0) + 1);
    for (const host of row.trackerHosts) trackers.set(host, (trackers.get(host) ?? 0) + 1);
  }
  if (unlabelled > 0) labels.set(NO_LABEL, unlabelled);
  const states = { active } as Record<StateFilter, number>;
  for (const state of STATE_FILTERS) if (state !== 'active') states[state] = byState.get(state) ?? 0;
  // Fetching metadata is the first step of a download.
  states.downloading += byState.get('metadata') ?? 0;
  const byName = (a: [string, number], b: [string, number]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return { total, states, labels: [...labels].sort(byName), trackers: [...trackers].sort(byName) };
}

export type SortDirection = 'asc' | 'desc';
export type SortKey = (row: TorrentRow) => number | string;

/**
 * Sorts by a key computed once per row (not once per comparison); strings compare as plain
 * code units of their lowercase form. The sort is stable and the input order (each box's
 * insertion order) does not change between deltas, so equal rows never swap places.
 */
export function sortRows(rows: readonly TorrentRow[], key: SortKey, direction: SortDirection): TorrentRow[] {
  return createRowSorter()(rows, key, direction);
}

/**
 * sortRows that remembers its last order: when the next call gets the same rows in the same
 * input order (a delta that changed rates, not membership), it starts from that order, which
 * is already sorted or nearly so, and V8's TimSort then needs about one pass instead of
 * n log n comparisons. The comparator is a total order (ties go by input position), so the
 * result is exactly what a sort from scratch gives.
 */
export function createRowSorter(): (rows: readonly TorrentRow[], key: SortKey, direction: SortDirection) => TorrentRow[] {
  let last: { keys: string[]; indexes: number[] } | null = null;
  return (rows, key, direction) => {
    const count = rows.length;
    const values = new Array<number | string>(count);
    const keys = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      const row = rows[i]!;
      values[i] = key(row);
      keys[i] = row.key;
    }
    let indexes: number[];
    if (last && last.keys.length === count && last.keys.every((previous, i) => previous === keys[i])) {
      indexes = last.indexes.slice();
    } else {
      indexes = new Array<number>(count);
      for (let i = 0; i < count; i++) indexes[i] = i;
    }
    const sign = direction === 'asc' ? 1 : -1;
    indexes.sort((a, b) => {
      const x = values[a]!;
      const y = values[b]!;
      return x < y ? -sign : x > y ? sign : a - b;
    });
    last = { keys, indexes };
    const out = new Array<TorrentRow>(count);
    for (let i = 0; i < count; i++) out[i] = rows[indexes[i]!]!;
    return out;
  };
}
