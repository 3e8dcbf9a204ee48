// The few SFTP calls the fetch engine makes, as promises with SeedboxErrors that name the
// remote path; plus the per-box path mapping from what the daemon reports to what SFTP sees.
import { posix } from 'node:path';
import type { SFTPWrapper, Stats } from 'ssh2';
import { SeedboxError } from '../../shared/errors';
import type { SftpPathMapping } from '../../shared/seedbox';

export type { SftpPathMapping };

/** SSH_FX_* status codes (draft-ietf-secsh-filexfer-02 §7). */
const SFTP_EOF = 1;
const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;

/**
 * Where the daemon's path is over SFTP: the longest mapping whose daemon prefix holds the path
 * (by whole components), else the path itself (the usual case: the same account and root).
 */
export function toSftpPath(daemonPath: string, mappings: readonly SftpPathMapping[]): string {
  const path = posix.normalize(daemonPath);
  let best: SftpPathMapping | undefined;
  for (const mapping of mappings) {
    const prefix = posix.normalize(mapping.daemon).replace(/\/+$/, '') || '/';
    const inside = path === prefix || path.startsWith(prefix === '/' ? '/' : `${prefix}/`);
    if (inside && (!best || prefix.length > posix.normalize(best.daemon).replace(/\/+$/, '').length)) best = mapping;
  }
  if (!best) return path;
  const prefix = posix.normalize(best.daemon).replace(/\/+$/, '') || '/';
  return posix.join(best.sftp, path.slice(prefix.length));
}

type SftpError = Error & { code?: number | string };

export function toRemoteError(error: unknown, path: string): SeedboxError {
  if (error instanceof SeedboxError) return error;
  const problem = error as SftpError;
  switch (problem.code) {
    case SFTP_NO_SUCH_FILE:
      return new SeedboxError('not-found', `${path} does not exist on the box (check the path mapping).`, { path });
    case SFTP_PERMISSION_DENIED:
      return new SeedboxError('forbidden', `The SSH user may not read ${path} on the box.`, { path });
    default:
      return new SeedboxError('connection-lost', `Reading ${path} over SFTP failed: ${problem.message}.`, { path }, { cause: error });
  }
}

/**
 * Whether each SFTP session has closed, and who waits on it: ssh2 drops a request made on a
 * closed channel without ever calling back, so every call here fails fast on a closed session
 * and every pending one fails when it closes.
 */
const sessions = new WeakMap<SFTPWrapper, { closed: boolean; waiters: Set<() => void> }>();

function sessionOf(sftp: SFTPWrapper): { closed: boolean; waiters: Set<() => void> } {
  let session = sessions.get(sftp);
  if (!session) {
    const state = { closed: false, waiters: new Set<() => void>() };
    const closed = (): void => {
      state.closed = true;
      for (const waiter of [...state.waiters]) waiter();
      state.waiters.clear();
    };
    sftp.once('close', closed);
    sftp.once('end', closed);
    sessions.set(sftp, (session = state));
  }
  return session;
}

/** Runs one SFTP call; rejects with 'connection-lost' if the session is or becomes closed first. */
function call<T>(sftp: SFTPWrapper, path: string, start: (done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  const session = sessionOf(sftp);
  return new Promise<T>((resolve, reject) => {
    const lost = (): void =>
      reject(new SeedboxError('connection-lost', `The SFTP session closed while reading ${path}.`, { path }));
    if (session.closed) {
      lost();
      return;
    }
    session.waiters.add(lost);
    try {
      start((error, value) => {
        session.waiters.delete(lost);
        if (error) reject(error);
        else resolve(value);
      });
    } catch (error) {
      session.waiters.delete(lost);
      reject(toRemoteError(error, path));
    }
  });
}

export function remoteStat(sftp: SFTPWrapper, path: string): Promise<Stats> {
  return call<Stats>(sftp, path, (done) => sftp.stat(path, done)).catch((error: unknown) => {
    throw toRemoteError(error, path);
  });
}

export class RemoteFile {
  private constructor(
    private readonly sftp: SFTPWrapper,
    private readonly handle: Buffer,
    readonly path: string,
  ) {}

  static async open(sftp: SFTPWrapper, path: string): Promise<RemoteFile> {
    try {
      return new RemoteFile(sftp, await call<Buffer>(sftp, path, (done) => sftp.open(path, 'r', done)), path);
    } catch (error) {
      throw toRemoteError(error, path);
    }
  }

  async size(): Promise<number> {
    try {
      return (await call<Stats>(this.sftp, this.path, (done) => this.sftp.fstat(this.handle, done))).size;
    } catch (error) {
      throw toRemoteError(error, this.path);
    }
  }

  /**
   * Exactly `length` bytes at `position` (a server may answer a read with fewer bytes than
   * asked; the rest is asked again). Fails when the file ends first: it shrank on the box.
   * `into` (at least `length` bytes) is filled instead of a new buffer.
   */
  async readExactly(position: number, length: number, into?: Buffer): Promise<Buffer> {
    const buffer = into ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const got = await call<number>(this.sftp, this.path, (done) =>
        this.sftp.read(this.handle, buffer, filled, length - filled, position + filled, (error, bytesRead) =>
          error && (error as SftpError).code === SFTP_EOF ? done(undefined, 0) : done(error, bytesRead),
        ),
      ).catch((error: unknown) => {
        throw toRemoteError(error, this.path);
      });
      if (got === 0) {
        throw new SeedboxError('refused', `${this.path} on the box ended at ${position + filled} bytes: it changed while being fetched.`, {
          path: this.path,
          reason: 'remote-file-changed',
        });
      }
      filled += got;
    }
    return buffer;
  }

  /** Never fails: a handle of a closed session is gone with it. */
  close(): Promise<void> {
    return call<void>(this.sftp, this.path, (done) => this.sftp.close(this.handle, (error) => done(error, undefined))).catch(() => undefined);
  }
}
