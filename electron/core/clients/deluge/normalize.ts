// Pure translation from Deluge's raw status dicts (raw.ts) to the normalized model. Its inputs
// have passed the schemas in schemas.ts, so every field read here has its documented type.
import type { ClientEvent, FilePriority, Peer, SpeedLimits, Torrent, TorrentFile, TorrentState, Tracker } from '../../../shared/model';
import { trackerHosts } from '../../../shared/tracker-host';
import { summarizeTrackers, type TrackerReport } from '../../../shared/tracker-status';
import { isTorrentId } from '../checks';
import { RAW_PRIORITY, type RawFile, type RawPeer, type RawTorrent, type RawTracker } from './raw';

/** What details() reads (schemas.ts DetailsAnswer). */
export interface DetailsInput {
  files: RawFile[];
  file_progress: number[];
  file_priorities: number[];
  peers: Pick<RawPeer, 'client' | 'ip' | 'progress' | 'down_speed' | 'up_speed'>[];
  trackers: RawTracker[];
  tracker: string;
  tracker_status: string;
}

/** Deluge's state words in the model; Downloading without metadata is a magnet still fetching it. */
export function normalizeState(state: string, hasMetadata: boolean, finished: boolean): TorrentState {
  switch (state) {
    case 'Error':
      return 'error';
    case 'Paused':
      return 'paused';
    case 'Queued':
      return 'queued';
    // Busy on disk and not transferring: Checking, preallocating files, or moving them.
    case 'Checking':
    case 'Allocating':
    case 'Moving':
      return 'checking';
    case 'Seeding':
      return 'seeding';
    case 'Downloading':
      return hasMetadata ? 'downloading' : 'metadata';
    default:
      // A libtorrent state name Deluge did not translate.
      return !hasMetadata ? 'metadata' : finished ? 'seeding' : 'downloading';
  }
}

/** What the model's message says for states it has no word for, when Deluge says only "OK". */
const STATE_MESSAGES: Record<string, string> = { Moving: 'Moving its data', Allocating: 'Allocating disk space' };

/**
 * A list row in the model. The row's tracker_host is Deluge's own short host ("tracker.example.org"
 * → "example.org"), so the hosts come from the announce URLs instead (hostsOfTrackers). `now`
 * (Unix seconds) turns Deluge's "seconds since the last transfer" into a time.
 */
export function normalizeTorrent(raw: RawTorrent, hosts: string[], now = Date.now() / 1000): Torrent {
  const hasMetadata = raw.num_pieces > 0;
  const state = raw.state;
  const finished = raw.is_finished;
  const wanted = hasMetadata ? raw.total_wanted : 0;
  const done = Math.max(0, wanted - raw.total_remaining);
  const message = raw.message;
  const seedsConnected = raw.num_seeds;
  const peersConnected = raw.num_peers;
  const eta = raw.eta;
  const queue = raw.queue;
  const label = raw.label ?? '';
  const completed = Math.trunc(raw.completed_time);
  const added = Math.trunc(raw.time_added);
  const ratio = raw.ratio;
  return {
    id: raw.hash.toLowerCase(),
    name: raw.name,
    state: normalizeState(state, hasMetadata, finished),
    progress: wanted > 0 ? Math.min(1, done / wanted) : hasMetadata && finished ? 1 : 0,
    sizeBytes: wanted,
    doneBytes: Math.min(done, wanted),
    uploadedBytes: raw.total_uploaded,
    downloadedBytes: raw.all_time_download,
    // -1.0 means nothing done yet, hence nothing uploaded either.
    ratio: ratio < 0 ? 0 : ratio,
    downRate: raw.download_payload_rate,
    upRate: raw.upload_payload_rate,
    // 0 is Deluge's "unknown"; -1 its "more than a year".
    etaSeconds: eta > 0 ? eta : null,
    peersConnected,
    // libtorrent's counts from the tracker, -1 until one gives them: connected peers are not the swarm.
    peersTotal: raw.total_peers >= 0 ? raw.total_peers : -1,
    seedsConnected,
    seedsTotal: raw.total_seeds >= 0 ? raw.total_seeds : -1,
    labels: label === '' ? [] : [label],
    savePath: raw.save_path,
    addedAt: added > 0 ? added : null,
    completedAt: completed > 0 ? completed : null,
    trackerHosts: hosts,
    message: message === 'OK' || message === '' ? (STATE_MESSAGES[state] ?? '') : message,
    queuePosition: queue >= 0 ? queue : null,
    seedingSeconds: raw.seeding_time >= 0 ? raw.seeding_time : null,
    lastActivityAt: raw.time_since_transfer >= 0 ? Math.round(now - raw.time_since_transfer) : null,
    private: hasMetadata ? raw.private : null,
    ...summarizeTrackers([trackerReport(raw.tracker_status)]),
  };
}

