// Every torrent of every box, as the main process streams them (torrents:delta). One shallow
// Map per box, mutated in place and triggered once per delta: no deep reactivity on 50 000
// objects, and everything derived (rows, counts, the table) recomputes once per delta.
import { defineStore } from 'pinia';
import { computed, shallowRef, triggerRef } from 'vue';
import type { TorrentDelta } from '../../../electron/shared/contract';
import { mergeRow, toRow, type TorrentRow } from '../lib/torrent-view';

export const useTorrentsStore = defineStore('torrents', () => {
  /** seedboxId → torrent id → row. Rows are replaced (never mutated) when they change. */
  const boxes = shallowRef(new Map<string, Map<string, TorrentRow>>());
  /** Boxes whose first full snapshot arrived (before it, "loading" rather than "empty"). */
  const loaded = shallowRef(new Set<string>());

  function applyDelta(delta: TorrentDelta): void {
    const map = boxes.value;
    let box = map.get(delta.seedboxId);
    if (delta.full || !box) {
      box = new Map();
      map.set(delta.seedboxId, box);
    }
    for (const torrent of delta.added) box.set(torrent.id, toRow(delta.seedboxId, torrent));
    for (const change of delta.changed) {
      const previous = box.get(change.id);
      if (!previous) continue;
      box.set(change.id, mergeRow(previous, change));
    }
    for (const id of delta.removed) box.delete(id);
    if (delta.full) loaded.value.add(delta.seedboxId);
    triggerRef(boxes);
  }

  /** A box was removed from the app: its torrents go with it. */
  function forgetBox(seedboxId: string): void {
    if (!boxes.value.delete(seedboxId)) return;
    loaded.value.delete(seedboxId);
    triggerRef(boxes);
  }

  /** Every row of every box, in one pass. */
  const all = computed<TorrentRow[]>(() => {
    const rows: TorrentRow[] = [];
    for (const box of boxes.value.values()) for (const row of box.values()) rows.push(row);
    return rows;
  });

  function rowsOf(seedboxId: string): TorrentRow[] {
    return [...(boxes.value.get(seedboxId)?.values() ?? [])];
  }

  function get(seedboxId: string, id: string): TorrentRow | undefined {
    return boxes.value.get(seedboxId)?.get(id);
  }

  function countOf(seedboxId: string): number {
    return boxes.value.get(seedboxId)?.size ?? 0;
  }

  function isLoaded(seedboxId: string): boolean {
    // Read boxes so callers re-run when a snapshot arrives.
    void boxes.value;
    return loaded.value.has(seedboxId);
  }

  return { boxes, all, applyDelta, forgetBox, rowsOf, get, countOf, isLoaded };
});
