import { SeedboxError, toSeedboxError, type ErrorCode } from '../../shared/errors';
import type { ClientInfo } from '../../shared/model';
import type { SeedboxStatus } from '../../shared/contract';
import type { TorrentClient } from '../clients/types';
import type { SFTPWrapper } from 'ssh2';
import type { SftpPathMapping } from '../../shared/seedbox';
import type { SftpConnection } from '../fetch/fetch-torrent';

/** A connected client and whatever carries it (an SSH tunnel), closed together. */
export interface OpenConnection {
  client: TorrentClient;
  /** With SSH settings: an SFTP session on the same pinned SSH connection, for fetching files. */
  openSftp?: () => Promise<SFTPWrapper>;
  /** With SSH settings: an SFTP session on a new SSH connection of its own (a large file's reads are spread over several). */
  openSftpConnection?: () => Promise<SftpConnection>;
  /** Where the daemon's paths are over that SFTP (the box's setting). */
  sftpPathMapping?: readonly SftpPathMapping[];
  close(): Promise<void>;
}

export interface SessionOptions {
  seedboxId: string;
  /** Opens a fresh connection: reads secrets now, opens a tunnel if configured, connects. */
  open(): Promise<OpenConnection>;
  /** Backoff: first retry after `baseDelayMs`, doubling up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  random?: () => number;
}

/** Failures that retrying cannot fix: the user must act (password, pin, settings). */
const NEEDS_THE_USER: ReadonlySet<ErrorCode> = new Set([
  'auth-failed',
  'forbidden',
  'tls-untrusted',
  'tls-pin-mismatch',
  'invalid-argument',
  'unsupported',
  'refused',
]);

/** Failures that mean the connection itself is gone, so the box is down until it reconnects. */
const CONNECTION_LOST: ReadonlySet<ErrorCode> = new Set(['connection-refused', 'connection-lost', 'host-unreachable', 'timeout', 'tls-failed']);

type State = SeedboxStatus['state'];

/**
 * One seedbox's live connection: connecting, connected, reconnecting (exponential backoff with
 * jitter, the next attempt time published), failed (a reason only the user can fix). Calls
 * made while the box is down fail at once with 'unavailable'; a call that fails because the
 * connection broke is reported as it failed, never retried behind the caller's back.
 */
export class SeedboxSession {
  private state: State = 'disconnected';
  private connection: OpenConnection | undefined;
  private info: ClientInfo | null = null;
  private error: SeedboxError | null = null;
  private nextAttemptAt: number | null = null;
  private offlineSince: number | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private readonly listeners = new Set<(status: SeedboxStatus) => void>();
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  get status(): SeedboxStatus {
    return {
      seedboxId: this.options.seedboxId,
      state: this.state,
      nextAttemptAt: this.nextAttemptAt,
      offlineSince: this.offlineSince,
      error: this.error ? this.error.toJSON() : null,
      info: this.info,
    };
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  onStatus(listener: (status: SeedboxStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts connecting (again). Also the user's "retry" after a failure. */
  async start(): Promise<void> {
    this.stopped = false;
    this.attempt = 0;
    clearTimeout(this.timer);
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.dropConnection();
    this.setState('disconnected', null);
  }

  /** Runs one request on the connected client. */
  async run<T>(action: (client: TorrentClient) => Promise<T>): Promise<T> {
    const connection = this.connection;
    if (!connection || this.state !== 'connected') throw this.unavailable();
    try {
      return await action(connection.client);
    } catch (thrown) {
      const error = toSeedboxError(thrown);
      if (CONNECTION_LOST.has(error.code) && this.connection === connection) this.lost(error);
      throw error;
    }
  }

  /** An SFTP session on the connected box's SSH connection (its tunnel), for fetching files. */
  async openSftp(): Promise<SFTPWrapper> {
    const connection = this.connection;
    if (!connection || this.state !== 'connected') throw this.unavailable();
    if (!connection.openSftp) {
      throw new SeedboxError('unsupported', 'Fetching reads the files over SFTP, with the seedbox\'s SSH settings: this seedbox has none (set them up in the editor, or with seedbox boxes edit NAME --ssh USER@HOST).', {
        seedboxId: this.options.seedboxId,
      });
    }
    return connection.openSftp();
  }

  /** One more SFTP session on its own SSH connection to the connected box, or undefined without SSH settings. */
  sftpConnectionOpener(): (() => Promise<SftpConnection>) | undefined {
    return this.connection?.openSftpConnection;
  }

  /**
   * How the last refresh of a connected box went: a bad answer (a protocol error, a fault)
   * leaves the connection up, so the box stays connected and its status carries the error
   * until a refresh succeeds again. Connection failures are handled by run() already.
   */
  reportRefresh(error: SeedboxError | null): void {
    if (this.state !== 'connected') return;
    if ((this.error?.message ?? null) === (error?.message ?? null)) return;
    this.setState('connected', error);
  }

  private unavailable(): SeedboxError {
    // No countdown figure in the text: a message outlives its moment (a toast, a details pane),
    // and the window shows the one live countdown from the status's nextAttemptAt.
    const why = this.error ? `: ${this.error.message}` : '';
    const what = this.state === 'connecting' ? 'still connecting' : this.state === 'failed' ? 'not connected' : this.state;
    return new SeedboxError('unavailable', `This seedbox is ${what}${why}`, { seedboxId: this.options.seedboxId, state: this.state });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    // While an attempt runs there is no "next attempt" time to show.
    this.nextAttemptAt = null;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', this.error);
    let connection: OpenConnection | undefined;
    try {
      connection = await this.options.open();
      const info = await connection.client.connect();
      if (this.stopped) {
        await connection.close();
        return;
      }
      this.connection = connection;
      this.info = info;
      this.attempt = 0;
      this.nextAttemptAt = null;
      this.setState('connected', null);
    } catch (thrown) {
      await connection?.close().catch(() => undefined);
      const error = toSeedboxError(thrown);
      if (NEEDS_THE_USER.has(error.code)) {
        this.nextAttemptAt = null;
        this.setState('failed', error);
      } else {
        this.scheduleReconnect(error);
      }
    }
  }

  private lost(error: SeedboxError): void {
    void this.dropConnection();
    this.attempt = 0;
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(error: SeedboxError): void {
    if (this.stopped) return;
    const base = this.options.baseDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 60_000;
    // Full jitter on the upper half, so many boxes that dropped together do not return together.
    const ceiling = Math.min(max, base * 2 ** this.attempt);
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    this.attempt++;
    this.nextAttemptAt = this.now() + delay;
    this.setState('reconnecting', error);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.info = null;
    await connection?.close().catch(() => undefined);
  }

  private setState(state: State, error: SeedboxError | null): void {
    this.state = state;
    this.error = error;
    if (state !== 'reconnecting') this.nextAttemptAt = null;
    // Offline from the first failure until connected again; a retry under way does not reset it.
    if (state === 'connected' || state === 'disconnected') this.offlineSince = null;
    else if (state === 'failed' || (state === 'reconnecting' && error !== null)) this.offlineSince ??= this.now();
    const status = this.status;
    for (const listener of this.listeners) listener(status);
  }
}
