import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { SeedboxError, type ErrorCode } from '../../shared/errors';

// Reads a small file named by a user or the OS (a .torrent, an SSH private key) without letting
// the path block or exhaust the process: a FIFO opened for reading waits for a writer and holds
// one of libuv's four file-system threads for good, and /dev/zero never ends. So the type and
// size are checked before opening, the open cannot block, and the open file is checked again.

export interface SmallFileOptions {
  /** Refused above this size, before and while reading. */
  maxBytes: number;
  /** The code for a file over maxBytes (e.g. 'invalid-torrent' for a .torrent). */
  tooLargeCode?: ErrorCode;
}

/**
 * The bytes of a regular file of at most maxBytes, or a SeedboxError whose message says what
 * the path is instead (details: path, reason, and sizeBytes/maxBytes when too large).
 */
export async function readSmallRegularFile(path: string, options: SmallFileOptions): Promise<Buffer> {
  // details.reason is the part after the colon, for callers that word the sentence themselves.
  const refuse = (reason: string, code: ErrorCode = 'invalid-argument', extra: Record<string, number> = {}): SeedboxError =>
    new SeedboxError(code, `Cannot read ${path}: ${reason}.`, { path, reason, ...extra });
  const failed = (error: unknown): SeedboxError => {
    const reason = describeErrno(error);
    return refuse(reason, reason === 'permission denied' ? 'forbidden' : 'invalid-argument');
  };
  const tooLarge = (sizeBytes: number): SeedboxError =>
    refuse(`it is larger than ${describeBytes(options.maxBytes)}`, options.tooLargeCode ?? 'invalid-argument', { sizeBytes, maxBytes: options.maxBytes });

  const before = await stat(path).catch((error: unknown) => {
    throw failed(error);
  });
  checkKind(before);
  if (before.size > options.maxBytes) throw tooLarge(before.size);

  // O_NONBLOCK: if a FIFO was swapped in since the stat, open returns at once instead of waiting
  // for a writer (and fstat below refuses it). Windows has neither FIFOs nor the flag.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  const handle = await open(path, flags).catch((error: unknown) => {
    throw failed(error);
  });
  try {
    const opened = await handle.stat();
    checkKind(opened);
    if (opened.dev !== before.dev || opened.ino !== before.ino) throw refuse('it changed while being read');
    if (opened.size > options.maxBytes) throw tooLarge(opened.size);
    // One byte more than allowed, so a file that grew since the fstat is caught, not truncated.
    const buffer = Buffer.allocUnsafe(Math.min(opened.size, options.maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw length > options.maxBytes ? tooLarge(length) : refuse('it changed while being read');
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }

  function checkKind(stats: { isFile(): boolean; isDirectory(): boolean }): void {
    if (stats.isDirectory()) throw refuse('it is a folder');
    if (!stats.isFile()) throw refuse('it is not a regular file');
  }
}

function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? 'unknown error';
}

function describeBytes(bytes: number): string {
  return bytes >= 1048576 ? `${bytes / 1048576} MiB` : `${bytes / 1024} KiB`;
}
