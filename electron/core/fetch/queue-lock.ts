// One process works a fetch queue file at a time (the app, or `seedbox fetch run`): two would
// each rewrite the file from their own copy and fetch the same job twice. The lock is a file
// beside the queue holding the owner's process id; a lock whose process is gone is stale and
// taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { SeedboxError } from '../../shared/errors';

export interface QueueLock {
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  owner: string;
}

/** Locks this process holds: a second queue on the same file in one process is refused too. */
const heldHere = new Set<string>();

export function lockPathOf(queueFile: string): string {
  return `${queueFile}.lock`;
}

/** Takes the lock of `queueFile` or throws 'refused' (reason 'queue-busy') naming who holds it. */
export async function acquireQueueLock(queueFile: string, owner: string): Promise<QueueLock> {
  const path = lockPathOf(queueFile);
  const mine: LockContent = { pid: process.pid, owner };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      heldHere.add(path);
      return { release: () => releaseIfMine(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SeedboxError('internal', `Cannot lock the fetch queue ${queueFile}: ${(error as Error).message}.`, { path });
      }
    }
    const holder = await readLock(path);
    if (holder && (holder.pid === process.pid ? heldHere.has(path) : isAlive(holder.pid))) {
      throw new SeedboxError(
        'refused',
        `The fetch queue is in use by ${holder.owner} (process ${holder.pid}); it works the queue until it stops. Use it, or wait for it to end.`,
        { reason: 'queue-busy', path, pid: holder.pid, owner: holder.owner },
      );
    }
    // Its process is gone (or an earlier process had our id): stale.
    await unlink(path).catch(() => undefined);
  }
  throw new SeedboxError('refused', `Could not lock the fetch queue ${queueFile}: another process keeps taking it.`, { reason: 'queue-busy', path });
}

/** Who holds the lock now, or null (none, or unreadable). */
export async function queueLockHolder(queueFile: string): Promise<LockContent | null> {
  const path = lockPathOf(queueFile);
  const holder = await readLock(path);
  return holder && (holder.pid === process.pid ? heldHere.has(path) : isAlive(holder.pid)) ? holder : null;
}

async function readLock(path: string): Promise<LockContent | null> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
    if (typeof data.pid === 'number' && Number.isInteger(data.pid) && data.pid > 0) return { pid: data.pid, owner: typeof data.owner === 'string' ? data.owner.slice(0, 100) : 'another process' };
  } catch {
    // Missing, or half-written by a process that died at that moment: treated as stale.
  }
  return null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfMine(path: string): Promise<void> {
  if (!heldHere.delete(path)) return;
  const holder = await readLock(path);
  if (holder?.pid === process.pid) await unlink(path).catch(() => undefined);
}
