// Transmission's raw wire shapes, in the names of rpc-version 16 (Transmission 3.00). In
// Transmission 4.1's JSON-RPC form the wire uses snake_case; rpc.ts translates, so nothing here changes.
// Spec (current): https://github.com/transmission/transmission/blob/main/docs/rpc-spec.md
// Spec (3.00):    https://github.com/transmission/transmission/blob/3.00/extras/rpc-spec.txt

/** tr_torrent_activity, torrent-get `status` (rpc-version 14 and later). */
export const TR_STATUS = {
  stopped: 0,
  checkWait: 1,
  checking: 2,
  downloadWait: 3,
  downloading: 4,
  seedWait: 5,
  seeding: 6,
} as const;

/** tr_stat_errtype, torrent-get `error`. */
export const TR_ERROR = {
  ok: 0,
  /** The tracker answered with a warning; the torrent keeps working. */
  trackerWarning: 1,
  /** The tracker answered with an error; the torrent keeps working with others. */
  trackerError: 2,
  /** A local problem (missing data, disk full, permissions): Transmission stops the torrent. */
  localError: 3,
} as const;

/** tr_priority_t, torrent-get `priorities` / `fileStats[].priority`. */
export const TR_PRIORITY = { low: -1, normal: 0, high: 1 } as const;

/** trackerStats[].announceState (tr_tracker_state). */
export const TR_TRACKER_STATE = { inactive: 0, waiting: 1, queued: 2, active: 3 } as const;

/** uploadRatio's special values (TR_RATIO_NA, TR_RATIO_INF) and eta's (TR_ETA_NOT_AVAIL, TR_ETA_UNKNOWN). */
export const TR_RATIO_NA = -1;
export const TR_RATIO_INF = -2;

/** One tracker of trackerStats (only the keys we ask for or read). */
export interface RawTrackerStat {
  /** Announce URL. */
  announce: string;
  /** 0-based tier. */
  tier: number;
  /** TR_TRACKER_STATE: 3 while an announce is in flight. */
  announceState: number;
  /** Whether an announce was ever attempted this session. */
  hasAnnounced: boolean;
  lastAnnounceSucceeded: boolean;
  lastAnnounceTimedOut: boolean;
  /** The tracker's or the network's last answer ("Success", "Connection refused", ...). */
  lastAnnounceResult: string;
  /** Seeders / leechers the tracker reported in its last scrape or announce; -1 when unknown. */
  seederCount: number;
  leecherCount: number;
  /** True for trackers of a tier that are not the one in use. */
  isBackup: boolean;
}

/** One file in torrent-get `files` (constant per torrent). */
export interface RawFile {
  /** Path including the torrent's top folder for multi-file torrents, '/'-separated. */
  name: string;
  /** Bytes. */
  length: number;
  /** Bytes verified so far. */
  bytesCompleted: number;
}

/** One file in torrent-get `fileStats` (what changes), same order as `files`. */
export interface RawFileStat {
  bytesCompleted: number;
  wanted: boolean;
  /** TR_PRIORITY. */
  priority: number;
}

/** One peer in torrent-get `peers`. */
export interface RawPeer {
  address: string;
  port: number;
  clientName: string;
  /** 0..1 of the torrent the peer has. */
  progress: number;
  /** Bytes per second from the peer to us / from us to the peer. */
  rateToClient: number;
  rateToPeer: number;
}

