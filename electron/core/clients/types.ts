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
   * The current list as cheaply as the daemon allows, for the poller: a client keeps what it
   * learned and asks only for what may have changed (rTorrent's started view with static
   * fields cached, qBittorrent's sync rid, Transmission's recently-active, Deluge's diffs).
   * A client that knows what changed returns PollChanges, and the poller diffs only those; one
   * that does not returns the whole list, which the poller diffs against the last one.
   * `light` (window hidden) may skip what only the window shows, never state or progress.
   * Clients without it are polled with list().
   */
  poll?(options: { light: boolean }): Promise<Torrent[] | PollChanges>;
  details(id: string): Promise<TorrentDetails>;

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

/**
 * What changed since the previous poll() of this client object. The first poll() (and the
 * first after close() or a failed poll()) is `full`: the poller cannot know what the client
 * knew before, so it gets the whole list and diffs it once.
 */
export interface PollChanges {
  /** `changed` is the whole list: any torrent not in it is gone. */
  full: boolean;
  /** Torrents new or changed since the previous poll(), whole (the poller finds the fields). */
  changed: Torrent[];
  /** Ids gone since the previous poll() (ignored when `full`). */
  removed: string[];
}
