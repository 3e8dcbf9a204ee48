import { posix } from 'node:path';
import { z } from 'zod';
import { SeedboxError } from '../../../shared/errors';
import { BoxFs } from './box-fs';
import { checked, readLayouts, restoreCalls, stopCalls, type LiveLayout } from './layout';
import { planMove, type MovePlan } from './paths';
import type { RtorrentRpc } from './rpc';

// Moving a torrent's data, for rTorrent, which cannot move files itself. A system.multicall
// runs every call even after one fails, so a move is a sequence of checked steps instead:
// check (nothing changed yet), stop and close, create the target folder, move, confirm that
// every file is at the destination with its size and that nothing is left at the source, and
// only then point rTorrent at the new place and start it as it was. Any failure undoes the
// steps already done, in reverse, so the torrent is left as it was: same path, same state, data
// in place. Torrents are moved one after the other; a failure stops there and says which
// torrents were moved before it.

type Undo = { what: string; run: () => Promise<void> };

export async function moveData(rpc: RtorrentRpc, hashes: string[], target: string): Promise<void> {
  const fs = new BoxFs(rpc);
  const moved: string[] = [];
  for (const [index, hash] of hashes.entries()) {
    try {
      if (await moveOne(fs, rpc, hash, target)) moved.push(hash.toLowerCase());
    } catch (error) {
      const rest = hashes.slice(index + 1).map((other) => other.toLowerCase());
      if (!(error instanceof SeedboxError) || (moved.length === 0 && rest.length === 0)) throw error;
      const before = moved.length > 0 ? ` Moved before this failure: ${moved.join(', ')}.` : '';
      const after = rest.length > 0 ? ` Not attempted: ${rest.join(', ')}.` : '';
      throw new SeedboxError(error.code, `${error.message}${before}${after}`, { ...error.details, moved: moved.join(','), notAttempted: rest.join(',') });
    }
  }
}

/** Moves one torrent; false when its data is already there. */
async function moveOne(fs: BoxFs, rpc: RtorrentRpc, hash: string, target: string): Promise<boolean> {
  const [layout] = await readLayouts(rpc, [hash]);
  const plan = planMove({ ...layout!, target });
  if (!plan) return false;
  const folder = posix.dirname(plan.destination);
  const sourceFiles = layout!.isMultiFile ? layout!.files.map((file) => `${plan.source}/${file}`) : [plan.source];

  // Checked before anything changes: a refusal here disturbs nothing.
  const folders = ancestors(folder);
  const seen = await fs.lstat([...folders, plan.destination, plan.source, ...sourceFiles]);
  if (seen.has(plan.destination)) throw refuse(layout!, `${plan.destination} already exists`);
  for (const path of folders) {
    const found = seen.get(path);
    if (found && found.type !== 'd' && found.type !== 'l') throw refuse(layout!, `${path} is a file, not a folder`);
  }
  const source = seen.get(plan.source);
  if (source?.type === 'l') throw refuse(layout!, `${plan.source} is a symbolic link: moving it would move the link, not the data`);
  const created = folders.filter((path) => !seen.has(path)); // deepest first
  const present = sourceFiles.filter((file) => seen.has(file)).map((file) => ({ file, size: seen.get(file)!.size }));

  const undo: Undo[] = [];
  try {
    await rpc.multicallAll(stopCalls(hash));
    undo.push({ what: 'restart the torrent as it was', run: () => rpc.multicallAll(restoreCalls(hash, layout!.state)).then(() => undefined) });

    await fs.run(['mkdir', '-p', '--', folder], `Creating ${folder}`);
    if (created.length > 0) {
      // rmdir only ever removes empty folders: what we created and nothing else.
      undo.push({ what: `remove the folders created (${created.at(-1)})`, run: () => fs.runQuietly(created.map((path) => ['rmdir', '--', path])) });
    }

    if (source) {
      await moveAndConfirm(fs, layout!, plan, present, sourceFiles);
      undo.push({ what: `move the data back to ${plan.source}`, run: () => moveBack(fs, layout!, plan) });
    }

    await rpc.multicallAll([{ method: 'd.directory.set', params: [hash, folder] }]);
    undo.push({ what: `point rTorrent at ${layout!.directory} again`, run: () => repoint(rpc, layout!) });
    const [now] = await rpc.multicallAll([{ method: 'd.directory', params: [hash] }]);
    const expected = layout!.isMultiFile ? plan.destination : folder;
    const directory = checked(z.string(), now, 'd.directory', hash);
    if (directory !== expected) throw failed(layout!, `rTorrent reads its data from ${directory} after the move, not from ${expected}`);

    await rpc.multicallAll(restoreCalls(hash, layout!.state));
    return true;
  } catch (error) {
    throw await rollBack(layout!, undo, error);
  }
}

