// Fetches a torrent's files (or chosen ones) from the box over SFTP into a local folder:
//
// 1. plan: remote paths from the daemon's save path through the box's path mapping, local
//    paths through the sanitizer, existing files (identical -> skip; otherwise refuse or keep
//    both), free space for what is left to fetch; nothing is written before all of it passes;
// 2. transfer: each file into `<name>.part`, resuming from what a `.part` already holds;
// 3. verify: the size always; with the .torrent, every piece touching a fetched file against
//    its SHA-1 (bytes of files not fetched are read from the box), a bad piece fetched again
//    once, then reported;
// 4. name: a verified `.part` takes its final name only if that name is still free.
import { createHash } from 'node:crypto';
import { stat, type FileHandle } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { SeedboxError, toSeedboxError, type ErrorCode } from '../../shared/errors';
import type { TorrentFile } from '../../shared/model';
import type { BandwidthLimit } from './bandwidth';
import { claimFinalName, ensureFolders, freeBytes, lstatOrNothing, openForReading, openPartFile, toLocalError } from './local-files';
import { pieceHash, piecesOfFile, readPieceLayout, segmentsOfPiece, type PieceLayout } from './pieces';
import { RemoteFile, remoteStat, toSftpPath, type SftpPathMapping } from './remote';
import { collisionKey, keepBothName, printable, safeComponent, safeRelativePath } from './safe-names';
import { copyRange, type SharedReads } from './transfer';

export type OnExisting = 'refuse' | 'keep-both';

export interface FetchTorrentRequest {
  /** The torrent's name and save path as the daemon reports them (details().torrent). */
  name: string;
  savePath: string;
  /** All the torrent's files, as details() lists them. */
  files: readonly Pick<TorrentFile, 'index' | 'path' | 'sizeBytes'>[];
  /** The files to fetch, by index; all when absent. */
  fileIndexes?: readonly number[] | undefined;
  /** The .torrent's bytes, for piece verification; size only without it. */
  metainfo?: Uint8Array | undefined;
  /** Why there is no metainfo (metainfo.ts), handed on to the report. */
  metainfoUnavailable?: MetainfoUnavailable | undefined;
  /** An existing local folder. */
  destination: string;
  pathMapping?: readonly SftpPathMapping[] | undefined;
  onExisting?: OnExisting | undefined;
}

export interface MetainfoUnavailable {
  code: ErrorCode;
  message: string;
}

