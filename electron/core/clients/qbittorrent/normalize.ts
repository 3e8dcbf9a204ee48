// Pure translation from qBittorrent's raw WebUI answers (raw.ts) to the normalized model. Its
// inputs have passed the schemas in schemas.ts: every field present has its documented type.
import type { FilePriority, Peer, Torrent, TorrentFile, TorrentState, Tracker, TrackerStatus } from '../../../shared/model';
import { trackerHost } from '../../../shared/tracker-host';
import { summarizeTrackers, type TrackerReport } from '../../../shared/tracker-status';
import type { RawPeer, RawTorrent } from './raw';
import type { FileInput, TrackerInput } from './schemas';

/**
 * Every state qBittorrent reports (4.x names, and the 5.x stopped* renames). "moving" (data
 * being relocated by setLocation) is shown as checking: the daemon is busy with the files and
 * transfers nothing meanwhile, as while hashing. "unknown" and anything newer we do not know
 * read as error, with a message naming the raw state (see stateMessage).
 */
export function normalizeState(state: string): TorrentState {
  switch (state) {
    case 'downloading':
    case 'stalledDL':
    case 'forcedDL':
    case 'allocating':
      return 'downloading';
    case 'uploading':
    case 'stalledUP':
    case 'forcedUP':
      return 'seeding';
    case 'pausedDL':
    case 'pausedUP':
    case 'stoppedDL':
    case 'stoppedUP':
      return 'paused';
    case 'queuedDL':
    case 'queuedUP':
      return 'queued';
    case 'checkingDL':
    case 'checkingUP':
    case 'checkingResumeData':
    case 'moving':
      return 'checking';
    case 'metaDL':
    case 'forcedMetaDL':
      return 'metadata';
    case 'error':
    case 'missingFiles':
    case 'unknown':
    default:
      return 'error';
  }
}

/** qBittorrent gives no per-torrent error text in its list: say what the state means. */
export function stateMessage(state: string): string {
  switch (state) {
    case 'error':
      return 'qBittorrent reports an I/O error for this torrent (its log says which).';
    case 'missingFiles':
      return 'The files of this torrent are missing from its save path.';
    default:
      return normalizeState(state) === 'error' ? `qBittorrent reports the state "${state || 'unknown'}".` : '';
  }
}

/** The eta qBittorrent uses for "never / unknown" (100 days). */
const INFINITE_ETA = 8_640_000;

/** qBittorrent joins a torrent's tags with ", " and forbids commas in tags, so this is exact. */
export function splitTags(tags: string | undefined): string[] {
  return tags ? tags.split(', ').filter((tag) => tag !== '') : [];
}

