import type { Torrent, TorrentState } from '../../shared/model';
import { TORRENT_FIELDS, TORRENT_STATES } from '../../shared/model';

export type TorrentChange = Partial<Torrent> & { id: string };

export interface TorrentDiff {
  added: Torrent[];
  /** Only the fields that changed, with the id. */
  changed: TorrentChange[];
  removed: string[];
}

const CHANGING_FIELDS = TORRENT_FIELDS.filter((field) => field !== 'id');

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => item === b[index]);
  return false;
}

/** Whether two torrents carry the same values in every field. */
export function sameTorrent(a: Torrent, b: Torrent): boolean {
  return a === b || (a.id === b.id && CHANGING_FIELDS.every((field) => sameValue(a[field], b[field])));
}

/**
 * Field-level difference between the last list of a box and the new one. `previous` is updated
 * in place to the new list, so the caller keeps one Map per box and pays nothing per tick for
 * torrents that did not change but the comparison itself.
 */
export function diffTorrents(previous: Map<string, Torrent>, next: readonly Torrent[]): TorrentDiff {
  const diff: TorrentDiff = { added: [], changed: [], removed: [] };
  const seen = new Set<string>();
  for (const torrent of next) {
    seen.add(torrent.id);
    diffOne(previous, torrent, diff);
  }
  if (seen.size !== previous.size) {
    for (const id of previous.keys()) {
      if (!seen.has(id)) {
        diff.removed.push(id);
        previous.delete(id);
      }
    }
  }
  return diff;
}

/**
 * The same difference from what a client says changed (see PollChanges): only the torrents it
 * names are compared, so a refresh costs what changed, not the size of the box. `previous` is
 * updated in place.
 */
export function applyTorrentChanges(previous: Map<string, Torrent>, changes: { changed: readonly Torrent[]; removed: readonly string[] }): TorrentDiff {
  const diff: TorrentDiff = { added: [], changed: [], removed: [] };
  for (const torrent of changes.changed) diffOne(previous, torrent, diff);
  for (const id of changes.removed) {
    // A client may name a torrent it never reported (added and removed between two polls).
    if (previous.delete(id)) diff.removed.push(id);
  }
  return diff;
}

function diffOne(previous: Map<string, Torrent>, torrent: Torrent, diff: TorrentDiff): void {
  const before = previous.get(torrent.id);
  previous.set(torrent.id, torrent);
  if (!before) {
    diff.added.push(torrent);
    return;
  }
  if (before === torrent) return;
  let change: TorrentChange | undefined;
  for (const field of CHANGING_FIELDS) {
    if (!sameValue(before[field], torrent[field])) {
      change ??= { id: torrent.id };
      (change as Record<string, unknown>)[field] = torrent[field];
    }
  }
  if (change) diff.changed.push(change);
}

export interface BoxCounts {
  count: number;
  countsByState: Record<TorrentState, number>;
  downRate: number;
  upRate: number;
}

/** Totals of one box's list, for the status bar, the sidebar and the tray. */
export function countTorrents(torrents: Iterable<Torrent>): BoxCounts {
  const countsByState = Object.fromEntries(TORRENT_STATES.map((state) => [state, 0])) as Record<TorrentState, number>;
  let count = 0;
  let downRate = 0;
  let upRate = 0;
  for (const torrent of torrents) {
    count++;
    countsByState[torrent.state]++;
    downRate += torrent.downRate;
    upRate += torrent.upRate;
  }
  return { count, countsByState, downRate, upRate };
}
