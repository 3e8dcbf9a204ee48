// Deluge 2.x behind the TorrentClient interface, over the daemon's own TLS + rencode protocol
// (connection.ts). One long-lived connection: opened by connect() or by the first call, and
// opened again by the next call after it drops. Push events reach subscribe()'s listeners.
import { parseDaemonUrl, type DaemonAddress, type TcpSocket } from '../../../shared/daemons/address';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { redactUrl } from '../../../shared/redact-url';
import { SeedboxError } from '../../../shared/errors';
import type * as Model from '../../../shared/model';
import type { z } from 'zod';
import type { RencodeDict, RencodeValue } from '../../codecs/rencode';
import { sameTorrent } from '../../polling/diff';
import { parseMagnet } from '../../../shared/magnet';
import { parseTorrentFile } from '../../torrent/metainfo';
import type { TransportOptions } from '../../transports/types';
import { parseAnswer } from '../answers';
import { checkAbsoluteDirectory, checkFileIndexes, checkRate, checkSkipFiles, notFound, queueMethod, toHash, toHashes } from '../checks';
import type { DelugeConnectionSettings, MetainfoExport, TorrentClient } from '../types';
import { DELUGE_AUTH_LEVEL, DelugeConnection, type DelugeCall } from './connection';
import {
  hostsOfTrackers,
  limitsFromRaw,
  limitToRaw,
  normalizeEvent,
  normalizeFiles,
  normalizePeers,
  normalizeTorrent,
  normalizeTorrents,
  normalizeTrackers,
  priorityToRaw,
} from './normalize';
import { DETAIL_KEYS, EVENT_NAMES, GLOBAL_LIMIT_KEYS, LABEL_KEY, LIST_KEYS, SESSION_KEYS, type RawTorrent } from './raw';
import {
  AddedAnswer,
  DetailsAnswer,
  EVENT_ARGS,
  ExistingAnswer,
  FilePrioritiesAnswer,
  FreeSpaceAnswer,
  isWholeRow,
  LimitsAnswer,
  NamesAnswer,
  NoneAnswer,
  RemoveAnswer,
  SessionAnswer,
  TorrentsAnswer,
  TorrentsDiffAnswer,
  TrackersAnswer,
  MoveStatusAnswer,
  PathSizeAnswer,
  PieceCountAnswer,
  PluginsLocationAnswer,
} from './schemas';

/** Label plugin names (deluge_label/core.py RE_VALID): its own error text leaves out the dot it accepts. */
const LABEL_PATTERN = /^[a-z0-9_.-]+$/;
/** poll() reads the whole list (not only what changed) every this many refreshes. */
const FULL_LIST_EVERY = 20;

const QUEUE_METHODS: Record<Model.QueueMove, string> = { up: 'core.queue_up', down: 'core.queue_down', top: 'core.queue_top', bottom: 'core.queue_bottom' };

/** Deluge can choose the files' priorities as it adds a torrent. */
export interface DelugeAddOptions extends Model.AddOptions {
  /** Per file index, in the torrent's file order; files not listed stay normal. */
  filePriorities?: Model.FilePriority[];
}

/** How long a move may take before we stop following it (the data may be large, or cross disks). */
const MOVE_WAIT_MS = 10 * 60_000;

export class DelugeClient implements TorrentClient {
  private readonly address: DaemonAddress<TcpSocket>;
  private readonly transport: TransportOptions;
  private connection: DelugeConnection | undefined;
  private opening: Promise<DelugeConnection> | undefined;
  private info: Model.ClientInfo | undefined;
  private listeners = new Set<(event: Model.ClientEvent) => void>();
  /** Set on the current connection already (daemon.set_event_interest cannot be undone). */
  private eventsAsked = false;

  constructor(readonly settings: DelugeConnectionSettings) {
    this.address = parseDaemonUrl('deluge', settings.url);
    this.transport = settings.transport ?? {};
  }

  async connect(): Promise<Model.ClientInfo> {
    await this.live();
    return this.info!;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.info = undefined;
    connection?.close();
  }

