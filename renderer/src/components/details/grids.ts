// The peers and trackers tabs are plain tables: their columns and, row by row, each cell's
// text, drawn by DetailsGrid.vue. Pure, so what a tab shows follows from the details alone.
import { formatCount, formatPercent } from '../../../../electron/shared/format';
import type { Peer, Tracker } from '../../../../electron/shared/model';
import type { UnitFormat } from '../../composables/units';

export interface GridColumn {
  label: string;
  /** Class of the header cell ("num" aligns right; a tab may style its own). */
  class?: string;
}
export interface GridCell {
  text: string;
  class?: string | string[];
  title?: string;
}
export interface GridRow {
  key: string;
  cells: GridCell[];
}
export interface GridContent {
  columns: readonly GridColumn[];
  rows: GridRow[];
  /** Said in place of the rows when there are none. */
  emptyText: string;
}

const PEER_COLUMNS: readonly GridColumn[] = [
  { label: 'Address' },
  { label: 'Client' },
  { label: 'Progress', class: 'num' },
  { label: 'Down', class: 'num' },
  { label: 'Up', class: 'num' },
];

/** IPv6 addresses get brackets so the port stays readable. */
export function peerEndpoint(peer: Peer): string {
  return peer.address.includes(':') ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}

export function peersGrid(peers: readonly Peer[], units: UnitFormat): GridContent {
  return {
    columns: PEER_COLUMNS,
    rows: peers.map((peer) => ({
      key: peerEndpoint(peer),
      cells: [
        { text: peerEndpoint(peer) },
        { text: peer.client || '-' },
        { text: formatPercent(peer.progress), class: 'num' },
        { text: units.rate(peer.downRate), class: 'num' },
        { text: units.rate(peer.upRate), class: 'num' },
      ],
    })),
    emptyText: 'No connected peers.',
  };
}

const TRACKER_COLUMNS: readonly GridColumn[] = [
  { label: 'URL' },
  { label: 'Tier', class: 'num' },
  { label: 'Status' },
  { label: 'Seeders', class: 'num' },
  { label: 'Leechers', class: 'num' },
  { label: 'Message' },
];

const STATUS_NAMES: Record<Tracker['status'], string> = {
  working: 'Working',
  updating: 'Updating',
  'not-contacted': 'Not contacted',
  error: 'Error',
  disabled: 'Disabled',
};


export function trackersGrid(trackers: readonly Tracker[]): GridContent {
  return {
    columns: TRACKER_COLUMNS,
    rows: trackers.map((tracker, position) => ({
      key: `${position}:${tracker.url}`,
      cells: [
        { text: tracker.url, class: 'url', title: tracker.url },
        { text: String(tracker.tier), class: 'num' },
        { text: STATUS_NAMES[tracker.status], class: ['status', tracker.status] },
        { text: formatCount(tracker.seeders), class: 'num' },
        { text: formatCount(tracker.leechers), class: 'num' },
        { text: tracker.message || '', class: 'message' },
      ],
    })),
    emptyText: 'No trackers (DHT or peer exchange only).',
  };
}
