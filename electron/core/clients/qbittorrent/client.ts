// qBittorrent through its WebUI API v2 (http(s)://host[:port][/base], the API under /api/v2),
// on our own HTTP client so the injected connector (proxy, SSH tunnel) and the TLS pin apply
// to every request. (@ctrl/qbittorrent is not used: it calls fetch, which cannot take them.)
//
// Labels: the model's labels are qBittorrent's TAGS (multipleLabels: true). The category is
// kept out of the model: qBittorrent lets a torrent have one category AND any number of tags,
// and folding the category into the labels ([category, ...tags]) cannot round-trip through
// setLabels (which of the given labels would be the category?). setLabels therefore replaces
// the tags and never touches the category; add sets tags, never a category.
//
// Session (login, cookie, re-login on 403, ban): session.ts.
//
// The list comes from sync/maindata with its rid: after the first full answer, each refresh
// carries only what changed, merged in SyncState (maindata.ts).

import { redactUrl } from '../../../shared/redact-url';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { isSeedboxError, SeedboxError, toSeedboxError } from '../../../shared/errors';
import type * as Model from '../../../shared/model';
import { parseMagnet } from '../../../shared/magnet';
import { parseTorrentFile } from '../../torrent/metainfo';
import type { HttpResponse } from '../../transports/http';
import { parseAnswer, type AnswerSource } from '../answers';
import { addUndone, checkAbsoluteDirectory, checkFileIndexes, checkRate, checkSkipFiles, checkTorrentUrl, notFound, queueMethod, toHashes } from '../checks';
import type { MetainfoExport, PollChanges, QbittorrentConnectionSettings, TorrentClient } from '../types';
import { SyncState, type ListChanges } from './maindata';
import { QbittorrentSession, type CallOptions } from './session';
import { normalizeFiles, normalizePeers, normalizeTrackers, PRIORITY_TO_RAW, trackerVerdict } from './normalize';
import {
  EmptyAnswer,
  FilesAnswer,
  MainDataAnswer,
  PeersAnswer,
  PreferencesAnswer,
  PropertiesAnswer,
  SpeedLimitsModeAnswer,
  TrackersAnswer,
  VersionAnswer,
  WebApiVersionAnswer,
} from './schemas';

/** Torrents whose trackers each refresh looks at (see checkTrackers). */
const TRACKER_CHECKS_PER_REFRESH = 8;
/** torrents/trackers requests in flight at once in readTrackers(): the WebUI serves one box for everyone. */
const TRACKER_READS_IN_FLIGHT = 8;
/** How long a torrent added from a file or magnet may take to show up in the list. */
const ADD_APPEAR_TIMEOUT_MS = 15_000;
/** A torrent added by URL is downloaded by qBittorrent first: it gets longer to appear. */
const DEFAULT_URL_ADD_TIMEOUT_MS = 30_000;
/** WebAPI 2.11 (qBittorrent 5.0) renamed pause/resume to stop/start, and "paused" to "stopped". */
const STOP_START_WEBAPI = [2, 11] as const;
/** torrents/export arrived with WebAPI 2.8.14 (qBittorrent 4.4.0). */
const EXPORT_WEBAPI = [2, 8, 14] as const;

const QUEUE_ENDPOINTS: Record<Model.QueueMove, string> = {
  up: 'increasePrio',
  down: 'decreasePrio',
  top: 'topPrio',
  bottom: 'bottomPrio',
};

export interface QbittorrentClientOptions {
  /** How long add() waits for a torrent given by URL to appear (qBittorrent downloads it first). */
  urlAddTimeoutMs?: number;
}

/** The full normalized list plus what changed since the previous listChanges() (for the poller). */
export interface TorrentListChanges extends ListChanges {
  torrents: Model.Torrent[];
}

export class QbittorrentClient implements TorrentClient {
  private readonly session: QbittorrentSession;
  private readonly urlAddTimeoutMs: number;
  private readonly sync = new SyncState();
  private info: Model.ClientInfo | undefined;
  private connecting: Promise<Model.ClientInfo> | undefined;
  private stopStart = false;
  private canExport = false;
  /** sync/maindata answers must be merged in rid order: one refresh at a time. */
  private refreshing: Promise<unknown> = Promise.resolve();

