import { posix } from 'node:path';
import { parseDaemonUrl } from '../../../shared/daemons/address';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import type * as Model from '../../../shared/model';
import type { XmlRpcValue } from '../../codecs/xmlrpc';
import { parseMagnet } from '../../../shared/magnet';
import { MAX_TORRENT_FILE_BYTES, parseTorrentFile } from '../../torrent/metainfo';
import { createHttpTransport } from '../../transports/http';
import { createScgiTransport } from '../../transports/scgi';
import type { RpcTransport } from '../../transports/types';
import { addUndone, checkFileIndexes, checkRate, checkSkipFiles, notFound, toHash, toHashes } from '../checks';
import type { MetainfoExport, PollOptions, RtorrentConnectionSettings, TorrentClient } from '../types';
import { BoxFs } from './box-fs';
import { encodeLabels, type LabelStyle } from './labels';
import {
  FILE_FIELDS,
  LIST_FIELDS,
  MAGNET_NAME_KEY,
  mergeVolatileRow,
  NAME_FIELD,
  normalizeFiles,
  normalizePeers,
  normalizeTorrentRow,
  normalizeTrackers,
  PEER_FIELDS,
  PLAIN_NAME_FIELD,
  PRIORITY_TO_RAW,
  SharedValues,
  shareRowStrings,
  stoppedRow,
  TRACKER_FIELDS,
  TRACKER_SUMMARY_FIELD,
  VOLATILE_FIELDS,
} from './normalize';
import { moveData } from './move';
import { removeWithData } from './remove-data';
import { faultError, isUnknownHashFault, RtorrentRpc, type RpcCall } from './rpc';

/** rTorrent 0.9.8 closes the SCGI connection on any request body over 2 MiB, whatever its XML-RPC limit says. */
const SCGI_BODY_LIMIT = 2 * 1024 * 1024;
/** How long a freshly loaded torrent may take to appear (load.raw is asynchronous). */
const LOAD_APPEAR_TIMEOUT_MS = 10_000;
/**
 * poll() reads the whole list (static fields too) again after at least this many refreshes,
 * and after at least FULL_LIST_COST_FACTOR times what the last one took: the whole list is
 * what costs rTorrent (about 50 ms of its CPU per 1 000 torrents, so 2.5 s at 50 000), and
 * this keeps it under 1/200 of rTorrent's time whatever the box's size.
 */
const FULL_LIST_EVERY = 40;
const FULL_LIST_COST_FACTOR = 200;
/**
 * How often the started torrents' tracker summaries are read in the cheap refresh: only a
 * started torrent announces, so only its counters and seed counts move; the summary is the
 * dearest field per torrent (a t.multicall each), so not on every refresh.
 */
export const TRACKERS_EVERY_MS = 15_000;

/** A transport for an rTorrent address (read by the catalogue): SCGI over TCP or a Unix socket, or HTTP(S). */
export function createRtorrentTransport(settings: RtorrentConnectionSettings): RpcTransport {
  const options = settings.transport ?? {};
  const address = parseDaemonUrl('rtorrent', settings.url);
  if (address.scheme === 'scgi') return createScgiTransport(address.socket, options);
  return createHttpTransport({
    url: settings.url.trim(),
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ...options,
  });
}

export class RtorrentClient implements TorrentClient {
  private readonly rpc: RtorrentRpc;
  private readonly labelStyle: LabelStyle;
  private readonly overScgi: boolean;
  private info: Model.ClientInfo | undefined;
  private methods = new Set<string>();
  /** The largest request body rTorrent will take: its XML-RPC limit, and 2 MiB over SCGI. */
  private requestLimit = SCGI_BODY_LIMIT;
  /** Whether it runs commands on the box for us (execute.*): data removal, moves, reading its .torrent copies. */
  private canExecute = false;

  constructor(settings: RtorrentConnectionSettings) {
    this.overScgi = parseDaemonUrl('rtorrent', settings.url).scheme === 'scgi';
    this.rpc = new RtorrentRpc(createRtorrentTransport(settings));
    this.labelStyle = settings.labelStyle ?? 'rutorrent';
  }

