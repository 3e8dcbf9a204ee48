// Pure translation from rTorrent's raw rows to the normalized model. The raw field lists live
// here too, so the order a row is requested in and the order it is read in cannot drift.
import type { FilePriority, Peer, Torrent, TorrentFile, TorrentState, Tracker } from '../../../shared/model';
import type { XmlRpcValue } from '../../codecs/xmlrpc';
import { trackerHost } from '../../../shared/tracker-host';
import { summarizeTrackers, type TrackerReport } from '../../../shared/tracker-status';
import { decodeLabels, type LabelStyle } from './labels';

/**
 * The list row: one d.multicall2 over the "main" view. Trackers come as one string built by
 * rTorrent itself (url|seeds|leechers|||...) so that every cell stays a string or an integer,
 * which keeps the reply on the fast decoder.
 */
/**
 * The name, except for a magnet still fetching its metadata: rTorrent calls it "<HASH>.meta"
 * and ignores the link's dn=, so add() keeps dn in d.custom=seedbox_dn and this shows it.
 */
export const NAME_FIELD = 'branch={d.is_meta=,d.custom=seedbox_dn,d.name=}';
/** Before 0.9.7 there is no d.is_meta: the plain name. */
export const PLAIN_NAME_FIELD = 'd.name=';
/** The d.custom key add() stores a magnet's display name under. */
export const MAGNET_NAME_KEY = 'seedbox_dn';

/**
 * url|seeds|leechers|enabled|failed|succeeded|counted|||... for every tracker, built by rTorrent
 * itself. t.failed_counter counts failed announces since the last success, t.success_counter the
 * successes; rTorrent keeps no message per tracker (only the torrent's d.message).
 * t.scrape_time_last is when the tracker last gave swarm counts (in an announce answer or a
 * scrape); until then t.scrape_complete reads 0 (seen on 0.9.8 with an unreachable tracker).
 */
export const TRACKER_SUMMARY_FIELD =
  'cat="$t.multicall=,t.url=,cat=|,t.scrape_complete=,cat=|,t.scrape_incomplete=,cat=|,t.is_enabled=,cat=|,t.failed_counter=,cat=|,t.success_counter=,cat=|,t.scrape_time_last=,cat={|||}"';

export const LIST_FIELDS = [
  'd.hash=',
  NAME_FIELD,
  'd.state=',
  'd.is_active=',
  'd.complete=',
  'd.hashing=',
  'd.is_meta=',
  'd.size_bytes=',
  'd.completed_bytes=',
  'd.left_bytes=',
  'd.up.total=',
  'd.down.total=',
  'd.ratio=',
  'd.down.rate=',
  'd.up.rate=',
  'd.peers_connected=',
  'd.peers_complete=',
  'd.custom1=',
  'd.directory=',
  'd.is_multi_file=',
  'd.custom=addtime',
  'd.load_date=',
  'd.timestamp.finished=',
  'd.message=',
  TRACKER_SUMMARY_FIELD,
  // When the torrent was last started (rTorrent sets it on every start, a restart included).
  'd.timestamp.started=',
  'd.is_private=',
] as const;

/**
 * What can change while a torrent runs. The poller asks these of the started and hashing views
 * only, and merges them into the cached full rows (so every field lands at its LIST_FIELDS
 * index and the same normalizer reads it).
 */
const STATIC_FIELDS: ReadonlySet<string> = new Set([NAME_FIELD, 'd.custom1=', 'd.directory=', 'd.is_multi_file=', 'd.custom=addtime', 'd.load_date=', TRACKER_SUMMARY_FIELD, 'd.is_private=']);
export const VOLATILE_FIELDS = LIST_FIELDS.filter((field) => !STATIC_FIELDS.has(field));

const VOLATILE_INDEXES = VOLATILE_FIELDS.map((field) => LIST_FIELDS.indexOf(field));

const TRACKER_SUMMARY_INDEX = LIST_FIELDS.indexOf(TRACKER_SUMMARY_FIELD);

/** A copy of the full row with the volatile values (and a fresh tracker summary, when read) written over it. */
export function mergeVolatileRow(fullRow: readonly XmlRpcValue[], volatileRow: readonly XmlRpcValue[], trackerSummary?: XmlRpcValue): XmlRpcValue[] {
  const merged = fullRow.slice();
  VOLATILE_INDEXES.forEach((target, index) => {
    merged[target] = volatileRow[index] ?? null;
  });
  if (trackerSummary !== undefined) merged[TRACKER_SUMMARY_INDEX] = trackerSummary;
  return merged;
}

