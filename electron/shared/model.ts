// The normalized model of ../shared/design.md. Every client translates its daemon's raw
// answers into these shapes; the CLI's --json output and the IPC payloads use them as is.

export const CLIENT_KINDS = ['rtorrent', 'deluge', 'qbittorrent', 'transmission'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const TORRENT_STATES = [
  'downloading',
  'seeding',
  'paused',
  'queued',
  'checking',
  'metadata',
  'error',
] as const;
export type TorrentState = (typeof TORRENT_STATES)[number];

export interface Torrent {
  /** Lowercase hex info-hash (v1, 40 characters). */
  id: string;
  name: string;
  state: TorrentState;
  /** 0..1 of the selected size. */
  progress: number;
  /** Size of the selected (wanted) files. */
  sizeBytes: number;
  doneBytes: number;
  uploadedBytes: number;
  downloadedBytes: number;
  ratio: number;
  /** Bytes per second. */
  downRate: number;
  upRate: number;
  etaSeconds: number | null;
  peersConnected: number;
  peersTotal: number;
  seedsConnected: number;
  seedsTotal: number;
  labels: string[];
  savePath: string;
  /** Unix seconds, or null when the client does not know. */
  addedAt: number | null;
  completedAt: number | null;
  trackerHosts: string[];
  /** '' when the client reports nothing. */
  message: string;
  /** null when the client has no queue. */
  queuePosition: number | null;
}

export const FILE_PRIORITIES = ['skip', 'low', 'normal', 'high'] as const;
export type FilePriority = (typeof FILE_PRIORITIES)[number];

export interface TorrentFile {
  index: number;
  /** Path inside the torrent, '/'-separated, without the torrent's own folder name. */
  path: string;
  sizeBytes: number;
  doneBytes: number;
  priority: FilePriority;
}

export interface Peer {
  address: string;
  port: number;
  client: string;
  progress: number;
  downRate: number;
  upRate: number;
}

export interface Tracker {
  url: string;
  tier: number;
  status: TrackerStatus;
  /** -1 when unknown. */
  seeders: number;
  leechers: number;
  message: string;
}

export type TrackerStatus = 'working' | 'updating' | 'not-contacted' | 'error' | 'disabled';

export interface TorrentDetails {
  torrent: Torrent;
  files: TorrentFile[];
  peers: Peer[];
  trackers: Tracker[];
}

/** What the connected client can do; the UI and the CLI offer only these. */
export interface Capabilities {
  /** Labels at all. */
  labels: boolean;
  /** More than one label per torrent. */
  multipleLabels: boolean;
  queue: boolean;
  deleteData: boolean;
  moveStorage: boolean;
  alternativeSpeed: boolean;
  pushEvents: boolean;
  freeSpace: boolean;
  perTorrentSpeedLimits: boolean;
  filePriorities: FilePriority[];
  addFromUrl: boolean;
}

export interface ClientInfo {
  kind: ClientKind;
  /** The daemon's own version string, e.g. "0.9.8". */
  version: string;
  /** The RPC dialect in use, e.g. "xmlrpc", "jsonrpc", "webui-v2.8.19". */
  protocol: string;
  capabilities: Capabilities;
}

/** Options for adding one torrent. */
export interface AddOptions {
  savePath?: string;
  labels?: string[];
  paused?: boolean;
  /**
   * Indexes into the .torrent's file list of files never to download (checked by
   * skipFilesSchema). Only for a .torrent file: a magnet or URL has no file list yet.
   */
  skipFiles?: number[];
}

export type AddSource =
  | { kind: 'file'; bytes: Uint8Array; fileName?: string }
  | { kind: 'magnet'; uri: string }
  | { kind: 'url'; url: string };

export interface SpeedLimits {
  /** Bytes per second; 0 means unlimited. */
  downBytesPerSecond: number;
  upBytesPerSecond: number;
}

export const TORRENT_FIELDS = [
  'id',
  'name',
  'state',
  'progress',
  'sizeBytes',
  'doneBytes',
  'uploadedBytes',
  'downloadedBytes',
  'ratio',
  'downRate',
  'upRate',
  'etaSeconds',
  'peersConnected',
  'peersTotal',
  'seedsConnected',
  'seedsTotal',
  'labels',
  'savePath',
  'addedAt',
  'completedAt',
  'trackerHosts',
  'message',
  'queuePosition',
] as const satisfies readonly (keyof Torrent)[];

export const QUEUE_MOVES = ['up', 'down', 'top', 'bottom'] as const;
export type QueueMove = (typeof QUEUE_MOVES)[number];

/** Totals for one daemon, for the status bar and `seedbox stats`. */
export interface SessionStats {
  /** Bytes per second, all torrents. */
  downRate: number;
  upRate: number;
  /** Free space in the default download directory; null where the client cannot tell. */
  freeSpaceBytes: number | null;
  /** null where the client has no alternative speed mode. */
  alternativeSpeedEnabled: boolean | null;
}

/** Pushed by clients whose daemon offers events (capabilities.pushEvents). */
export type ClientEvent =
  | { type: 'torrent-added'; id: string }
  | { type: 'torrent-removed'; id: string }
  | { type: 'torrent-state-changed'; id: string; state: string }
  | { type: 'torrent-finished'; id: string }
  | { type: 'disconnected'; reason: string };
