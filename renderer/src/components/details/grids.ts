// The peers and trackers tabs are plain tables: their columns and, row by row, each cell's
// text, drawn by DetailsGrid.vue. Pure, so what a tab shows follows from the details alone (and
// the window's language: `say` is the component's t()).
import type { MessageKey } from '../../../../electron/shared/i18n';
import type { Peer, Tracker } from '../../../../electron/shared/model';
import type { UnitFormat } from '../../composables/units';

/** The component's t(), for messages without values. */
export type Say = (key: MessageKey) => string;

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

const PEER_COLUMNS: readonly { label: MessageKey; class?: string }[] = [
  { label: 'details.peers.address' },
  { label: 'details.peers.client' },
  { label: 'details.peers.progress', class: 'num' },
  { label: 'details.peers.down', class: 'num' },
  { label: 'details.peers.up', class: 'num' },
];

function columnsIn(columns: readonly { label: MessageKey; class?: string }[], say: Say): GridColumn[] {
  return columns.map((column) => ({ ...column, label: say(column.label) }));
}

/** IPv6 addresses get brackets so the port stays readable. */
export function peerEndpoint(peer: Peer): string {
  return peer.address.includes(':') ? `[${peer.address}]:${peer.port}` : `${peer.address}:${peer.port}`;
}

export function peersGrid(peers: readonly Peer[], units: UnitFormat, say: Say): GridContent {
  return {
    columns: columnsIn(PEER_COLUMNS, say),
    rows: peers.map((peer) => ({
      key: peerEndpoint(peer),
      cells: [
        { text: peerEndpoint(peer) },
        { text: peer.client || '-' },
        { text: units.percent(peer.progress), class: 'num' },
        { text: units.rate(peer.downRate), class: 'num' },
        { text: units.rate(peer.upRate), class: 'num' },
      ],
    })),
    emptyText: say('details.peers.empty'),
  };
}

const TRACKER_COLUMNS: readonly { label: MessageKey; class?: string }[] = [
  { label: 'details.trackers.url' },
  { label: 'details.trackers.tier', class: 'num' },
  { label: 'details.trackers.status' },
  { label: 'details.trackers.seeders', class: 'num' },
  { label: 'details.trackers.leechers', class: 'num' },
  { label: 'details.trackers.message' },
];

const STATUS_NAMES: Record<Tracker['status'], MessageKey> = {
  working: 'details.trackers.statuses.working',
  updating: 'details.trackers.statuses.updating',
  'not-contacted': 'details.trackers.statuses.not-contacted',
  error: 'details.trackers.statuses.error',
  disabled: 'details.trackers.statuses.disabled',
};

export function trackersGrid(trackers: readonly Tracker[], units: UnitFormat, say: Say): GridContent {
  return {
    columns: columnsIn(TRACKER_COLUMNS, say),
    rows: trackers.map((tracker, position) => ({
      key: `${position}:${tracker.url}`,
      cells: [
        { text: tracker.url, class: 'url', title: tracker.url },
        { text: String(tracker.tier), class: 'num' },
        { text: say(STATUS_NAMES[tracker.status]), class: ['status', tracker.status] },
        { text: units.count(tracker.seeders), class: 'num' },
        { text: units.count(tracker.leechers), class: 'num' },
        { text: tracker.message || '', class: 'message' },
      ],
    })),
    emptyText: say('details.trackers.empty'),
  };
}