/** mv, then checks that every file of the torrent arrived with its size and that the source is gone. */
async function moveAndConfirm(fs: BoxFs, layout: LiveLayout, plan: MovePlan, present: { file: string; size: number }[], sourceFiles: string[]): Promise<void> {
  let mvError: unknown;
  try {
    // -T: never into a folder of that name; -n: never over anything.
    await fs.run(['mv', '-n', '-T', '--', plan.source, plan.destination], `Moving ${plan.source} to ${plan.destination}`);
  } catch (error) {
    mvError = error;
  }
  const arrived = present.map(({ file, size }) => ({ file: plan.destination + file.slice(plan.source.length), size }));
  const after = await fs.lstat([plan.source, plan.destination, ...arrived.map(({ file }) => file)]);
  const atSource = after.has(plan.source);
  const atDestination = after.has(plan.destination);
  if (atDestination && atSource) {
    // A copy across file systems that stopped part-way: the source is whole, the copy is not ours to judge.
    throw failed(layout, `moving ${plan.source} to ${plan.destination} stopped part-way${describe(mvError)}; the data is still at ${plan.source}, and a partial copy is left at ${plan.destination} for you to check`);
  }
  if (!atDestination) {
    if (atSource) throw failed(layout, `could not move ${plan.source} to ${plan.destination}${describe(mvError)}`);
    throw failed(layout, `${plan.source} vanished while being moved${describe(mvError)}`);
  }
  const missing = arrived.filter(({ file, size }) => after.get(file)?.size !== size);
  if (missing.length > 0) {
    throw failed(layout, `after moving, ${missing[0]!.file} is missing or has another size (${missing.length} of ${sourceFiles.length} files)`);
  }
}

async function moveBack(fs: BoxFs, layout: LiveLayout, plan: MovePlan): Promise<void> {
  await fs.run(['mv', '-n', '-T', '--', plan.destination, plan.source], `Moving ${plan.destination} back to ${plan.source}`);
  const after = await fs.lstat([plan.source, plan.destination]);
  if (!after.has(plan.source) || after.has(plan.destination)) throw failed(layout, `the data did not come back to ${plan.source}`);
}

async function repoint(rpc: RtorrentRpc, layout: LiveLayout): Promise<void> {
  // d.directory_base.set names the multi-file folder itself, so a renamed folder comes back as it was.
  const method = layout.isMultiFile ? 'd.directory_base.set' : 'd.directory.set';
  await rpc.multicallAll([{ method, params: [layout.hash, layout.directory] }]);
}

async function rollBack(layout: LiveLayout, undo: Undo[], cause: unknown): Promise<unknown> {
  const notUndone: string[] = [];
  for (const step of undo.reverse()) {
    try {
      await step.run();
    } catch (error) {
      notUndone.push(`${step.what} (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  const error = cause instanceof SeedboxError ? cause : new SeedboxError('internal', String(cause instanceof Error ? cause.message : cause));
  if (notUndone.length === 0) {
    return undo.length === 0 ? error : new SeedboxError(error.code, `${error.message} The move was undone: the torrent is as it was.`, error.details);
  }
  return new SeedboxError(error.code, `${error.message} Undoing the move failed too; still to do by hand: ${notUndone.join('; ')}.`, { ...error.details, id: layout.id });
}

/** The folder and every parent of it below the root, deepest first. */
function ancestors(folder: string): string[] {
  const list: string[] = [];
  for (let path = folder; path !== '/'; path = posix.dirname(path)) list.push(path);
  return list;
}

function refuse(layout: LiveLayout, why: string): SeedboxError {
  return new SeedboxError('refused', `Not moving the data of ${layout.id}: ${why}. Nothing was changed.`, { id: layout.id });
}

function failed(layout: LiveLayout, why: string): SeedboxError {
  return new SeedboxError('rpc-fault', `Moving the data of ${layout.id} failed: ${why}.`, { id: layout.id });
}

function describe(error: unknown): string {
  return error instanceof Error ? ` (${error.message.replace(/\.$/, '')})` : '';
}