export interface FetchProgress {
  doneBytes: number;
  totalBytes: number;
  /** Over the last few seconds. */
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface FetchOptions {
  signal?: AbortSignal | undefined;
  bandwidth?: BandwidthLimit | undefined;
  onProgress?: ((progress: FetchProgress) => void) | undefined;
  /** SFTP reads in flight per file. */
  parallelReads?: number | undefined;
  chunkBytes?: number | undefined;
  /** Files transferred at once (many small files are bound by round trips, not bytes). */
  filesAtOnce?: number | undefined;
  /** A `.part` starts going to the disk every this many bytes while it is fetched (transfer.ts); 0: only at its end. */
  flushEveryBytes?: number | undefined;
  /** Opens an SFTP session on a new SSH connection to the same box; without it one session does all. */
  openConnection?: (() => Promise<SftpConnection>) | undefined;
  /** SSH connections one large file's reads are spread over, the given session's included. */
  connectionsPerLargeFile?: number | undefined;
  /** From this size on, a file is large. */
  largeFileBytes?: number | undefined;
  /**
   * Extra connections open only when the box's round trip is at least this long (see
   * WINDOW_BOUND_ROUND_TRIP_MS); 0 opens them whatever the round trip.
   */
  extraConnectionsFromRoundTripMs?: number | undefined;
}

/** One more SFTP session on its own SSH connection, closed with it. */
export interface SftpConnection {
  sftp: SFTPWrapper;
  close(): Promise<void>;
}

export type FileOutcome = 'fetched' | 'identical' | 'exists' | 'failed';

export interface FetchedFile {
  index: number;
  /** The path in the torrent, as the daemon reports it. */
  path: string;
  localPath: string;
  sizeBytes: number;
  outcome: FileOutcome;
  /** Bytes a `.part` already held when this fetch began. */
  resumedFromBytes: number;
  error?: { code: string; message: string } | undefined;
}

export interface FetchReport {
  files: FetchedFile[];
  /** Bytes read over SFTP by this run, re-fetched pieces included. */
  transferredBytes: number;
  verifiedBy: 'pieces' | 'size';
  /** Pieces checked against the torrent's hashes in this run (0 when verified by size). */
  checkedPieces: number;
  /** With verifiedBy 'size': why the .torrent was not at hand, when it was looked for. */
  metainfoUnavailable?: MetainfoUnavailable | undefined;
  /** Pieces that were wrong after the transfer (fetched again once). */
  repairedPieces: number[];
  /** Pieces still wrong after fetching them again: their files failed. */
  badPieces: number[];
  /** SSH connections used for the largest file (more were asked for when extraConnectionsFailed is set). */
  connections: number;
  /** Why the extra connections for large files could not be opened (the fetch went on with fewer). */
  extraConnectionsFailed?: { code: string; message: string } | undefined;
}

// Many files at once hide the round trips each small file costs (open, fstat, close...); the
// reads in flight across them stay within what 8 large files would hold (16 MiB). 16 reads of
// 128 KiB beat 32 of 64 KiB on a 1 GiB file (fewer callbacks and writes for the same memory).
// A large file's reads go over 3 SSH connections: one connection is bound by the CPU of one
// ssh2 parser and one sshd process (BENCHMARKS.md: 1 GiB at 0.5-0.8 of OpenSSH's sftp with one,
// 0.9-1.3 with three); lftp's segmented `pget` does the same against seedboxes.
/**
 * One SSH channel carries at most its window per round trip, and ssh2's window is a fixed 2 MiB:
 * at 5 ms that is 400 MiB/s, more than one core decrypts, so below it a second login only adds a
 * cipher and an sshd competing for the same cores (measured on loopback: 1 connection 0.84 of
 * OpenSSH's sftp, 3 connections 0.71). Over a distant box (tens of ms) the window is the limit,
 * and more connections multiply it, as lftp's segmented get does.
 */
const WINDOW_BOUND_ROUND_TRIP_MS = 5;
const DEFAULTS = {
  parallelReads: 16,
  chunkBytes: 128 * 1024,
  filesAtOnce: 32,
  readsAcrossFiles: 8 * 16,
  connectionsPerLargeFile: 3,
  largeFileBytes: 64 * 2 ** 20,
  flushEveryBytes: 32 * 2 ** 20,
  extraConnectionsFromRoundTripMs: WINDOW_BOUND_ROUND_TRIP_MS,
};

interface PlannedFile {
  index: number;
  path: string;
  remotePath: string;
  sizeBytes: number;
  destination: string;
  /** Safe folder names from the destination down to the file. */
  folders: string[];
  finalPath: string;
  partPath: string;
  partBytes: number;
  outcome: FileOutcome | undefined;
  error?: SeedboxError | undefined;
}

export async function fetchTorrent(sftp: SFTPWrapper, request: FetchTorrentRequest, options: FetchOptions = {}): Promise<FetchReport> {
  const settings = {
    parallelReads: options.parallelReads ?? DEFAULTS.parallelReads,
    chunkBytes: options.chunkBytes ?? DEFAULTS.chunkBytes,
    filesAtOnce: options.filesAtOnce ?? DEFAULTS.filesAtOnce,
    flushEveryBytes: (options.flushEveryBytes ?? DEFAULTS.flushEveryBytes) || undefined,
  };
  const layout = request.metainfo ? matchingLayout(request) : undefined;
  const remote = new RemoteSources(
    sftp,
    options.openConnection,
    (options.connectionsPerLargeFile ?? DEFAULTS.connectionsPerLargeFile) - 1,
    options.extraConnectionsFromRoundTripMs ?? DEFAULTS.extraConnectionsFromRoundTripMs,
  );
  try {
    const { plan, remotePathOf } = await makePlan(sftp, request, layout, remote);
    const toFetch = plan.filter((file) => file.outcome === undefined);
    const needed = toFetch.reduce((sum, file) => sum + file.sizeBytes - file.partBytes, 0);
    const free = await freeBytes(request.destination);
    if (needed > free) {
      throw new SeedboxError('refused', `Fetching needs ${needed} more bytes in ${request.destination}, but only ${free} are free.`, {
        path: request.destination,
        reason: 'no-space',
        neededBytes: needed,
        freeBytes: free,
      });
    }

    const progress = new ProgressMeter(
      toFetch.reduce((sum, file) => sum + file.sizeBytes, 0),
      toFetch.reduce((sum, file) => sum + file.partBytes, 0),
      options.onProgress,
    );
    const sharedReads = { inFlight: 0, max: Math.max(settings.parallelReads, DEFAULTS.readsAcrossFiles) };
    const largeFileBytes = options.largeFileBytes ?? DEFAULTS.largeFileBytes;
    await eachAtOnce(toFetch, settings.filesAtOnce, (file) => transferFile(file, remote, { ...options, ...settings, progress, sharedReads, largeFileBytes }));

    const report: FetchReport = {
      files: [],
      transferredBytes: 0,
      verifiedBy: layout ? 'pieces' : 'size',
      checkedPieces: 0,
      ...(layout || !request.metainfoUnavailable ? {} : { metainfoUnavailable: request.metainfoUnavailable }),
      repairedPieces: [],
      badPieces: [],
      connections: 1,
    };
    if (layout) await verifyPieces(layout, plan, { remote, remotePathOf }, report, options.signal);
    // Several names at once: one after another, a thousand small files wait on two thousand
    // link/unlink calls in turn. Planned names are distinct, and a link never replaces a name.
    await eachAtOnce(
      toFetch.filter((file) => file.outcome === undefined),
      settings.filesAtOnce,
      async (file) => {
        try {
          await claimFinalName(file.partPath, file.finalPath);
          file.outcome = 'fetched';
        } catch (error) {
          fail(file, error);
        }
      },
    );
    progress.finish();
    report.transferredBytes = progress.transferred + remote.extraBytes;
    report.connections = remote.mostConnections;
    if (remote.extraFailure) report.extraConnectionsFailed = { code: remote.extraFailure.code, message: remote.extraFailure.message };
    report.files = plan.map((file) => ({
      index: file.index,
      path: file.path,
      localPath: file.finalPath,
      sizeBytes: file.sizeBytes,
      outcome: file.outcome ?? 'failed',
      resumedFromBytes: file.partBytes,
      ...(file.error ? { error: { code: file.error.code, message: file.error.message } } : {}),
    }));
    return report;
  } finally {
    await remote.closeAll();
  }
}

/** The .torrent's layout, refused when it does not describe the files the daemon lists. */
function matchingLayout(request: FetchTorrentRequest): PieceLayout {
  const layout = readPieceLayout(request.metainfo!);
  const same =
    layout.files.length === request.files.length &&
    request.files.every((file) => layout.files[file.index]?.sizeBytes === file.sizeBytes && layout.files[file.index]?.path === file.path);
  if (!same) {
    throw new SeedboxError('invalid-argument', `The .torrent given for ${printable(request.name)} does not describe the files the daemon lists.`, {
      name: printable(request.name),
    });
  }
  return layout;
}

/** Where each of the torrent's files is over SFTP, fetched or not (pieces span into the others). */
type RemotePaths = (fileIndex: number) => string;

interface RemoteAccess {
  remote: RemoteSources;
  remotePathOf: RemotePaths;
}

async function makePlan(
  sftp: SFTPWrapper,
  request: FetchTorrentRequest,
  layout: PieceLayout | undefined,
  remote: RemoteSources,
): Promise<{ plan: PlannedFile[]; remotePathOf: RemotePaths }> {
  const destination = await stat(request.destination).catch((error: unknown) => {
    throw toLocalError(error, request.destination);
  });
  if (!destination.isDirectory()) throw new SeedboxError('invalid-argument', `${request.destination} is not a folder.`, { path: request.destination });

  const wanted = request.fileIndexes ?? request.files.map((file) => file.index);
  const byIndex = new Map(request.files.map((file) => [file.index, file]));
  for (const index of wanted) {
    if (!byIndex.has(index)) {
      throw new SeedboxError('invalid-argument', `${printable(request.name)} has no file ${index} (it has ${request.files.length}).`, { index });
    }
  }
  // The daemon's save path holds the torrent's folder, or its one file when it has no folder.
  const root = toSftpPath(posix.join(request.savePath, request.name), request.pathMapping ?? []);
  const inFolder = (await remoteStat(sftp, root)).isDirectory();
  if (!inFolder && request.files.length !== 1) {
    throw new SeedboxError('not-found', `${root} on the box is a file, but ${printable(request.name)} has ${request.files.length} files.`, { path: root });
  }
  const folder = inFolder ? [safeComponent(request.name)] : [];
  const remotePathOf: RemotePaths = (fileIndex) => (inFolder ? posix.join(root, byIndex.get(fileIndex)!.path) : root);

  const seen = new Map<string, number>();
  const plan: PlannedFile[] = [];
  for (const index of [...new Set(wanted)].sort((a, b) => a - b)) {
    const file = byIndex.get(index)!;
    const components = [...folder, ...(inFolder ? safeRelativePath(file.path) : [safeComponent(request.name)])];
    const key = collisionKey(components);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new SeedboxError('refused', `Files ${other} and ${index} of ${printable(request.name)} would get the same local name ${components.join('/')}.`, {
        index,
        other,
      });
    }
    seen.set(key, index);
    const localFolder = join(request.destination, ...components.slice(0, -1));
    const planned: PlannedFile = {
      index,
      path: file.path,
      remotePath: remotePathOf(index),
      sizeBytes: file.sizeBytes,
      destination: request.destination,
      folders: components.slice(0, -1),
      finalPath: join(localFolder, components.at(-1)!),
      partPath: '',
      partBytes: 0,
      outcome: undefined,
    };
    await resolveExisting(planned, request.onExisting ?? 'refuse', layout, { remote, remotePathOf });
    plan.push(planned);
  }
  return { plan, remotePathOf };
}

