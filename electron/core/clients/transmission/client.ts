// Transmission (rpc-version 16+, i.e. 3.00 and later) behind the TorrentClient interface.
// A thin client on our own HTTP transport rather than @ctrl/transmission, which calls fetch
// and so could not go through the injected connector (proxy, SSH tunnel) or pinned TLS.
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import type * as Model from '../../../shared/model';
import { parseMagnet } from '../../../shared/magnet';
import { parseTorrentFile } from '../../torrent/metainfo';
import { checkFileIndexes, checkRate, checkSkipFiles, checkTorrentUrl, notFound, queueMethod, toHash, toHashes } from '../checks';
import type { MetainfoExport, PollChanges, TorrentClient, TransmissionConnectionSettings } from '../types';
import {
  normalizeFiles,
  normalizePeers,
  normalizeTorrent,
  normalizeTrackers,
  PRIORITY_TO_RAW_KEY,
  torrentChanged,
} from './normalize';
import { DETAIL_FIELDS, LIST_FIELDS, type RawSession, type RawTorrent } from './raw';
import { TransmissionRpc, type RpcArguments } from './rpc';
import {
  checkArguments,
  checkTorrentTable,
  FreeSpaceSchema,
  SessionSchema,
  SessionStatsSchema,
  SessionUnitsSchema,
  SessionVersionSchema,
  TorrentAddSchema,
} from './schemas';

/** 3.00: labels, torrent-get's table format, torrent-duplicate, free-space, queues. */
const MIN_RPC_VERSION = 16;
/** 4.0: torrent-add takes labels itself. */
const ADD_LABELS_RPC_VERSION = 17;
const QUEUE_METHODS: Record<Model.QueueMove, string> = { up: 'queue-move-up', down: 'queue-move-down', top: 'queue-move-top', bottom: 'queue-move-bottom' };
/** Transmission lists a removed torrent's id under `removed` for 60 s; refresh well within that. */
const RECENTLY_ACTIVE_WINDOW_MS = 45_000;
/**
 * A full list now and then even when refreshes are frequent: "recently-active" only reports
 * torrents with transfer or state activity, so changes made elsewhere (another client's
 * labels, a limit) surface within this time.
 */
const FULL_LIST_EVERY_MS = 5 * 60_000;
/** The daemon's KB unless session-get says otherwise (units.speed-bytes). */
const DEFAULT_SPEED_BYTES = 1000;

export interface TorrentChanges {
  /** Torrents that are new or differ from the previous refresh, as they are now. */
  changed: Model.Torrent[];
  /** Ids of torrents gone since the previous refresh. */
  removed: string[];
}

const CAPABILITIES: Model.Capabilities = DAEMONS.transmission.capabilities;

export class TransmissionClient implements TorrentClient {
  private readonly rpc: TransmissionRpc;
  private info: Model.ClientInfo | undefined;
  private rpcVersion = 0;
  private speedBytes = DEFAULT_SPEED_BYTES;

  /** The merged list, by hash, in the daemon's order. */
  private torrents = new Map<string, Model.Torrent>();
  /** Transmission's session-local numeric ids, for the `removed` of recently-active answers. */
  private hashById = new Map<number, string>();
  private lastFullAt = -Infinity;
  private lastRefreshAt = -Infinity;
  /** Touched through this client since the last refresh: fetched explicitly next time. */
  private touched = new Set<string>();
  /** Removed through this client since the last refresh. */
  private removedHere = new Set<string>();
  /** What changed since the last poll(); `full` until the first one and after a reset. */
  private sincePoll = { full: true, changed: new Set<string>(), removed: new Set<string>() };

  constructor(readonly settings: TransmissionConnectionSettings) {
    this.rpc = new TransmissionRpc(settings);
  }

