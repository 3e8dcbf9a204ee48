// Deluge 2.0's raw wire shapes: what core.get_torrents_status / core.get_torrent_status answer
// for the keys we ask (deluge/core/torrent.py, Torrent._create_status_funcs). The key lists
// live here next to the shapes, so what is asked and what is read cannot drift apart.

/** Torrent.state (deluge/common.py TORRENT_STATE); anything else is a libtorrent state name. */
export type RawState = 'Allocating' | 'Checking' | 'Downloading' | 'Seeding' | 'Paused' | 'Error' | 'Queued' | 'Moving';

/** The keys of one list row. */
export const LIST_KEYS = [
  'hash',
  'name',
  'state',
  'total_wanted',
  'total_remaining',
  'total_uploaded',
  'all_time_download',
  'ratio',
  'download_payload_rate',
  'upload_payload_rate',
  'eta',
  'num_peers',
  'total_peers',
  'num_seeds',
  'total_seeds',
  'save_path',
  'time_added',
  'completed_time',
  'tracker_host',
  'message',
  'queue',
  'num_pieces',
  'is_finished',
  'seeding_time',
  'time_since_transfer',
  'private',
  'tracker_status',
] as const;

/** Asked only while the Label plugin is enabled: without it Deluge ignores the key. */
export const LABEL_KEY = 'label';

/** The keys details() asks on top of the list row. */
export const DETAIL_KEYS = ['files', 'file_progress', 'file_priorities', 'peers', 'trackers', 'tracker', 'tracker_status'] as const;

export interface RawTorrent {
  hash: string;
  name: string;
  state: RawState | string;
  /** Bytes of the wanted (not skipped) files. */
  total_wanted: number;
  /** Wanted bytes still missing. */
  total_remaining: number;
  /** All-time upload (libtorrent all_time_upload). */
  total_uploaded: number;
  all_time_download: number;
  /** all_time_upload / total_done; -1.0 while nothing is done. */
  ratio: number;
  /** Bytes per second. */
  download_payload_rate: number;
  upload_payload_rate: number;
  /** Seconds; 0 when unknown, -1 when over a year. */
  eta: number;
  /** Connected peers that are not seeds. */
  num_peers: number;
  /** From the tracker's scrape; -1 when unknown. */
  total_peers: number;
  num_seeds: number;
  total_seeds: number;
  /** The directory the torrent's file or folder is in. */
  save_path: string;
  /** Unix seconds. */
  time_added: number;
  /** Unix seconds; 0 when not completed. */
  completed_time: number;
  /**
   * Deluge's short form of the current (or first) tracker's host: "tracker.example.org" →
   * "example.org". Not shown: its change tells the client to read the torrent's trackers again.
   */
  tracker_host: string;
  /** "OK", or the error text in state Error. */
  message: string;
  /** 0-based position in the queue; -1 for finished torrents. */
  queue: number;
  /** 0 while a magnet has no metadata yet. */
  num_pieces: number;
  is_finished: boolean;
  /** Seconds seeding, all sessions (libtorrent's seeding_time, kept in the resume data). */
  seeding_time: number;
  /** Seconds since the last upload or download to a peer; -1 when never (this session). */
  time_since_transfer: number;
  /** The info dictionary's private flag; False while a magnet has no metadata. */
  private: boolean;
  /** "Announce OK", "Announce Sent", "Warning: …", "Error: …", '' before any announce. */
  tracker_status: string;
  /** Label plugin: '' when none. */
  label?: string;
}

/** One entry of `files`; `path` includes the torrent's own folder for multi-file torrents. */
export interface RawFile {
  index: number;
  path: string;
  size: number;
  offset: number;
}

/** One entry of `peers` (Torrent.get_peers). */
export interface RawPeer {
  client: string;
  country: string;
  down_speed: number;
  /** "address:port" (IPv6 addresses unbracketed: the port follows the last colon). */
  ip: string;
  /** 0..1. */
  progress: number;
  seed: number | boolean;
  up_speed: number;
}

/**
 * One entry of `trackers`: libtorrent's announce_entry as Deluge caches it when the tracker
 * list is set, so its counters never change afterwards; only url and tier are reliable.
 */
export interface RawTracker {
  url: string;
  tier: number;
  [key: string]: unknown;
}

export interface RawDetails {
  files: RawFile[];
  /** Per file, 0..1 (same order as files). */
  file_progress: number[];
  /** Per file, libtorrent 0..7 (see PRIORITY_*). */
  file_priorities: number[];
  peers: RawPeer[];
  trackers: RawTracker[];
  /** The URL of the tracker in use, '' before any announce. */
  tracker: string;
  /** "Announce OK", "Announce Sent", "Warning: …", "Error: …", or ''. */
  tracker_status: string;
}

/** Deluge's four file priorities (deluge/common.py FILE_PRIORITY); libtorrent has 0..7. */
export const RAW_PRIORITY = { skip: 0, low: 1, normal: 4, high: 7 } as const;

/** Events we ask the daemon to push (daemon.set_event_interest), with their arguments. */
export const EVENT_NAMES = ['TorrentAddedEvent', 'TorrentRemovedEvent', 'TorrentStateChangedEvent', 'TorrentFinishedEvent'] as const;

/** core.get_session_status keys: payload rates, like the per-torrent rates. */
export const SESSION_KEYS = ['payload_download_rate', 'payload_upload_rate'] as const;

/** core.get_config_values keys: KiB/s as floats, -1 (or 0) for no limit. */
export const GLOBAL_LIMIT_KEYS = ['max_download_speed', 'max_upload_speed'] as const;
