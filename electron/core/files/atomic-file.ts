// Replacing a small file so that a crash leaves either the old or the new content, never a
// mix: a temp file in the same folder, synced, renamed over the old one, the folder synced.
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file operations used, so tests can make one of them fail (a crash before the rename). */
export interface AtomicFileSystem {
  open(path: string, flags: string, mode: number): Promise<nodeFs.FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

/** Owner-only file in an owner-only folder: these files describe the user's boxes. */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

/** Writes `text` to `path` atomically; throws the file system's own error, the old file intact. */
export async function writeFileAtomically(path: string, text: string, fileSystem: AtomicFileSystem = nodeFs): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let handle: nodeFs.FileHandle | undefined;
  try {
    await fileSystem.mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
    handle = await fileSystem.open(temp, 'wx', FILE_MODE);
    await handle.writeFile(text, 'utf8');
    // The umask may have narrowed the mode given to open; the file is exactly owner-only.
    await handle.chmod(FILE_MODE);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fileSystem.rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fileSystem.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable; not possible on every platform (Windows), so best effort. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await nodeFs.open(directory, 'r');
    await handle.sync();
  } catch {
    // Nothing to do: the data is already synced and renamed.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