function num(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function seconds(value: number | undefined): number | null {
  return typeof value === 'number' && value > 0 ? value : null;
}

export interface TorrentContext {
  /** Hosts of every tracker the torrent uses (from maindata's `trackers` map), in first-seen order. */
  trackerHosts: string[];
  /** Whether qBittorrent's queue is on: only then does `priority` mean a queue position. */
  queueing: boolean;
  /**
   * What the client last read per torrent beyond maindata (torrents/trackers, and on 4.x
   * torrents/properties for the private flag); absent until it has looked.
   */
  checked?: TrackerCheck;
}

/**
 * One look at a torrent's trackers (and private flag where maindata lacks it): their verdict and
 * the swarm as they counted it. maindata's num_complete cannot be used for the swarm: qBittorrent
 * falls back to the seeds it knows of when no tracker gave counts (0 with a tracker down, seen
 * on 4.5.2 and 5.1), while torrents/trackers says -1 for a tracker that has not.
 */
export interface TrackerCheck {
  verdict: Pick<Torrent, 'trackerStatus' | 'trackerMessage' | 'seedsTotal' | 'peersTotal'>;
  private?: boolean;
}

/** What the model says before the client has looked at a torrent's trackers. */
const UNCHECKED: TrackerCheck['verdict'] = { trackerStatus: null, trackerMessage: '', seedsTotal: -1, peersTotal: -1 };

export function normalizeTorrent(id: string, raw: RawTorrent, context: TorrentContext): Torrent {
  const state = raw.state ?? 'unknown';
  const progress = Math.min(1, Math.max(0, num(raw.progress)));
  const eta = num(raw.eta);
  const fallbackHost = raw.tracker ? trackerHost(raw.tracker) : '';
  return {
    id,
    name: raw.name ?? '',
    state: normalizeState(state),
    progress,
    sizeBytes: num(raw.size),
    doneBytes: num(raw.completed),
    uploadedBytes: num(raw.uploaded),
    downloadedBytes: num(raw.downloaded),
    ratio: num(raw.ratio),
    downRate: num(raw.dlspeed),
    upRate: num(raw.upspeed),
    etaSeconds: eta > 0 && eta < INFINITE_ETA && progress < 1 ? eta : null,
    peersConnected: num(raw.num_leechs),
    seedsConnected: num(raw.num_seeds),
    labels: splitTags(raw.tags),
    savePath: raw.save_path ?? '',
    addedAt: seconds(raw.added_on),
    completedAt: seconds(raw.completion_on),
    trackerHosts: context.trackerHosts.length > 0 ? context.trackerHosts : fallbackHost ? [fallbackHost] : [],
    message: stateMessage(state),
    queuePosition: context.queueing && num(raw.priority) > 0 ? num(raw.priority) : null,
    seedingSeconds: typeof raw.seeding_time === 'number' && raw.seeding_time >= 0 ? raw.seeding_time : null,
    lastActivityAt: seconds(raw.last_activity),
    private: raw.private ?? context.checked?.private ?? null,
    ...(context.checked?.verdict ?? UNCHECKED),
  };
}

/**
 * torrents/trackers as one verdict: "not working" (4) with the tracker's or the network's words;
 * the swarm is the most any real tracker counted (num_seeds -1: it gave no counts).
 */
export function trackerVerdict(trackers: readonly TrackerInput[]): TrackerCheck['verdict'] {
  const reports: TrackerReport[] = [];
  let seedsTotal = -1;
  let peersTotal = -1;
  for (const tracker of trackers) {
    if (isPseudoTracker(tracker.url)) continue;
    if (typeof tracker.num_seeds === 'number') seedsTotal = Math.max(seedsTotal, tracker.num_seeds);
    if (typeof tracker.num_leeches === 'number') peersTotal = Math.max(peersTotal, tracker.num_leeches);
    const message = tracker.msg ?? '';
    const status = TRACKER_STATUS[tracker.status];
    if (status === 'working') reports.push({ outcome: message === '' ? 'ok' : 'warning', message });
    else if (status === 'error' || status === undefined) reports.push({ outcome: 'error', message });
  }
  return { ...summarizeTrackers(reports), seedsTotal, peersTotal };
}

/** qBittorrent's file priorities: 0 skip, 1 normal, 6 high, 7 maximum. */
export const PRIORITY_TO_RAW: Partial<Record<FilePriority, number>> = { skip: 0, normal: 1, high: 6 };

export function priorityFromRaw(priority: number): FilePriority {
  if (priority <= 0) return 'skip';
  // 2..5 are libtorrent values qBittorrent itself never sets; 6 and 7 are its High and Maximum.
  return priority >= 6 ? 'high' : 'normal';
}

/**
 * Files come with the torrent's root folder in their path ("Name/disc 1/a.flac"); the model
 * wants paths inside the torrent, so a root folder shared by every file and named like the
 * torrent is cut off. Single-file torrents and torrents added without a root folder keep theirs.
 */
export function normalizeFiles(files: FileInput[], torrentName: string): TorrentFile[] {
  const root = `${torrentName}/`;
  const strip = torrentName !== '' && files.length > 0 && files.every((file) => file.name.startsWith(root));
  return files.map((file, position) => {
    const size = num(file.size);
    return {
      index: typeof file.index === 'number' ? file.index : position,
      path: strip ? file.name.slice(root.length) : file.name,
      sizeBytes: size,
      doneBytes: Math.min(size, Math.round(num(file.progress) * size)),
      priority: priorityFromRaw(num(file.priority)),
    };
  });
}

export function normalizePeers(peers: Record<string, RawPeer> | undefined): Peer[] {
  return Object.entries(peers ?? {}).map(([key, peer]) => {
    // The key is "ip:port" ("[v6]:port" for IPv6); ip/port are the same facts split up.
    const port = peer.port ?? Number(key.slice(key.lastIndexOf(':') + 1));
    return {
      address: peer.ip ?? key.slice(0, key.lastIndexOf(':')).replace(/^\[|\]$/g, ''),
      port: num(port),
      client: peer.client ?? '',
      progress: num(peer.progress),
      downRate: num(peer.dl_speed),
      upRate: num(peer.up_speed),
    };
  });
}

const TRACKER_STATUS: Record<number, TrackerStatus> = { 0: 'disabled', 1: 'not-contacted', 2: 'working', 3: 'updating', 4: 'error' };

/** The "** [DHT] **", "** [PeX] **" and "** [LSD] **" rows are sources, not trackers. */
function isPseudoTracker(url: string): boolean {
  return /^\*\* \[.*\] \*\*$/.test(url);
}

export function normalizeTrackers(trackers: TrackerInput[]): Tracker[] {
  return trackers
    .filter((tracker) => !isPseudoTracker(tracker.url))
    .map((tracker) => ({
      url: tracker.url,
      tier: Number(tracker.tier) || 0,
      status: TRACKER_STATUS[tracker.status] ?? 'error',
      seeders: typeof tracker.num_seeds === 'number' ? tracker.num_seeds : -1,
      leechers: typeof tracker.num_leeches === 'number' ? tracker.num_leeches : -1,
      message: tracker.msg ?? '',
    }));
}
