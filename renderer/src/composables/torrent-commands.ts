// Every torrent action the window offers, in one place: the context menu, the toolbar and the
// keyboard all ask here, so they offer the same things for what the selected boxes support.
import { computed } from 'vue';
import { i18n } from '../i18n';
import { commonCapabilities, toggleAction } from '../lib/actions';
import { blockedReason } from '../lib/connection';
import { fetchBlockedReason } from '../lib/fetch';
import { separator, tidyMenu, type MenuItem } from '../lib/menu';
import type { TorrentRow } from '../lib/torrent-view';
import { useActionsStore } from '../stores/actions';
import { useFetchStore } from '../stores/fetch';
import { useSeedboxesStore } from '../stores/seedboxes';
import { useToastsStore } from '../stores/toasts';
import { useUiStore } from '../stores/ui';

export function useTorrentCommands() {
  const ui = useUiStore();
  const seedboxes = useSeedboxesStore();
  const actions = useActionsStore();
  const toasts = useToastsStore();
  const fetches = useFetchStore();
  const { t } = i18n.global;

  const capabilities = computed(() => commonCapabilities([...new Set(ui.selectedRows.map((row) => row.seedboxId))].map((id) => seedboxes.capabilities(id))));
  /** Actions need a connected box: a failed one cannot take them. */
  const connected = computed(() => ui.selectedRows.length > 0 && ui.selectedRows.every((row) => seedboxes.statuses.get(row.seedboxId)?.state === 'connected'));
  /** Why the selection's actions cannot run (a box is down), for tooltips and a toast; null when they can. */
  const blocked = computed(() => {
    if (ui.selectedRows.length === 0) return null;
    const ids = [...new Set(ui.selectedRows.map((row) => row.seedboxId))];
    return blockedReason(
      ids.map((id) => ({ name: seedboxes.byId.get(id)?.name ?? id, status: seedboxes.statuses.get(id) })),
      Date.now(),
    );
  });
  /** Runs an action on the selection, or says why it cannot (never nothing). */
  function guarded(action: () => void): void {
    if (ui.selectedRows.length === 0) return;
    if (blocked.value) {
      toasts.info(blocked.value);
      return;
    }
    action();
  }

  const keysOf = (rows: readonly TorrentRow[]): string[] => rows.map((row) => row.key);

  function toggle(rows: readonly TorrentRow[] = ui.selectedRows): void {
    if (rows.length === 0) return;
    void (toggleAction(rows) === 'start' ? actions.start(rows) : actions.stop(rows));
  }

  function requestRemove(deleteData: boolean, rows: readonly TorrentRow[] = ui.selectedRows): void {
    if (rows.length === 0) return;
    ui.actionDialog = { kind: 'remove', keys: keysOf(rows), deleteData: deleteData && capabilities.value.deleteData };
  }

  /** "Download to this computer…" for these torrents (whole), or why it cannot be. */
  function fetchItem(rows: readonly TorrentRow[]): MenuItem {
    const reason = fetchBlockedReason(rows, (id) => seedboxes.byId.get(id));
    const targets = rows.map((row) => ({ seedboxId: row.seedboxId, torrentId: row.id, name: row.name, fileIndexes: null }));
    return { kind: 'action', id: 'fetch', label: t('menu.fetch'), icon: 'down', disabled: reason !== null, hint: reason ?? undefined, run: () => fetches.open(targets) };
  }

  function menu(): MenuItem[] {
    const rows = ui.selectedRows;
    const caps = capabilities.value;
    const off = !connected.value;
    const several = rows.length > 1;
    const items: MenuItem[] = [
      { kind: 'action', id: 'start', label: t('menu.start'), icon: 'play', disabled: off, run: () => void actions.start(rows) },
      { kind: 'action', id: 'stop', label: t('menu.pause'), icon: 'pause', shortcut: 'Space', disabled: off, run: () => void actions.stop(rows) },
      separator,
      { kind: 'action', id: 'recheck', label: t('menu.recheck'), icon: 'check', disabled: off, run: () => void actions.recheck(rows) },
      { kind: 'action', id: 'reannounce', label: t('menu.reannounce'), icon: 'megaphone', disabled: off, run: () => void actions.reannounce(rows) },
      separator,
    ];
    if (caps.moveStorage) items.push({ kind: 'action', id: 'move', label: t('menu.move'), icon: 'folder', disabled: off, run: () => (ui.actionDialog = { kind: 'move', keys: keysOf(rows) }) });
    if (caps.labels) items.push({ kind: 'action', id: 'labels', label: caps.multipleLabels ? t('menu.setLabels') : t('menu.setLabel'), icon: 'tag', disabled: off, run: () => (ui.actionDialog = { kind: 'labels', keys: keysOf(rows) }) });
    if (caps.perTorrentSpeedLimits) items.push({ kind: 'action', id: 'limits', label: t('sidebar.speedLimits'), icon: 'gauge', disabled: off, run: () => (ui.actionDialog = { kind: 'limits', keys: keysOf(rows) }) });
    if (caps.queue) {
      items.push({
        kind: 'submenu',
        id: 'queue',
        label: t('menu.queue'),
        icon: 'list',
        disabled: off,
        items: [
          { kind: 'action', id: 'queue-top', label: t('menu.queueTop'), run: () => void actions.queue(rows, 'top') },
          { kind: 'action', id: 'queue-up', label: t('sidebar.moveUp'), run: () => void actions.queue(rows, 'up') },
          { kind: 'action', id: 'queue-down', label: t('sidebar.moveDown'), run: () => void actions.queue(rows, 'down') },
          { kind: 'action', id: 'queue-bottom', label: t('menu.queueBottom'), run: () => void actions.queue(rows, 'bottom') },
        ],
      });
    }
    items.push(
      separator,
      {
        kind: 'submenu',
        id: 'copy',
        label: t('menu.copy'),
        icon: 'copy',
        items: [
          { kind: 'action', id: 'copy-magnet', label: several ? t('menu.magnetLinks') : t('menu.magnetLink'), icon: 'magnet', run: () => void actions.copy(rows, 'magnet') },
          { kind: 'action', id: 'copy-hash', label: several ? t('menu.infoHashes') : t('menu.infoHash'), run: () => void actions.copy(rows, 'hash') },
          { kind: 'action', id: 'copy-name', label: several ? t('menu.names') : t('menu.name'), run: () => void actions.copy(rows, 'name') },
        ],
      },
      fetchItem(rows),
      separator,
      { kind: 'action', id: 'remove', label: t('menu.remove'), icon: 'x', shortcut: 'Del', disabled: off, run: () => requestRemove(false, rows) },
    );
    if (caps.deleteData) {
      items.push({ kind: 'action', id: 'remove-data', label: t('menu.removeWithData'), icon: 'trash', shortcut: 'Shift+Del', danger: true, disabled: off, run: () => requestRemove(true, rows) });
    }
    // A greyed item says why on hover: the box is down.
    const hint = blocked.value ?? undefined;
    return tidyMenu(items).map((item) => (item.kind !== 'separator' && item.disabled && hint && !item.hint ? { ...item, hint } : item));
  }

  return { capabilities, connected, blocked, guarded, toggle, requestRemove, menu };
}