  async connect(): Promise<Model.ClientInfo> {
    if (this.info) return this.info;
    this.methods = new Set(await this.rpc.detectDialect());
    const [version, sizeLimit] = await this.rpc.multicallAll([
      { method: 'system.client_version', params: [] },
      { method: 'network.xmlrpc.size_limit', params: [] },
    ]);
    const limit = typeof sizeLimit === 'number' && sizeLimit > 0 ? sizeLimit : SCGI_BODY_LIMIT;
    this.requestLimit = this.overScgi ? Math.min(limit, SCGI_BODY_LIMIT) : limit;
    const canExecute = this.methods.has('execute.throw') && this.methods.has('execute.nothrow');
    this.canExecute = canExecute;
    const capabilities: Model.Capabilities = {
      ...DAEMONS.rtorrent.capabilities,
      multipleLabels: this.labelStyle === 'flood',
      deleteData: canExecute,
      moveStorage: canExecute,
      perTorrentSpeedLimits: this.methods.has('d.throttle_name.set') && this.methods.has('throttle.down'),
    };
    this.info = { kind: 'rtorrent', version: String(version), protocol: this.rpc.dialect, capabilities };
    return this.info;
  }

  async close(): Promise<void> {
    // One connection per call: nothing stays open.
    this.info = undefined;
  }

  async list(): Promise<Model.Torrent[]> {
    await this.connect();
    const rows = this.methods.has('d.multicall2')
      ? await this.rpc.rows('d.multicall2', ['', 'main', ...this.listFields()])
      : // rTorrent before 0.9.7 has only d.multicall, which takes no target.
        await this.rpc.rows('d.multicall', ['main', ...this.listFields()]);
    return rows.map((row) => normalizeTorrentRow(row, this.labelStyle));
  }

  /**
   * Cheap refreshes for the poller. A full list of 50 000 torrents is ~50 MB that rtorrent
   * needs ~2.5 s of CPU to write; most of it (names, paths, labels, trackers) never changes.
   * So most refreshes ask, in one system.multicall (one round trip, as every refresh), only
   * the volatile fields of the torrents that can change (the started and hashing views) plus
   * the main view's size, and every TRACKERS_EVERY_MS the started torrents' tracker summaries
   * too. The full list is read again when the size changes, a torrent appears that we do not
   * know, or when it is due (see FULL_LIST_EVERY; that also catches edits made elsewhere,
   * like a new label). Unchanged torrents keep their object, so the poller's diff skips them.
   */
  async poll(options: PollOptions): Promise<Model.Torrent[]> {
    await this.connect();
    const cache = this.pollCache;
    const now = performance.now();
    // The first list is handed over as it is read (see PollOptions.onPartial); later ones are only diffed.
    if (cache.rows.size === 0) return this.pollFull(options.onPartial);
    if (++cache.refreshes >= FULL_LIST_EVERY && now >= cache.fullDueAt) return this.pollFull();
    const volatile = [...VOLATILE_FIELDS].map((field) => (field === 'd.is_meta=' && !this.methods.has('d.is_meta') ? 'cat=0' : field));
    const multicall = this.methods.has('d.multicall2') ? 'd.multicall2' : 'd.multicall';
    const target = multicall === 'd.multicall2' ? [''] : [];
    const withTrackers = now - cache.trackersAt >= TRACKERS_EVERY_MS;
    const [size, started, hashing, trackers] = await this.rpc.multicallAll([
      { method: 'view.size', params: ['', 'main'] },
      { method: multicall, params: [...target, 'started', ...volatile] },
      { method: multicall, params: [...target, 'hashing', ...volatile] },
      ...(withTrackers ? [{ method: multicall, params: [...target, 'started', 'd.hash=', TRACKER_SUMMARY_FIELD] }] : []),
    ]);
    if (Number(size) !== cache.rows.size) return this.pollFull();
    if (withTrackers) cache.trackersAt = now;
    const summaries = new Map<string, XmlRpcValue>();
    for (const [hash, summary] of (trackers ?? []) as XmlRpcValue[][]) summaries.set(String(hash), summary!);
    const seen = new Set<string>();
    for (const row of [...(started as XmlRpcValue[][]), ...(hashing as XmlRpcValue[][])]) {
      const hash = String(row[0]);
      if (seen.has(hash)) continue;
      const full = cache.rows.get(hash);
      if (!full) return this.pollFull();
      seen.add(hash);
      this.remember(hash, mergeVolatileRow(full, row, summaries.get(hash)));
    }
    // Left the started view since the last refresh: stopped (or stopped checking).
    for (const hash of cache.active) {
      const full = cache.rows.get(hash);
      if (!seen.has(hash) && full) this.remember(hash, stoppedRow(full));
    }
    cache.active = seen;
    return [...cache.torrents.values()];
  }

