import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { COLUMN_PREFS_KEY, COLUMNS, COLUMNS_BY_ID, contentWidth, defaultColumnPrefs, loadColumnPrefs, moveColumn, normalizeColumnPrefs, visibleColumns } from '../../../renderer/src/lib/columns';
import { useUiStore } from '../../../renderer/src/stores/ui';

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});

describe('column preferences', () => {
  it('start from the defaults, with the name column first', () => {
    const prefs = loadColumnPrefs();
    expect(prefs).toEqual(defaultColumnPrefs());
    expect(visibleColumns(prefs)[0]!.column.id).toBe('name');
    expect(visibleColumns(prefs).map(({ column }) => column.id)).not.toContain('savePath');
  });

  it('survive a reload: width, order and visibility set through the store are read back', async () => {
    const ui = useUiStore();
    ui.setColumnWidth('size', 150);
    ui.reorderColumn('ratio', 'name');
    ui.toggleColumn('savePath');
    ui.toggleColumn('eta');
    await nextTick();
    const saved = JSON.parse(localStorage.getItem(COLUMN_PREFS_KEY)!);
    expect(saved.widths).toEqual({ size: 150 });

    // A new window (new pinia) reads them back.
    setActivePinia(createPinia());
    const again = useUiStore();
    const ids = again.columns.map(({ column }) => column.id);
    expect(ids[0]).toBe('ratio');
    expect(ids).toContain('savePath');
    expect(ids).not.toContain('eta');
    expect(again.columns.find(({ column }) => column.id === 'size')!.width).toBe(150);
  });

  it('repair what they cannot use: unknown columns dropped, new ones appended, widths clamped, name never hidden', () => {
    const prefs = normalizeColumnPrefs({ order: ['size', 'gone', 'name', 'size'], hidden: ['name', 'eta', 42], widths: { size: 2, name: 99999, bogus: 10, ratio: 'wide' } });
    expect(prefs.order.slice(0, 2)).toEqual(['size', 'name']);
    expect(prefs.order).toHaveLength(COLUMNS.length);
    expect(prefs.hidden).toEqual(['eta']);
    expect(prefs.widths).toEqual({ size: COLUMNS.find((column) => column.id === 'size')!.minWidth, name: 1200 });
    localStorage.setItem(COLUMN_PREFS_KEY, '{not json');
    expect(loadColumnPrefs()).toEqual(defaultColumnPrefs());
  });

  it('move a column before another, or to the end', () => {
    const prefs = defaultColumnPrefs();
    expect(moveColumn(prefs, 'eta', 'name').order.slice(0, 2)).toEqual(['eta', 'name']);
    expect(moveColumn(prefs, 'name', null).order.at(-1)).toBe('name');
  });

  it('sort: the same column flips direction, a new one starts in its natural direction, and it is remembered', async () => {
    const ui = useUiStore();
    ui.setSort('name');
    expect([ui.sortColumn, ui.sortDirection]).toEqual(['name', 'asc']);
    ui.setSort('name');
    expect(ui.sortDirection).toBe('desc');
    ui.setSort('size');
    expect([ui.sortColumn, ui.sortDirection]).toEqual(['size', 'desc']);
    await nextTick();
    setActivePinia(createPinia());
    expect(useUiStore().sortColumn).toBe('size');
  });
});

describe('a column sized by its content', () => {
  const seedbox = COLUMNS_BY_ID.get('seedbox')!;
  const perChar = (text: string): number => text.length * 7;

  it('fits the longest text with its padding, never below the minimum nor above the cap', () => {
    expect(contentWidth(seedbox, ['Home', 'Transmission VPS'], perChar)).toBe(16 * 7 + 17);
    // The header ('Seedbox') is the floor for short names.
    expect(contentWidth(seedbox, ['A'], perChar)).toBe(7 * 7 + 17);
    expect(contentWidth(seedbox, [], () => 1)).toBe(seedbox.minWidth);
    expect(contentWidth(seedbox, ['x'.repeat(100)], perChar)).toBe(260);
  });
});
