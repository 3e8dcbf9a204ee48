// qBittorrent's WebUI API v2 answers as they come off the wire. They stay inside
// clients/qbittorrent/; normalize.ts turns them into the model.
//
// Upstream reference (field names and meanings):
//   https://github.com/qbittorrent/qBittorrent/wiki/WebUI-API-(qBittorrent-4.1)  (4.1 to 4.6, WebAPI 2.0 to 2.9)
//   https://github.com/qbittorrent/qBittorrent/wiki/WebUI-API-(qBittorrent-5.0)  (5.x, WebAPI 2.11+)
// Checked against qbittorrent-nox 4.5.2 (WebAPI 2.8.19); test/fixtures/qbittorrent/ holds its answers.
//
// Every field is optional: sync/maindata sends only what changed since the previous rid.

/** One torrent in sync/maindata's `torrents` map (keyed by the torrent id, the v1 info-hash). Sizes in bytes, rates in bytes/s, times in Unix seconds. */
export interface RawTorrent {
  /** Display name (the info dictionary's name unless renamed). */
  name?: string;
  /** See QbittorrentState; 4.x says paused*, 5.x says stopped*. */
  state?: string;
  /** 0..1 of the wanted (selected) bytes. */
  progress?: number;
  /** Wanted bytes: total_size minus skipped files. */
  size?: number;
  /** Every file, skipped ones too. */
  total_size?: number;
  /** Wanted bytes that are done. */
  completed?: number;
  /** Wanted bytes still missing. */
  amount_left?: number;
  /** Uploaded / downloaded, all time. */
  uploaded?: number;
  downloaded?: number;
  uploaded_session?: number;
  downloaded_session?: number;
  ratio?: number;
  dlspeed?: number;
  upspeed?: number;
  /** Seconds; 8640000 (100 days) means "infinite / unknown". */
  eta?: number;
  /** Seeds / leechers we are connected to. */
  num_seeds?: number;
  num_leechs?: number;
  /** Seeds / leechers in the swarm, as the trackers scrape them. */
  num_complete?: number;
  num_incomplete?: number;
  /** Comma+space separated ("a, b"); qBittorrent tags cannot contain commas. */
  tags?: string;
  /** '' when none. */
  category?: string;
  save_path?: string;
  /** Absolute path of the file (single-file) or the root folder (multi-file). */
  content_path?: string;
  download_path?: string;
  added_on?: number;
  /** 0 or -1 (or absent) until completed. */
  completion_on?: number;
  /** The tracker currently working, '' when none works. */
  tracker?: string;
  trackers_count?: number;
  /** Queue position, 1 = first; 0 (or -1) when not queued (complete, or forced). Meaningful only while queueing is on. */
  priority?: number;
  /** Per-torrent limits in bytes/s; 0 or -1 = none. */
  dl_limit?: number;
  up_limit?: number;
  force_start?: boolean;
  seq_dl?: boolean;
  f_l_piece_prio?: boolean;
  super_seeding?: boolean;
  auto_tmm?: boolean;
  availability?: number;
  infohash_v1?: string;
  infohash_v2?: string;
  magnet_uri?: string;
  /** Unix seconds of the last upload or download. */
  last_activity?: number;
  seen_complete?: number;
  /** Seconds seeding, all sessions (libtorrent's counter, kept in the fastresume). */
  seeding_time?: number;
  time_active?: number;
  /** 5.0+: the info dictionary's private flag, null without metadata (4.x: torrents/properties is_private only). */
  private?: boolean | null;
  max_ratio?: number;
  max_seeding_time?: number;
  ratio_limit?: number;
  seeding_time_limit?: number;
}

/** sync/maindata's server_state (partial in incremental answers). */
export interface RawServerState {
  /** Bytes/s, all torrents. */
  dl_info_speed?: number;
  up_info_speed?: number;
  /** Session totals in bytes. */
  dl_info_data?: number;
  up_info_data?: number;
  alltime_dl?: number;
  alltime_ul?: number;
  /** The limits in force now (the alternative ones while that mode is on), bytes/s, 0 = none. */
  dl_rate_limit?: number;
  up_rate_limit?: number;
  /** Free bytes in the default save path's file system. */
  free_space_on_disk?: number;
  use_alt_speed_limits?: boolean;
  /** Whether the download queue is on (preference queueing_enabled). */
  queueing?: boolean;
  /** "connected", "firewalled" or "disconnected". */
  connection_status?: string;
  dht_nodes?: number;
  total_peer_connections?: number;
  /** Milliseconds the WebUI itself waits between refreshes. */
  refresh_interval?: number;
  global_ratio?: string;
}

/** GET /api/v2/sync/maindata?rid=N */
export interface RawMainData {
  /** Send it back as ?rid= next time to get only what changed. */
  rid: number;
  /** true: this answer is complete; forget everything held before. */
  full_update?: boolean;
  torrents?: Record<string, RawTorrent>;
  torrents_removed?: string[];
  categories?: Record<string, { name: string; savePath: string }>;
  categories_removed?: string[];
  tags?: string[];
  tags_removed?: string[];
  /** Tracker URL → ids of the torrents that use it (4.5+). */
  trackers?: Record<string, string[]>;
  trackers_removed?: string[];
  server_state?: RawServerState;
}

/** GET /api/v2/torrents/files?hash=ID (404 for an unknown id). */
export interface RawFile {
  /** Position in the torrent; the `id` filePrio takes. */
  index: number;
  /** Path relative to the save path, '/'-separated, including the torrent's root folder when it has one. */
  name: string;
  size: number;
  /** 0..1 */
  progress: number;
  /** 0 skip, 1 normal, 6 high, 7 maximum (other values 2..5 exist in libtorrent only). */
  priority: number;
  is_seed?: boolean;
  piece_range?: [number, number];
  availability?: number;
}

/** GET /api/v2/torrents/trackers?hash=ID; the first three rows are the pseudo trackers "** [DHT] **", "** [PeX] **", "** [LSD] **". */
export interface RawTracker {
  url: string;
  /** 0 disabled, 1 not contacted yet, 2 working, 3 updating, 4 not working. */
  status: number;
  /** -1 for the pseudo trackers. */
  tier: number | string;
  num_peers: number;
  /** -1 when the tracker did not say. */
  num_seeds: number;
  num_leeches: number;
  num_downloaded: number;
  msg: string;
}

/** One peer in GET /api/v2/sync/torrentPeers?hash=ID&rid=0 (`peers` is keyed "ip:port"). */
export interface RawPeer {
  ip?: string;
  port?: number;
  /** The peer's client name and version. */
  client?: string;
  /** 0..1 */
  progress?: number;
  dl_speed?: number;
  up_speed?: number;
  downloaded?: number;
  uploaded?: number;
  connection?: string;
  flags?: string;
  country_code?: string;
  relevance?: number;
  files?: string;
}

export interface RawPeers {
  rid: number;
  full_update?: boolean;
  peers?: Record<string, RawPeer>;
  peers_removed?: string[];
  show_flags?: boolean;
}

/** GET /api/v2/app/preferences: the few keys we read. Limits in bytes/s, 0 = none. */
export interface RawPreferences {
  dl_limit?: number;
  up_limit?: number;
  alt_dl_limit?: number;
  alt_up_limit?: number;
  queueing_enabled?: boolean;
  save_path?: string;
}