  private readonly pollCache = {
    rows: new Map<string, XmlRpcValue[]>(),
    torrents: new Map<string, Model.Torrent>(),
    active: new Set<string>(),
    /** Refreshes since the last full list, when the next one is due (performance.now()), when trackers were last read. */
    refreshes: 0,
    fullDueAt: 0,
    trackersAt: 0,
    /** Folders, labels, tracker lists and messages held once for all torrents. */
    shared: new SharedValues(),
  };

  private async pollFull(onPartial?: (torrents: Model.Torrent[]) => void): Promise<Model.Torrent[]> {
    const cache = this.pollCache;
    const previous = cache.rows;
    const rows = new Map<string, XmlRpcValue[]>();
    const active = new Set<string>();
    const torrents = new Map<string, Model.Torrent>();
    const take = (batch: XmlRpcValue[][]): Model.Torrent[] =>
      batch.map((row) => {
        const hash = String(row[0]);
        const before = previous.get(hash);
        const kept = cache.torrents.get(hash);
        rows.set(hash, shareRowStrings(row, cache.shared));
        // Same raw row as before: keep the very same object for the diff.
        const torrent = before && kept && sameRow(before, row) ? kept : normalizeTorrentRow(row, this.labelStyle, undefined, cache.shared);
        torrents.set(hash, torrent);
        if (row[STATE_INDEX] === 1 || row[HASHING_INDEX] !== 0) active.add(hash);
        return torrent;
      });
    const started = performance.now();
    // rTorrent before 0.9.7 has only d.multicall, which takes no target.
    const params = this.methods.has('d.multicall2') ? ['d.multicall2', '', 'main'] : ['d.multicall', 'main'];
    await this.rpc.rows(params[0]!, [...params.slice(1), ...this.listFields()], (batch) => {
      const taken = take(batch);
      onPartial?.(taken);
    });
    const now = performance.now();
    // The wall time of the read stands for what it cost rTorrent (it is mostly rTorrent writing it).
    cache.fullDueAt = now + (now - started) * FULL_LIST_COST_FACTOR;
    cache.refreshes = 0;
    cache.trackersAt = now;
    cache.rows = rows;
    cache.active = active;
    cache.torrents = torrents;
    return [...torrents.values()];
  }

  private readFullListNext(): void {
    this.pollCache.refreshes = FULL_LIST_EVERY;
    this.pollCache.fullDueAt = 0;
  }

  private remember(hash: string, row: XmlRpcValue[]): void {
    const cache = this.pollCache;
    const before = cache.rows.get(hash);
    cache.rows.set(hash, shareRowStrings(row, cache.shared));
    if (!before || !sameRow(before, row)) cache.torrents.set(hash, normalizeTorrentRow(row, this.labelStyle, undefined, cache.shared));
  }