  async connect(): Promise<Model.ClientInfo> {
    if (this.info) return this.info;
    // The first call probes the request form (rpc.ts); names come back in their legacy spelling,
    // and the schemas read either spelling.
    const answer = await this.rpc.call('session-get');
    const form = await this.rpc.requestForm();
    const versions = checkArguments('session-get', SessionVersionSchema, answer);
    const rpcVersion = versions['rpc-version'];
    const version = versions.version.split(' ')[0] ?? '';
    if (!(rpcVersion >= MIN_RPC_VERSION)) {
      throw new SeedboxError(
        'unsupported',
        `Transmission ${version || '(unknown version)'} speaks rpc-version ${rpcVersion || '?'}; Seedbox Remote needs Transmission 3.00 (rpc-version ${MIN_RPC_VERSION}) or later.`,
        { version, rpcVersion },
      );
    }
    this.rpcVersion = rpcVersion;
    this.speedBytes = checkArguments('session-get', SessionUnitsSchema, answer).units['speed-bytes'];
    this.info = { kind: 'transmission', version, protocol: form === 'jsonrpc' ? `rpc-v${rpcVersion} json-rpc` : `rpc-v${rpcVersion}`, capabilities: { ...CAPABILITIES } };
    return this.info;
  }

  async close(): Promise<void> {
    // One connection per request: nothing stays open. Forget what a reconnect must re-learn.
    this.info = undefined;
    this.rpc.reset();
    this.resetList();
  }

  async list(): Promise<Model.Torrent[]> {
    await this.listChanges();
    return [...this.torrents.values()];
  }

  /**
   * What changed since the previous poll() (see PollChanges), gathered from every refresh since
   * (list() refreshes too); the whole list after a reset or a failed refresh, when what the
   * poller holds may differ from what this client knows.
   */
  async poll(_options: { light: boolean }): Promise<PollChanges> {
    await this.listChanges();
    const { full, changed, removed } = this.sincePoll;
    this.sincePoll = { full: false, changed: new Set(), removed: new Set() };
    if (full) return { full: true, changed: [...this.torrents.values()], removed: [] };
    return { full: false, changed: [...changed].flatMap((id) => this.torrents.get(id) ?? []), removed: [...removed] };
  }

  /**
   * Refreshes the merged list and says what changed since the previous refresh: a full list
   * the first time, after FULL_LIST_EVERY_MS or after a gap longer than the daemon remembers
   * removals; otherwise only the recently-active torrents plus the ones touched here.
   */
  async listChanges(): Promise<TorrentChanges> {
    let changes: TorrentChanges;
    try {
      await this.connect();
      const now = Date.now();
      const full = now - this.lastFullAt > FULL_LIST_EVERY_MS || now - this.lastRefreshAt > RECENTLY_ACTIVE_WINDOW_MS;
      changes = full ? await this.refreshFull() : await this.refreshRecent();
      this.lastRefreshAt = now;
      if (full) this.lastFullAt = now;
    } catch (error) {
      // A refresh that failed half-way may have merged part of its answer.
      this.sincePoll.full = true;
      throw error;
    }
    for (const id of this.removedHere) if (!changes.removed.includes(id)) changes.removed.push(id);
    this.removedHere.clear();
    for (const torrent of changes.changed) {
      this.sincePoll.changed.add(torrent.id);
      this.sincePoll.removed.delete(torrent.id);
    }
    for (const id of changes.removed) {
      this.sincePoll.changed.delete(id);
      this.sincePoll.removed.add(id);
    }
    return changes;
  }

  async details(id: string): Promise<Model.TorrentDetails> {
    await this.connect();
    const hash = toHash(id);
    const [raw] = await this.getTorrents([hash], [...LIST_FIELDS, ...DETAIL_FIELDS]);
    if (!raw) throw notFound([hash]);
    const torrent = normalizeTorrent(raw);
    return {
      torrent,
      files: normalizeFiles(raw.files ?? [], raw.fileStats ?? []),
      peers: normalizePeers(raw.peers ?? []),
      trackers: normalizeTrackers(raw.trackerStats ?? []),
    };
  }