/** Settles what is already at the final name, then how much of the `.part` can be kept. */
async function resolveExisting(file: PlannedFile, onExisting: OnExisting, layout: PieceLayout | undefined, access: RemoteAccess): Promise<void> {
  const existing = await lstatOrNothing(file.finalPath);
  if (existing) {
    if (existing.isFile() && existing.size === file.sizeBytes && layout && (await isIdentical(file, layout, access))) {
      file.outcome = 'identical';
      return;
    }
    if (onExisting === 'refuse') {
      file.outcome = 'exists';
      file.error = new SeedboxError('already-exists', `${file.finalPath} already exists and is not the same file; it was left as it is.`, {
        path: file.finalPath,
      });
      return;
    }
    file.finalPath = await freeKeepBothName(file.finalPath);
  }
  file.partPath = `${file.finalPath}.part`;
  const part = await lstatOrNothing(file.partPath);
  if (part && !part.isFile()) {
    throw new SeedboxError('refused', `${file.partPath} is in the way: it is not a regular file.`, { path: file.partPath });
  }
  // A .part longer than the file is not ours to trust: it starts again.
  file.partBytes = part && part.size <= file.sizeBytes ? part.size : 0;
}

async function freeKeepBothName(finalPath: string): Promise<string> {
  const slash = Math.max(finalPath.lastIndexOf('/'), finalPath.lastIndexOf('\\'));
  const folder = finalPath.slice(0, slash + 1);
  const name = finalPath.slice(slash + 1);
  for (let copy = 2; copy < 1000; copy++) {
    const candidate = `${folder}${keepBothName(name, copy)}`;
    if (!(await lstatOrNothing(candidate)) || (await lstatOrNothing(`${candidate}.part`))?.isFile()) return candidate;
  }
  throw new SeedboxError('refused', `${finalPath} has 1000 copies already.`, { path: finalPath });
}