  constructor(settings: QbittorrentConnectionSettings, options: QbittorrentClientOptions = {}) {
    // A new session has no sync history: the next maindata answer is a full one.
    this.session = new QbittorrentSession(settings, () => this.sync.reset());
    this.urlAddTimeoutMs = options.urlAddTimeoutMs ?? DEFAULT_URL_ADD_TIMEOUT_MS;
  }

  async connect(): Promise<Model.ClientInfo> {
    if (this.info) return this.info;
    this.connecting ??= this.detect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  async close(): Promise<void> {
    this.info = undefined;
    this.sync.reset();
    await this.session.close();
  }

  async list(): Promise<Model.Torrent[]> {
    await this.refresh();
    return this.sync.list();
  }

  /**
   * What changed since the previous poll(), as sync/maindata's rid says (see PollChanges): a
   * full answer (first, re-login, daemon restart) hands over the whole list. Shares its changes
   * with listChanges(): a client object serves one of them.
   */
  async poll(_options: { light: boolean }): Promise<PollChanges> {
    await this.refresh();
    const { full, changed, removed } = this.sync.takeChanges();
    if (full) return { full: true, changed: this.sync.list(), removed: [] };
    return { full: false, changed: changed.flatMap((id) => this.sync.get(id) ?? []), removed };
  }

  /** One incremental refresh: every torrent, plus the ids added/changed and removed since the last call. */
  async listChanges(): Promise<TorrentListChanges> {
    await this.refresh();
    return { torrents: this.sync.list(), ...this.sync.takeChanges() };
  }

  async details(id: string): Promise<Model.TorrentDetails> {
    const [hash] = await this.checkIds([id]);
    const [files, trackers, peers] = await Promise.all([
      this.getJson('torrents/files', FilesAnswer, { hash: hash! }, [hash!]),
      this.getJson('torrents/trackers', TrackersAnswer, { hash: hash! }, [hash!]),
      this.getJson('sync/torrentPeers', PeersAnswer, { hash: hash!, rid: '0' }, [hash!]),
    ]);
    // The trackers just read are the freshest verdict: the list shows it from now on too.
    this.sync.setTrackerCheck(hash!, { verdict: trackerVerdict(trackers) }, Date.now());
    const torrent = this.sync.get(hash!)!;
    return {
      torrent,
      files: normalizeFiles(files, torrent.name),
      peers: normalizePeers(peers.peers),
      trackers: normalizeTrackers(trackers),
    };
  }

  /** The .torrent as qBittorrent writes it from what it holds (torrents/export). */
  async exportMetainfo(id: string): Promise<MetainfoExport> {
    const [hash] = await this.checkIds([id]);
    if (!this.canExport) {
      throw new SeedboxError('unsupported', `qBittorrent ${this.info!.version} cannot export a .torrent (WebAPI 2.8.14, qBittorrent 4.4, added it).`);
    }
    const response = await this.session.call('torrents/export', { form: { hash: hash! }, accept: [404, 409] });
    if (response.status === 404) throw notFound([hash!]);
    // 409: it has no metadata to export yet (a magnet still looking for it).
    if (response.status === 409) {
      const reason = response.body.toString('utf8').trim().slice(0, 200).replace(/\.$/, '') || 'HTTP 409';
      throw new SeedboxError('unsupported', `qBittorrent has no .torrent for ${hash!} yet: ${reason}.`, { id: hash! });
    }
    return { from: 'daemon', bytes: new Uint8Array(response.body) };
  }

  async add(source: Model.AddSource, options: Model.AddOptions = {}): Promise<string> {
    const form = new FormData();
    let id: string | undefined;
    let fileCount: number | undefined;
    // qBittorrent reads `urls` as one link per line: a line break would smuggle in a second one.
    if (source.kind !== 'file' && /[\r\n]/.test(source.kind === 'magnet' ? source.uri : source.url)) {
      throw new SeedboxError('invalid-argument', 'A magnet link or URL cannot contain line breaks.');
    }
    if (source.kind === 'file') {
      const meta = parseTorrentFile(source.bytes, source.fileName);
      id = meta.infoHash;
      fileCount = meta.files.length;
      form.append('torrents', new Blob([source.bytes], { type: 'application/x-bittorrent' }), source.fileName ?? `${id}.torrent`);
    } else if (source.kind === 'magnet' || /^magnet:/i.test(source.url)) {
      const uri = source.kind === 'magnet' ? source.uri : source.url;
      id = parseMagnet(uri).infoHash;
      form.append('urls', uri);
    } else {
      form.append('urls', checkTorrentUrl(source.url, DAEMONS.qbittorrent.name));
    }
    const labels = checkLabels(options.labels ?? []);
    const skip = checkSkipFiles(source, options.skipFiles, fileCount);
    // A torrent given by URL has no id until qBittorrent has downloaded it: a one-off tag finds it.
    const marker = id === undefined ? `seedbox-add-${randomUUID()}` : undefined;
    const tags = marker ? [...labels, marker] : labels;
    if (tags.length > 0) form.append('tags', tags.join(','));
    if (options.savePath) form.append('savepath', options.savePath);
    // Explicit either way, so qBittorrent's own "do not start" preference does not decide.
    await this.connect();
    // torrents/add of 4.5 (WebAPI 2.8) and 5.1 (2.11) takes no file priorities: with files to skip
    // it adds stopped, and starts only once they are set (skipThenStart).
    form.append(this.stopStart ? 'stopped' : 'paused', options.paused || skip.length > 0 ? 'true' : 'false');

    if (id !== undefined) {
      await this.refresh();
      if (this.sync.has(id)) throw new SeedboxError('already-exists', `This torrent is already on the seedbox (${id}).`, { id });
    }
    try {
      const response = await this.session.call('torrents/add', { multipart: form });
      if (response.body.toString('utf8').trim() === 'Fails.') {
        throw new SeedboxError('rpc-fault', 'qBittorrent refused the torrent (its log says why).', id !== undefined ? { id } : {});
      }
      if (id !== undefined) {
        const added = id;
        await this.waitFor(() => this.sync.has(added), ADD_APPEAR_TIMEOUT_MS);
        if (!this.sync.has(added)) {
          throw new SeedboxError('rpc-fault', 'qBittorrent accepted the torrent but did not add it; its log says why.', { id: added });
        }
        if (skip.length > 0) await this.skipThenStart(added, skip, fileCount!, options.paused === true);
        return added;
      }
      const found = await this.waitFor(() => this.sync.list().find((torrent) => torrent.labels.includes(marker!))?.id, this.urlAddTimeoutMs);
      if (found === undefined) {
        throw new SeedboxError(
          'rpc-fault',
          `qBittorrent did not add a torrent from ${redactUrl(source.kind === 'url' ? source.url : '')} within ${Math.round(this.urlAddTimeoutMs / 1000)} s: ` +
            'it could not download it, it is not a torrent, or that torrent is already on the seedbox (qBittorrent’s log says which).',
        );
      }
      return found;
    } finally {
      // Deleting the tag takes it off the torrent too, wherever it ended up.
      if (marker) await this.session.call('torrents/deleteTags', { form: { tags: marker } }).catch(() => undefined);
    }
  }

  /**
   * Sets the files to skip of a torrent just added stopped, checks qBittorrent took them, then
   * starts it unless the user asked for paused. Should a step before the start fail, the
   * torrent (stopped, so without data) is removed again, and the error says so.
   */
  private async skipThenStart(hash: string, skip: number[], fileCount: number, paused: boolean): Promise<void> {
    try {
      await this.action('torrents/filePrio', { form: { hash, id: skip.join('|'), priority: String(PRIORITY_TO_RAW.skip) } });
      const files = await this.getJson('torrents/files', FilesAnswer, { hash }, [hash]);
      const notSkipped = files.length === fileCount ? skip.filter((index) => files[index]!.priority !== PRIORITY_TO_RAW.skip) : skip;
      if (notSkipped.length > 0) {
        throw new SeedboxError('rpc-fault', `qBittorrent did not set file(s) ${notSkipped.slice(0, 10).join(', ')} of the new torrent to "do not download".`, { id: hash });
      }
    } catch (thrown) {
      const removed = await this.session.call('torrents/delete', { form: { hashes: hash, deleteFiles: 'false' } }).then(
        () => true,
        () => false,
      );
      throw addUndone(thrown, hash, removed);
    }
    if (paused) return;
    try {
      await this.start([hash]);
    } catch (thrown) {
      const error = toSeedboxError(thrown);
      throw new SeedboxError(error.code, `The torrent was added stopped, its files skipped, but could not be started: ${error.message}`, { ...error.details, id: hash });
    }
  }

  async start(ids: string[]): Promise<void> {
    await this.connect();
    await this.forEach(ids, this.stopStart ? 'torrents/start' : 'torrents/resume');
  }

  async stop(ids: string[]): Promise<void> {
    await this.connect();
    await this.forEach(ids, this.stopStart ? 'torrents/stop' : 'torrents/pause');
  }

  async recheck(ids: string[]): Promise<void> {
    await this.forEach(ids, 'torrents/recheck');
  }

  async reannounce(ids: string[]): Promise<void> {
    await this.forEach(ids, 'torrents/reannounce');
  }

  async remove(ids: string[], options: { deleteData: boolean }): Promise<void> {
    await this.forEach(ids, 'torrents/delete', { deleteFiles: String(options.deleteData) });
  }

  async move(ids: string[], targetDirectory: string): Promise<void> {
    await this.forEach(ids, 'torrents/setLocation', { location: checkAbsoluteDirectory(targetDirectory, 'target directory') });
  }

  async setLabels(ids: string[], labels: string[]): Promise<void> {
    const wanted = checkLabels(labels);
    const hashes = await this.checkIds(ids);
    const current = new Set(hashes.flatMap((hash) => this.sync.get(hash)?.labels ?? []));
    const unwanted = [...current].filter((tag) => !wanted.includes(tag));
    const joined = hashes.join('|');
    if (unwanted.length > 0) await this.action('torrents/removeTags', { form: { hashes: joined, tags: unwanted.join(',') } });
    if (wanted.length > 0) await this.action('torrents/addTags', { form: { hashes: joined, tags: wanted.join(',') } });
  }

  async setFilePriority(id: string, fileIndexes: number[], priority: Model.FilePriority): Promise<void> {
    const raw = PRIORITY_TO_RAW[priority];
    if (raw === undefined) {
      throw new SeedboxError('unsupported', `qBittorrent has no "${priority}" file priority; it offers skip, normal and high.`);
    }
    const [hash] = await this.checkIds([id]);
    const files = await this.getJson('torrents/files', FilesAnswer, { hash: hash! }, [hash!]);
    checkFileIndexes(hash!, fileIndexes, files.length);
    await this.action('torrents/filePrio', { form: { hash: hash!, id: fileIndexes.join('|'), priority: String(raw) } });
  }

  /** The regular global limits (preferences dl_limit/up_limit), whether or not the alternative ones are in force. */
  async getGlobalSpeedLimits(): Promise<Model.SpeedLimits> {
    const preferences = await this.getJson('app/preferences', PreferencesAnswer);
    return { downBytesPerSecond: Math.max(0, preferences.dl_limit), upBytesPerSecond: Math.max(0, preferences.up_limit) };
  }

  async setGlobalSpeedLimits(limits: Model.SpeedLimits): Promise<void> {
    const json = JSON.stringify({ dl_limit: checkRate(limits.downBytesPerSecond), up_limit: checkRate(limits.upBytesPerSecond) });
    await this.action('app/setPreferences', { form: { json } });
  }

  async setTorrentSpeedLimits(ids: string[], limits: Model.SpeedLimits): Promise<void> {
    const down = String(checkRate(limits.downBytesPerSecond));
    const up = String(checkRate(limits.upBytesPerSecond));
    const hashes = await this.checkIds(ids);
    await this.action('torrents/setDownloadLimit', { form: { hashes: hashes.join('|'), limit: down } });
    await this.action('torrents/setUploadLimit', { form: { hashes: hashes.join('|'), limit: up } });
  }

  async moveInQueue(ids: string[], move: Model.QueueMove): Promise<void> {
    const endpoint = queueMethod(QUEUE_ENDPOINTS, move);
    const hashes = await this.checkIds(ids);
    const response = await this.action(`torrents/${endpoint}`, { form: { hashes: hashes.join('|') }, accept: [409] });
    if (response.status === 409) {
      throw new SeedboxError('unsupported', "qBittorrent's download queue is off (Options → BitTorrent → Torrent Queueing), so torrents cannot be moved in it.");
    }
  }

  async setAlternativeSpeed(enabled: boolean): Promise<void> {
    // Only a toggle exists in 4.x: read the mode first so that asking twice is harmless.
    if ((await this.alternativeSpeedEnabled()) !== enabled) await this.action('transfer/toggleSpeedLimitsMode', { form: {} });
  }

  async sessionStats(): Promise<Model.SessionStats> {
    await this.refresh();
    const state = this.sync.serverState;
    return {
      downRate: state.dl_info_speed ?? 0,
      upRate: state.up_info_speed ?? 0,
      freeSpaceBytes: typeof state.free_space_on_disk === 'number' ? state.free_space_on_disk : null,
      alternativeSpeedEnabled: typeof state.use_alt_speed_limits === 'boolean' ? state.use_alt_speed_limits : await this.alternativeSpeedEnabled(),
    };
  }

  /** qBittorrent pushes nothing; the poller asks sync/maindata. */
  subscribe(_listener: (event: Model.ClientEvent) => void): () => void {
    return () => undefined;
  }

  private async detect(): Promise<Model.ClientInfo> {
    await this.session.ensureLoggedIn();
    const [version, webApi, preferences] = await Promise.all([
      this.getText('app/version', VersionAnswer),
      this.getText('app/webapiVersion', WebApiVersionAnswer),
      this.getJson('app/preferences', PreferencesAnswer),
    ]);
    const apiParts = webApi.split('.').map(Number);
    this.stopStart = compareVersions(apiParts, STOP_START_WEBAPI) >= 0;
    this.canExport = compareVersions(apiParts, EXPORT_WEBAPI) >= 0;
    const capabilities: Model.Capabilities = { ...DAEMONS.qbittorrent.capabilities, queue: preferences.queueing_enabled === true };
    this.info = { kind: 'qbittorrent', version: version.replace(/^v/, ''), protocol: `webui-v${webApi}`, capabilities };
    return this.info;
  }

  private async alternativeSpeedEnabled(): Promise<boolean> {
    return (await this.getText('transfer/speedLimitsMode', SpeedLimitsModeAnswer)) === '1';
  }

  /** Merges the next sync/maindata answer; one at a time, so answers apply in rid order. */
  private refresh(): Promise<void> {
    const next = this.refreshing.then(async () => {
      await this.connect();
      this.sync.apply(await this.getJson('sync/maindata', MainDataAnswer, { rid: String(this.sync.rid) }));
      await this.checkTrackers();
    });
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /**
   * maindata says nothing of trackers' health (nor, before 5.0, of the private flag): each
   * refresh reads torrents/trackers (and torrents/properties once, where needed) of a few
   * torrents, those never looked at first, so a box of N torrents is all known after
   * N / TRACKER_CHECKS_PER_REFRESH refreshes at a fixed, small cost per refresh.
   */
  private async checkTrackers(): Promise<void> {
    await Promise.all(this.sync.dueForTrackerCheck(TRACKER_CHECKS_PER_REFRESH).map((due) => this.checkTrackersOf(due)));
  }

  private async checkTrackersOf({ id, needsPrivate }: { id: string; needsPrivate: boolean }): Promise<void> {
    try {
      const [trackers, properties] = await Promise.all([
        this.getJson('torrents/trackers', TrackersAnswer, { hash: id }, [id]),
        needsPrivate ? this.getJson('torrents/properties', PropertiesAnswer, { hash: id }, [id]) : undefined,
      ]);
      const isPrivate = properties?.is_private;
      this.sync.setTrackerCheck(id, { verdict: trackerVerdict(trackers), ...(isPrivate !== undefined ? { private: isPrivate } : {}) }, Date.now());
    } catch (error) {
      // Removed since the list was read: the next maindata answer says so.
      if (!isSeedboxError(error) || error.code !== 'not-found') throw error;
    }
  }

  /** Every torrent given, TRACKER_READS_IN_FLIGHT requests at a time (a cron run's new client knows none). */
  async readTrackers(ids: readonly string[]): Promise<Model.Torrent[]> {
    await this.connect();
    const queue = ids.filter((id) => this.sync.has(id)).map((id) => ({ id, needsPrivate: this.sync.needsPrivate(id) }));
    const workers = Array.from({ length: Math.min(TRACKER_READS_IN_FLIGHT, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await this.checkTrackersOf(next);
    });
    await Promise.all(workers);
    return ids.flatMap((id) => this.sync.get(id) ?? []);
  }

  /** Refreshes until `found` returns something, or the time is up (then undefined). */
  private async waitFor<T>(found: () => T | undefined | false, timeoutMs: number): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      await this.refresh();
      const result = found();
      if (result !== undefined && result !== false) return result;
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** qBittorrent ignores unknown hashes silently, so every id is checked against a fresh list first. */
  private async checkIds(ids: string[]): Promise<string[]> {
    const hashes = toHashes(ids);
    await this.refresh();
    const missing = hashes.filter((hash) => !this.sync.has(hash));
    if (missing.length > 0) throw notFound(missing);
    return hashes;
  }

  private async forEach(ids: string[], endpoint: string, extra: Record<string, string> = {}): Promise<void> {
    const hashes = await this.checkIds(ids);
    await this.action(endpoint, { form: { hashes: hashes.join('|'), ...extra } });
  }

  /** A call that changes something: qBittorrent answers it with an empty body (or a status in `accept`). */
  private async action(endpoint: string, options: CallOptions): Promise<HttpResponse> {
    const response = await this.session.call(endpoint, options);
    if (!options.accept?.includes(response.status)) parseAnswer(EmptyAnswer, response.body.toString('utf8').trim(), this.answered(endpoint));
    return response;
  }

  /** A text answer, trimmed, checked against `schema`. */
  private async getText<S extends z.ZodType>(endpoint: string, schema: S): Promise<z.output<S>> {
    const text = (await this.session.call(endpoint, { method: 'GET' })).body.toString('utf8').trim();
    return parseAnswer(schema, text, this.answered(endpoint));
  }

  /**
   * GET a JSON answer checked against `schema`; with `ids`, a 404 means qBittorrent does not
   * know that torrent. JSON.parse itself does not recurse, and the schemas keep only what they
   * check, so a value nested a million deep is refused rather than overflowing the stack later.
   */
  private async getJson<S extends z.ZodType>(endpoint: string, schema: S, query?: Record<string, string>, ids?: string[]): Promise<z.output<S>> {
    const response = await this.session.call(endpoint, { method: 'GET', ...(query ? { query } : {}), accept: ids ? [404] : [] });
    if (response.status === 404) throw notFound(ids ?? []);
    let value: unknown;
    try {
      value = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new SeedboxError('protocol', `${this.session.description} did not answer ${endpoint} with JSON: is this qBittorrent's WebUI?`, {
        endpoint: this.session.description,
      });
    }
    return parseAnswer(schema, value, this.answered(endpoint));
  }

  private answered(endpoint: string): AnswerSource {
    return { source: `qBittorrent at ${this.session.description}`, call: endpoint };
  }
}

/** qBittorrent tags cannot contain commas (its lists are comma-separated) and are trimmed. */
function checkLabels(labels: string[]): string[] {
  const unique = [...new Set(labels)];
  for (const label of unique) {
    if (label.trim() === '' || label.includes(',') || label !== label.trim()) {
      throw new SeedboxError(
        'invalid-argument',
        `"${label}" cannot be a qBittorrent tag: tags are not empty, have no commas and no spaces at either end.`,
      );
    }
  }
  return unique;
}


function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] || 0) - (b[index] || 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