/** The row's cells that repeat between torrents (folders, labels, tracker summaries, messages), swapped for shared copies. */
const SHARED_CELLS = ['d.custom1=', 'd.directory=', 'd.message=', TRACKER_SUMMARY_FIELD].map((field) => (LIST_FIELDS as readonly string[]).indexOf(field));

export function shareRowStrings(row: XmlRpcValue[], shared: SharedValues): XmlRpcValue[] {
  for (const index of SHARED_CELLS) {
    const cell = row[index];
    if (typeof cell === 'string') row[index] = shared.string(cell);
  }
  return row;
}

/** The full row of a torrent that left the started view: stopped, idle, no peers. */
export function stoppedRow(fullRow: readonly XmlRpcValue[]): XmlRpcValue[] {
  const stopped = fullRow.slice();
  for (const field of ['d.state=', 'd.is_active=', 'd.hashing=', 'd.down.rate=', 'd.up.rate=', 'd.peers_connected=', 'd.peers_complete='] as const) {
    stopped[LIST_FIELDS.indexOf(field)] = 0;
  }
  return stopped;
}

export const FILE_FIELDS = ['f.path=', 'f.size_bytes=', 'f.completed_chunks=', 'f.size_chunks=', 'f.priority='] as const;
export const PEER_FIELDS = ['p.address=', 'p.port=', 'p.client_version=', 'p.completed_percent=', 'p.down_rate=', 'p.up_rate='] as const;
export const TRACKER_FIELDS = [
  't.url=',
  't.group=',
  't.is_enabled=',
  't.scrape_complete=',
  't.scrape_incomplete=',
  't.failed_counter=',
  't.success_counter=',
  't.is_busy=',
  't.scrape_time_last=',
] as const;

/** rTorrent's f.priority values. */
const PRIORITY_FROM_RAW: Record<number, FilePriority> = { 0: 'skip', 1: 'normal', 2: 'high' };
export const PRIORITY_TO_RAW: Partial<Record<FilePriority, number>> = { skip: 0, normal: 1, high: 2 };

function str(value: XmlRpcValue | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

function num(value: XmlRpcValue | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : 0;
  }
  return 0;
}

/** Unix seconds from d.custom=addtime (ruTorrent's stamp) or an integer field; null when absent. */
function seconds(value: XmlRpcValue | undefined): number | null {
  const parsed = Math.trunc(num(value));
  return parsed > 0 ? parsed : null;
}

/** Tracker messages ("Tracker: [...]") are worth showing but do not make a torrent broken. */
function isTrackerMessage(message: string): boolean {
  return /^Tracker: /.test(message);
}

export function normalizeState(raw: {
  started: boolean;
  active: boolean;
  complete: boolean;
  hashing: boolean;
  meta: boolean;
  message: string;
}): TorrentState {
  if (raw.hashing) return 'checking';
  if (raw.message !== '' && !isTrackerMessage(raw.message)) return 'error';
  if (!raw.started || !raw.active) return 'paused';
  if (raw.meta) return 'metadata';
  return raw.complete ? 'seeding' : 'downloading';
}

export interface TrackerSummary {
  hosts: string[];
  /** The most any tracker counted; -1 while none has given counts (connected peers are not the swarm). */
  seeds: number;
  leechers: number;
  /** Per enabled tracker: what its counters say (no words: rTorrent keeps none per tracker). */
  reports: TrackerReport[];
}

export function parseTrackerSummary(summary: string): TrackerSummary {
  const hosts: string[] = [];
  const reports: TrackerReport[] = [];
  let seeds = -1;
  let leechers = -1;
  for (const record of summary.split('|||')) {
    // url|complete|incomplete|enabled|failed|succeeded|counted; the url itself may contain '|', so read from the right.
    const cells: string[] = [];
    let end = record.length;
    for (let count = 0; count < 6 && end > 0; count++) {
      const bar = record.lastIndexOf('|', end - 1);
      if (bar <= 0) break;
      cells.unshift(record.slice(bar + 1, end));
      end = bar;
    }
    if (cells.length < 6) continue;
    const [complete, incomplete, enabled, failed, succeeded, countedAt] = cells.map((cell) => num(cell));
    const url = record.slice(0, end);
    if (countedAt! > 0) {
      seeds = Math.max(seeds, complete!);
      leechers = Math.max(leechers, incomplete!);
    }
    const host = trackerHost(url);
    if (host && !hosts.includes(host)) hosts.push(host);
    if (enabled === 1) reports.push({ outcome: failed! > 0 ? 'error' : succeeded! > 0 ? 'ok' : null, message: '' });
  }
  return { hosts, seeds, leechers, reports };
}

