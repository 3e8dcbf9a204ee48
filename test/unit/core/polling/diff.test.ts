import { describe, expect, it } from 'vitest';
import type { Torrent } from '../../../../electron/shared/model';
import { countTorrents, diffTorrents } from '../../../../electron/core/polling/diff';
import { modelTorrent } from '../../../helpers/model';

function torrent(id: string, changes: Partial<Torrent> = {}): Torrent {
  return modelTorrent({ id: id.padEnd(40, '0'), name: `t ${id}`, ...changes });
}

describe('diffTorrents', () => {
  it('reports added, changed fields only, and removed, and keeps the map current', () => {
    const map = new Map<string, Torrent>();
    const first = diffTorrents(map, [torrent('a'), torrent('b'), torrent('c')]);
    expect(first.added.map((item) => item.id[0])).toEqual(['a', 'b', 'c']);
    expect(first.changed).toEqual([]);

    const next = diffTorrents(map, [torrent('a', { upRate: 5, labels: ['x'] }), torrent('b'), torrent('d')]);
    expect(next.added.map((item) => item.name)).toEqual(['t d']);
    expect(next.changed).toEqual([{ id: 'a'.padEnd(40, '0'), upRate: 5, labels: ['x'] }]);
    expect(next.removed).toEqual(['c'.padEnd(40, '0')]);
    expect([...map.keys()].map((id) => id[0]).sort()).toEqual(['a', 'b', 'd']);
  });

  it('treats equal arrays as unchanged and skips identical objects', () => {
    const map = new Map<string, Torrent>();
    const same = torrent('a', { trackerHosts: ['h1', 'h2'] });
    diffTorrents(map, [same]);
    expect(diffTorrents(map, [same]).changed).toEqual([]);
    expect(diffTorrents(map, [torrent('a', { trackerHosts: ['h1', 'h2'] })]).changed).toEqual([]);
    expect(diffTorrents(map, [torrent('a', { trackerHosts: ['h2', 'h1'] })]).changed).toEqual([{ id: 'a'.padEnd(40, '0'), trackerHosts: ['h2', 'h1'] }]);
  });

  it('counts by state and sums the rates', () => {
    const counts = countTorrents([torrent('a', { downRate: 3 }), torrent('b', { state: 'paused', upRate: 4 }), torrent('c', { state: 'paused' })]);
    expect(counts).toMatchObject({ count: 3, downRate: 3, upRate: 4 });
    expect(counts.countsByState).toMatchObject({ seeding: 1, paused: 2, error: 0 });
  });
});
