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
   * `light` (window hidden) may skip what only the window shows, never state or progress.
   * Clients without it are polled with list().
   */
  poll?(options: { light: boolean }): Promise<Torrent[]>;
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