  /** Transmission keeps a copy of every .torrent in its config dir and says where (torrentFile); it cannot send the bytes. */
  async exportMetainfo(id: string): Promise<MetainfoExport> {
    await this.connect();
    const hash = toHash(id);
    const [raw] = await this.getTorrents([hash], ['hashString', 'metadataPercentComplete', 'torrentFile']);
    if (!raw) throw notFound([hash]);
    if (raw.metadataPercentComplete < 1) throw new SeedboxError('unsupported', `Transmission has no .torrent for ${hash} yet: it is still fetching its metadata.`, { id: hash });
    return { from: 'box-file', path: raw.torrentFile };
  }

  async add(source: Model.AddSource, options: Model.AddOptions = {}): Promise<string> {
    const args: RpcArguments = {};
    let hash: string | undefined;
    let fileCount: number | undefined;
    if (source.kind === 'file') {
      const meta = parseTorrentFile(source.bytes, source.fileName);
      hash = meta.infoHash.toLowerCase();
      fileCount = meta.files.length;
      args['metainfo'] = Buffer.from(source.bytes).toString('base64');
    } else if (source.kind === 'magnet') {
      hash = parseMagnet(source.uri).infoHash.toLowerCase();
      args['filename'] = source.uri;
    } else {
      args['filename'] = checkTorrentUrl(source.url, DAEMONS.transmission.name);
    }
    const labels = options.labels && options.labels.length > 0 ? checkLabels(options.labels) : undefined;
    if (options.savePath !== undefined) args['download-dir'] = checkAbsolute(options.savePath, 'download directory');
    // Unwanted from the moment the daemon knows the torrent: no byte of them is ever fetched.
    const skip = checkSkipFiles(source, options.skipFiles, fileCount);
    if (skip.length > 0) args['files-unwanted'] = skip;
    // Always explicit, so the daemon's start-added-torrents setting does not decide.
    args['paused'] = options.paused === true;

    await this.connect();
    if (hash !== undefined && (await this.getTorrents([hash], ['hashString'])).length > 0) {
      throw alreadyExists(hash);
    }
    const addLabelsNow = labels !== undefined && this.rpcVersion >= ADD_LABELS_RPC_VERSION;
    if (addLabelsNow) args['labels'] = labels;

    const answer = checkArguments('torrent-add', TorrentAddSchema, await this.rpc.call('torrent-add', args));
    const duplicate = answer['torrent-duplicate'];
    if (duplicate) throw alreadyExists(duplicate.hashString.toLowerCase());
    const id = answer['torrent-added']!.hashString.toLowerCase();
    if (labels !== undefined && !addLabelsNow) await this.rpc.call('torrent-set', { ids: [id], labels });
    this.touched.add(id);
    return id;
  }

  async start(ids: string[]): Promise<void> {
    await this.act('torrent-start', ids);
  }

  /** Starts at once, ahead of the download queue. */
  async startNow(ids: string[]): Promise<void> {
    await this.act('torrent-start-now', ids);
  }

  async stop(ids: string[]): Promise<void> {
    await this.act('torrent-stop', ids);
  }

  async recheck(ids: string[]): Promise<void> {
    await this.act('torrent-verify', ids);
  }

  async reannounce(ids: string[]): Promise<void> {
    await this.act('torrent-reannounce', ids);
  }

  async remove(ids: string[], options: { deleteData: boolean }): Promise<void> {
    const hashes = await this.checkIds(ids);
    // Transmission deletes only the torrent's own files, then the folders they leave empty.
    await this.rpc.call('torrent-remove', { ids: hashes, 'delete-local-data': options.deleteData });
    for (const hash of hashes) {
      this.torrents.delete(hash);
      this.touched.delete(hash);
      this.removedHere.add(hash);
    }
  }

