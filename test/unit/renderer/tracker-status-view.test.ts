import { describe, expect, it } from 'vitest';
import { trackerIndicator } from '../../../renderer/src/lib/presentation';
import { FacetTally, countsOf, facetCounts, filterFields, filterRows, type ViewFilter } from '../../../renderer/src/lib/torrent-view';
import { row } from './torrent-fixtures';

const rows = [
  row('a', 1, { name: 'fine', trackerStatus: 'ok' }),
  row('a', 2, { name: 'unreachable', trackerStatus: 'error', trackerMessage: 'Connection refused' }),
  row('a', 3, { name: 'gone', trackerStatus: 'unregistered', trackerMessage: 'Unregistered torrent' }),
  row('b', 4, { name: 'slow', trackerStatus: 'warning', trackerMessage: 'slow down' }),
  row('b', 5, { name: 'unknown', trackerStatus: null }),
];
const none: ViewFilter = { seedboxId: null, state: null, label: null, tracker: null, search: '' };

describe('the tracker-error filter', () => {
  it('selects torrents whose tracker reports an error or no longer knows them', () => {
    expect(filterRows(rows, { ...none, state: 'tracker-error' }).map((r) => r.name)).toEqual(['unreachable', 'gone']);
    expect(filterFields({ ...none, state: 'tracker-error' })).toEqual(['trackerStatus']);
  });

  it('counts them per box and over all boxes, following changes', () => {
    expect(facetCounts(rows, null).states['tracker-error']).toBe(2);
    expect(facetCounts(rows, 'b').states['tracker-error']).toBe(0);
    const tally = new FacetTally();
    for (const item of rows) tally.add(item);
    tally.remove(rows[1]!);
    expect(countsOf([tally]).states['tracker-error']).toBe(1);
  });
});

describe('the row indicator', () => {
  it('says what the tracker said, for warnings, errors and unregistered torrents only', () => {
    expect(trackerIndicator(rows[0]!)).toBeNull();
    expect(trackerIndicator(rows[4]!)).toBeNull();
    expect(trackerIndicator(rows[1]!)).toEqual({ tone: 'error', text: 'Tracker error: Connection refused' });
    expect(trackerIndicator(rows[2]!)).toEqual({ tone: 'error', text: 'Tracker does not know this torrent: Unregistered torrent' });
    expect(trackerIndicator(rows[3]!)).toEqual({ tone: 'warning', text: 'Tracker warning: slow down' });
  });
});
