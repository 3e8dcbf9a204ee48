import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { computed, effect, isReactive, watchEffect } from 'vue';
import { nameKeyOf, searchKeyOf } from '../../../renderer/src/lib/torrent-view';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { delta, hash, torrent } from './torrent-fixtures';

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});

describe('the torrents store', () => {
  it('takes a full snapshot, replacing what the box had', () => {
    const store = useTorrentsStore();
    store.applyDelta(delta('box-a', { full: true, added: [torrent(1), torrent(2)] }));
    store.applyDelta(delta('box-b', { full: true, added: [torrent(3)] }));
    expect(store.all.map((row) => row.key).sort()).toEqual([`box-a:${hash(1)}`, `box-a:${hash(2)}`, `box-b:${hash(3)}`]);
    expect(store.isLoaded('box-a')).toBe(true);

    store.applyDelta(delta('box-a', { full: true, added: [torrent(9)] }));
    expect(store.rowsOf('box-a').map((row) => row.id)).toEqual([hash(9)]);
    // The other box is untouched.
    expect(store.rowsOf('box-b').map((row) => row.id)).toEqual([hash(3)]);
    expect(store.get('box-b', hash(3))).toMatchObject({ seedboxId: 'box-b', name: 'Torrent 3' });
    expect(nameKeyOf(store.get('box-b', hash(3))!)).toBe('torrent 3');
  });

  it('takes a snapshot sent in chunks (full first, then additions) as the same rows as a whole one', () => {
    const store = useTorrentsStore();
    const torrents = Array.from({ length: 23 }, (_, i) => torrent(i + 1, { state: i % 3 ? 'seeding' : 'paused' }));
    store.applyDelta(delta('box', { full: true, added: [torrent(99)] }));
    // As the service's snapshotDeltas cuts a snapshot (the window's tests cannot import the core).
    const chunks = [0, 5, 10, 15, 20].map((start) => delta('box', { full: start === 0, added: torrents.slice(start, start + 5) }));
    store.applyDelta(chunks[0]!);
    // The first chunk already shows (and the box counts as loaded), without the old torrent.
    expect(store.rowsOf('box').map((row) => row.id)).toEqual(torrents.slice(0, 5).map((each) => each.id));
    expect(store.isLoaded('box')).toBe(true);
    for (const chunk of chunks.slice(1)) store.applyDelta(chunk);
    const whole = useTorrentsStore(createPinia());
    whole.applyDelta(delta('box', { full: true, added: torrents }));
    expect(store.rowsOf('box').map((row) => row.id)).toEqual(torrents.map((each) => each.id));
    expect(store.counts('box')).toEqual(whole.counts('box'));
  });

  it('updates changed rows in place, says which rows and fields changed, and drops removed torrents', () => {
    const store = useTorrentsStore();
    store.applyDelta(delta('box', { full: true, added: [torrent(1), torrent(2), torrent(3)] }));
    const before = store.get('box', hash(1))!;
    // Derived keys computed before a rename must not survive it.
    expect(nameKeyOf(before)).toBe('torrent 1');
    expect(searchKeyOf(before)).toContain('torrent 1');
    const serial = store.lastChange.serial;
    store.applyDelta(delta('box', { changed: [{ id: hash(1), downRate: 500, name: 'Renamed ISO' }], removed: [hash(2)] }));
    const after = store.get('box', hash(1))!;
    expect(after).toBe(before);
    expect(after).toMatchObject({ downRate: 500, name: 'Renamed ISO', sizeBytes: 1000, seedboxId: 'box' });
    expect(nameKeyOf(after)).toBe('renamed iso');
    expect(searchKeyOf(after)).toContain('renamed iso');
    expect(store.lastChange).toMatchObject({ serial: serial + 1, membership: true, rows: [after] });
    expect([...store.lastChange.fields].sort()).toEqual(['downRate', 'id', 'name']);
    expect(store.get('box', hash(2))).toBeUndefined();
    expect(store.countOf('box')).toBe(2);
    // A change for a torrent the store never saw is ignored rather than inventing a half row.
    store.applyDelta(delta('box', { changed: [{ id: hash(77), downRate: 1 }] }));
    expect(store.get('box', hash(77))).toBeUndefined();
    expect(store.lastChange).toMatchObject({ serial: serial + 2, membership: false, rows: [] });
  });

  it('triggers once per delta, however many torrents it touches, and keeps rows non-reactive', () => {
    const store = useTorrentsStore();
    let runs = 0;
    effect(() => {
      void store.all;
      runs++;
    });
    expect(runs).toBe(1);
    store.applyDelta(delta('box', { full: true, added: Array.from({ length: 500 }, (_, i) => torrent(i + 1)) }));
    expect(runs).toBe(2);
    store.applyDelta(
      delta('box', {
        changed: Array.from({ length: 200 }, (_, i) => ({ id: hash(i + 1), upRate: i })),
        added: [torrent(1000)],
        removed: [hash(400), hash(401)],
      }),
    );
    expect(runs).toBe(3);
    expect(store.all).toHaveLength(499);
    expect(isReactive(store.all[0])).toBe(false);
  });

  it('recomputes the filter counts once per delta, and the table rows only when the order may have changed', () => {
    const store = useTorrentsStore();
    const ui = useUiStore();
    let rowsRuns = 0;
    let countRuns = 0;
    const rows = computed(() => {
      rowsRuns++;
      return ui.rows;
    });
    const counts = computed(() => {
      countRuns++;
      return ui.counts;
    });
    const stop = watchEffect(() => {
      void rows.value;
      void counts.value;
    }, { flush: 'sync' });
    store.applyDelta(delta('box', { full: true, added: [torrent(1, { state: 'downloading', downRate: 5 }), torrent(2)] }));
    expect(rowsRuns).toBe(2);
    // Sorted by when they were added (the default): a change of state or progress moves nothing.
    store.applyDelta(delta('box', { changed: [{ id: hash(2), state: 'paused' }, { id: hash(1), progress: 0.5 }] }));
    expect(rowsRuns).toBe(2);
    expect(countRuns).toBe(3);
    expect(ui.counts.states).toMatchObject({ downloading: 1, paused: 1, seeding: 0, active: 1 });
    // A change of the sort column does.
    store.applyDelta(delta('box', { changed: [{ id: hash(1), addedAt: 2_000_000_000 }] }));
    expect(rowsRuns).toBe(3);
    expect(ui.rows.map((row) => row.id)).toEqual([hash(1), hash(2)]);
    stop();
  });

  it('forgets a removed box', () => {
    const store = useTorrentsStore();
    store.applyDelta(delta('gone', { full: true, added: [torrent(1)] }));
    store.forgetBox('gone');
    expect(store.all).toEqual([]);
    expect(store.isLoaded('gone')).toBe(false);
  });

  it('drops from the selection what leaves the view: removed, filtered out, or on another box', () => {
    const store = useTorrentsStore();
    const ui = useUiStore();
    store.applyDelta(delta('a', { full: true, added: [torrent(1), torrent(2, { state: 'paused' }), torrent(3)] }));
    store.applyDelta(delta('b', { full: true, added: [torrent(4)] }));
    ui.selectAllRows();
    expect(ui.selection.selected.size).toBe(4);
    store.applyDelta(delta('a', { removed: [hash(3)] }));
    expect(ui.selection.selected.size).toBe(3);
    ui.stateFilter = 'paused';
    expect([...ui.selection.selected]).toEqual([`a:${hash(2)}`]);
    expect(ui.detailsRow).toBeNull();
    ui.click(`a:${hash(2)}`, { shift: false, toggle: false });
    expect(ui.detailsRow?.id).toBe(hash(2));
    ui.selectBox('b');
    expect(ui.selection.selected.size).toBe(0);
  });
});