/** "Tracker: [Failure reason "Unregistered torrent"]" → 'Failure reason "Unregistered torrent"'. */
function trackerWords(message: string): string {
  return message.replace(/^Tracker: /, '').replace(/^\[(.*)\]$/s, '$1');
}

/**
 * The tracker verdict: d.message holds the latest tracker failure in rTorrent's words (fresh on
 * every poll) and wins; without one, the counters of the full list's tracker summary decide.
 */
function trackerVerdict(message: string, reports: readonly TrackerReport[]): Pick<Torrent, 'trackerStatus' | 'trackerMessage'> {
  if (isTrackerMessage(message)) return summarizeTrackers([{ outcome: 'error', message: trackerWords(message) }]);
  const verdict = summarizeTrackers(reports);
  return verdict.trackerStatus === 'error' ? { trackerStatus: 'error', trackerMessage: '' } : verdict;
}

/**
 * rTorrent counts no seeding time. What it can say honestly: while the torrent is complete and
 * started, the time since it last started or finished, whichever is later (d.timestamp.started,
 * d.timestamp.finished, both kept in its session). A lower bound: earlier runs (before a stop or
 * a restart of rTorrent) are not counted. Never finished: 0. Stopped: unknown.
 */
export function rtorrentSeedingSeconds(raw: { complete: boolean; running: boolean; startedAt: number; finishedAt: number }, now: number): number | null {
  if (raw.finishedAt <= 0 && !raw.complete) return 0;
  if (!raw.complete || !raw.running) return null;
  return Math.max(0, Math.round(now - Math.max(raw.startedAt, raw.finishedAt)));
}

function parentDirectory(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash <= 0 ? '/' : trimmed.slice(0, slash);
}

/**
 * One box's repeated values, shared between its torrents: at 50 000 torrents most save paths,
 * labels, tracker lists and messages are the same few, and a copy (and a parse) per torrent is
 * much of what holding the list costs. Shared arrays are frozen: nobody may change one
 * torrent's labels in place. Forgets everything past `limit` values (a box whose torrents
 * keep changing), and starts sharing again.
 */
export class SharedValues {
  private strings = new Map<string, string>();
  private labelLists = new Map<string, string[]>();
  private trackerSummaries = new Map<string, TrackerSummary>();

  constructor(private readonly limit = 200_000) {}

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size >= this.limit) this.strings = new Map();
    this.strings.set(value, value);
    return value;
  }

  labels(raw: string, style: LabelStyle): string[] {
    let labels = this.labelLists.get(raw);
    if (labels === undefined) {
      if (this.labelLists.size >= this.limit) this.labelLists = new Map();
      labels = Object.freeze(decodeLabels(raw, style).map((label) => this.string(label))) as string[];
      this.labelLists.set(raw, labels);
    }
    return labels;
  }

  trackers(raw: string): TrackerSummary {
    let summary = this.trackerSummaries.get(raw);
    if (summary === undefined) {
      if (this.trackerSummaries.size >= this.limit) this.trackerSummaries = new Map();
      const parsed = parseTrackerSummary(raw);
      summary = { ...parsed, hosts: this.hostList(parsed.hosts) };
      this.trackerSummaries.set(raw, summary);
    }
    return summary;
  }

  /** The same frozen list for the same hosts, whatever else a tracker summary says (its counts differ per torrent). */
  private hostList(hosts: string[]): string[] {
    const key = `\u0000hosts\u0000${hosts.join('\u0000')}`;
    const known = this.labelLists.get(key);
    if (known !== undefined) return known;
    const list = Object.freeze(hosts.map((host) => this.string(host))) as string[];
    this.labelLists.set(key, list);
    return list;
  }
}

