// What the user is looking at: the box (or all), the filters, the search, the sort, the
// selection, the table's columns and which dialogs are open. The derived table rows live
// here too, computed from the torrents store in one pass per change.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { COLUMNS_BY_ID, clampWidth, loadColumnPrefs, moveColumn, saveColumnPrefs, visibleColumns, type ColumnPrefs } from '../lib/columns';
import type { AddSourceDraft } from '../lib/add-sources';
import { EMPTY_SELECTION, clickSelection, contextSelection, moveFocus, pruneSelection, selectAll, type SelectionState } from '../lib/selection';
import { createRowFilter, createRowSorter, rowKey, type SortDirection, type StateFilter, type TorrentRow } from '../lib/torrent-view';
import { useTorrentsStore } from './torrents';

const SORT_KEY = 'seedbox-remote.sort.v1';

export type MainView = 'torrents' | 'rules' | 'settings' | 'fetch';
/** A dialog of the torrent actions that asks for something first. */
export type ActionDialog =
  | { kind: 'remove'; keys: string[]; deleteData: boolean }
  | { kind: 'move'; keys: string[] }
  | { kind: 'labels'; keys: string[] }
  | { kind: 'limits'; keys: string[] };

function loadSort(): { column: string; direction: SortDirection } {
  try {
    const saved = JSON.parse(localStorage.getItem(SORT_KEY) ?? 'null') as { column?: unknown; direction?: unknown } | null;
    if (saved && typeof saved.column === 'string' && COLUMNS_BY_ID.has(saved.column) && (saved.direction === 'asc' || saved.direction === 'desc')) {
      return { column: saved.column, direction: saved.direction };
    }
  } catch {
    // Unreadable: the default order.
  }
  return { column: 'added', direction: 'desc' };
}

