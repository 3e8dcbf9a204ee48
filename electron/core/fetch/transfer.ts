// One byte range of a remote file into a local file: many SFTP reads in flight at once (the
// round trip, not the link, limits one read at a time), written strictly in order so that a
// `.part` cut at any moment holds a clean prefix to resume from. The reads may be spread over
// several SFTP sessions of the same file, each on its own SSH connection: one connection's
// encryption and packet handling (ssh2 in JavaScript here, one sshd process there) is what
// limits a large file, not the link.
import type { FileHandle } from 'node:fs/promises';
import type { BandwidthLimit } from './bandwidth';
import type { RemoteFile } from './remote';
import { toLocalError } from './local-files';

export interface TransferOptions {
  /** Reads in flight per session; memory is at most sessions × parallelReads × chunkBytes per file. */
  parallelReads: number;
  chunkBytes: number;
  bandwidth?: BandwidthLimit | undefined;
  signal?: AbortSignal | undefined;
  /** Called with each chunk's length once it is written. */
  onBytes?: ((bytes: number) => void) | undefined;
  /** Reads in flight across all files copied at once; each file may always have one. */
  sharedReads?: SharedReads | undefined;
  /**
   * After this many bytes written, the file's data starts going to the disk (fdatasync on a
   * worker thread) while the transfer goes on; unset, nothing is flushed here.
   */
  flushEveryBytes?: number | undefined;
}

/** Bounds memory when many files are copied at once: at most max + one per file chunks. */
export interface SharedReads {
  inFlight: number;
  max: number;
}

/** `remotes`: the same remote file opened on one or more sessions; reads go to the least busy. */
export async function copyRange(remotes: readonly RemoteFile[], local: FileHandle, localPath: string, start: number, end: number, options: TransferOptions): Promise<void> {
  const busy = remotes.map(() => 0);
  const maxInFlight = options.parallelReads * remotes.length;
  const inFlight = new Map<number, { read: Promise<Buffer>; buffer: Buffer; arrived?: Buffer }>();
  // Each written chunk's buffer is read into again: a fresh one per read made V8 run a full
  // garbage collection every few MiB (external memory), a third of the CPU a large file cost.
  const spare: Buffer[] = [];
  const shared = options.sharedReads ?? { inFlight: 0, max: Infinity };
  let nextRead = start;
  let written = start;
  const flusher = new Flusher(local, options.flushEveryBytes);
  try {
    while (written < end) {
      options.signal?.throwIfAborted();
      flusher.throwIfFailed(localPath);
      while (inFlight.size < maxInFlight && nextRead < end && (inFlight.size === 0 || shared.inFlight < shared.max)) {
        const session = leastBusy(busy);
        if (busy[session]! >= options.parallelReads) break;
        const length = Math.min(options.chunkBytes, end - nextRead);
        await options.bandwidth?.take(length, options.signal);
        const buffer = spare.pop() ?? Buffer.allocUnsafe(Math.min(options.chunkBytes, end - start));
        busy[session]!++;
        const read = remotes[session]!.readExactly(nextRead, length, buffer);
        // Also heard here so a failure of a read nobody awaits yet is not "unhandled"; awaited below.
        const reading: { read: Promise<Buffer>; buffer: Buffer; arrived?: Buffer } = { read, buffer };
        read.then(
          (chunk) => {
            busy[session]!--;
            reading.arrived = chunk;
          },
          () => busy[session]!--,
        );
        inFlight.set(nextRead, reading);
        shared.inFlight++;
        nextRead += length;
      }
      const head = inFlight.get(written)!;
      inFlight.delete(written);
      shared.inFlight--;
      // The next chunk in order, with those right after it that have arrived too: one write
      // for all (with several connections, chunks arrive in bursts; one write each was the limit).
      const chunks = [await head.read];
      const buffers = [head.buffer];
      let after = written + chunks[0]!.length;
      for (let next = inFlight.get(after); next?.arrived; next = inFlight.get(after)) {
        inFlight.delete(after);
        shared.inFlight--;
        chunks.push(next.arrived);
        buffers.push(next.buffer);
        after += next.arrived.length;
      }
      try {
        await writeAll(local, chunks, written);
      } catch (error) {
        throw toLocalError(error, localPath);
      }
      options.onBytes?.(after - written);
      flusher.wrote(after - written);
      written = after;
      spare.push(...buffers);
    }
    await flusher.settled();
    flusher.throwIfFailed(localPath);
  } finally {
    // Nothing may write or flush after we return (the handle is closed next).
    await Promise.allSettled([...inFlight.values()].map((reading) => reading.read));
    shared.inFlight -= inFlight.size;
    await flusher.settled();
  }
}

/**
 * Flushes a file being written every so many bytes, one flush at a time, without waiting for
 * it. The kernel starts writing dirty pages back only at a tenth of the memory (gigabytes), so
 * the caller's fdatasync before naming the file used to write a whole large file at the end,
 * after the transfer (0.7-0.9 s of a 1 GiB fetch, BENCHMARKS.md); flushed along the way, the
 * disk writes while the network reads and that last fdatasync finds little left.
 */
class Flusher {
  #unflushed = 0;
  #flushing: Promise<void> | undefined;
  #failure: unknown;
  #failed = false;

  constructor(
    private readonly local: FileHandle,
    private readonly everyBytes: number | undefined,
  ) {}

  wrote(bytes: number): void {
    this.#unflushed += bytes;
    if (this.everyBytes === undefined || this.#unflushed < this.everyBytes || this.#flushing || this.#failed) return;
    this.#unflushed = 0;
    this.#flushing = this.local.datasync().then(
      () => {
        this.#flushing = undefined;
      },
      (error: unknown) => {
        this.#flushing = undefined;
        this.#failed = true;
        this.#failure = error;
      },
    );
  }

  /** A failed flush (the disk refused the data) fails the copy. */
  throwIfFailed(localPath: string): void {
    if (this.#failed) throw toLocalError(this.#failure, localPath);
  }

  async settled(): Promise<void> {
    await this.#flushing;
  }
}

function leastBusy(busy: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < busy.length; index++) if (busy[index]! < busy[best]!) best = index;
  return best;
}

/** writev may write less than asked (like write); the rest is written again. */
async function writeAll(local: FileHandle, chunks: Buffer[], position: number): Promise<void> {
  let left = chunks;
  let at = position;
  while (left.length > 0) {
    const { bytesWritten } = await local.writev(left, at);
    if (bytesWritten === 0) throw new Error('the file system wrote nothing');
    at += bytesWritten;
    let skip = bytesWritten;
    const rest: Buffer[] = [];
    for (const chunk of left) {
      if (skip >= chunk.length) skip -= chunk.length;
      else {
        rest.push(chunk.subarray(skip));
        skip = 0;
      }
    }
    left = rest;
  }
}