  async details(id: string): Promise<Model.TorrentDetails> {
    await this.connect();
    // rTorrent spells info-hashes in upper case, the model in lower case.
    const hash = toHash(id).toUpperCase();
    const filtered = this.methods.has('d.multicall.filtered');
    const [rows, files, peers, trackers, chunkSize] = await this.rpc.multicallAll(
      [
        // The list's own row for this one torrent, so list and details cannot disagree.
        filtered
          ? { method: 'd.multicall.filtered', params: ['', 'main', `equal={d.hash=,cat=${hash}}`, ...this.listFields()] }
          : call('d.hash', hash),
        { method: 'f.multicall', params: [hash, '', ...FILE_FIELDS] },
        { method: 'p.multicall', params: [hash, '', ...PEER_FIELDS] },
        { method: 't.multicall', params: [hash, '', ...TRACKER_FIELDS] },
        { method: 'd.chunk_size', params: [hash] },
      ],
      (rpcCall, code, text) => this.faultFor(rpcCall, code, text, [hash]),
    );
    const torrentRow = filtered ? (rows as XmlRpcValue[][])[0] : undefined;
    const torrent = torrentRow
      ? normalizeTorrentRow(torrentRow, this.labelStyle)
      : (await this.list()).find((item) => item.id === hash.toLowerCase());
    if (!torrent) throw notFound([id]);
    return {
      torrent,
      // A magnet still fetching its info lists a "<HASH>.meta" placeholder; it has no files yet.
      files: torrent.state === 'metadata' ? [] : normalizeFiles(files as XmlRpcValue[][], Number(chunkSize)),
      peers: normalizePeers(peers as XmlRpcValue[][]),
      trackers: normalizeTrackers(trackers as XmlRpcValue[][], torrent.message),
    };
  }

  /**
   * rTorrent sends no .torrent over its RPC, but keeps a copy as <session folder>/<HASH>.torrent
   * (with its own keys added beside the info dictionary), and remembers the file a torrent was
   * loaded from (d.tied_to_file). Where it can run commands, the copy is read through base64 on
   * the box; otherwise its path is handed on to be read over SFTP.
   */
  async exportMetainfo(id: string): Promise<MetainfoExport> {
    const [hash] = await this.checkIds([id]);
    const calls: RpcCall[] = [call('session.path', ''), call('d.tied_to_file', hash!)];
    // Before 0.9.7 there is no d.is_meta: a magnet's session file then fails the parse instead.
    if (this.methods.has('d.is_meta')) calls.push(call('d.is_meta', hash!));
    const [session, tied, meta] = await this.rpc.multicallAll(calls, (rpcCall, code, text) => this.faultFor(rpcCall, code, text, [hash!]));
    const none = (why: string): SeedboxError => new SeedboxError('unsupported', `rTorrent keeps no .torrent for ${hash!.toLowerCase()} that can be read: ${why}.`, { id: hash!.toLowerCase() });
    if (meta === 1) throw none('it is still fetching its metadata');
    const candidates = [session ? posix.join(String(session), `${hash!}.torrent`) : '', String(tied)].filter((path) => path.startsWith('/'));
    if (candidates.length === 0) throw none('it has no session folder (session.path) and did not load the torrent from a file');
    if (!this.canExecute) return { from: 'box-file', path: candidates[0]! };
    const fs = new BoxFs(this.rpc);
    for (const path of candidates) {
      const bytes = await fs.readFile(path, MAX_TORRENT_FILE_BYTES);
      if (bytes) return { from: 'daemon', bytes };
    }
    throw none(`${candidates.join(' and ')} ${candidates.length === 1 ? 'is' : 'are'} not a file on the box`);
  }