/** An existing local file is the same as the torrent's when every piece it touches checks out. */
async function isIdentical(file: PlannedFile, layout: PieceLayout, access: RemoteAccess): Promise<boolean> {
  const local = await openForReading(file.finalPath);
  try {
    const sources = new Map<number, ByteSource>([[file.index, handleSource(local)]]);
    for (const piece of piecesOfFile(layout, file.index)) {
      if (!(await pieceMatches(layout, piece, sources, access))) return false;
    }
    return true;
  } finally {
    await local.close();
  }
}

interface TransferContext {
  parallelReads: number;
  chunkBytes: number;
  flushEveryBytes: number | undefined;
  bandwidth?: BandwidthLimit | undefined;
  signal?: AbortSignal | undefined;
  progress: ProgressMeter;
  sharedReads: SharedReads;
  largeFileBytes: number;
}

async function transferFile(file: PlannedFile, remote: RemoteSources, context: TransferContext): Promise<void> {
  try {
    await ensureFolders(file.destination, file.folders);
    const source = await remote.file(file.remotePath);
    const remoteSize = await source.size();
    const sources = remoteSize - file.partBytes >= context.largeFileBytes ? await remote.onEveryConnection(file.remotePath, source) : [source];
    if (remoteSize !== file.sizeBytes) {
      throw new SeedboxError(
        'refused',
        `${file.remotePath} on the box is ${remoteSize} bytes, but the torrent's file is ${file.sizeBytes}: is it complete, and is the path mapping right?`,
        { path: file.remotePath, reason: 'size-mismatch', remoteBytes: remoteSize, expectedBytes: file.sizeBytes },
      );
    }
    const part = await openPartFile(file.partPath);
    try {
      await part.truncate(file.partBytes);
      await copyRange(sources, part, file.partPath, file.partBytes, file.sizeBytes, { ...context, onBytes: (bytes) => context.progress.add(bytes) });
      await part.datasync();
      const written = (await part.stat()).size;
      if (written !== file.sizeBytes) {
        throw new SeedboxError('refused', `${file.partPath} holds ${written} bytes instead of ${file.sizeBytes}.`, { path: file.partPath, reason: 'size-mismatch' });
      }
    } finally {
      await part.close();
    }
  } catch (error) {
    if (isFatal(error, context.signal)) throw error;
    fail(file, error);
  } finally {
    await remote.release(file.remotePath);
  }
}