/** `now` (Unix seconds) is when the row was read, for the seeding time; `shared` keeps repeated values once per box. */
export function normalizeTorrentRow(row: XmlRpcValue[], labelStyle: LabelStyle, now = Date.now() / 1000, shared?: SharedValues): Torrent {
  const [
    hash, name, state, isActive, complete, hashing, isMeta, sizeBytes, completedBytes, leftBytes,
    upTotal, downTotal, ratio, downRate, upRate, peersConnected, peersComplete, custom1, directory,
    isMultiFile, addTime, loadDate, finished, message, trackerSummary, startedAt, isPrivate,
  ] = row;
  const done = num(completedBytes);
  // rTorrent 0.9.8 has no d.selected_size_bytes: what is wanted is what is done plus what is left.
  const selected = Math.min(num(sizeBytes), done + num(leftBytes)) || num(sizeBytes);
  const isComplete = num(complete) === 1;
  const rateDown = num(downRate);
  const trackers = shared ? shared.trackers(str(trackerSummary)) : parseTrackerSummary(str(trackerSummary));
  const seedsConnected = num(peersComplete);
  const peers = num(peersConnected);
  const meta = num(isMeta) === 1;
  const dir = str(directory);
  const savePath = num(isMultiFile) === 1 ? parentDirectory(dir) : dir;
  return {
    id: str(hash).toLowerCase(),
    // A magnet added elsewhere has no stored display name: show its hash, as rTorrent would.
    name: str(name) || str(hash).toLowerCase(),
    state: normalizeState({
      started: num(state) === 1,
      active: num(isActive) === 1,
      complete: isComplete,
      hashing: num(hashing) !== 0,
      meta,
      message: str(message),
    }),
    progress: meta ? 0 : isComplete ? 1 : selected > 0 ? Math.min(1, done / selected) : 0,
    sizeBytes: meta ? 0 : selected,
    doneBytes: meta ? 0 : Math.min(done, selected),
    uploadedBytes: num(upTotal),
    downloadedBytes: num(downTotal),
    ratio: num(ratio) / 1000,
    downRate: rateDown,
    upRate: num(upRate),
    etaSeconds: !isComplete && rateDown > 0 ? Math.round(num(leftBytes) / rateDown) : null,
    peersConnected: Math.max(0, peers - seedsConnected),
    peersTotal: trackers.leechers,
    seedsConnected,
    seedsTotal: trackers.seeds,
    labels: shared ? shared.labels(str(custom1), labelStyle) : decodeLabels(str(custom1), labelStyle),
    // Multi-file torrents live in <save path>/<name>; d.directory is that inner folder.
    savePath: shared ? shared.string(savePath) : savePath,
    addedAt: seconds(addTime) ?? seconds(loadDate),
    completedAt: seconds(finished),
    trackerHosts: trackers.hosts,
    message: shared ? shared.string(str(message)) : str(message),
    queuePosition: null,
    seedingSeconds: rtorrentSeedingSeconds(
      { complete: isComplete, running: num(state) === 1 && num(isActive) === 1, startedAt: num(startedAt), finishedAt: num(finished) },
      now,
    ),
    // rTorrent 0.9.8 keeps no time of a torrent's last transfer.
    lastActivityAt: null,
    private: meta ? null : num(isPrivate) === 1,
    ...trackerVerdict(str(message), trackers.reports),
  };
}

export function normalizeFiles(rows: XmlRpcValue[][], chunkSize: number): TorrentFile[] {
  return rows.map((row, index) => {
    const [path, sizeBytes, completedChunks, sizeChunks, priority] = row;
    const size = num(sizeBytes);
    const chunks = num(sizeChunks);
    // rTorrent counts done chunks per file; a file's first and last chunk may be shared with
    // its neighbours, so the byte figure is an estimate capped at the file's size.
    const done = chunks > 0 && num(completedChunks) >= chunks ? size : Math.min(size, num(completedChunks) * chunkSize);
    return { index, path: str(path), sizeBytes: size, doneBytes: done, priority: PRIORITY_FROM_RAW[num(priority)] ?? 'normal' };
  });
}

export function normalizePeers(rows: XmlRpcValue[][]): Peer[] {
  return rows.map(([address, port, client, percent, downRate, upRate]) => ({
    address: str(address),
    port: num(port),
    client: str(client),
    progress: num(percent) / 100,
    downRate: num(downRate),
    upRate: num(upRate),
  }));
}

export function normalizeTrackers(rows: XmlRpcValue[][], torrentMessage: string): Tracker[] {
  return rows.map(([url, group, enabled, complete, incomplete, failed, succeeded, busy, countedAt]) => {
    let status: Tracker['status'] = 'not-contacted';
    if (num(enabled) !== 1) status = 'disabled';
    else if (num(busy) === 1) status = 'updating';
    else if (num(failed) > 0) status = 'error';
    else if (num(succeeded) > 0) status = 'working';
    return {
      url: str(url),
      tier: num(group),
      status,
      seeders: num(countedAt) > 0 ? num(complete) : -1,
      leechers: num(countedAt) > 0 ? num(incomplete) : -1,
      // rTorrent keeps only the torrent's latest message, not one per tracker.
      message: status === 'error' && isTrackerMessage(torrentMessage) ? torrentMessage.replace(/^Tracker: /, '') : '',
    };
  });
}