  async add(source: Model.AddSource, options: Model.AddOptions = {}): Promise<string> {
    let hash: string;
    let magnetName = '';
    let load: RpcCall;
    let fileCount: number | undefined;
    if (source.kind === 'file') {
      const meta = parseTorrentFile(source.bytes, source.fileName);
      hash = meta.infoHash.toUpperCase();
      fileCount = meta.files.length;
      await this.connect();
      // load.raw takes the bytes as <base64>; base64 grows them by a third.
      const needed = Math.ceil(source.bytes.length / 3) * 4 + 1024;
      if (needed > this.requestLimit) {
        throw new SeedboxError(
          'refused',
          `${source.fileName ?? 'This torrent'} is ${Math.round(source.bytes.length / 1024)} KiB; rTorrent accepts requests up to ${Math.floor(this.requestLimit / 1024)} KiB here` +
            (this.overScgi ? ' (rTorrent 0.9.8 takes at most 2 MiB over SCGI)' : ' (raise network.xmlrpc.size_limit in its rtorrent.rc)') +
            '.',
        );
      }
      load = { method: 'load.raw', params: ['', source.bytes] };
    } else if (source.kind === 'magnet') {
      const magnet = parseMagnet(source.uri);
      hash = magnet.infoHash.toUpperCase();
      magnetName = magnet.displayName;
      load = { method: 'load.normal', params: ['', source.uri] };
    } else {
      throw new SeedboxError('unsupported', 'rTorrent cannot add a torrent from a URL itself; download the .torrent file and add that.');
    }

    await this.connect();
    if (await this.exists(hash)) {
      throw new SeedboxError('already-exists', `This torrent is already on the seedbox (${hash.toLowerCase()}).`, { id: hash.toLowerCase() });
    }
    // Labels and files to skip are checked before anything is sent, so a refused one adds nothing.
    const labels = options.labels && options.labels.length > 0 ? encodeLabels(options.labels, this.labelStyle) : undefined;
    const skip = checkSkipFiles(source, options.skipFiles, fileCount);

    // Loaded stopped and without commands: the settings below are plain typed calls, so no
    // user text is ever parsed as rTorrent command syntax.
    await this.rpc.multicallAll([load]);
    await this.waitUntilLoaded(hash, source.kind === 'magnet');

    const setup: RpcCall[] = [];
    if (options.savePath) setup.push({ method: 'd.directory.set', params: [hash, options.savePath] });
    if (labels !== undefined) setup.push({ method: 'd.custom1.set', params: [hash, labels] });
    setup.push({ method: 'd.custom.set', params: [hash, 'addtime', String(Math.floor(Date.now() / 1000))] });
    if (magnetName) setup.push({ method: 'd.custom.set', params: [hash, MAGNET_NAME_KEY, magnetName] });
    // Off while still stopped, so the first start already leaves them out.
    if (skip.length > 0) setup.push(...skip.map((index) => ({ method: 'f.priority.set', params: [`${hash}:f${index}`, PRIORITY_TO_RAW.skip!] })), call('d.update_priorities', hash));
    try {
      await this.rpc.multicallAll(setup);
    } catch (thrown) {
      // system.multicall runs every call even after one fails, so the start waits for this answer;
      // the torrent, loaded stopped and so without data, goes again.
      const removed = await this.rpc.multicallAll([call('d.erase', hash)]).then(
        () => true,
        () => false,
      );
      throw addUndone(thrown, hash.toLowerCase(), removed);
    }
    if (!options.paused) await this.rpc.multicallAll([call('d.open', hash), call('d.start', hash)]);
    return hash.toLowerCase();
  }

  async start(ids: string[]): Promise<void> {
    // d.open + d.start: a closed torrent needs opening, and d.resume would not start a stopped one.
    await this.forEach(ids, (hash) => [call('d.open', hash), call('d.start', hash)]);
  }

  async stop(ids: string[]): Promise<void> {
    await this.forEach(ids, (hash) => [call('d.stop', hash), call('d.close', hash)]);
  }

  async recheck(ids: string[]): Promise<void> {
    await this.forEach(ids, (hash) => [call('d.check_hash', hash)]);
  }

  async reannounce(ids: string[]): Promise<void> {
    await this.forEach(ids, (hash) => [call('d.tracker_announce', hash)]);
  }

  async remove(ids: string[], options: { deleteData: boolean }): Promise<void> {
    if (!options.deleteData) {
      await this.forEach(ids, (hash) => [call('d.erase', hash)]);
      return;
    }
    this.require('deleteData', 'delete data (its execute.* commands are not available)');
    await removeWithData(this.rpc, await this.checkIds(ids), this.methods.has('d.multicall2') ? 'd.multicall2' : 'd.multicall');
  }

  async move(ids: string[], targetDirectory: string): Promise<void> {
    this.require('moveStorage', 'move data (its execute.* commands are not available)');
    try {
      await moveData(this.rpc, await this.checkIds(ids), targetDirectory);
    } finally {
      this.readFullListNext(); // the save path is a static field
    }
  }