/** What torrent-get answers for the fields we request (LIST_FIELDS + DETAIL_FIELDS). */
export interface RawTorrent {
  /** Session-local numeric id; not stable across daemon restarts (we key on hashString). */
  id: number;
  /** Lowercase hex info-hash: the model's id. */
  hashString: string;
  name: string;
  /** TR_STATUS. */
  status: number;
  /** TR_ERROR. */
  error: number;
  /** Human text for `error` ('' when 0). */
  errorString: string;
  /** 0..1 of the wanted bytes (sizeWhenDone). */
  percentDone: number;
  /** 0..1 of the info dictionary for magnets; 1 once the metadata is there. */
  metadataPercentComplete: number;
  /** Bytes of the wanted files. */
  sizeWhenDone: number;
  /** Wanted bytes still missing. */
  leftUntilDone: number;
  /** Bytes uploaded / downloaded, all sessions. */
  uploadedEver: number;
  downloadedEver: number;
  /** uploaded / downloaded; TR_RATIO_NA (-1) or TR_RATIO_INF (-2) when not a number. */
  uploadRatio: number;
  /** Bytes per second. */
  rateDownload: number;
  rateUpload: number;
  /** Seconds; -1 not available, -2 unknown. */
  eta: number;
  /** Peers connected, peers we download from, peers we upload to. */
  peersConnected: number;
  peersSendingToUs: number;
  peersGettingFromUs: number;
  /** rpc-version 16+: the torrent's labels. */
  labels: string[];
  /** The directory holding the torrent's file or top folder. */
  downloadDir: string;
  /** Unix seconds; 0 when never. */
  addedDate: number;
  doneDate: number;
  /** 0-based position in its queue (download or seed). */
  queuePosition: number;
  /** The info dictionary's private flag. */
  isPrivate: boolean;
  /** Seconds spent seeding, all sessions (Transmission's own counter, kept in its resume file). */
  secondsSeeding: number;
  /** Unix seconds of the last transfer to or from a peer; 0 when never. */
  activityDate: number;
  /** KB/s limits (units.speed-bytes bytes per KB) and whether they apply. */
  downloadLimit: number;
  downloadLimited: boolean;
  uploadLimit: number;
  uploadLimited: boolean;
  trackerStats: RawTrackerStat[];
  files: RawFile[];
  fileStats: RawFileStat[];
  peers: RawPeer[];
  /** TR_PRIORITY per file, same order as `files` (a cheap way to count files). */
  priorities: number[];
  /** Where the daemon keeps the torrent's .torrent on the box (in its config dir's torrents/). */
  torrentFile: string;
}

/** Everything a list refresh needs, and nothing more. */
export const LIST_FIELDS = [
  'id',
  'hashString',
  'name',
  'status',
  'error',
  'errorString',
  'percentDone',
  'metadataPercentComplete',
  'sizeWhenDone',
  'leftUntilDone',
  'uploadedEver',
  'downloadedEver',
  'uploadRatio',
  'rateDownload',
  'rateUpload',
  'eta',
  'peersConnected',
  'peersSendingToUs',
  'peersGettingFromUs',
  'labels',
  'downloadDir',
  'addedDate',
  'doneDate',
  'queuePosition',
  'isPrivate',
  'secondsSeeding',
  'activityDate',
  'trackerStats',
] as const satisfies readonly (keyof RawTorrent)[];

/** Added to LIST_FIELDS for one torrent's details. */
export const DETAIL_FIELDS = ['files', 'fileStats', 'peers'] as const satisfies readonly (keyof RawTorrent)[];

/** session-get's keys we read. */
export interface RawSession {
  /** "3.00 (bb6b5a062e)". */
  version: string;
  /** 16 on 3.00, 17 on 4.0, 18 on 4.1. */
  'rpc-version': number;
  'config-dir': string;
  'download-dir': string;
  /** KB/s, with the flags saying whether they apply. */
  'speed-limit-down': number;
  'speed-limit-down-enabled': boolean;
  'speed-limit-up': number;
  'speed-limit-up-enabled': boolean;
  'alt-speed-enabled': boolean;
  /** rpc-version 10+: `speed-bytes` is the bytes in one KB of the limits above (1000 on the daemon). */
  units: { 'speed-bytes': number };
}

/** session-stats' keys we read (bytes per second). */
export interface RawSessionStats {
  downloadSpeed: number;
  uploadSpeed: number;
}

/** Every legacy name whose snake_case twin may come back in an answer (the JSON-RPC form, 4.1+). */
export const ANSWER_KEYS: readonly string[] = [
  ...LIST_FIELDS,
  ...DETAIL_FIELDS,
  'priorities',
  'torrentFile',
  // trackerStats, files, fileStats, peers
  'announce', 'tier', 'announceState', 'hasAnnounced', 'lastAnnounceSucceeded', 'lastAnnounceTimedOut',
  'lastAnnounceResult', 'seederCount', 'leecherCount', 'isBackup', 'length', 'bytesCompleted', 'wanted',
  'priority', 'address', 'port', 'clientName', 'progress', 'rateToClient', 'rateToPeer',
  // session-get, session-stats, free-space, torrent-add, recently-active
  'version', 'rpc-version', 'config-dir', 'download-dir', 'speed-limit-down', 'speed-limit-down-enabled',
  'speed-limit-up', 'speed-limit-up-enabled', 'alt-speed-enabled', 'units', 'speed-bytes', 'downloadSpeed',
  'uploadSpeed', 'path', 'size-bytes', 'torrent-added', 'torrent-duplicate', 'torrents', 'removed',
];