  /**
   * Transmission (3.00, verified) replaces files of the same name at the destination, and when
   * it cannot create the folder it keeps the torrent where it was and answers success. So an
   * existing destination is refused first, and where each torrent is afterwards is read back.
   */
  async move(ids: string[], targetDirectory: string): Promise<void> {
    const location = checkAbsolute(targetDirectory, 'target directory').replace(/(.)\/+$/, '$1');
    const hashes = await this.checkIds(ids);
    const before = await this.getTorrents(hashes, ['hashString', 'name', 'downloadDir']);
    for (const raw of before) {
      if (samePath(raw.downloadDir, location)) continue;
      const destination = `${location === '/' ? '' : location}/${raw.name}`;
      const state = await this.pathState(destination);
      const id = String(raw.hashString).toLowerCase();
      if (state === 'present') {
        throw new SeedboxError('refused', `Not moving ${raw.name}: ${destination} already exists on the seedbox, and Transmission would replace what is there. Nothing was changed.`, { id });
      }
      if (state === 'file-in-the-way') {
        throw new SeedboxError('rpc-fault', `Not moving ${raw.name}: ${destination} is, or lies below, a file on the seedbox. Nothing was changed.`, { id });
      }
    }
    await this.rpc.call('torrent-set-location', { ids: hashes, location, move: true });
    for (const hash of hashes) this.touched.add(hash);
    // The move runs in Transmission's session thread before it answers the next request.
    const after = await this.getTorrents(hashes, ['hashString', 'name', 'downloadDir']);
    const stayed = after.filter((raw) => !samePath(raw.downloadDir, location));
    if (stayed.length > 0) {
      throw new SeedboxError(
        'rpc-fault',
        `Transmission did not move ${stayed.map((raw) => raw.name).join(', ').slice(0, 300)} to ${location}: it still reads ${stayed[0]!.downloadDir} (can it create that folder? Its log says why).`,
        { ids: stayed.map((raw) => String(raw.hashString).toLowerCase()).join(',') },
      );
    }
  }

  /**
   * What is at `path`, told by free-space (Transmission has no stat). Verified live: 3.00 answers
   * success for any existing path (a file too) and fails with the OS's error otherwise; 4.1.0~beta2
   * answers success with size-bytes -1 for a missing path and "Not a directory" for a file. A
   * "Not a directory" is a file at the path or on the way to it: never a place to move into.
   */
  private async pathState(path: string): Promise<'absent' | 'present' | 'file-in-the-way'> {
    try {
      const answer = checkArguments('free-space', FreeSpaceSchema, await this.rpc.call('free-space', { path }));
      return answer['size-bytes'] === -1 ? 'absent' : 'present';
    } catch (error) {
      if (!(error instanceof SeedboxError) || error.code !== 'rpc-fault') throw error;
      return /not a directory/i.test(error.message) ? 'file-in-the-way' : 'absent';
    }
  }


  async setLabels(ids: string[], labels: string[]): Promise<void> {
    await this.act('torrent-set', ids, { labels: checkLabels(labels) });
  }

  async setFilePriority(id: string, fileIndexes: number[], priority: Model.FilePriority): Promise<void> {
    await this.connect();
    const hash = toHash(id);
    const [raw] = await this.getTorrents([hash], ['hashString', 'priorities']);
    if (!raw) throw notFound([hash]);
    // Never empty: an empty index list means "every file" to Transmission.
    checkFileIndexes(hash, fileIndexes, Array.isArray(raw.priorities) ? raw.priorities.length : 0);
    const args: RpcArguments =
      priority === 'skip'
        ? { 'files-unwanted': fileIndexes }
        : { 'files-wanted': fileIndexes, [PRIORITY_TO_RAW_KEY[priority]]: fileIndexes };
    await this.rpc.call('torrent-set', { ids: [hash], ...args });
    this.touched.add(hash);
  }

  async getGlobalSpeedLimits(): Promise<Model.SpeedLimits> {
    await this.connect();
    const session = await this.session();
    const rate = (value: number, enabled: boolean): number => (enabled ? value * this.speedBytes : 0);
    return {
      downBytesPerSecond: rate(session['speed-limit-down'], session['speed-limit-down-enabled']),
      upBytesPerSecond: rate(session['speed-limit-up'], session['speed-limit-up-enabled']),
    };
  }

  /** Transmission limits in whole KB/s: rates are rounded up, so a limit never becomes "none". */
  async setGlobalSpeedLimits(limits: Model.SpeedLimits): Promise<void> {
    await this.connect();
    const down = checkRate(limits.downBytesPerSecond);
    const up = checkRate(limits.upBytesPerSecond);
    await this.rpc.call('session-set', {
      'speed-limit-down-enabled': down > 0,
      ...(down > 0 ? { 'speed-limit-down': this.toKilobytes(down) } : {}),
      'speed-limit-up-enabled': up > 0,
      ...(up > 0 ? { 'speed-limit-up': this.toKilobytes(up) } : {}),
    });
  }

