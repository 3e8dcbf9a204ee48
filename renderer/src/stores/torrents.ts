// Every torrent of every box, as the main process streams them (torrents:delta). The rows are
// plain objects (no deep reactivity on 50 000 of them) that a delta updates in place; what
// changed is announced once per delta by two signals: `membership` when rows come or go, and
// `lastChange` for every delta, which says which rows and fields changed so the views (counts,
// filter, sort, table) follow in O(changed) rather than re-deriving every row.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { TorrentDelta } from '../../../electron/shared/contract';
import { FacetTally, countsOf, toRow, updateRow, type FacetCounts, type RowChange, type TorrentRow } from '../lib/torrent-view';

interface Box {
  rows: Map<string, TorrentRow>;
  /** The box's filter counts, kept up to date row by row. */
  tally: FacetTally;
}

export const useTorrentsStore = defineStore('torrents', () => {
  /** seedboxId → its rows. Not reactive itself: the two signals below say when it changed. */
  const boxes = new Map<string, Box>();
  /** Boxes whose first full snapshot arrived (before it, "loading" rather than "empty"). */
  const loaded = new Set<string>();
  /** Bumped when rows come or go: lists of rows are rebuilt only then. */
  const membership = shallowRef(0);
  /** Replaced at every delta: consumers that depend on the rows' fields read it. */
  const lastChange = shallowRef<RowChange>({ serial: 0, membership: false, rows: [], fields: new Set() });

  function announce(change: Omit<RowChange, 'serial'>): void {
    if (change.membership) membership.value++;
    lastChange.value = { ...change, serial: lastChange.value.serial + 1 };
  }

  /** Applies one delta; its torrent objects become the store's rows (not copied, see toRow). */
  function applyDelta(delta: TorrentDelta): void {
    let box = boxes.get(delta.seedboxId);
    if (delta.full || !box) {
      box = { rows: new Map(), tally: new FacetTally() };
      // A box keeps its place in the map (and so in the unsorted order) across snapshots.
      boxes.set(delta.seedboxId, box);
    }
    const { rows, tally } = box;
    for (const torrent of delta.added) {
      const previous = rows.get(torrent.id);
      if (previous) tally.remove(previous);
      const row = toRow(delta.seedboxId, torrent);
      rows.set(torrent.id, row);
      tally.add(row);
    }
    const changed: TorrentRow[] = [];
    const fields = new Set<string>();
    for (const change of delta.changed) {
      const row = rows.get(change.id);
      // A change for a torrent the store never saw is ignored rather than inventing a half row.
      if (!row) continue;
      // Out of the counts with its old values, back in with the new ones.
      tally.remove(row);
      updateRow(row, change);
      tally.add(row);
      changed.push(row);
      for (const field in change) fields.add(field);
    }
    for (const id of delta.removed) {
      const row = rows.get(id);
      if (!row) continue;
      tally.remove(row);
      rows.delete(id);
    }
    if (delta.full) loaded.add(delta.seedboxId);
    announce({ membership: delta.full || delta.added.length > 0 || delta.removed.length > 0, rows: changed, fields });
  }

  /** A box was removed from the app: its torrents go with it. */
  function forgetBox(seedboxId: string): void {
    if (!boxes.delete(seedboxId)) return;
    loaded.delete(seedboxId);
    announce({ membership: true, rows: [], fields: new Set() });
  }

  /** Every row of every box, rebuilt only when rows come or go (their fields change in place). */
  const all = computed<TorrentRow[]>(() => {
    void membership.value;
    const out: TorrentRow[] = [];
    for (const { rows } of boxes.values()) for (const row of rows.values()) out.push(row);
    return out;
  });

  /** The filter counts of one box, or of all (null), without a pass over the rows. */
  function counts(seedboxId: string | null): FacetCounts {
    void lastChange.value;
    const tallies: FacetTally[] = [];
    for (const [id, { tally }] of boxes) if (seedboxId === null || id === seedboxId) tallies.push(tally);
    return countsOf(tallies);
  }

  function rowsOf(seedboxId: string): TorrentRow[] {
    void lastChange.value;
    return [...(boxes.get(seedboxId)?.rows.values() ?? [])];
  }

  function get(seedboxId: string, id: string): TorrentRow | undefined {
    // Callers read the row's fields, which any delta may change.
    void lastChange.value;
    return boxes.get(seedboxId)?.rows.get(id);
  }

  function countOf(seedboxId: string): number {
    void membership.value;
    return boxes.get(seedboxId)?.rows.size ?? 0;
  }

  function isLoaded(seedboxId: string): boolean {
    // A snapshot arriving is a membership change: callers re-run then.
    void membership.value;
    return loaded.has(seedboxId);
  }

  return { lastChange, all, applyDelta, forgetBox, counts, rowsOf, get, countOf, isLoaded };
});