export const useUiStore = defineStore('ui', () => {
  const torrents = useTorrentsStore();

  const view = ref<MainView>('torrents');
  /** null: "All seedboxes". */
  const seedboxId = ref<string | null>(null);
  const stateFilter = ref<StateFilter | null>(null);
  const labelFilter = ref<string | null>(null);
  const trackerFilter = ref<string | null>(null);
  const search = ref('');

  const initialSort = loadSort();
  const sortColumn = ref(initialSort.column);
  const sortDirection = ref<SortDirection>(initialSort.direction);
  watch([sortColumn, sortDirection], () => localStorage.setItem(SORT_KEY, JSON.stringify({ column: sortColumn.value, direction: sortDirection.value })));

  const columnPrefs = shallowRef<ColumnPrefs>(loadColumnPrefs());
  watch(columnPrefs, (prefs) => saveColumnPrefs(prefs));
  const columns = computed(() => visibleColumns(columnPrefs.value));

  const selection = shallowRef<SelectionState>(EMPTY_SELECTION);

  const addDialog = shallowRef<{ open: boolean; sources: AddSourceDraft[] }>({ open: false, sources: [] });
  const editor = shallowRef<{ open: boolean; seedboxId: string | null }>({ open: false, seedboxId: null });
  const actionDialog = shallowRef<ActionDialog | null>(null);
  /** The seedbox whose own speed limits (all torrents together) are being edited. */
  const globalLimitsFor = ref<string | null>(null);
  /** Bumped to ask the table to scroll a row into view (app:showTorrent, keyboard). */
  const reveal = shallowRef<{ key: string; serial: number } | null>(null);

  // Kept by the store box by box: no pass over the rows. They do not depend on the filters.
  const counts = computed(() => torrents.counts(seedboxId.value));

  // Filter and sort follow each delta (torrents.lastChange): the same array comes back while
  // nothing they depend on changed, so a delta that only moved rates re-sorts nothing and the
  // table only repaints its visible rows.
  const filterRows = createRowFilter();
  const filtered = computed(() =>
    filterRows(
      torrents.all,
      { seedboxId: seedboxId.value, state: stateFilter.value, label: labelFilter.value, tracker: trackerFilter.value, search: search.value },
      torrents.lastChange,
    ),
  );

  const sortRows = createRowSorter();
  const rows = computed<TorrentRow[]>(() => {
    const column = COLUMNS_BY_ID.get(sortColumn.value) ?? COLUMNS_BY_ID.get('name')!;
    return sortRows(filtered.value, column, sortDirection.value, torrents.lastChange);
  });
  const rowKeys = computed(() => rows.value.map((row) => row.key));

  // Rows that leave the view (removed, filtered out, another box) leave the selection, so
  // actions and the details never act on what the user cannot see.
  watch(
    filtered,
    (visible) => {
      if (selection.value.selected.size === 0 && selection.value.focused === null) return;
      const keys = new Set(visible.map((row) => row.key));
      selection.value = pruneSelection(selection.value, (key) => keys.has(key));
    },
    { flush: 'sync' },
  );

  const selectedRows = computed<TorrentRow[]>(() => {
    const out: TorrentRow[] = [];
    for (const key of selection.value.selected) {
      const at = key.lastIndexOf(':');
      const row = torrents.get(key.slice(0, at), key.slice(at + 1));
      if (row) out.push(row);
    }
    return out;
  });

  /** The torrent the details panel shows: the focused one when it is the only one selected. */
  const detailsRow = computed<TorrentRow | null>(() => {
    const { selected, focused } = selection.value;
    if (focused === null || selected.size !== 1 || !selected.has(focused)) return null;
    return selectedRows.value[0] ?? null;
  });

  function selectBox(id: string | null): void {
    seedboxId.value = id;
    view.value = 'torrents';
    // Filters of another box may not exist here.
    labelFilter.value = null;
    trackerFilter.value = null;
  }

  function setSort(column: string): void {
    if (sortColumn.value === column) {
      sortDirection.value = sortDirection.value === 'asc' ? 'desc' : 'asc';
    } else {
      sortColumn.value = column;
      sortDirection.value = COLUMNS_BY_ID.get(column)?.descendingFirst ? 'desc' : 'asc';
    }
  }

  function click(key: string, modifiers: { shift: boolean; toggle: boolean }): void {
    selection.value = clickSelection(selection.value, { key, order: rowKeys.value, ...modifiers });
  }
  function contextClick(key: string): void {
    selection.value = contextSelection(selection.value, key);
  }
  function selectAllRows(): void {
    selection.value = selectAll(rowKeys.value, selection.value);
  }
  function clearSelection(): void {
    selection.value = EMPTY_SELECTION;
  }
  function move(step: number, shift: boolean): void {
    selection.value = moveFocus(selection.value, rowKeys.value, step, shift);
    if (selection.value.focused) reveal.value = { key: selection.value.focused, serial: (reveal.value?.serial ?? 0) + 1 };
  }

  /** app:showTorrent: makes sure the filters let it through, selects it and scrolls to it. */
  function showTorrent(box: string, id: string): void {
    const key = rowKey(box, id);
    view.value = 'torrents';
    if (seedboxId.value !== null && seedboxId.value !== box) seedboxId.value = box;
    const row = torrents.get(box, id);
    if (!row || !filtered.value.includes(row)) {
      stateFilter.value = null;
      labelFilter.value = null;
      trackerFilter.value = null;
      search.value = '';
    }
    selection.value = { selected: new Set([key]), anchor: key, focused: key };
    reveal.value = { key, serial: (reveal.value?.serial ?? 0) + 1 };
  }

  function setColumnWidth(id: string, width: number): void {
    const column = COLUMNS_BY_ID.get(id);
    if (!column) return;
    columnPrefs.value = { ...columnPrefs.value, widths: { ...columnPrefs.value.widths, [id]: clampWidth(column, width) } };
  }
  function toggleColumn(id: string): void {
    if (id === 'name') return;
    const hidden = columnPrefs.value.hidden.includes(id) ? columnPrefs.value.hidden.filter((other) => other !== id) : [...columnPrefs.value.hidden, id];
    columnPrefs.value = { ...columnPrefs.value, hidden };
  }
  function reorderColumn(id: string, beforeId: string | null): void {
    columnPrefs.value = moveColumn(columnPrefs.value, id, beforeId);
  }
  function resetColumns(): void {
    columnPrefs.value = loadColumnPrefs({ getItem: () => null });
  }

  function openAdd(sources: AddSourceDraft[] = []): void {
    // Sources arriving while the dialog is open join the ones already there.
    addDialog.value = { open: true, sources: addDialog.value.open ? [...addDialog.value.sources, ...sources] : sources };
  }
  function closeAdd(): void {
    addDialog.value = { open: false, sources: [] };
  }
  function openEditor(id: string | null): void {
    editor.value = { open: true, seedboxId: id };
  }
  function closeEditor(): void {
    editor.value = { open: false, seedboxId: null };
  }

  return {
    view, seedboxId, stateFilter, labelFilter, trackerFilter, search, sortColumn, sortDirection,
    columnPrefs, columns, selection, addDialog, editor, actionDialog, globalLimitsFor, reveal,
    counts, filtered, rows, rowKeys, selectedRows, detailsRow,
    selectBox, setSort, click, contextClick, selectAllRows, clearSelection, move, showTorrent,
    setColumnWidth, toggleColumn, reorderColumn, resetColumns, openAdd, closeAdd, openEditor, closeEditor,
  };
});