  async list(): Promise<Model.Torrent[]> {
    const connection = await this.live();
    const table = await ask(connection, 'core.get_torrents_status', [{}, this.listKeys()], TorrentsAnswer);
    this.forgetHostsBut(table);
    await this.readHosts(connection, Object.entries(table));
    return normalizeTorrents(table, this.hostsOf);
  }

  /**
   * Cheap refreshes for the poller: get_torrents_status with diff=True answers, per torrent,
   * only the keys that changed since this connection's previous call, so a quiet box of
   * 10 000 torrents costs a near-empty answer. Removals are not part of a diff: a full list
   * is read on a new connection, after the daemon announced a torrent added or removed, and
   * every FULL_LIST_EVERY refreshes.
   */
  async poll(_options: { light: boolean }): Promise<Model.Torrent[]> {
    const connection = await this.live();
    // The added/removed events tell the poller when a diff cannot be trusted.
    if (!this.eventsAsked) await this.askEvents(connection);
    const cache = this.pollCache;
    const full = cache.connection !== connection || cache.setChanged || cache.refreshes++ % FULL_LIST_EVERY === 0;
    const table: Record<string, Partial<RawTorrent>> = await ask(
      connection,
      'core.get_torrents_status',
      [{}, this.listKeys(), !full],
      full ? TorrentsAnswer : TorrentsDiffAnswer,
    );
    if (full) {
      cache.raw.clear();
      cache.torrents.clear();
      cache.connection = connection;
      cache.setChanged = false;
      this.forgetHostsBut(table);
    }
    const changed: string[] = [];
    for (const hash in table) {
      const status = table[hash]!;
      const known = cache.raw.get(hash);
      if (known === undefined && !isWholeRow(status)) {
        // Only part of a torrent we never saw whole: read the whole list next time.
        cache.setChanged = true;
        continue;
      }
      if (!full && Object.keys(status).length === 0) continue;
      cache.raw.set(hash, { ...known!, ...status });
      changed.push(hash);
    }
    try {
      await this.readHosts(connection, changed.map((hash) => [hash, cache.raw.get(hash)!]));
    } catch (error) {
      // The diff already moved on past these rows: only a whole list brings them again.
      cache.setChanged = true;
      throw error;
    }
    for (const hash of changed) {
      const torrent = normalizeTorrent(cache.raw.get(hash)!, this.hostsOf(hash));
      // deluged's diffs may repeat values that did not change: keep the old object then.
      const previous = cache.torrents.get(hash);
      cache.torrents.set(hash, previous && sameTorrent(previous, torrent) ? previous : torrent);
    }
    return [...cache.torrents.values()];
  }

  private readonly pollCache = {
    connection: undefined as DelugeConnection | undefined,
    raw: new Map<string, RawTorrent>(),
    torrents: new Map<string, Model.Torrent>(),
    refreshes: 0,
    setChanged: false,
  };

  /**
   * Each torrent's tracker hosts, from its announce URLs, with the tracker_host they were read
   * under. A list row has only Deluge's own short host, and the URLs come as libtorrent's whole
   * announce entries (more than the rest of the row): they are read once per torrent, again when
   * its tracker_host changes (Deluge resets it whenever the trackers change) and on each new
   * connection.
   */
  private readonly hostCache = new Map<string, { delugeHost: string; hosts: string[] }>();

  private readonly hostsOf = (hash: string): string[] => this.hostCache.get(hash)?.hosts ?? [];

  /** Reads, in one call, the trackers of the rows whose hosts are not known for their tracker_host. */
  private async readHosts(connection: DelugeConnection, rows: [string, RawTorrent][]): Promise<void> {
    const stale = rows.filter(([hash, row]) => this.hostCache.get(hash)?.delugeHost !== row.tracker_host);
    if (stale.length === 0) return;
    const answer = await ask(connection, 'core.get_torrents_status', [{ id: stale.map(([hash]) => hash) }, ['trackers']], TrackersAnswer);
    for (const [hash, row] of stale) {
      const trackers = answer[hash]?.trackers;
      // A torrent removed in between has no answer; it leaves the list at the next refresh.
      if (trackers) this.hostCache.set(hash, { delugeHost: row.tracker_host, hosts: hostsOfTrackers(trackers) });
    }
  }

