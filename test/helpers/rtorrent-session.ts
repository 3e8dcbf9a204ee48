import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bencode from 'bencode';

// rtorrent 0.9.8's session directory, written directly, so that it starts already holding tens of
// thousands of torrents. Loading them through the RPC (load.raw) takes quadratic time in 0.9.8
// (50 000 took 29 minutes); reading them back from its session directory at start-up is quadratic
// too, with a smaller factor (see FAST_SESSION_LOAD).
//
// Use: startRtorrent({ extraConfig: FAST_SESSION_LOAD, prepareSession: (paths) =>
// writeRtorrentSession(paths, torrents) }), then wait for view.size("", "main") to reach the count
// (rtorrent answers no RPC until it has read the whole session). For the benches,
// startLoadedRtorrent() in bench/rtorrent.ts does all that with the bench's generated torrents.
//
// Each torrent is three bencoded files named after its upper-case info hash, exactly what
// rtorrent itself writes for a torrent added with load.raw and saved (checked against its own
// files): <HASH>.torrent (the metainfo as loaded), <HASH>.torrent.rtorrent (rtorrent's state:
// directory, started or not, custom1..5 and the custom map, counters, timestamps) and
// <HASH>.torrent.libtorrent_resume (libtorrent's: per-file priorities, trackers enabled, no
// bitfield, so a stopped torrent is not hashed and a started one is checked when it starts).

/**
 * rc lines that make reading a large session cheaper, with rtorrent left as configured by default
 * once it has. Reading the session is quadratic in 0.9.8 too: each insert scans every torrent
 * already held, in libtorrent's lists and in each view; the costliest scan is the built-in "name"
 * view's sorted insert, which evaluates the command less=d.name against each torrent held. Its
 * sort is off while the session loads (the session is read before rtorrent's event loop starts)
 * and a one-shot schedule, which runs on the loop's first turn, puts rtorrent's own default back.
 * Measured at 4 000 torrents: 2.3 s of rtorrent's CPU instead of 5.3 s; 10 000 take about 20 s;
 * 50 000 over 14 minutes (the scans left: a linear search of the torrents held per insert).
 */
export const FAST_SESSION_LOAD: readonly string[] = [
  'view.sort_new = name,((false))',
  // A method's body is parsed when called, so the sort comes back in the very form rtorrent's
  // built-in line gives it (a schedule's nested command would not).
  'method.insert = seedbox.name_sort_back,simple|private,"view.sort_new = name,((less,((d.name))))"',
  'schedule2 = seedbox_name_sort_back,0,0,((seedbox.name_sort_back))',
];

/** One torrent to put into the session. */
export interface SessionTorrent {
  /** The .torrent file as it would be loaded. */
  bytes: Uint8Array;
  infoHash: string;
  /** The info dict's name: a multi-file torrent's data lies in downloadDir/name. */
  name: string;
  /** How many files its info lists (1 for a single-file torrent). */
  fileCount: number;
  multiFile: boolean;
  trackers: readonly string[];
  /** d.custom1 as stored (ruTorrent keeps the URL-encoded label there). */
  custom1?: string;
  /** d.custom KEY values, e.g. ruTorrent's addtime. */
  custom?: Readonly<Record<string, string>>;
  /** Started (state 1): rtorrent opens and starts it when it loads the session. */
  started?: boolean;
}

export interface SessionPaths {
  session: string;
  downloadDir: string;
}

/** Writes every torrent's three session files into `paths.session` (which must exist and not be in use). */
export function writeRtorrentSession(paths: SessionPaths, torrents: Iterable<SessionTorrent>): number {
  mkdirSync(paths.session, { recursive: true });
  const now = Math.floor(Date.now() / 1000);
  let count = 0;
  for (const torrent of torrents) {
    const base = join(paths.session, `${torrent.infoHash.toUpperCase()}.torrent`);
    writeFileSync(base, torrent.bytes);
    writeFileSync(`${base}.rtorrent`, bencode.encode(rtorrentState(torrent, paths.downloadDir, now)));
    writeFileSync(`${base}.libtorrent_resume`, bencode.encode(libtorrentResume(torrent, now)));
    count++;
  }
  return count;
}

function rtorrentState(torrent: SessionTorrent, downloadDir: string, now: number): Record<string, unknown> {
  const started = torrent.started === true ? 1 : 0;
  return {
    'choke_heuristics.down.leech': '',
    'choke_heuristics.down.seed': '',
    'choke_heuristics.up.leech': '',
    'choke_heuristics.up.seed': '',
    chunks_done: 0,
    chunks_wanted: 0,
    complete: 0,
    connection_leech: '',
    connection_seed: '',
    ...(torrent.custom && Object.keys(torrent.custom).length > 0 ? { custom: torrent.custom } : {}),
    custom1: torrent.custom1 ?? '',
    custom2: '',
    custom3: '',
    custom4: '',
    custom5: '',
    directory: torrent.multiFile ? join(downloadDir, torrent.name) : downloadDir,
    hashing: 0,
    ignore_commands: 0,
    key: 284_112_438,
    loaded_file: '',
    priority: 2,
    state: started,
    state_changed: now,
    state_counter: started,
    throttle_name: '',
    tied_to_file: '',
    'timestamp.finished': 0,
    'timestamp.started': started ? now : 0,
    total_downloaded: 0,
    total_uploaded: 0,
    views: [],
  };
}

function libtorrentResume(torrent: SessionTorrent, now: number): Record<string, unknown> {
  return {
    files: Array.from({ length: torrent.fileCount }, () => ({ priority: 1 })),
    peers: [],
    trackers: Object.fromEntries(torrent.trackers.map((url) => [url, { enabled: 1 }])),
    'uncertain_pieces.timestamp': now,
  };
}