  async setLabels(ids: string[], labels: string[]): Promise<void> {
    const value = encodeLabels(labels, this.labelStyle);
    await this.forEach(ids, (hash) => [{ method: 'd.custom1.set', params: [hash, value] }]);
    this.readFullListNext(); // labels are static fields
  }

  async setFilePriority(id: string, fileIndexes: number[], priority: Model.FilePriority): Promise<void> {
    const raw = PRIORITY_TO_RAW[priority];
    if (raw === undefined) {
      throw new SeedboxError('unsupported', `rTorrent has no "${priority}" file priority; it offers skip, normal and high.`);
    }
    const [hash] = await this.checkIds([id]);
    const hasMeta = this.methods.has('d.is_meta');
    const [files, meta] = await this.rpc.multicallAll([
      { method: 'f.multicall', params: [hash!, '', 'f.size_bytes='] },
      ...(hasMeta ? [call('d.is_meta', hash!)] : []),
    ]);
    // A magnet still fetching its info has only its "<HASH>.meta" placeholder: no files yet.
    checkFileIndexes(hash!, fileIndexes, hasMeta && Number(meta) === 1 ? 0 : (files as XmlRpcValue[]).length);
    await this.rpc.multicallAll([
      ...fileIndexes.map((index) => ({ method: 'f.priority.set', params: [`${hash}:f${index}`, raw] })),
      // Without it a started torrent keeps fetching (or skipping) what it did before.
      call('d.update_priorities', hash!),
    ]);
  }

  async getGlobalSpeedLimits(): Promise<Model.SpeedLimits> {
    await this.connect();
    const [down, up] = await this.rpc.multicallAll([
      { method: 'throttle.global_down.max_rate', params: [''] },
      { method: 'throttle.global_up.max_rate', params: [''] },
    ]);
    return { downBytesPerSecond: Number(down), upBytesPerSecond: Number(up) };
  }

  async setGlobalSpeedLimits(limits: Model.SpeedLimits): Promise<void> {
    await this.connect();
    await this.rpc.multicallAll([
      { method: 'throttle.global_down.max_rate.set', params: ['', checkRate(limits.downBytesPerSecond)] },
      { method: 'throttle.global_up.max_rate.set', params: ['', checkRate(limits.upBytesPerSecond)] },
    ]);
  }

  /**
   * rTorrent limits torrents through named throttle groups. Each distinct pair of rates gets
   * its own group ("seedbox-d<KiB>-u<KiB>"); 0/0 clears the torrent's group. The group can
   * only be changed on a stopped download, so started ones are stopped and started again.
   * rTorrent applies groups only while a global limit is set (its own design).
   */
  async setTorrentSpeedLimits(ids: string[], limits: Model.SpeedLimits): Promise<void> {
    this.require('perTorrentSpeedLimits', 'limit single torrents');
    const down = Math.ceil(checkRate(limits.downBytesPerSecond) / 1024);
    const up = Math.ceil(checkRate(limits.upBytesPerSecond) / 1024);
    const group = down === 0 && up === 0 ? '' : `seedbox-d${down}-u${up}`;
    const hashes = await this.checkIds(ids);
    const states = await this.rpc.multicallAll(hashes.map((hash) => call('d.state', hash)));
    await this.rpc.multicallAll([
      ...(group
        ? [
            { method: 'throttle.down', params: ['', group, String(down)] },
            { method: 'throttle.up', params: ['', group, String(up)] },
          ]
        : []),
      ...hashes.flatMap((hash, index) => {
        const started = states[index] === 1;
        return [
          ...(started ? [call('d.stop', hash)] : []),
          { method: 'd.throttle_name.set', params: [hash, group] },
          ...(started ? [call('d.start', hash)] : []),
        ];
      }),
    ]);
  }

  async moveInQueue(_ids: string[], _move: Model.QueueMove): Promise<void> {
    throw new SeedboxError('unsupported', 'rTorrent has no download queue.');
  }