  /** Drops the hosts of torrents a whole list no longer has. */
  private forgetHostsBut(table: Record<string, unknown>): void {
    for (const hash of this.hostCache.keys()) if (!Object.hasOwn(table, hash)) this.hostCache.delete(hash);
  }

  async details(id: string): Promise<Model.TorrentDetails> {
    const hash = toHash(id);
    const connection = await this.live();
    const [rows, extra] = await this.batch(connection, [
      // The list's own row for this one torrent, so list and details cannot disagree.
      { method: 'core.get_torrents_status', args: [{ id: [hash] }, this.listKeys()] },
      { method: 'core.get_torrent_status', args: [hash, [...DETAIL_KEYS]] },
    ]);
    const row = check(connection, 'core.get_torrents_status', TorrentsAnswer, rows)[hash];
    // An unknown id answers an empty dict to both calls: not found before it is malformed.
    if (!row) throw notFound([hash]);
    const raw = check(connection, 'core.get_torrent_status', DetailsAnswer, extra);
    const hosts = hostsOfTrackers(raw.trackers);
    this.hostCache.set(hash, { delugeHost: row.tracker_host, hosts });
    const torrent = normalizeTorrent(row, hosts);
    return { torrent, files: normalizeFiles(raw), peers: normalizePeers(raw), trackers: normalizeTrackers(raw, row) };
  }

