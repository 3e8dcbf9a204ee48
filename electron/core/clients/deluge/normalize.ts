// Pure translation from Deluge's raw status dicts (raw.ts) to the normalized model.
import type { ClientEvent, FilePriority, Peer, SpeedLimits, Torrent, TorrentFile, TorrentState, Tracker } from '../../../shared/model';
import type { RencodeValue } from '../../codecs/rencode';
import { RAW_PRIORITY, type RawDetails, type RawFile, type RawPeer, type RawTorrent, type RawTracker } from './raw';

type Loose<T> = { [K in keyof T]?: RencodeValue | T[K] };

function num(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return 0;
}

function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value === undefined || value === null ? '' : String(value);
}

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
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

export function normalizeTorrent(raw: Loose<RawTorrent>): Torrent {
  const hasMetadata = num(raw.num_pieces) > 0;
  const state = str(raw.state);
  const finished = raw.is_finished === true;
  const wanted = hasMetadata ? num(raw.total_wanted) : 0;
  const done = Math.max(0, wanted - num(raw.total_remaining));
  const message = str(raw.message);
  const seedsConnected = num(raw.num_seeds);
  const peersConnected = num(raw.num_peers);
  const eta = num(raw.eta);
  const queue = num(raw.queue);
  const label = str(raw.label);
  const trackerHost = str(raw.tracker_host);
  const completed = Math.trunc(num(raw.completed_time));
  const added = Math.trunc(num(raw.time_added));
  const ratio = num(raw.ratio);
  return {
    id: str(raw.hash).toLowerCase(),
    name: str(raw.name),
    state: normalizeState(state, hasMetadata, finished),
    progress: wanted > 0 ? Math.min(1, done / wanted) : hasMetadata && finished ? 1 : 0,
    sizeBytes: wanted,
    doneBytes: Math.min(done, wanted),
    uploadedBytes: num(raw.total_uploaded),
    downloadedBytes: num(raw.all_time_download),
    // -1.0 means nothing done yet, hence nothing uploaded either.
    ratio: ratio < 0 ? 0 : ratio,
    downRate: num(raw.download_payload_rate),
    upRate: num(raw.upload_payload_rate),
    // 0 is Deluge's "unknown"; -1 its "more than a year".
    etaSeconds: eta > 0 ? eta : null,
    peersConnected,
    // Scrape counts are -1 until a tracker answers; never fewer than we are connected to.
    peersTotal: Math.max(peersConnected, num(raw.total_peers)),
    seedsConnected,
    seedsTotal: Math.max(seedsConnected, num(raw.total_seeds)),
    labels: label === '' ? [] : [label],
    savePath: str(raw.save_path),
    addedAt: added > 0 ? added : null,
    completedAt: completed > 0 ? completed : null,
    // Deluge's own short host ("tracker.example.org" → "example.org"), as its UI groups them.
    trackerHosts: trackerHost === '' ? [] : [trackerHost],
    message: message === 'OK' || message === '' ? (STATE_MESSAGES[state] ?? '') : message,
    queuePosition: queue >= 0 ? queue : null,
  };
}