/** Errors that stop the whole fetch (to be resumed), as opposed to one file's failure. */
function isFatal(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  const code = toSeedboxError(error).code;
  return code === 'connection-lost' || (toSeedboxError(error).details['reason'] === 'no-space');
}

function fail(file: PlannedFile, error: unknown): void {
  file.outcome = 'failed';
  file.error = toSeedboxError(error);
}

/** Reads `length` bytes at `position` of one file. */
type ByteSource = (position: number, length: number) => Promise<Buffer>;

function handleSource(handle: FileHandle): ByteSource {
  return async (position, length) => {
    const buffer = Buffer.alloc(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  };
}

async function pieceMatches(
  layout: PieceLayout,
  piece: number,
  local: ReadonlyMap<number, ByteSource>,
  { remote, remotePathOf }: RemoteAccess,
): Promise<boolean> {
  const hash = createHash('sha1');
  for (const segment of segmentsOfPiece(layout, piece)) {
    const read = local.get(segment.fileIndex) ?? ((position: number, length: number) => remote.read(remotePathOf(segment.fileIndex), position, length));
    hash.update(await read(segment.offset, segment.length));
  }
  return Buffer.from(pieceHash(layout, piece)).equals(hash.digest());
}

/**
 * Checks every piece touching a fetched file; bytes of other files come from their `.part`
 * when fetched in this run, else from the box. A bad piece is fetched again into the `.part`
 * files it covers, once; still bad, its files fail with 'verification-failed'.
 */
async function verifyPieces(layout: PieceLayout, plan: PlannedFile[], access: RemoteAccess, report: FetchReport, signal: AbortSignal | undefined): Promise<void> {
  const fetched = plan.filter((file) => file.outcome === undefined);
  if (fetched.length === 0) return;
  const handles = new Map<number, FileHandle>();
  /** Pieces still wrong, by the fetched file they touch. */
  const badByFile = new Map<number, number[]>();
  try {
    for (const file of fetched) handles.set(file.index, await openForReading(file.partPath));
    const sources = new Map([...handles].map(([index, handle]) => [index, handleSource(handle)] as const));
    const pieces = [...new Set(fetched.flatMap((file) => piecesOfFile(layout, file.index)))].sort((a, b) => a - b);
    for (const piece of pieces) {
      signal?.throwIfAborted();
      report.checkedPieces++;
      if (await pieceMatches(layout, piece, sources, access)) continue;
      report.repairedPieces.push(piece);
      await refetchPiece(layout, piece, plan, access.remote);
      if (await pieceMatches(layout, piece, sources, access)) continue;
      report.badPieces.push(piece);
      for (const segment of segmentsOfPiece(layout, piece)) {
        if (fetched.some((file) => file.index === segment.fileIndex)) badByFile.set(segment.fileIndex, [...(badByFile.get(segment.fileIndex) ?? []), piece]);
      }
    }
    for (const [index, bad] of badByFile) {
      const file = fetched.find((candidate) => candidate.index === index)!;
      const which = bad.length === 1 ? `piece ${bad[0]} is` : `pieces ${bad.slice(0, 20).join(', ')}${bad.length > 20 ? ` and ${bad.length - 20} more` : ''} are`;
      fail(
        file,
        new SeedboxError(
          'refused',
          `${file.path} failed the torrent's own check (${which} wrong on the box itself, fetched twice): it was not given its name; the data is in ${file.partPath}.`,
          { path: file.partPath, reason: 'verification-failed', piece: bad[0], badPieces: bad.length },
        ),
      );
    }
  } finally {
    await Promise.all([...handles.values()].map((handle) => handle.close()));
  }
}

async function refetchPiece(layout: PieceLayout, piece: number, plan: PlannedFile[], remote: RemoteSources): Promise<void> {
  for (const segment of segmentsOfPiece(layout, piece)) {
    const file = plan.find((candidate) => candidate.index === segment.fileIndex && candidate.outcome === undefined);
    if (!file) continue;
    const bytes = await remote.read(file.remotePath, segment.offset, segment.length);
    const part = await openPartFile(file.partPath);
    try {
      await part.write(bytes, 0, bytes.length, segment.offset);
      await part.datasync();
    } finally {
      await part.close();
    }
  }
}

/**
 * Remote files opened once per fetch and closed at its end; for large files, also opened on
 * extra SSH connections, made when the first large file needs them and closed at the end.
 */
class RemoteSources {
  readonly #open = new Map<string, Promise<RemoteFile>>();
  /** The same files opened on the extra connections, by path. */
  readonly #alsoOpen = new Map<string, RemoteFile[]>();
  #extra: Promise<SftpConnection[]> | undefined;
  #windowBound: Promise<boolean> | undefined;
  /** Bytes read outside transfers (verification, repairs). */
  extraBytes = 0;
  mostConnections = 1;
  extraFailure: SeedboxError | undefined;

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly openConnection: (() => Promise<SftpConnection>) | undefined,
    private readonly extraConnections: number,
    private readonly extraFromRoundTripMs: number,
  ) {}

  /**
   * `main` (the file on the given session) and the same file on each extra connection that opens
   * it, when the box is far enough for one connection's window to be the limit.
   */
  async onEveryConnection(path: string, main: RemoteFile): Promise<RemoteFile[]> {
    if (!this.openConnection || this.extraConnections < 1) return [main];
    this.#windowBound ??= this.#roundTripMs(main).then((ms) => ms >= this.extraFromRoundTripMs);
    if (!(await this.#windowBound)) return [main];
    this.#extra ??= this.#connect(this.openConnection);
    const opened = await Promise.allSettled((await this.#extra).map((connection) => RemoteFile.open(connection.sftp, path)));
    const also = opened.flatMap((file) => (file.status === 'fulfilled' ? [file.value] : []));
    this.#alsoOpen.set(path, also);
    this.mostConnections = Math.max(this.mostConnections, 1 + also.length);
    return [main, ...also];
  }

  /** The quickest of three stat round trips on the main session: the box's distance, not its load. */
  async #roundTripMs(file: RemoteFile): Promise<number> {
    let quickest = Infinity;
    for (let trip = 0; trip < 3; trip++) {
      const started = performance.now();
      await file.size();
      quickest = Math.min(quickest, performance.now() - started);
    }
    return quickest;
  }

  async #connect(open: () => Promise<SftpConnection>): Promise<SftpConnection[]> {
    const made = await Promise.allSettled(Array.from({ length: this.extraConnections }, () => open()));
    // A box may cap connections per user: the fetch goes on with those it has, and says so.
    const failure = made.find((connection) => connection.status === 'rejected');
    if (failure) this.extraFailure = toSeedboxError(failure.reason);
    return made.flatMap((connection) => (connection.status === 'fulfilled' ? [connection.value] : []));
  }

  file(path: string): Promise<RemoteFile> {
    let opened = this.#open.get(path);
    if (!opened) {
      opened = RemoteFile.open(this.sftp, path);
      opened.catch(() => this.#open.delete(path));
      this.#open.set(path, opened);
    }
    return opened;
  }

  async read(path: string, position: number, length: number): Promise<Buffer> {
    const bytes = await (await this.file(path)).readExactly(position, length);
    this.extraBytes += length;
    return bytes;
  }

  /** Closes one file now: servers limit open handles, and a torrent may have 100 000 files. */
  async release(path: string): Promise<void> {
    const opened = this.#open.get(path);
    this.#open.delete(path);
    const also = this.#alsoOpen.get(path) ?? [];
    this.#alsoOpen.delete(path);
    await Promise.all([opened?.then((file) => file.close()).catch(() => undefined), ...also.map((file) => file.close())]);
  }

  async closeAll(): Promise<void> {
    const files = await Promise.allSettled(this.#open.values());
    await Promise.all(files.flatMap((file) => (file.status === 'fulfilled' ? [file.value.close()] : [])));
    await Promise.all([...this.#alsoOpen.values()].flat().map((file) => file.close()));
    const extra = await this.#extra?.catch(() => []);
    await Promise.all((extra ?? []).map((connection) => connection.close().catch(() => undefined)));
  }
}

/** Bytes, rate over a sliding window, ETA; reported at most 4 times a second. */
class ProgressMeter {
  transferred = 0;
  #done: number;
  #samples: { at: number; done: number }[] = [];
  #lastReport = 0;

  constructor(
    private readonly total: number,
    resumed: number,
    private readonly listener: ((progress: FetchProgress) => void) | undefined,
  ) {
    this.#done = resumed;
    this.#samples.push({ at: Date.now(), done: resumed });
  }

  add(bytes: number): void {
    this.transferred += bytes;
    this.#done += bytes;
    const now = Date.now();
    if (now - this.#lastReport >= 250) this.#report(now);
  }

  finish(): void {
    this.#report(Date.now());
  }

  #report(now: number): void {
    this.#lastReport = now;
    this.#samples.push({ at: now, done: this.#done });
    while (this.#samples.length > 2 && now - this.#samples[0]!.at > 5_000) this.#samples.shift();
    const first = this.#samples[0]!;
    const seconds = (now - first.at) / 1000;
    const bytesPerSecond = seconds > 0 ? (this.#done - first.done) / seconds : 0;
    const left = this.total - this.#done;
    this.listener?.({
      doneBytes: this.#done,
      totalBytes: this.total,
      bytesPerSecond,
      etaSeconds: left === 0 ? 0 : bytesPerSecond > 0 ? Math.ceil(left / bytesPerSecond) : null,
    });
  }
}

/** Runs `work` on up to `atOnce` items at a time; after a failure no new item starts, and the first failure is thrown once all have stopped. */
async function eachAtOnce<T>(items: readonly T[], atOnce: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(atOnce, items.length) }, async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}
