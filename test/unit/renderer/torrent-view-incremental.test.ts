// The window follows deltas incrementally (counts per box, filter and sort that keep their
// arrays, rows updated in place): whatever the deltas, it must show exactly what a recount,
// a fresh filter and a fresh sort of the same rows give.
import fc from 'fast-check';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent, TorrentState } from '../../../electron/shared/model';
import { COLUMNS, COLUMNS_BY_ID } from '../../../renderer/src/lib/columns';
import { NO_LABEL, STATE_FILTERS, facetCounts, filterRows, sortRows, type TorrentRow, type ViewFilter } from '../../../renderer/src/lib/torrent-view';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { delta, hash, torrent } from './torrent-fixtures';

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});

const BOXES = ['a', 'b'];
/** Few ids and few values: re-adds, removals of what exists, and many ties. */
const IDS = 24;
const STATES: TorrentState[] = ['downloading', 'seeding', 'paused', 'queued', 'checking', 'metadata', 'error'];
const LABELS = ['linux', 'iso', 'music'];
const HOSTS = ['one.example', 'two.example', 'three.example'];

const fieldsArb: fc.Arbitrary<Partial<Torrent>> = fc.record(
  {
    state: fc.constantFrom(...STATES),
    downRate: fc.constantFrom(0, 0, 10, 500),
    upRate: fc.constantFrom(0, 0, 7, 300),
    progress: fc.constantFrom(0, 0.5, 1),
    sizeBytes: fc.constantFrom(100, 200, 300),
    name: fc.constantFrom('Ubuntu ISO', 'debian netinst', 'Concert', 'concert live', 'Arch'),
    labels: fc.subarray(LABELS, { maxLength: 2 }),
    trackerHosts: fc.subarray(HOSTS, { minLength: 1, maxLength: 2 }),
    addedAt: fc.constantFrom(1, 2, 3, null),
    etaSeconds: fc.constantFrom(null, 60, 3600),
  },
  { requiredKeys: [] },
);

interface DeltaPlan {
  box: number;
  full: boolean;
  added: { n: number; fields: Partial<Torrent> }[];
  changed: { n: number; fields: Partial<Torrent> }[];
  removed: number[];
}

function rarely<T>(items: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant<T[]>([]) }, { weight: 1, arbitrary: items });
}

const planArb: fc.Arbitrary<DeltaPlan> = fc.record({
  box: fc.nat(BOXES.length - 1),
  // A new snapshot now and then (a reconnection).
  full: fc.nat(5).map((n) => n === 0),
  // Mostly deltas that only change fields (the incremental paths), sometimes rows come or go.
  added: rarely(fc.array(fc.record({ n: fc.integer({ min: 1, max: IDS }), fields: fieldsArb }), { minLength: 1, maxLength: 6 })),
  changed: fc.array(fc.record({ n: fc.integer({ min: 1, max: IDS }), fields: fieldsArb }), { maxLength: 10 }),
  removed: rarely(fc.array(fc.integer({ min: 1, max: IDS }), { minLength: 1, maxLength: 4 })),
});

/** A delta as the main process would send it: fresh objects, changes only for rows it has. */
function toDelta(plan: DeltaPlan): TorrentDelta {
  const seedboxId = BOXES[plan.box]!;
  return delta(seedboxId, {
    full: plan.full,
    added: plan.added.map(({ n, fields }) => torrent(n, { ...fields })),
    changed: plan.changed.map(({ n, fields }) => ({ id: hash(n), ...fields })),
    removed: plan.removed.map((n) => hash(n)),
  });
}

/** Both boxes' first snapshots: every id, with random fields. */
const snapshotsArb: fc.Arbitrary<DeltaPlan[]> = fc.tuple(
  ...BOXES.map((_, box) =>
    fc.array(fieldsArb, { minLength: IDS, maxLength: IDS }).map((fields): DeltaPlan => ({ box, full: true, added: fields.map((each, i) => ({ n: i + 1, fields: each })), changed: [], removed: [] })),
  ),
);