  /**
   * Deluge sends no .torrent over its RPC; it keeps one per torrent in its config folder, as
   * state/<id>.torrent. The config folder is known from plugins_location, which Deluge sets to
   * <config>/plugins and none of its interfaces changes; any other value is not guessed at.
   */
  async exportMetainfo(id: string): Promise<MetainfoExport> {
    const [hash] = await this.checkIds([id]);
    // Without metadata (a magnet still fetching it) Deluge counts no pieces and keeps no .torrent.
    const { num_pieces: pieces } = await ask(this.connection!, 'core.get_torrent_status', [hash!, ['num_pieces']], PieceCountAnswer);
    if (pieces === 0) throw new SeedboxError('unsupported', `Deluge has no .torrent for ${hash!} yet: it is still fetching its metadata.`, { id: hash! });
    const plugins = await ask(this.connection!, 'core.get_config_value', ['plugins_location'], PluginsLocationAnswer);
    const config = /^(\/.*?)\/+plugins\/*$/.exec(plugins)?.[1];
    if (config === undefined) {
      throw new SeedboxError(
        'unsupported',
        `Deluge's config folder is not known here: its plugins_location "${plugins.slice(0, 300)}" is not <config folder>/plugins, where Deluge's state/ folder would be found.`,
        { id: hash! },
      );
    }
    return { from: 'box-file', path: `${config}/state/${hash!}.torrent` };
  }

  async add(source: Model.AddSource, options: DelugeAddOptions = {}): Promise<string> {
    // Everything is checked before anything is sent, so a refused option adds nothing.
    let hash: string | undefined;
    let call: DelugeCall;
    const addOptions: RencodeDict = { add_paused: options.paused ?? false };
    if (options.savePath) addOptions['download_location'] = options.savePath;
    if (options.filePriorities && options.filePriorities.length > 0) addOptions['file_priorities'] = options.filePriorities.map(priorityToRaw);
    let fileCount: number | undefined;
    if (source.kind === 'file') {
      const meta = parseTorrentFile(source.bytes, source.fileName);
      hash = meta.infoHash.toLowerCase();
      fileCount = meta.files.length;
      if (options.filePriorities && options.filePriorities.length > meta.files.length) {
        throw new SeedboxError('invalid-argument', `The torrent has ${meta.files.length} file(s), but ${options.filePriorities.length} priorities were given.`);
      }
      const fileName = (source.fileName ?? `${hash}.torrent`).split(/[\\/]/).pop()!;
      call = { method: 'core.add_torrent_file', args: [fileName, Buffer.from(source.bytes).toString('base64'), addOptions] };
    } else if (source.kind === 'magnet') {
      hash = parseMagnet(source.uri).infoHash.toLowerCase();
      call = { method: 'core.add_torrent_magnet', args: [source.uri, addOptions] };
    } else {
      if (!/^https?:\/\/[^\s]+$/i.test(source.url)) {
        throw new SeedboxError('invalid-argument', `Deluge adds torrents from http:// or https:// URLs, not "${redactUrl(source.url)}".`);
      }
      call = { method: 'core.add_torrent_url', args: [source.url, addOptions] };
    }
    // In libtorrent's add parameters: a skipped file is never wanted, not even for a moment.
    const skip = new Set(checkSkipFiles(source, options.skipFiles, fileCount));
    if (skip.size > 0) {
      addOptions['file_priorities'] = Array.from({ length: fileCount! }, (_, index) => priorityToRaw(skip.has(index) ? 'skip' : (options.filePriorities?.[index] ?? 'normal')));
    }
    const label = this.labelFor(options.labels ?? []);
    const connection = await this.live();
    if (label !== undefined) this.requireLabels();
    if (hash !== undefined && (await this.existing(connection, [hash])).length > 0) {
      throw new SeedboxError('already-exists', `This torrent is already on the seedbox (${hash}).`, { id: hash });
    }
    const added = await ask(connection, call.method, call.args ?? [], AddedAnswer);
    if (added === null) {
      throw new SeedboxError('rpc-fault', `Deluge did not add the torrent${source.kind === 'url' ? ` from ${redactUrl(source.url)}` : ''}; its log says why.`);
    }
    const id = added.toLowerCase();
    if (label) await this.applyLabel(connection, [id], label);
    return id;
  }

  async start(ids: string[]): Promise<void> {
    // Never an empty list: Deluge reads resume_torrents([]) as "resume every torrent".
    await this.forExisting(ids, (hashes) => [{ method: 'core.resume_torrents', args: [hashes] }]);
  }

  async stop(ids: string[]): Promise<void> {
    await this.forExisting(ids, (hashes) => [{ method: 'core.pause_torrents', args: [hashes] }]);
  }

  async recheck(ids: string[]): Promise<void> {
    await this.forExisting(ids, (hashes) => [{ method: 'core.force_recheck', args: [hashes] }]);
  }

  async reannounce(ids: string[]): Promise<void> {
    await this.forExisting(ids, (hashes) => [{ method: 'core.force_reannounce', args: [hashes] }]);
  }

  async remove(ids: string[], options: { deleteData: boolean }): Promise<void> {
    const hashes = await this.checkIds(ids);
    // libtorrent deletes exactly the torrent's own files (and its folders once empty).
    const failed = await ask(this.connection!, 'core.remove_torrents', [hashes, options.deleteData], RemoveAnswer);
    if (failed.length > 0) {
      const text = failed.map((entry) => entry.join(': ')).join('; ');
      throw new SeedboxError('rpc-fault', `Deluge could not remove every torrent: ${text.slice(0, 500)}`, { ids: hashes.join(',') });
    }
  }

  /**
   * Deluge moves the data itself, in the background: the torrent reads "checking" (Moving)
   * meanwhile. Verified against deluged 2.0.3: it answers success even when it cannot create
   * the folder (and then changes nothing), and over files of the same name at the destination
   * it keeps those and points the torrent at them. So an existing destination is refused first,
   * and the move is followed until the torrent reads from the new place or Deluge says why not.
   */
  async move(ids: string[], targetDirectory: string): Promise<void> {
    const target = checkAbsoluteDirectory(targetDirectory, 'target directory').replace(/(.)[\\/]+$/, '$1');
    const hashes = await this.checkIds(ids);
    const connection = this.connection!;
    const before = await this.moveStatus(connection, hashes);
    const moving = hashes.filter((hash) => before[hash]?.save_path !== target);
    for (const hash of moving) {
      const destination = `${target}/${before[hash]?.name ?? ''}`;
      if ((await ask(connection, 'core.get_path_size', [destination], PathSizeAnswer)) !== -1) {
        throw new SeedboxError('refused', `Not moving ${hash}: ${destination} already exists on the seedbox, and Deluge would point the torrent at what is there. Nothing was changed.`, { id: hash });
      }
    }
    if (moving.length === 0) return;
    await ask(connection, 'core.move_storage', [moving, target], NoneAnswer);
    // Deluge creates the folder before it answers; when it could not, nothing was moved.
    if ((await ask(connection, 'core.get_path_size', [target], PathSizeAnswer)) === -1) {
      throw new SeedboxError('rpc-fault', `Deluge could not create ${target} (is part of that path a file?), so nothing was moved.`, { ids: moving.join(',') });
    }
    const deadline = Date.now() + MOVE_WAIT_MS;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      const now = await this.moveStatus(connection, moving);
      const failed = moving.filter((hash) => now[hash]?.state === 'Error');
      if (failed.length > 0) {
        throw new SeedboxError('rpc-fault', `Deluge could not move ${failed.join(', ')}: ${now[failed[0]!]?.message ?? ''}`.slice(0, 600), { ids: failed.join(',') });
      }
      if (moving.every((hash) => now[hash]?.save_path === target && now[hash]?.state !== 'Moving')) return;
      if (Date.now() > deadline) {
        throw new SeedboxError('timeout', `Deluge is still moving ${moving.join(', ')} to ${target} after ${MOVE_WAIT_MS / 1000} s; check it again later.`, { ids: moving.join(',') });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async moveStatus(connection: DelugeConnection, hashes: string[]): Promise<z.output<typeof MoveStatusAnswer>> {
    return ask(connection, 'core.get_torrents_status', [{ id: hashes }, ['name', 'save_path', 'state', 'message']], MoveStatusAnswer);
  }


  async setLabels(ids: string[], labels: string[]): Promise<void> {
    const label = this.labelFor(labels);
    await this.live();
    this.requireLabels();
    const hashes = await this.checkIds(ids);
    await this.applyLabel(this.connection!, hashes, label ?? '');
  }

  async setFilePriority(id: string, fileIndexes: number[], priority: Model.FilePriority): Promise<void> {
    const [hash] = await this.checkIds([id]);
    const connection = this.connection!;
    const status = await ask(connection, 'core.get_torrent_status', [hash!, ['file_priorities']], FilePrioritiesAnswer);
    const current = status.file_priorities;
    checkFileIndexes(hash!, fileIndexes, current.length);
    for (const index of fileIndexes) current[index] = priorityToRaw(priority);
    await ask(connection, 'core.set_torrent_options', [[hash!], { file_priorities: current }], NoneAnswer);
  }

  async getGlobalSpeedLimits(): Promise<Model.SpeedLimits> {
    const connection = await this.live();
    return limitsFromRaw(await ask(connection, 'core.get_config_values', [[...GLOBAL_LIMIT_KEYS]], LimitsAnswer));
  }

  async setGlobalSpeedLimits(limits: Model.SpeedLimits): Promise<void> {
    const raw = rawLimits(limits);
    const connection = await this.live();
    await ask(connection, 'core.set_config', [raw], NoneAnswer);
  }

  async setTorrentSpeedLimits(ids: string[], limits: Model.SpeedLimits): Promise<void> {
    const raw = rawLimits(limits);
    await this.forExisting(ids, (hashes) => [{ method: 'core.set_torrent_options', args: [hashes, raw] }]);
  }

  async moveInQueue(ids: string[], move: Model.QueueMove): Promise<void> {
    const method = queueMethod(QUEUE_METHODS, move);
    await this.forExisting(ids, (hashes) => [{ method, args: [hashes] }]);
  }

  async setAlternativeSpeed(_enabled: boolean): Promise<void> {
    throw new SeedboxError('unsupported', 'Deluge has no alternative speed mode (only through its Scheduler plugin); set the global limits instead.');
  }

  async sessionStats(): Promise<Model.SessionStats> {
    const connection = await this.live();
    const [rates, free] = await this.batch(connection, [
      { method: 'core.get_session_status', args: [[...SESSION_KEYS]] },
      // Without a path: the default download location. -1 when Deluge cannot tell.
      { method: 'core.get_free_space', args: [] },
    ]);
    const table = check(connection, 'core.get_session_status', SessionAnswer, rates);
    const freeBytes = check(connection, 'core.get_free_space', FreeSpaceAnswer, free);
    return {
      downRate: Math.round(table.payload_download_rate),
      upRate: Math.round(table.payload_upload_rate),
      freeSpaceBytes: freeBytes >= 0 ? freeBytes : null,
      alternativeSpeedEnabled: null,
    };
  }

  subscribe(listener: (event: Model.ClientEvent) => void): () => void {
    this.listeners.add(listener);
    // Ask the open connection now; later connections ask as they open.
    const connection = this.connection;
    if (connection && !connection.closed && !this.eventsAsked) void this.askEvents(connection).catch(() => undefined);
    return () => this.listeners.delete(listener);
  }

  // -------------------------------------------------------------------------------------------

  /** The open, logged-in connection: the current one, or a new one after a drop. */
  private async live(): Promise<DelugeConnection> {
    if (this.connection && !this.connection.closed) return this.connection;
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(): Promise<DelugeConnection> {
    const connection = await DelugeConnection.open({ host: this.address.socket.host, port: this.address.socket.port, ...this.transport });
    try {
      const version = await connection.info();
      const username = this.settings.username ?? this.address.username;
      const password = this.settings.password ?? this.address.password;
      if (!username) {
        throw new SeedboxError('auth-failed', 'The Deluge daemon needs a user name and password (from its auth file).');
      }
      const level = await connection.login(username, password ?? '');
      // A read-only account (level 1) may call almost nothing in Deluge 2.0, plugin lists included.
      const plugins = level >= DELUGE_AUTH_LEVEL.normal ? await ask(connection, 'core.get_enabled_plugins', [], NamesAnswer) : [];
      const labels = plugins.includes('Label');
      this.info = { kind: 'deluge', version, protocol: 'rencode', capabilities: capabilities(labels) };
      this.eventsAsked = false;
      // Trackers changed meanwhile without changing tracker_host are read again.
      this.hostCache.clear();
      connection.onEvent((name, args) => {
        // Events we did not ask for are not read; one we did, malformed, ends the connection.
        if (!Object.hasOwn(EVENT_ARGS, name)) return;
        try {
          check(connection, name, EVENT_ARGS[name as keyof typeof EVENT_ARGS], args);
        } catch (error) {
          connection.close(error as SeedboxError);
          return;
        }
        // A torrent came or went: the poller's next refresh reads the whole list.
        if (name === 'TorrentAddedEvent' || name === 'TorrentRemovedEvent') this.pollCache.setChanged = true;
        this.emit(normalizeEvent(name, args));
      });
      connection.onClose((reason) => {
        if (this.connection !== connection) return;
        this.emit({ type: 'disconnected', reason: reason.message });
      });
      if (this.listeners.size > 0) await this.askEvents(connection);
      this.connection = connection;
      return connection;
    } catch (error) {
      connection.close();
      throw error;
    }
  }

  private async askEvents(connection: DelugeConnection): Promise<void> {
    this.eventsAsked = true;
    await connection.setEventInterest([...EVENT_NAMES]);
  }

  private emit(event: Model.ClientEvent | undefined): void {
    if (!event) return;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One listener's bug must not stop the others.
      }
    }
  }

  private listKeys(): string[] {
    return this.info?.capabilities.labels ? [...LIST_KEYS, LABEL_KEY] : [...LIST_KEYS];
  }

  /** Runs calls in one frame; the first failure is thrown. */
  private async batch(connection: DelugeConnection, calls: DelugeCall[]): Promise<RencodeValue[]> {
    const results = await connection.callBatch(calls);
    return results.map((result) => {
      if (!result.ok) throw result.error;
      return result.value;
    });
  }

  /** The ids that exist, in one round trip. */
  private async existing(connection: DelugeConnection, hashes: string[]): Promise<string[]> {
    const rows = await ask(connection, 'core.get_torrents_status', [{ id: hashes }, ['hash']], ExistingAnswer);
    const found = new Set(Object.keys(rows));
    return hashes.filter((hash) => found.has(hash));
  }

  /** Proves every id exists before anything changes; throws 'not-found' naming the missing ones. */
  private async checkIds(ids: string[]): Promise<string[]> {
    const hashes = toHashes(ids);
    const found = new Set(await this.existing(await this.live(), hashes));
    const missing = hashes.filter((hash) => !found.has(hash));
    if (missing.length > 0) throw notFound(missing);
    return hashes;
  }

  /** Runs calls that answer None (the torrent actions) on ids proven to exist. */
  private async forExisting(ids: string[], calls: (hashes: string[]) => DelugeCall[]): Promise<void> {
    const hashes = await this.checkIds(ids);
    const connection = this.connection!;
    const batch = calls(hashes);
    const answers = await this.batch(connection, batch);
    answers.forEach((answer, index) => check(connection, batch[index]!.method, NoneAnswer, answer));
  }

  /** One label or none; undefined for none. Deluge's rule is checked here, before anything is sent. */
  private labelFor(labels: string[]): string | undefined {
    const names = labels.map((label) => label.trim()).filter(Boolean);
    if (names.length > 1) {
      throw new SeedboxError('invalid-argument', `Deluge gives a torrent one label, not ${names.length} (${names.join(', ').slice(0, 200)}).`);
    }
    const [name] = names;
    if (name !== undefined && !LABEL_PATTERN.test(name)) {
      throw new SeedboxError(
        'invalid-argument',
        `Deluge label names use only lowercase letters, digits, "_", "-" and "."; "${name.slice(0, 80)}" does not${/[A-Z]/.test(name) && LABEL_PATTERN.test(name.toLowerCase()) ? ` (try "${name.toLowerCase()}")` : ''}.`,
      );
    }
    return name;
  }

  private requireLabels(): void {
    if (!this.info?.capabilities.labels) {
      throw new SeedboxError('unsupported', "This Deluge daemon has no labels: enable its Label plugin (Preferences → Plugins) to use them.");
    }
  }

  /** Creates the label when it is new, then sets it ('' clears). */
  private async applyLabel(connection: DelugeConnection, hashes: string[], label: string): Promise<void> {
    if (label !== '') {
      const known = await ask(connection, 'label.get_labels', [], NamesAnswer);
      if (!known.includes(label)) {
        try {
          await ask(connection, 'label.add', [label], NoneAnswer);
        } catch (error) {
          // Another client may have created it in the meantime.
          if (!/already exists/i.test((error as Error).message)) throw error;
        }
      }
    }
    const answers = await this.batch(
      connection,
      hashes.map((hash) => ({ method: 'label.set_torrent', args: [hash, label] })),
    );
    for (const answer of answers) check(connection, 'label.set_torrent', NoneAnswer, answer);
  }
}

/** One call, its answer checked against `schema`. */
async function ask<S extends z.ZodType>(connection: DelugeConnection, method: string, args: RencodeValue[], schema: S): Promise<z.output<S>> {
  return check(connection, method, schema, await connection.call(method, args));
}

/** An answer (or an event's arguments) checked against `schema`: a 'protocol' error naming the field if it does not fit. */
function check<S extends z.ZodType>(connection: DelugeConnection, method: string, schema: S, value: unknown): z.output<S> {
  return parseAnswer(schema, value, { source: connection.description, call: method });
}

function capabilities(labels: boolean): Model.Capabilities {
  return { ...DAEMONS.deluge.capabilities, labels };
}

function rawLimits(limits: Model.SpeedLimits): RencodeDict {
  return { max_download_speed: limitToRaw(checkRate(limits.downBytesPerSecond)), max_upload_speed: limitToRaw(checkRate(limits.upBytesPerSecond)) };
}
