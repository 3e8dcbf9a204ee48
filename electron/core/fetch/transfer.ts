// One byte range of a remote file into a local file: many SFTP reads in flight at once (the
// round trip, not the link, limits one read at a time), written strictly in order so that a
// `.part` cut at any moment holds a clean prefix to resume from.
import type { FileHandle } from 'node:fs/promises';
import type { BandwidthLimit } from './bandwidth';
import type { RemoteFile } from './remote';
import { toLocalError } from './local-files';

export interface TransferOptions {
  /** Reads in flight; memory is at most parallelReads × chunkBytes per file. */
  parallelReads: number;
  chunkBytes: number;
  bandwidth?: BandwidthLimit | undefined;
  signal?: AbortSignal | undefined;
  /** Called with each chunk's length once it is written. */
  onBytes?: ((bytes: number) => void) | undefined;
  /** Reads in flight across all files copied at once; each file may always have one. */
  sharedReads?: SharedReads | undefined;
}

/** Bounds memory when many files are copied at once: at most max + one per file chunks. */
export interface SharedReads {
  inFlight: number;
  max: number;
}

export async function copyRange(remote: RemoteFile, local: FileHandle, localPath: string, start: number, end: number, options: TransferOptions): Promise<void> {
  const inFlight = new Map<number, Promise<Buffer>>();
  const shared = options.sharedReads ?? { inFlight: 0, max: Infinity };
  let nextRead = start;
  let written = start;
  try {
    while (written < end) {
      options.signal?.throwIfAborted();
      while (inFlight.size < options.parallelReads && nextRead < end && (inFlight.size === 0 || shared.inFlight < shared.max)) {
        const length = Math.min(options.chunkBytes, end - nextRead);
        await options.bandwidth?.take(length, options.signal);
        const read = remote.readExactly(nextRead, length);
        // Heard here so a failure of a read nobody awaits yet is not "unhandled"; awaited below.
        read.catch(() => undefined);
        inFlight.set(nextRead, read);
        shared.inFlight++;
        nextRead += length;
      }
      const reading = inFlight.get(written)!;
      inFlight.delete(written);
      shared.inFlight--;
      const chunk = await reading;
      try {
        await local.write(chunk, 0, chunk.length, written);
      } catch (error) {
        throw toLocalError(error, localPath);
      }
      written += chunk.length;
      options.onBytes?.(chunk.length);
    }
  } finally {
    // Nothing may write after we return (the handle is closed next).
    await Promise.allSettled(inFlight.values());
    shared.inFlight -= inFlight.size;
  }
}