  async setAlternativeSpeed(_enabled: boolean): Promise<void> {
    throw new SeedboxError('unsupported', 'rTorrent has no alternative speed mode; set the global limits instead.');
  }

  async sessionStats(): Promise<Model.SessionStats> {
    await this.connect();
    const [down, up] = await this.rpc.multicallAll([
      { method: 'throttle.global_down.rate', params: [''] },
      { method: 'throttle.global_up.rate', params: [''] },
    ]);
    return { downRate: Number(down), upRate: Number(up), freeSpaceBytes: null, alternativeSpeedEnabled: null };
  }

  /** rTorrent pushes nothing; the poller notices changes itself. */
  subscribe(_listener: (event: Model.ClientEvent) => void): () => void {
    return () => undefined;
  }

  /** The list's fields; without d.is_meta (before 0.9.7) magnets read as ordinary torrents. */
  private listFields(): string[] {
    if (this.methods.has('d.is_meta')) return [...LIST_FIELDS];
    return LIST_FIELDS.map((field) => (field === 'd.is_meta=' ? 'cat=0' : field === NAME_FIELD ? PLAIN_NAME_FIELD : field));
  }

  /** Runs the calls for every id in one system.multicall, after checking every id exists. */
  private async forEach(ids: string[], calls: (hash: string) => RpcCall[]): Promise<void> {
    const hashes = await this.checkIds(ids);
    await this.rpc.multicallAll(hashes.flatMap(calls), (rpcCall, code, text) => this.faultFor(rpcCall, code, text, hashes));
  }

  /** One round trip that proves every id exists, so an action never half-applies. */
  private async checkIds(ids: string[]): Promise<string[]> {
    await this.connect();
    const hashes = toHashes(ids).map((hash) => hash.toUpperCase());
    const results = await this.rpc.multicall(hashes.map((hash) => call('d.hash', hash)));
    const missing = hashes.filter((_, index) => {
      const result = results[index]!;
      if (result.ok) return false;
      if (isUnknownHashFault(result.faultCode, result.faultString)) return true;
      throw faultError('d.hash', result.faultCode, result.faultString);
    });
    if (missing.length > 0) throw notFound(missing);
    return hashes;
  }

  private async exists(hash: string): Promise<boolean> {
    const [result] = await this.rpc.multicall([call('d.hash', hash)]);
    if (result!.ok) return true;
    if (isUnknownHashFault(result!.faultCode, result!.faultString)) return false;
    throw faultError('d.hash', result!.faultCode, result!.faultString);
  }

  private async waitUntilLoaded(hash: string, isMagnet: boolean): Promise<void> {
    const deadline = Date.now() + LOAD_APPEAR_TIMEOUT_MS;
    for (let delay = 1; Date.now() < deadline; delay = Math.min(delay * 2, 200)) {
      if (await this.exists(hash)) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    throw new SeedboxError(
      'rpc-fault',
      isMagnet
        ? 'rTorrent did not add the magnet link. With DHT off it needs at least one tracker (tr=) in the link; its log says more.'
        : 'rTorrent did not add the torrent; its log says why.',
      { id: hash.toLowerCase() },
    );
  }

  private faultFor(rpcCall: RpcCall, faultCode: number, faultString: string, hashes: string[]): SeedboxError {
    if (isUnknownHashFault(faultCode, faultString)) {
      const target = String(rpcCall.params[0] ?? '').split(':')[0]!;
      return notFound(hashes.includes(target) ? [target] : hashes);
    }
    return faultError(rpcCall.method, faultCode, faultString);
  }

  private require(capability: keyof Model.Capabilities, what: string): void {
    if (this.info && this.info.capabilities[capability] === false) {
      throw new SeedboxError('unsupported', `This rTorrent cannot ${what}.`);
    }
  }
}

const STATE_INDEX = LIST_FIELDS.indexOf('d.state=');
const HASHING_INDEX = LIST_FIELDS.indexOf('d.hashing=');

function sameRow(a: readonly XmlRpcValue[], b: readonly XmlRpcValue[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function call(method: string, hash: string): RpcCall {
  return { method, params: [hash] };
}