  async setTorrentSpeedLimits(ids: string[], limits: Model.SpeedLimits): Promise<void> {
    const down = checkRate(limits.downBytesPerSecond);
    const up = checkRate(limits.upBytesPerSecond);
    await this.act('torrent-set', ids, {
      downloadLimited: down > 0,
      ...(down > 0 ? { downloadLimit: this.toKilobytes(down) } : {}),
      uploadLimited: up > 0,
      ...(up > 0 ? { uploadLimit: this.toKilobytes(up) } : {}),
    });
  }

  async moveInQueue(ids: string[], move: Model.QueueMove): Promise<void> {
    const method = queueMethod(QUEUE_METHODS, move);
    await this.act(method, ids);
  }

  async setAlternativeSpeed(enabled: boolean): Promise<void> {
    await this.connect();
    await this.rpc.call('session-set', { 'alt-speed-enabled': enabled });
  }

  /** Free bytes in `path` on the seedbox (default: the daemon's download directory). */
  async freeSpace(path?: string): Promise<number> {
    await this.connect();
    const target = path ?? (await this.session())['download-dir'];
    const answer = await this.rpc.call('free-space', { path: checkAbsolute(target, 'directory') });
    return checkArguments('free-space', FreeSpaceSchema, answer)['size-bytes'];
  }

  async sessionStats(): Promise<Model.SessionStats> {
    await this.connect();
    const stats = checkArguments('session-stats', SessionStatsSchema, await this.rpc.call('session-stats'));
    const session = await this.session();
    let freeSpaceBytes: number | null = null;
    try {
      freeSpaceBytes = await this.freeSpace(session['download-dir']);
    } catch (error) {
      // A download directory that does not exist (yet) has no free space to tell.
      if (!(error instanceof SeedboxError) || (error.code !== 'rpc-fault' && error.code !== 'invalid-argument')) throw error;
    }
    return {
      downRate: stats.downloadSpeed,
      upRate: stats.uploadSpeed,
      freeSpaceBytes,
      alternativeSpeedEnabled: session['alt-speed-enabled'],
    };
  }

  /** Transmission pushes nothing; the poller uses listChanges(). */
  subscribe(_listener: (event: Model.ClientEvent) => void): () => void {
    return () => undefined;
  }

  private async session(): Promise<Omit<RawSession, 'config-dir'>> {
    return checkArguments('session-get', SessionSchema, await this.rpc.call('session-get'));
  }

  private toKilobytes(bytesPerSecond: number): number {
    return Math.ceil(bytesPerSecond / this.speedBytes);
  }

  /** Runs one method on the given torrents, after checking every one exists. */
  private async act(method: string, ids: string[], args: RpcArguments = {}): Promise<void> {
    const hashes = await this.checkIds(ids);
    await this.rpc.call(method, { ...args, ids: hashes });
    for (const hash of hashes) this.touched.add(hash);
  }

  /** Transmission skips unknown hashes silently: one torrent-get proves they all exist first. */
  private async checkIds(ids: string[]): Promise<string[]> {
    await this.connect();
    const hashes = toHashes(ids);
    const found = new Set((await this.getTorrents(hashes, ['hashString'])).map((raw) => String(raw.hashString).toLowerCase()));
    const missing = hashes.filter((hash) => !found.has(hash));
    if (missing.length > 0) throw notFound(missing);
    return hashes;
  }

  /** torrent-get in the table format (keys once, not once per torrent). */
  private async getTorrents(ids: string[] | 'recently-active' | undefined, fields: readonly string[]): Promise<RawTorrent[]> {
    const answer = await this.getTorrentTable(ids, fields);
    return answer.torrents;
  }

