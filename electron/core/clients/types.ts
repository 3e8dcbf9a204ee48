import type {
  AddOptions,
  AddSource,
  ClientEvent,
  ClientInfo,
  FilePriority,
  QueueMove,
  SessionStats,
  SpeedLimits,
  Torrent,
  TorrentDetails,
} from '../../shared/model';
import type { LabelStyle } from '../../shared/seedbox';
import type { TransportOptions } from '../transports/types';

// Client-facing types live here, apart from the factory, so a client never imports the module
// that imports every client.

/**
 * How a client reaches its daemon: whole-call deadline, the connector (proxy, SSH tunnel) and
 * TLS verification, handed to the transport as they are.
 */
export type ClientTransport = Pick<TransportOptions, 'timeoutMs' | 'connector' | 'tls'>;

/** What every daemon needs; the seedbox registry stores all but the secrets. */
interface CommonConnectionSettings {
  url: string;
  username?: string;
  password?: string;
  transport?: ClientTransport;
}

export interface RtorrentConnectionSettings extends CommonConnectionSettings {
  kind: 'rtorrent';
  /** How labels are stored in d.custom1 ('rutorrent' when left out). */
  labelStyle?: LabelStyle;
}

export interface DelugeConnectionSettings extends CommonConnectionSettings {
  kind: 'deluge';
}

export interface QbittorrentConnectionSettings extends CommonConnectionSettings {
  kind: 'qbittorrent';
}

export interface TransmissionConnectionSettings extends CommonConnectionSettings {
  kind: 'transmission';
}

/** Everything needed to reach one daemon; options only one daemon has sit on its own variant. */
export type ConnectionSettings =
  | RtorrentConnectionSettings
  | DelugeConnectionSettings
  | QbittorrentConnectionSettings
  | TransmissionConnectionSettings;

/**
 * One interface in front of every daemon. Raw wire types stay inside clients/<daemon>/;
 * what comes out of here is the normalized model. Every method that takes ids throws
 * SeedboxError('not-found') naming the unknown id(s) and changes nothing when any id is
 * unknown.
 */
export interface TorrentClient {
  /** Connects (and logs in) once; later calls reuse what it learned (version, methods). */
  connect(): Promise<ClientInfo>;
  close(): Promise<void>;

  list(): Promise<Torrent[]>;
  /**
   * Reads the trackers of these torrents now and returns them as list() shows them from then on,
   * for a client whose list() leaves tracker verdicts and swarm counts unknown until it has looked
   * (qBittorrent: maindata has none, and a new client looks at a few torrents per refresh). The
   * rules engine asks it before planning a rule that reads them. Clients whose list() carries
   * them have no such method. Ids no longer on the box are left out.
   */
  readTrackers?(ids: readonly string[]): Promise<Torrent[]>;
  /**
   * The current list as cheaply as the daemon allows, for the poller: a client keeps what it
   * learned and asks only for what may have changed (rTorrent's started view with static
   * fields cached, qBittorrent's sync rid, Transmission's recently-active, Deluge's diffs).
   * A client that knows what changed returns PollChanges, and the poller diffs only those; one
   * that does not returns the whole list, which the poller diffs against the last one.
   * `light` (window hidden) may skip what only the window shows, never state or progress.
   * Clients without it are polled with list().
   */
  poll?(options: PollOptions): Promise<Torrent[] | PollChanges>;
  details(id: string): Promise<TorrentDetails>;
  /**
   * Where the torrent's own .torrent can be had, for checking fetched data against its piece
   * hashes. Not trusted as it comes: core/fetch/metainfo.ts parses it and compares its
   * info-hash with the id. Throws 'unsupported' (saying why) when the daemon keeps none that
   * can be reached: a magnet still fetching its metadata, an old qBittorrent, an rTorrent with
   * no session folder.
   */
  exportMetainfo(id: string): Promise<MetainfoExport>;

  /** Returns the new torrent's id. */
  add(source: AddSource, options?: AddOptions): Promise<string>;

  start(ids: string[]): Promise<void>;
  stop(ids: string[]): Promise<void>;
  recheck(ids: string[]): Promise<void>;
  reannounce(ids: string[]): Promise<void>;
  remove(ids: string[], options: { deleteData: boolean }): Promise<void>;
  move(ids: string[], targetDirectory: string): Promise<void>;

  setLabels(ids: string[], labels: string[]): Promise<void>;
  setFilePriority(id: string, fileIndexes: number[], priority: FilePriority): Promise<void>;

  getGlobalSpeedLimits(): Promise<SpeedLimits>;
  setGlobalSpeedLimits(limits: SpeedLimits): Promise<void>;
  setTorrentSpeedLimits(ids: string[], limits: SpeedLimits): Promise<void>;

  /** Capability `queue`; otherwise throws 'unsupported'. */
  moveInQueue(ids: string[], move: QueueMove): Promise<void>;
  /** Capability `alternativeSpeed`; otherwise throws 'unsupported'. */
  setAlternativeSpeed(enabled: boolean): Promise<void>;
  sessionStats(): Promise<SessionStats>;

  /**
   * Daemon events (capability `pushEvents`); returns the unsubscribe function. Clients without
   * events never call the listener. Subscriptions survive reconnects of the client.
   */
  subscribe(listener: (event: ClientEvent) => void): () => void;
}

/** A torrent's .torrent as its daemon gives it (exportMetainfo), not yet checked. */
export type MetainfoExport =
  /** The bytes, through the daemon's own API. */
  | { from: 'daemon'; bytes: Uint8Array }
  /** A file on the box, by the daemon's path: read over SFTP (through the box's path mapping). */
  | { from: 'box-file'; path: string };

/**
 * What changed since the previous poll() of this client object. The first poll() (and the
 * first after close() or a failed poll()) is `full`: the poller cannot know what the client
 * knew before, so it gets the whole list and diffs it once.
 */
export interface PollOptions {
  light: boolean;
  /**
   * The first torrents of a whole list, handed over in order while the rest is still being
   * read (a client may call it, or not); the result then holds these very objects. If the
   * poll fails, what was handed over is no list.
   */
  onPartial?: (torrents: Torrent[]) => void;
}

export interface PollChanges {
  /** `changed` is the whole list: any torrent not in it is gone. */
  full: boolean;
  /** Torrents new or changed since the previous poll(), whole (the poller finds the fields). */
  changed: Torrent[];
  /** Ids gone since the previous poll() (ignored when `full`). */
  removed: string[];
}
