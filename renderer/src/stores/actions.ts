// The torrent actions: one call per box of the selection, the rows show as pending until the
// answer comes, and a toast says how it went. Nothing here blocks the window: a slow box only
// keeps its own rows pending.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { QueueMove } from '../../../electron/shared/model';
import { call } from '../api';
import { describeRows, groupByBox, magnetOf } from '../lib/actions';
import type { TorrentRow } from '../lib/torrent-view';
import { useSeedboxesStore } from './seedboxes';
import { useToastsStore } from './toasts';

type BoxCall = (seedboxId: string, ids: [string, ...string[]]) => Promise<unknown>;

export const useActionsStore = defineStore('actions', () => {
  const toasts = useToastsStore();
  const seedboxes = useSeedboxesStore();
  /** Row keys with an action under way. */
  const pending = shallowRef(new Set<string>());

  async function run(rows: readonly TorrentRow[], verb: string, perBox: BoxCall, done?: string): Promise<boolean> {
    if (rows.length === 0) return false;
    const keys = rows.map((row) => row.key);
    for (const key of keys) pending.value.add(key);
    triggerRef(pending);
    const groups = [...groupByBox(rows)];
    const results = await Promise.allSettled(groups.map(([seedboxId, ids]) => perBox(seedboxId, ids as [string, ...string[]])));
    for (const key of keys) pending.value.delete(key);
    triggerRef(pending);
    const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [{ box: groups[index]![0], error: result.reason as unknown }] : []));
    for (const failure of failures) {
      const name = seedboxes.byId.get(failure.box)?.name ?? failure.box;
      toasts.error(`Could not ${verb} ${describeRows(rows.filter((row) => row.seedboxId === failure.box))} on ${name}`, failure.error);
    }
    if (failures.length === 0 && done) toasts.success(done);
    return failures.length === 0;
  }

  const start = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'start', (seedboxId, ids) => call('torrents:start', { seedboxId, ids }), `Started ${describeRows(rows)}`);
  const stop = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'pause', (seedboxId, ids) => call('torrents:stop', { seedboxId, ids }), `Paused ${describeRows(rows)}`);
  const recheck = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'recheck', (seedboxId, ids) => call('torrents:recheck', { seedboxId, ids }), `Checking ${describeRows(rows)}`);
  const reannounce = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'reannounce', (seedboxId, ids) => call('torrents:reannounce', { seedboxId, ids }), `Reannounced ${describeRows(rows)}`);
  const remove = (rows: readonly TorrentRow[], deleteData: boolean): Promise<boolean> =>
    run(
      rows,
      'remove',
      (seedboxId, ids) => call('torrents:remove', { seedboxId, ids, deleteData }),
      `Removed ${describeRows(rows)}${deleteData ? ' and deleted the data' : ''}`,
    );
  const move = (rows: readonly TorrentRow[], targetDirectory: string): Promise<boolean> =>
    run(rows, 'move', (seedboxId, ids) => call('torrents:move', { seedboxId, ids, targetDirectory }), `Moving ${describeRows(rows)} to ${targetDirectory}`);
  const setLabels = (rows: readonly TorrentRow[], labels: string[]): Promise<boolean> =>
    run(rows, 'label', (seedboxId, ids) => call('torrents:setLabels', { seedboxId, ids, labels }), labels.length ? `Labelled ${describeRows(rows)}` : `Cleared the labels of ${describeRows(rows)}`);
  const setLimits = (rows: readonly TorrentRow[], downBytesPerSecond: number, upBytesPerSecond: number): Promise<boolean> =>
    run(rows, 'limit', (seedboxId, ids) => call('torrents:setSpeedLimits', { seedboxId, ids, downBytesPerSecond, upBytesPerSecond }), `Speed limits set for ${describeRows(rows)}`);
  const queue = (rows: readonly TorrentRow[], move: QueueMove): Promise<boolean> =>
    run(rows, 'move in the queue', (seedboxId, ids) => call('torrents:queue', { seedboxId, ids, move }));

  async function copy(rows: readonly TorrentRow[], what: 'magnet' | 'hash' | 'name'): Promise<void> {
    const text = rows.map((row) => (what === 'magnet' ? magnetOf(row) : what === 'hash' ? row.id : row.name)).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      toasts.success(`Copied ${rows.length === 1 ? `the ${what}` : `${rows.length} ${what === 'hash' ? 'hashes' : `${what}s`}`}`);
    } catch (error) {
      toasts.error('Could not copy to the clipboard', error);
    }
  }

  async function setAlternativeSpeed(seedboxId: string, enabled: boolean): Promise<void> {
    try {
      await call('seedbox:setAlternativeSpeed', { seedboxId, enabled });
      toasts.success(enabled ? 'Alternative speed limits on' : 'Alternative speed limits off');
    } catch (error) {
      toasts.error('Could not switch the alternative speed limits', error);
    }
  }

  return { pending, start, stop, recheck, reannounce, remove, move, setLabels, setLimits, queue, copy, setAlternativeSpeed };
});