  private async getTorrentTable(
    ids: string[] | 'recently-active' | undefined,
    fields: readonly string[],
  ): Promise<{ torrents: RawTorrent[]; removed: number[] }> {
    const names = this.rpc.names;
    const answer = await this.rpc.call('torrent-get', {
      fields: fields.map((field) => names.out(field)),
      format: 'table',
      ...(ids === undefined ? {} : { ids: ids === 'recently-active' ? names.out(ids) : ids }),
    });
    return checkTorrentTable(answer, fields, (name) => names.in(name, 'torrent'));
  }

  private resetList(): void {
    this.torrents = new Map();
    this.hashById = new Map();
    this.lastFullAt = -Infinity;
    this.lastRefreshAt = -Infinity;
    this.touched.clear();
    this.removedHere.clear();
    this.sincePoll = { full: true, changed: new Set(), removed: new Set() };
  }

  private async refreshFull(): Promise<TorrentChanges> {
    const { torrents: raws } = await this.getTorrentTable(undefined, LIST_FIELDS);
    const next = new Map<string, Model.Torrent>();
    const hashById = new Map<number, string>();
    const changed: Model.Torrent[] = [];
    for (const raw of raws) {
      const torrent = normalizeTorrent(raw);
      next.set(torrent.id, torrent);
      hashById.set(Number(raw.id), torrent.id);
      const before = this.torrents.get(torrent.id);
      if (!before || torrentChanged(before, torrent)) changed.push(torrent);
    }
    const removed = [...this.torrents.keys()].filter((id) => !next.has(id));
    this.torrents = next;
    this.hashById = hashById;
    this.touched.clear();
    return { changed, removed };
  }

  private async refreshRecent(): Promise<TorrentChanges> {
    const recent = await this.getTorrentTable('recently-active', LIST_FIELDS);
    const touched = [...this.touched].filter((hash) => !recent.torrents.some((raw) => raw.hashString === hash));
    this.touched.clear();
    const extra = touched.length > 0 ? await this.getTorrents(touched, LIST_FIELDS) : [];
    const changed: Model.Torrent[] = [];
    for (const raw of [...recent.torrents, ...extra]) {
      const torrent = normalizeTorrent(raw);
      this.hashById.set(Number(raw.id), torrent.id);
      const before = this.torrents.get(torrent.id);
      if (!before || torrentChanged(before, torrent)) changed.push(torrent);
      this.torrents.set(torrent.id, torrent);
    }
    const removed: string[] = [];
    for (const numericId of recent.removed) {
      const hash = this.hashById.get(numericId);
      if (hash === undefined) continue;
      this.hashById.delete(numericId);
      if (this.torrents.delete(hash)) removed.push(hash);
    }
    // A touched torrent the daemon no longer has was removed by someone else.
    const seen = new Set(extra.map((raw) => String(raw.hashString).toLowerCase()));
    for (const hash of touched) {
      if (!seen.has(hash) && this.torrents.delete(hash)) removed.push(hash);
    }
    return { changed, removed };
  }
}

function alreadyExists(hash: string): SeedboxError {
  return new SeedboxError('already-exists', `This torrent is already on the seedbox (${hash}).`, { id: hash });
}

/** Paths on the seedbox must be absolute: Transmission would resolve others against its own cwd. */
function samePath(a: unknown, b: string): boolean {
  return String(a).replace(/(.)\/+$/, '$1') === b;
}

function checkAbsolute(path: string, what: string): string {
  if (!path.startsWith('/')) {
    throw new SeedboxError('invalid-argument', `The ${what} must be an absolute path on the seedbox (starting with /), not "${path}".`);
  }
  return path;
}

/** Transmission 3.00 refuses empty labels and labels with commas (it stores them comma-joined). */
function checkLabels(labels: string[]): string[] {
  const trimmed = labels.map((label) => label.trim());
  const bad = trimmed.find((label) => label === '' || label.includes(','));
  if (bad !== undefined) {
    throw new SeedboxError(
      'invalid-argument',
      bad === '' ? 'A Transmission label cannot be empty.' : `Transmission labels cannot contain a comma ("${bad}").`,
    );
  }
  return [...new Set(trimmed)];
}

