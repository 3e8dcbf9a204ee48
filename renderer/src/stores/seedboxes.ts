// The configured seedboxes, their connection status and their session stats.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { EventPayload, InvokeResult, SeedboxStatus, TorrentDelta } from '../../../electron/shared/contract';
import type { Capabilities } from '../../../electron/shared/model';
import { call } from '../api';
import { isStale } from '../lib/connection';

export type SeedboxView = InvokeResult<'seedboxes:list'>[number];
export type SeedboxStats = TorrentDelta['stats'];

export const useSeedboxesStore = defineStore('seedboxes', () => {
  const list = ref<SeedboxView[]>([]);
  const loaded = ref(false);
  const statuses = shallowRef(new Map<string, SeedboxStatus>());
  const stats = shallowRef(new Map<string, SeedboxStats>());
  /** Boxes with a retry under way (the button shows it). */
  const retrying = ref(new Set<string>());

  const byId = computed(() => new Map(list.value.map((box) => [box.id, box])));
  /** Boxes whose rows show last known values (down, failed, reconnecting): one Set lookup per row. */
  const staleIds = computed(() => new Set([...statuses.value.values()].filter(isStale).map((status) => status.seedboxId)));

  async function load(): Promise<void> {
    const [boxes, current] = await Promise.all([call('seedboxes:list', {}), call('seedboxes:statuses', {})]);
    setList(boxes);
    for (const status of current) statuses.value.set(status.seedboxId, status);
    triggerRef(statuses);
  }

  function setList(boxes: EventPayload<'seedboxes:changed'>): void {
    list.value = boxes;
    loaded.value = true;
    // Statuses and stats of removed boxes must not linger in the totals.
    const ids = new Set(boxes.map((box) => box.id));
    for (const map of [statuses, stats] as const) {
      let changed = false;
      for (const id of map.value.keys()) if (!ids.has(id)) changed = map.value.delete(id) || changed;
      if (changed) triggerRef(map);
    }
  }

  function setStatus(status: SeedboxStatus): void {
    statuses.value.set(status.seedboxId, status);
    triggerRef(statuses);
  }

  function setStats(seedboxId: string, value: SeedboxStats): void {
    stats.value.set(seedboxId, value);
    triggerRef(stats);
  }

  function capabilities(seedboxId: string): Capabilities | null {
    return statuses.value.get(seedboxId)?.info?.capabilities ?? null;
  }

  async function retry(seedboxId: string): Promise<void> {
    retrying.value.add(seedboxId);
    try {
      await call('seedboxes:retry', { seedboxId });
    } finally {
      retrying.value.delete(seedboxId);
    }
  }

  /**
   * Totals over the given boxes (all when null) for the status bar. A box that is not connected
   * has only last known figures: it is left out of the speeds and the free space, and named in
   * `leftOut` so the status bar can say so.
   */
  function totals(seedboxId: string | null): { downRate: number; upRate: number; freeSpaceBytes: number | null; count: number; leftOut: string[] } {
    let downRate = 0;
    let upRate = 0;
    let freeSpaceBytes: number | null = null;
    let count = 0;
    const leftOut: string[] = [];
    for (const [id, value] of stats.value) {
      if (seedboxId !== null && id !== seedboxId) continue;
      const state = statuses.value.get(id)?.state;
      if (state !== undefined && state !== 'connected') {
        leftOut.push(byId.value.get(id)?.name ?? id);
        continue;
      }
      downRate += value.downRate;
      upRate += value.upRate;
      count += value.count;
      if (value.freeSpaceBytes !== null) freeSpaceBytes = (freeSpaceBytes ?? 0) + value.freeSpaceBytes;
    }
    return { downRate, upRate, freeSpaceBytes, count, leftOut };
  }

  return { list, loaded, byId, staleIds, statuses, stats, retrying, load, setList, setStatus, setStats, capabilities, retry, totals };
});