/** Mostly no filter, or one or two: combined, they would leave too few rows to sort. */
const orNull = <T>(values: T[]): fc.Arbitrary<T | null> => fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...values) });
const filterArb: fc.Arbitrary<ViewFilter> = fc.record({
  seedboxId: orNull(BOXES),
  state: orNull([...STATE_FILTERS]),
  label: orNull([NO_LABEL, ...LABELS]),
  tracker: orNull(HOSTS),
  search: orNull(['concert', 'iso', 'u']).map((search) => search ?? ''),
});

const ids = (rows: readonly TorrentRow[]): string[] => rows.map((row) => row.key);

describe('the window following deltas', () => {
  it('keeps every count equal to a full recount', () => {
    fc.assert(
      fc.property(snapshotsArb, fc.array(planArb, { minLength: 1, maxLength: 25 }), (snapshots, plans) => {
        setActivePinia(createPinia());
        const store = useTorrentsStore();
        for (const plan of [...snapshots, ...plans]) {
          store.applyDelta(toDelta(plan));
          expect(store.counts(null)).toEqual(facetCounts(store.all, null));
          for (const box of BOXES) expect(store.counts(box)).toEqual(facetCounts(store.all, box));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('shows exactly the rows a fresh filter and a fresh sort give, in the same order', () => {
    fc.assert(
      fc.property(
        snapshotsArb,
        fc.array(planArb, { minLength: 5, maxLength: 25 }),
        filterArb,
        fc.constantFrom(...COLUMNS.map((column) => column.id)),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        // Some deltas go by unread (the table was not shown): the views must notice.
        fc.array(fc.nat(3).map((n) => n > 0), { minLength: 25, maxLength: 25 }),
        (snapshots, plans, filter, columnId, direction, reads) => {
          setActivePinia(createPinia());
          const store = useTorrentsStore();
          const ui = useUiStore();
          ui.seedboxId = filter.seedboxId;
          ui.stateFilter = filter.state;
          ui.labelFilter = filter.label;
          ui.trackerFilter = filter.tracker;
          ui.search = filter.search;
          ui.sortColumn = columnId;
          ui.sortDirection = direction;
          const sortKey = COLUMNS_BY_ID.get(columnId)!.sortKey;
          for (const snapshot of snapshots) store.applyDelta(toDelta(snapshot));
          plans.forEach((plan, index) => {
            store.applyDelta(toDelta(plan));
            if (!reads[index] && index < plans.length - 1) return;
            expect(ids(ui.rows)).toEqual(ids(sortRows(filterRows(store.all, filter), sortKey, direction)));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same array back while nothing the order depends on changed', () => {
    const store = useTorrentsStore();
    const ui = useUiStore();
    store.applyDelta(delta('a', { full: true, added: Array.from({ length: 50 }, (_, i) => torrent(i + 1, { upRate: i % 7 })) }));
    ui.setSort('size');
    const bySize = ui.rows;
    store.applyDelta(delta('a', { changed: [{ id: hash(3), upRate: 1000, progress: 0.1 }] }));
    expect(ui.rows).toBe(bySize);
    ui.setSort('upRate');
    const byRate = ui.rows;
    expect(ui.sortDirection).toBe('desc');
    store.applyDelta(delta('a', { changed: [{ id: hash(3), upRate: 9999 }] }));
    expect(ui.rows).not.toBe(byRate);
    expect(ui.rows[0]!.id).toBe(hash(3));
  });
});

describe('sort columns', () => {
  it('read only the fields they declare, so a change elsewhere can never move a row', () => {
    const base = { ...torrent(1, { labels: ['x'], trackerHosts: ['t.example'] }), seedboxId: 'a', key: `a:${hash(1)}`, nameKey: undefined, searchKey: undefined } as TorrentRow;
    for (const column of COLUMNS) {
      const read = new Set<string>();
      const spy = new Proxy(base, {
        get(target, field: string) {
          read.add(field);
          return target[field as keyof TorrentRow];
        },
        // The name key is cached on the row: writing it is not reading another field.
        set: () => true,
      });
      column.sortKey(spy);
      // Derived from the name, and the box never changes in place.
      const reads = [...read].filter((field) => field !== 'nameKey' && field !== 'seedboxId');
      expect(reads.sort(), column.id).toEqual([...column.sortFields].sort());
    }
  });
});
