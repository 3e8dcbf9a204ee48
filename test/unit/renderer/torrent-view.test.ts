import { describe, expect, it } from 'vitest';
import { COLUMNS_BY_ID } from '../../../renderer/src/lib/columns';
import { NO_LABEL, facetCounts, filterRows, nameKeyOf, sortRows, type ViewFilter } from '../../../renderer/src/lib/torrent-view';
import { hash, row } from './torrent-fixtures';

const rows = [
  row('a', 1, { name: 'Ubuntu 24.04 Desktop', state: 'downloading', downRate: 100, labels: ['linux'], trackerHosts: ['torrent.ubuntu.com'] }),
  row('a', 2, { name: 'Debian 12 netinst', state: 'seeding', upRate: 5, labels: ['linux', 'iso'], trackerHosts: ['bttracker.debian.org'] }),
  row('a', 3, { name: 'Big Buck Bunny', state: 'paused', labels: [] }),
  row('b', 4, { name: 'ubuntu server', state: 'metadata', labels: ['linux'], trackerHosts: ['torrent.ubuntu.com'] }),
  row('b', 5, { name: 'Broken', state: 'error', message: 'Tracker: unregistered torrent' }),
];
const none: ViewFilter = { seedboxId: null, state: null, label: null, tracker: null, search: '' };
const names = (list: { name: string }[]): string[] => list.map((item) => item.name);

describe('filters', () => {
  it('limits to a box, a state, a label, a tracker, and combines them', () => {
    expect(names(filterRows(rows, { ...none, seedboxId: 'b' }))).toEqual(['ubuntu server', 'Broken']);
    // Fetching metadata counts as downloading.
    expect(names(filterRows(rows, { ...none, state: 'downloading' }))).toEqual(['Ubuntu 24.04 Desktop', 'ubuntu server']);
    expect(names(filterRows(rows, { ...none, state: 'active' }))).toEqual(['Ubuntu 24.04 Desktop', 'Debian 12 netinst']);
    expect(names(filterRows(rows, { ...none, label: 'iso' }))).toEqual(['Debian 12 netinst']);
    expect(names(filterRows(rows, { ...none, label: NO_LABEL }))).toEqual(['Big Buck Bunny', 'Broken']);
    expect(names(filterRows(rows, { ...none, tracker: 'torrent.ubuntu.com', seedboxId: 'a' }))).toEqual(['Ubuntu 24.04 Desktop']);
  });

  it('searches case-insensitively for every word in the name, labels, trackers or hash prefix', () => {
    expect(names(filterRows(rows, { ...none, search: 'UBUNTU' }))).toEqual(['Ubuntu 24.04 Desktop', 'ubuntu server']);
    expect(names(filterRows(rows, { ...none, search: 'ubuntu  desk' }))).toEqual(['Ubuntu 24.04 Desktop']);
    expect(names(filterRows(rows, { ...none, search: 'iso' }))).toEqual(['Debian 12 netinst']);
    expect(names(filterRows(rows, { ...none, search: 'debian.org' }))).toEqual(['Debian 12 netinst']);
    expect(names(filterRows(rows, { ...none, search: hash(3) }))).toEqual(['Big Buck Bunny']);
    expect(filterRows(rows, { ...none, search: 'nothing-like-this' })).toEqual([]);
  });

  it('counts every filter of the box in view in one pass', () => {
    const all = facetCounts(rows, null);
    expect(all.total).toBe(5);
    expect(all.states).toEqual({ active: 2, downloading: 2, seeding: 1, paused: 1, queued: 0, checking: 0, error: 1, 'tracker-error': 0 });
    expect(all.labels).toEqual([[NO_LABEL, 2], ['iso', 1], ['linux', 3]]);
    expect(all.trackers).toEqual([['bttracker.debian.org', 1], ['torrent.ubuntu.com', 2], ['tracker.example', 2]]);
    const b = facetCounts(rows, 'b');
    expect(b.total).toBe(2);
    expect(b.states.downloading).toBe(1);
    expect(b.labels).toEqual([[NO_LABEL, 1], ['linux', 1]]);
  });
});

describe('sorting', () => {
  const by = (id: string, direction: 'asc' | 'desc'): string[] => names(sortRows(rows, COLUMNS_BY_ID.get(id)!.sortKey, direction));

  it('sorts names without regard to case, numbers numerically, both ways', () => {
    expect(by('name', 'asc')).toEqual(['Big Buck Bunny', 'Broken', 'Debian 12 netinst', 'Ubuntu 24.04 Desktop', 'ubuntu server']);
    expect(by('size', 'desc')).toEqual(['Broken', 'ubuntu server', 'Big Buck Bunny', 'Debian 12 netinst', 'Ubuntu 24.04 Desktop']);
    expect(by('downRate', 'desc')[0]).toBe('Ubuntu 24.04 Desktop');
  });

  it('keeps equal rows in their input order both ways, so they never swap between deltas', () => {
    const key = COLUMNS_BY_ID.get('upRate')!.sortKey;
    expect(sortRows(rows, key, 'asc').map((item) => item.id)).toEqual([hash(1), hash(3), hash(4), hash(5), hash(2)]);
    expect(sortRows(rows, key, 'desc').map((item) => item.id)).toEqual([hash(2), hash(1), hash(3), hash(4), hash(5)]);
  });

  it('puts unknown ETAs last when ascending and does not mutate its input', () => {
    const input = [row('a', 1, { etaSeconds: null }), row('a', 2, { etaSeconds: 30 }), row('a', 3, { etaSeconds: 5 })];
    const copy = [...input];
    expect(sortRows(input, COLUMNS_BY_ID.get('eta')!.sortKey, 'asc').map((item) => item.etaSeconds)).toEqual([5, 30, null]);
    expect(input).toEqual(copy);
  });

  it('sorts 50 000 rows quickly', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => row(i % 2 ? 'a' : 'b', i + 1, { name: `Name ${(i * 7919) % 50_000}`, upRate: (i * 31) % 997 }));
    const started = performance.now();
    const sorted = sortRows(many, COLUMNS_BY_ID.get('name')!.sortKey, 'asc');
    sortRows(many, COLUMNS_BY_ID.get('upRate')!.sortKey, 'desc');
    filterRows(many, { ...none, search: 'name 12' });
    facetCounts(many, null);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(nameKeyOf(sorted[0]!) <= nameKeyOf(sorted[1]!)).toBe(true);
  });
});
