// The local side of a fetch: folders created under the destination without following a
// symlink out of it, `.part` files opened without following one, a final name taken only if
// nobody holds it (link, never rename over), and free space.
import { constants, type Stats } from 'node:fs';
import { link, lstat, mkdir, open, rename, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SeedboxError } from '../../shared/errors';

/** What is at `path` without following a symlink; undefined when nothing is. */
export async function lstatOrNothing(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toLocalError(error, path);
  }
}

/** Creates `folders` one by one under `destination`, refusing any that exists as anything but a real folder. */
export async function ensureFolders(destination: string, folders: readonly string[]): Promise<string> {
  let path = destination;
  for (const folder of folders) {
    path = join(path, folder);
    const existing = await lstatOrNothing(path);
    if (!existing) {
      try {
        await mkdir(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toLocalError(error, path);
      }
      continue;
    }
    if (!existing.isDirectory()) {
      throw new SeedboxError('refused', `${path} is in the way: it exists and is not a folder${existing.isSymbolicLink() ? ' (a symbolic link is never followed)' : ''}.`, {
        path,
      });
    }
  }
  return path;
}

/** The `.part` file for writing at any position, created if missing; never through a symlink. */
export async function openPartFile(path: string): Promise<FileHandle> {
  try {
    // O_NOFOLLOW does not exist on Windows, where creating a symlink needs privileges anyway.
    return await open(path, constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o644);
  } catch (error) {
    throw toLocalError(error, path);
  }
}

export async function openForReading(path: string): Promise<FileHandle> {
  try {
    return await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    throw toLocalError(error, path);
  }
}

/**
 * Gives the verified `.part` its final name only if nothing has that name: a hard link fails
 * when the name is taken, where rename would replace it. File systems without hard links
 * (FAT, exFAT) get a check right before the rename instead.
 */
export async function claimFinalName(partPath: string, finalPath: string): Promise<void> {
  try {
    await link(partPath, finalPath);
    await unlink(partPath);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new SeedboxError('already-exists', `${finalPath} appeared while it was being fetched; it was left as it is.`, { path: finalPath });
    }
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw toLocalError(error, finalPath);
  }
  if (await lstatOrNothing(finalPath)) {
    throw new SeedboxError('already-exists', `${finalPath} appeared while it was being fetched; it was left as it is.`, { path: finalPath });
  }
  await rename(partPath, finalPath).catch((error: unknown) => {
    throw toLocalError(error, finalPath);
  });
}

/** Bytes this process may still write in the folder's file system. */
export async function freeBytes(folder: string): Promise<number> {
  try {
    const stats = await statfs(folder);
    return stats.bavail * stats.bsize;
  } catch (error) {
    throw toLocalError(error, folder);
  }
}

export function toLocalError(error: unknown, path: string): SeedboxError {
  if (error instanceof SeedboxError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new SeedboxError('not-found', `${path} does not exist on this computer.`, { path });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new SeedboxError('forbidden', `This app may not write ${path}.`, { path, reason: code });
    case 'ELOOP':
      return new SeedboxError('refused', `${path} is a symbolic link; it is never followed.`, { path });
    case 'ENOSPC':
    case 'EDQUOT':
      return new SeedboxError('refused', `The disk holding ${path} is full.`, { path, reason: 'no-space' });
    default:
      return new SeedboxError('internal', `${path} could not be used: ${(error as Error).message}.`, { path, reason: code ?? null });
  }
}