/** The torrent's one tracker status as a report; an announce in flight says nothing yet. */
export function trackerReport(status: string): TrackerReport {
  const { state, message } = trackerStatus(status);
  if (state === 'error') return { outcome: 'error', message };
  if (/^Warning: /.test(status)) return { outcome: 'warning', message };
  return { outcome: state === 'working' ? 'ok' : null, message: '' };
}

/** get_torrents_status's {id: status} in the daemon's order; `hostsOf` gives each id's tracker hosts. */
export function normalizeTorrents(table: Record<string, RawTorrent>, hostsOf: (id: string) => string[]): Torrent[] {
  const torrents: Torrent[] = [];
  const now = Date.now() / 1000;
  for (const id in table) torrents.push(normalizeTorrent(table[id]!, hostsOf(id), now));
  return torrents;
}

/** The hosts of a torrent's `trackers`, by the rule every client shares. */
export function hostsOfTrackers(trackers: readonly Pick<RawTracker, 'url'>[]): string[] {
  return trackerHosts(trackers.map((tracker) => tracker.url));
}

/** libtorrent's 0..7 in Deluge's four steps (1 low, 4 normal, 7 high; 2-3 and 5-6 from other clients). */
export function priorityFromRaw(raw: number): FilePriority {
  if (raw <= 0) return 'skip';
  if (raw < RAW_PRIORITY.normal) return 'low';
  if (raw === RAW_PRIORITY.normal) return 'normal';
  return 'high';
}

export function priorityToRaw(priority: FilePriority): number {
  return RAW_PRIORITY[priority];
}

export function normalizeFiles(raw: Pick<DetailsInput, 'files' | 'file_progress' | 'file_priorities'>): TorrentFile[] {
  const { files, file_progress: progress, file_priorities: priorities } = raw;
  const paths = files.map((file) => file.path.replaceAll('\\', '/'));
  // Multi-file torrents list "<folder>/<path>"; the model's paths are inside that folder.
  const top = paths[0]?.includes('/') ? paths[0].slice(0, paths[0].indexOf('/') + 1) : '';
  const strip = top !== '' && paths.every((path) => path.startsWith(top));
  return files.map((file, position) => {
    const size = file.size;
    return {
      index: file.index,
      path: strip ? paths[position]!.slice(top.length) : paths[position]!,
      sizeBytes: size,
      // Deluge sends no progress, or no priorities, for a torrent still without metadata.
      doneBytes: Math.min(size, Math.round((progress[position] ?? 0) * size)),
      priority: priorityFromRaw(priorities[position] ?? RAW_PRIORITY.normal),
    };
  });
}

export function normalizePeers(raw: Pick<DetailsInput, 'peers'>): Peer[] {
  return raw.peers.map((peer) => {
    const ip = peer.ip;
    const colon = ip.lastIndexOf(':');
    return {
      address: colon > 0 ? ip.slice(0, colon).replace(/^\[|\]$/g, '') : ip,
      port: colon > 0 ? Number(ip.slice(colon + 1)) || 0 : 0,
      client: peer.client,
      progress: peer.progress,
      downRate: peer.down_speed,
      upRate: peer.up_speed,
    };
  });
}

