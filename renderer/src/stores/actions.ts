// The torrent actions: one call per box of the selection, the rows show as pending until the
// answer comes, and a toast says how it went. Nothing here blocks the window: a slow box only
// keeps its own rows pending.
import { defineStore } from 'pinia';
import { shallowRef, triggerRef } from 'vue';
import type { QueueMove } from '../../../electron/shared/model';
import type { MessageKey } from '../../../electron/shared/i18n';
import { call } from '../api';
import { i18n } from '../i18n';
import { describeRows, groupByBox, magnetOf } from '../lib/actions';
import type { TorrentRow } from '../lib/torrent-view';
import { useSeedboxesStore } from './seedboxes';
import { useToastsStore } from './toasts';

const COPIED = { magnet: 'toasts.copiedMagnet', hash: 'toasts.copiedHash', name: 'toasts.copiedName' } as const satisfies Record<string, MessageKey>;

type BoxCall = (seedboxId: string, ids: [string, ...string[]]) => Promise<unknown>;

export const useActionsStore = defineStore('actions', () => {
  const toasts = useToastsStore();
  const seedboxes = useSeedboxesStore();
  /** Row keys with an action under way. */
  const pending = shallowRef(new Set<string>());

  const { t } = i18n.global;

  /** `failed` names the toast for a box that refused: "Could not start {rows} on {box}". */
  async function run(rows: readonly TorrentRow[], failed: MessageKey, perBox: BoxCall, done?: string): Promise<boolean> {
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
      toasts.error(t(failed, { rows: describeRows(rows.filter((row) => row.seedboxId === failure.box)), box: name }), failure.error);
    }
    if (failures.length === 0 && done) toasts.success(done);
    return failures.length === 0;
  }

  const start = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'toasts.startFailed', (seedboxId, ids) => call('torrents:start', { seedboxId, ids }), t('toasts.started', { rows: describeRows(rows) }));
  const stop = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'toasts.pauseFailed', (seedboxId, ids) => call('torrents:stop', { seedboxId, ids }), t('toasts.paused', { rows: describeRows(rows) }));
  const recheck = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'toasts.recheckFailed', (seedboxId, ids) => call('torrents:recheck', { seedboxId, ids }), t('toasts.checking', { rows: describeRows(rows) }));
  const reannounce = (rows: readonly TorrentRow[]): Promise<boolean> =>
    run(rows, 'toasts.reannounceFailed', (seedboxId, ids) => call('torrents:reannounce', { seedboxId, ids }), t('toasts.reannounced', { rows: describeRows(rows) }));
  const remove = (rows: readonly TorrentRow[], deleteData: boolean): Promise<boolean> =>
    run(
      rows,
      'toasts.removeFailed',
      (seedboxId, ids) => call('torrents:remove', { seedboxId, ids, deleteData }),
      t(deleteData ? 'toasts.removedWithData' : 'toasts.removed', { rows: describeRows(rows) }),
    );
  const move = (rows: readonly TorrentRow[], targetDirectory: string): Promise<boolean> =>
    run(rows, 'toasts.moveFailed', (seedboxId, ids) => call('torrents:move', { seedboxId, ids, targetDirectory }), t('toasts.moving', { rows: describeRows(rows), target: targetDirectory }));
  const setLabels = (rows: readonly TorrentRow[], labels: string[]): Promise<boolean> =>
    run(rows, 'toasts.labelFailed', (seedboxId, ids) => call('torrents:setLabels', { seedboxId, ids, labels }), t(labels.length ? 'toasts.labelled' : 'toasts.labelsCleared', { rows: describeRows(rows) }));
  const setLimits = (rows: readonly TorrentRow[], downBytesPerSecond: number, upBytesPerSecond: number): Promise<boolean> =>
    run(rows, 'toasts.limitFailed', (seedboxId, ids) => call('torrents:setSpeedLimits', { seedboxId, ids, downBytesPerSecond, upBytesPerSecond }), t('toasts.limitsSet', { rows: describeRows(rows) }));
  const queue = (rows: readonly TorrentRow[], move: QueueMove): Promise<boolean> =>
    run(rows, 'toasts.queueFailed', (seedboxId, ids) => call('torrents:queue', { seedboxId, ids, move }));

  async function copy(rows: readonly TorrentRow[], what: 'magnet' | 'hash' | 'name'): Promise<void> {
    const text = rows.map((row) => (what === 'magnet' ? magnetOf(row) : what === 'hash' ? row.id : row.name)).join('\n');
    try {
      await navigator.clipboard.writeText(text);
      toasts.success(t(COPIED[what], { n: rows.length }, rows.length));
    } catch (error) {
      toasts.error(t('toasts.copyFailed'), error);
    }
  }

  async function setAlternativeSpeed(seedboxId: string, enabled: boolean): Promise<void> {
    try {
      await call('seedbox:setAlternativeSpeed', { seedboxId, enabled });
      toasts.success(t(enabled ? 'toasts.altOn' : 'toasts.altOff'));
    } catch (error) {
      toasts.error(t('toasts.altFailed'), error);
    }
  }

  return { pending, start, stop, recheck, reannounce, remove, move, setLabels, setLimits, queue, copy, setAlternativeSpeed };
});