/** get_torrents_status's {id: status} in the daemon's order. */
export function normalizeTorrents(table: RencodeValue): Torrent[] {
  if (table === null || typeof table !== 'object' || Array.isArray(table) || table instanceof Uint8Array) return [];
  const torrents: Torrent[] = [];
  for (const [id, status] of Object.entries(table)) {
    if (status === null || typeof status !== 'object' || Array.isArray(status)) continue;
    torrents.push(normalizeTorrent({ hash: id, ...(status as Loose<RawTorrent>) }));
  }
  return torrents;
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

export function normalizeFiles(raw: Loose<RawDetails>): TorrentFile[] {
  const files = list<RawFile>(raw.files);
  const progress = list<number>(raw.file_progress);
  const priorities = list<number>(raw.file_priorities);
  const paths = files.map((file) => str(file.path).replaceAll('\\', '/'));
  // Multi-file torrents list "<folder>/<path>"; the model's paths are inside that folder.
  const top = paths[0]?.includes('/') ? paths[0].slice(0, paths[0].indexOf('/') + 1) : '';
  const strip = top !== '' && paths.every((path) => path.startsWith(top));
  return files.map((file, position) => {
    const size = num(file.size);
    return {
      index: typeof file.index === 'number' ? file.index : position,
      path: strip ? paths[position]!.slice(top.length) : paths[position]!,
      sizeBytes: size,
      doneBytes: Math.min(size, Math.round(num(progress[position]) * size)),
      priority: priorityFromRaw(num(priorities[position] ?? RAW_PRIORITY.normal)),
    };
  });
}

export function normalizePeers(raw: Loose<RawDetails>): Peer[] {
  return list<RawPeer>(raw.peers).map((peer) => {
    const ip = str(peer.ip);
    const colon = ip.lastIndexOf(':');
    return {
      address: colon > 0 ? ip.slice(0, colon).replace(/^\[|\]$/g, '') : ip,
      port: colon > 0 ? Number(ip.slice(colon + 1)) || 0 : 0,
      client: str(peer.client),
      progress: num(peer.progress),
      downRate: num(peer.down_speed),
      upRate: num(peer.up_speed),
    };
  });
}

/**
 * Deluge keeps one tracker status for the whole torrent (tracker_status, about the tracker in
 * use) and caches the tracker list without live counters, so only that one tracker gets a
 * status: the current tracker, or the only one.
 */
export function normalizeTrackers(raw: Loose<RawDetails>, scrape: Loose<Pick<RawTorrent, 'total_seeds' | 'total_peers'>>): Tracker[] {
  const trackers = list<RawTracker>(raw.trackers);
  const status = str(raw.tracker_status);
  const current = str(raw.tracker);
  // Before an announce succeeds `tracker` is '', and the status may be about any tracker:
  // it is shown only where it cannot be misplaced.
  const currentIndex = current !== '' ? trackers.findIndex((tracker) => str(tracker.url) === current) : trackers.length === 1 ? 0 : -1;
  return trackers.map((tracker, index) => {
    const isCurrent = index === currentIndex;
    const { state, message } = isCurrent ? trackerStatus(status) : { state: 'not-contacted' as const, message: '' };
    const answered = state === 'working';
    return {
      url: str(tracker.url),
      tier: num(tracker.tier),
      status: state,
      // Scrape counts Deluge has only for the torrent, i.e. its current tracker.
      seeders: answered && num(scrape.total_seeds) >= 0 ? num(scrape.total_seeds) : -1,
      leechers: answered && num(scrape.total_peers) >= 0 ? num(scrape.total_peers) : -1,
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

/** A daemon event in the model, or undefined for events we do not translate. */
export function normalizeEvent(name: string, args: RencodeValue[]): ClientEvent | undefined {
  const id = str(args[0]).toLowerCase();
  if (!/^[0-9a-f]{40}$/.test(id)) return undefined;
  switch (name) {
    case 'TorrentAddedEvent':
      return { type: 'torrent-added', id };
    case 'TorrentRemovedEvent':
      return { type: 'torrent-removed', id };
    case 'TorrentStateChangedEvent':
      // The event has no metadata flag: a magnet fetching its metadata reads as downloading.
      return { type: 'torrent-state-changed', id, state: normalizeState(str(args[1]), true, false) };
    case 'TorrentFinishedEvent':
      return { type: 'torrent-finished', id };
    default:
      return undefined;
  }
}

/** Deluge's limits are KiB/s floats, -1 (and 0, which libtorrent reads the same) for none. */
export function limitFromRaw(kibPerSecond: unknown): number {
  const value = num(kibPerSecond);
  return value > 0 ? Math.round(value * 1024) : 0;
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

export function limitsFromRaw(values: RencodeValue): SpeedLimits {
  const table = (values ?? {}) as Record<string, RencodeValue>;
  return { downBytesPerSecond: limitFromRaw(table['max_download_speed']), upBytesPerSecond: limitFromRaw(table['max_upload_speed']) };
}