/**
 * Deluge keeps one tracker status for the whole torrent (tracker_status, about the tracker in
 * use) and caches the tracker list without live counters, so only that one tracker gets a
 * status: the current tracker, or the only one.
 */
export function normalizeTrackers(raw: Pick<DetailsInput, 'trackers' | 'tracker' | 'tracker_status'>, scrape: Pick<RawTorrent, 'total_seeds' | 'total_peers'>): Tracker[] {
  const trackers = raw.trackers;
  const status = raw.tracker_status;
  const current = raw.tracker;
  // Before an announce succeeds `tracker` is '', and the status may be about any tracker:
  // it is shown only where it cannot be misplaced.
  const currentIndex = current !== '' ? trackers.findIndex((tracker) => tracker.url === current) : trackers.length === 1 ? 0 : -1;
  return trackers.map((tracker, index) => {
    const isCurrent = index === currentIndex;
    const { state, message } = isCurrent ? trackerStatus(status) : { state: 'not-contacted' as const, message: '' };
    const answered = state === 'working';
    return {
      url: tracker.url,
      tier: tracker.tier,
      status: state,
      // Scrape counts Deluge has only for the torrent, i.e. its current tracker.
      seeders: answered && scrape.total_seeds >= 0 ? scrape.total_seeds : -1,
      leechers: answered && scrape.total_peers >= 0 ? scrape.total_peers : -1,
      message,
    };
  });
}

/** "Announce OK", "Announce Sent", "Warning: …", "Error: …" (deluge/core/torrentmanager.py). */
export function trackerStatus(status: string): { state: Tracker['status']; message: string } {
  if (status === '') return { state: 'not-contacted', message: '' };
  if (/^Error: /.test(status)) return { state: 'error', message: status.slice('Error: '.length) };
  if (/^Warning: /.test(status)) return { state: 'working', message: status.slice('Warning: '.length) };
  if (status === 'Announce Sent') return { state: 'updating', message: '' };
  if (status === 'Announce OK') return { state: 'working', message: '' };
  return { state: 'working', message: status };
}

/** A daemon event (its arguments checked by schemas.ts EVENT_ARGS) in the model, or undefined for events we do not translate. */
export function normalizeEvent(name: string, args: readonly unknown[]): ClientEvent | undefined {
  const id = typeof args[0] === 'string' ? args[0].toLowerCase() : '';
  if (!isTorrentId(id)) return undefined;
  switch (name) {
    case 'TorrentAddedEvent':
      return { type: 'torrent-added', id };
    case 'TorrentRemovedEvent':
      return { type: 'torrent-removed', id };
    case 'TorrentStateChangedEvent':
      // The event has no metadata flag: a magnet fetching its metadata reads as downloading.
      return { type: 'torrent-state-changed', id, state: normalizeState(String(args[1]), true, false) };
    case 'TorrentFinishedEvent':
      return { type: 'torrent-finished', id };
    default:
      return undefined;
  }
}

/** Deluge's limits are KiB/s floats, -1 (and 0, which libtorrent reads the same) for none. */
export function limitFromRaw(kibPerSecond: number): number {
  return kibPerSecond > 0 ? Math.round(kibPerSecond * 1024) : 0;
}

/**
 * Bytes per second as Deluge's KiB/s. rencode sends fractions as float32, so a rate whose
 * KiB figure float32 cannot hold exactly (above 16 MiB/s and not a whole KiB) is rounded to
 * whole KiB/s.
 */
export function limitToRaw(bytesPerSecond: number): number {
  if (bytesPerSecond === 0) return -1;
  const kib = bytesPerSecond / 1024;
  return Math.fround(kib) === kib ? kib : Math.round(kib);
}

export function limitsFromRaw(values: { max_download_speed: number; max_upload_speed: number }): SpeedLimits {
  return { downBytesPerSecond: limitFromRaw(values.max_download_speed), upBytesPerSecond: limitFromRaw(values.max_upload_speed) };
}
