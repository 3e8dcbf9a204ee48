// Pure translation from Transmission's raw answers (raw.ts, legacy names) to the normalized model.
import type { FilePriority, Peer, Torrent, TorrentFile, TorrentState, Tracker } from '../../../shared/model';
import { trackerHost } from '../../../shared/tracker-host';
import { summarizeTrackers, type TrackerReport } from '../../../shared/tracker-status';
import {
  TR_ERROR,
  TR_PRIORITY,
  TR_STATUS,
  TR_TRACKER_STATE,
  type RawFile,
  type RawFileStat,
  type RawPeer,
  type RawTorrent,
  type RawTrackerStat,
} from './raw';

/**
 * Transmission's status to the model's state.
 * - A local error (error 3: data missing, disk full) is 'error' whatever the status; tracker
 *   warnings and errors (1, 2) keep the activity state and only fill the message.
 * - check-wait (1) is 'checking', not 'queued': the torrent waits for the verifier, not for a
 *   download or seed slot, and the user asked for (or caused) that check.
 * - download-wait (3) and seed-wait (5) are 'queued'.
 * - downloading (4) without the info dictionary yet (a magnet) is 'metadata'.
 */
export function normalizeState(raw: Pick<RawTorrent, 'status' | 'error' | 'metadataPercentComplete'>): TorrentState {
  if (raw.error === TR_ERROR.localError) return 'error';
  switch (raw.status) {
    case TR_STATUS.checkWait:
    case TR_STATUS.checking:
      return 'checking';
    case TR_STATUS.downloadWait:
    case TR_STATUS.seedWait:
      return 'queued';
    case TR_STATUS.downloading:
      return raw.metadataPercentComplete < 1 ? 'metadata' : 'downloading';
    case TR_STATUS.seeding:
      return 'seeding';
    default:
      return 'paused';
  }
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Unix seconds; Transmission says 0 for "never". */
function seconds(value: unknown): number | null {
  const parsed = num(value);
  return parsed > 0 ? parsed : null;
}

export function normalizeTorrent(raw: RawTorrent): Torrent {
  const trackers = Array.isArray(raw.trackerStats) ? raw.trackerStats : [];
  const hosts: string[] = [];
  // seederCount and leecherCount are -1 until the tracker gives counts: the swarm stays unknown.
  let seedsTotal = -1;
  let peersTotal = -1;
  for (const tracker of trackers) {
    const host = trackerHost(str(tracker.announce));
    if (host && !hosts.includes(host)) hosts.push(host);
    if (typeof tracker.seederCount === 'number') seedsTotal = Math.max(seedsTotal, tracker.seederCount);
    if (typeof tracker.leecherCount === 'number') peersTotal = Math.max(peersTotal, tracker.leecherCount);
  }
  const size = num(raw.sizeWhenDone);
  const done = Math.max(0, size - num(raw.leftUntilDone));
  const eta = num(raw.eta);
  const ratio = num(raw.uploadRatio);
  // Transmission does not count connected seeds; the peers we download from stand in for them.
  const seedsConnected = num(raw.peersSendingToUs);
  return {
    id: str(raw.hashString).toLowerCase(),
    name: str(raw.name),
    state: normalizeState(raw),
    progress: Math.min(1, Math.max(0, num(raw.percentDone))),
    sizeBytes: size,
    doneBytes: done,
    uploadedBytes: num(raw.uploadedEver),
    downloadedBytes: num(raw.downloadedEver),
    // TR_RATIO_NA (-1) and TR_RATIO_INF (-2, uploaded without downloading) are not numbers.
    ratio: ratio > 0 ? ratio : 0,
    downRate: num(raw.rateDownload),
    upRate: num(raw.rateUpload),
    etaSeconds: eta >= 0 && done < size ? eta : null,
    peersConnected: Math.max(0, num(raw.peersConnected) - seedsConnected),
    peersTotal,
    seedsConnected,
    seedsTotal,
    labels: Array.isArray(raw.labels) ? raw.labels.map(String) : [],
    savePath: str(raw.downloadDir),
    addedAt: seconds(raw.addedDate),
    completedAt: seconds(raw.doneDate),
    trackerHosts: hosts,
    message: num(raw.error) !== TR_ERROR.ok ? str(raw.errorString) : '',
    queuePosition: typeof raw.queuePosition === 'number' ? raw.queuePosition : null,
    seedingSeconds: typeof raw.secondsSeeding === 'number' && raw.secondsSeeding >= 0 ? raw.secondsSeeding : null,
    lastActivityAt: seconds(raw.activityDate),
    // Without metadata a magnet has no info dictionary, so no flag to read yet.
    private: typeof raw.isPrivate === 'boolean' && num(raw.metadataPercentComplete) >= 1 ? raw.isPrivate : null,
    ...summarizeTrackers(trackerReports(raw, trackers)),
  };
}

/**
 * Each tracker's last announce (trackerStats: its result text is the tracker's failure reason, or
 * the network's words when it could not be reached), plus the torrent's tracker warning, which
 * Transmission keeps only at torrent level (error 1, errorString).
 */
function* trackerReports(raw: Pick<RawTorrent, 'error' | 'errorString'>, trackers: readonly RawTrackerStat[]): Generator<TrackerReport> {
  for (const tracker of trackers) {
    if (!tracker.hasAnnounced) continue;
    yield tracker.lastAnnounceSucceeded ? { outcome: 'ok', message: '' } : { outcome: 'error', message: str(tracker.lastAnnounceResult) };
  }
  if (num(raw.error) === TR_ERROR.trackerWarning) yield { outcome: 'warning', message: str(raw.errorString) };
  if (num(raw.error) === TR_ERROR.trackerError) yield { outcome: 'error', message: str(raw.errorString) };
}

/** torrent-get with format "table": the first row names the columns, the others are torrents. */
export function tableToRawTorrents(table: unknown[][], columnName: (wire: string) => string = (name) => name): RawTorrent[] {
  const [header, ...rows] = table;
  if (!header) return [];
  const keys = header.map((name) => columnName(String(name)));
  return rows.map((row) => {
    const raw: Record<string, unknown> = {};
    for (let index = 0; index < keys.length; index++) raw[keys[index]!] = row[index];
    return raw as unknown as RawTorrent;
  });
}

const PRIORITY_FROM_RAW = new Map<number, FilePriority>([
  [TR_PRIORITY.low, 'low'],
  [TR_PRIORITY.normal, 'normal'],
  [TR_PRIORITY.high, 'high'],
]);

/** The torrent-set keys that give files each priority; 'skip' is files-unwanted instead. */
export const PRIORITY_TO_RAW_KEY: Record<Exclude<FilePriority, 'skip'>, string> = {
  low: 'priority-low',
  normal: 'priority-normal',
  high: 'priority-high',
};

/**
 * Files, with paths inside the torrent: Transmission names multi-file torrents' files
 * "<top folder>/<path>", and the model leaves the top folder out.
 */
export function normalizeFiles(files: RawFile[], stats: RawFileStat[]): TorrentFile[] {
  const multiFile = files.length > 0 && files.every((file) => str(file.name).includes('/'));
  return files.map((file, index) => {
    const stat = stats[index];
    const name = str(file.name);
    return {
      index,
      path: multiFile ? name.slice(name.indexOf('/') + 1) : name,
      sizeBytes: num(file.length),
      doneBytes: num(stat?.bytesCompleted ?? file.bytesCompleted),
      priority: stat && stat.wanted === false ? 'skip' : (PRIORITY_FROM_RAW.get(num(stat?.priority)) ?? 'normal'),
    };
  });
}

export function normalizePeers(peers: RawPeer[]): Peer[] {
  return peers.map((peer) => ({
    address: str(peer.address),
    port: num(peer.port),
    client: str(peer.clientName),
    progress: num(peer.progress),
    downRate: num(peer.rateToClient),
    upRate: num(peer.rateToPeer),
  }));
}

export function normalizeTrackers(trackers: RawTrackerStat[]): Tracker[] {
  return trackers.map((tracker) => {
    let status: Tracker['status'];
    if (tracker.announceState === TR_TRACKER_STATE.active) status = 'updating';
    else if (!tracker.hasAnnounced) status = 'not-contacted';
    else if (tracker.lastAnnounceSucceeded) status = 'working';
    else status = 'error';
    return {
      url: str(tracker.announce),
      tier: num(tracker.tier),
      status,
      seeders: typeof tracker.seederCount === 'number' ? tracker.seederCount : -1,
      leechers: typeof tracker.leecherCount === 'number' ? tracker.leecherCount : -1,
      message: status === 'error' ? str(tracker.lastAnnounceResult) : '',
    };
  });
}

/** True when two normalized torrents differ in any field (arrays by content). */
export function torrentChanged(before: Torrent, after: Torrent): boolean {
  for (const key of Object.keys(after) as (keyof Torrent)[]) {
    const a = before[key];
    const b = after[key];
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length || a.some((item, index) => item !== b[index])) return true;
    } else if (a !== b) {
      return true;
    }
  }
  return false;
}
