import { posix } from 'node:path';
import { z } from 'zod';
import { SeedboxError } from '../../../shared/errors';
import { BoxFs, foldersBetween } from './box-fs';
import { checked, readLayouts, restoreCalls, stopCalls, type LiveLayout } from './layout';
import { planDataRemoval } from './paths';
import type { RtorrentRpc, RpcCall } from './rpc';

// Removing a torrent with its data, for rTorrent, which cannot delete files itself.
//
// What will really be removed is resolved on the box before anything is removed: the
// torrent's folder through realpath (a folder that is itself a link, say to spread data over
// disks, counts as the folder it points to), then everything below it by lstat (find -P, which
// never passes through a link). A file is deleted only when its real path is exactly <real
// folder>/<its path in the torrent>, so no folder on its way is a link; a file that is itself a
// link loses only the link; a hard link loses only its own name. A folder inside the torrent
// that is a symbolic link, a file some other loaded torrent still uses (cross-seeding), anything
// that is not a file where the torrent has a file: the whole removal is refused with the
// reason, before anything is touched. The check runs twice: once while the torrents run
// (refusing then disturbs nothing), and again after they are stopped and closed, on the files
// as they are when acted on.

const MAX_NAMED = 5;

interface Deletion {
  id: string;
  /** Real paths of what is deleted: files, and links that are files of the torrent. */
  files: string[];
  /** Real folders to remove when empty, deepest first. */
  folders: string[];
  /** The torrent's folder as rTorrent names it, when that is a link to `realBase`. */
  link?: string;
  realBase: string;
}

export async function removeWithData(rpc: RtorrentRpc, hashes: string[], multicallName: 'd.multicall2' | 'd.multicall'): Promise<void> {
  const fs = new BoxFs(rpc);
  const layouts = await readLayouts(rpc, hashes);
  // Other torrents' files are checked here only: stopping these changes nothing of theirs.
  await inspect(fs, rpc, layouts, multicallName, true);

  await rpc.multicallAll(hashes.flatMap(stopCalls));
  let deletions: Deletion[];
  try {
    // Fresh, on the files as they are now that rTorrent has let go of them.
    deletions = await inspect(fs, rpc, await readLayouts(rpc, hashes), multicallName, false);
    await rpc.multicallAll(hashes.map((hash) => ({ method: 'd.erase', params: [hash] })));
  } catch (error) {
    // Refused, or not erased: nothing was deleted, so every torrent still there runs as before.
    await rpc.multicall(layouts.flatMap((layout) => restoreCalls(layout.hash, layout.state)));
    throw error;
  }

  // rm without -r: it unlinks names, and never descends into or through a folder.
  const files = deletions.flatMap((deletion) => deletion.files);
  const { failed, faults } = await fs.runForPaths(files, (batch) => ['rm', '-f', '--', ...batch]);
  // rmdir removes only empty folders (deepest first); one that holds files of yours stays.
  await fs.runForPaths(
    deletions.flatMap((deletion) => deletion.folders),
    (batch) => ['rmdir', '--ignore-fail-on-non-empty', '--', ...batch],
  );
  // rm -f succeeds only when every name is gone: only a failed command's names need a look.
  const left = failed.length > 0 ? [...(await fs.lstat(failed)).keys()] : [];
  // The torrent's folder was a link to a folder that is now gone: the dangling link goes too.
  const links = deletions.filter((deletion) => deletion.link !== undefined);
  if (links.length > 0) {
    const paths = links.flatMap((deletion) => [deletion.realBase, deletion.link!]);
    const [now, real] = await Promise.all([fs.lstat(paths), fs.realpaths(paths)]);
    const dangling = links
      .filter((deletion) => !now.has(deletion.realBase) && now.get(deletion.link!)?.type === 'l' && real.get(deletion.link!) === deletion.realBase)
      .map((deletion) => deletion.link!);
    if (dangling.length > 0) await fs.runForPaths(dangling, (batch) => ['rm', '-f', '--', ...batch]);
  }
  if (left.length > 0) {
    throw new SeedboxError(
      'rpc-fault',
      `The torrents were removed from rTorrent, and ${files.length - left.length} of ${files.length} files deleted, but these could not be: ` +
        `${named(left)}${faults.length > 0 ? ` (${faults.join('; ')})` : ''}.`,
      { ids: hashes.map((hash) => hash.toLowerCase()).join(','), deleted: files.length - left.length, notDeleted: left.length },
    );
  }
}

/**
 * Resolves what removing these torrents' data would delete, or refuses with the reason. Each
 * torrent's folder is resolved by realpath; below it, a multi-file torrent's whole folder is
 * listed by find -P, and a single file is looked at by lstat, so every path taken is its own
 * realpath: exactly <real folder>/<path in the torrent>.
 */
async function inspect(fs: BoxFs, rpc: RtorrentRpc, layouts: LiveLayout[], multicallName: string, checkShared: boolean): Promise<Deletion[]> {
  const plans = layouts.map((layout) => ({ layout, plan: planDataRemoval(layout) })).filter(({ plan }) => plan.files.length > 0);
  const realBases = await fs.realpaths(plans.map(({ plan }) => plan.base));
  const baseEntries = await fs.lstat([...realBases.values()]);

  const present = plans.flatMap(({ layout, plan }) => {
    const realBase = realBases.get(plan.base)!;
    if (realBase === '/') throw refuse(layout.id, `its folder ${plan.base} is the root folder`);
    const base = baseEntries.get(realBase);
    if (!base) return []; // nothing downloaded yet: nothing to delete
    if (base.type !== 'd') throw refuse(layout.id, `${describePath(plan.base, realBase)} is not a folder`);
    const files = plan.files.map((file) => `${realBase}${file.slice(plan.base.length)}`);
    return [{ layout, plan, realBase, files }];
  });
  const trees = await fs.trees(present.filter(({ layout }) => layout.isMultiFile).map(({ realBase }) => realBase));
  const singles = await fs.lstat(present.filter(({ layout }) => !layout.isMultiFile).flatMap(({ files }) => files));

  const deletions: Deletion[] = [];
  for (const { layout, plan, realBase, files } of present) {
    const entries = layout.isMultiFile ? trees.get(realBase)! : singles;
    // Shallowest first: a link is met before anything said to lie beyond it.
    const folders = [...new Set(files.flatMap((file) => foldersBetween(realBase, file)))].sort((a, b) => a.length - b.length);
    for (const folder of folders) {
      if (entries.get(folder)?.type === 'l') {
        const target = (await fs.realpaths([folder])).get(folder);
        throw refuse(layout.id, `${folder} is a symbolic link to ${target}; a link to a folder is never followed, and that folder's files are not the torrent's to delete`);
      }
    }
    const deleted: string[] = [];
    for (const file of files) {
      const found = entries.get(file);
      if (!found) continue; // never downloaded, skipped, or below something that is not a folder
      // A link loses only itself: rm never follows the last component.
      if (found.type === 'd') throw refuse(layout.id, `${file} is a folder, where the torrent has a file`);
      if (found.type !== 'f' && found.type !== 'l') throw refuse(layout.id, `${file} is not a regular file`);
      deleted.push(file);
    }
    const deepestFirst = [...folders, ...(layout.isMultiFile ? [realBase] : [])].sort((a, b) => b.split('/').length - a.split('/').length);
    deletions.push({
      id: layout.id,
      files: deleted,
      folders: deepestFirst.filter((folder) => entries.get(folder)?.type === 'd'),
      realBase,
      ...(realBase !== plan.base && layout.isMultiFile ? { link: plan.base } : {}),
    });
  }
  if (checkShared) await refuseShared(fs, rpc, layouts, deletions, multicallName);
  return deletions;
}

const otherRows = z.array(z.tuple([z.string().regex(/^[0-9A-F]{40}$/i), z.string(), z.union([z.literal(0), z.literal(1)])]));
const fileRows = z.array(z.tuple([z.string()]));

/**
 * Refuses when another loaded torrent (one not being removed) uses a name that would be
 * deleted: the same path, or a path through links that ends at it. A hard link elsewhere is
 * another name for the data, which survives: deleting ours is fine.
 */
async function refuseShared(fs: BoxFs, rpc: RtorrentRpc, removing: LiveLayout[], deletions: Deletion[], multicallName: string): Promise<void> {
  const doomed = new Map(deletions.flatMap((deletion) => deletion.files.map((file) => [file, deletion.id] as const)));
  if (doomed.size === 0) return;
  const ids = new Set(removing.map((layout) => layout.hash.toUpperCase()));
  const fields = ['d.hash=', 'd.directory=', 'd.is_multi_file='];
  const [rowsAnswer] = await rpc.multicallAll([{ method: multicallName, params: [...(multicallName === 'd.multicall2' ? [''] : []), 'main', ...fields] }]);
  const others = checked(otherRows, rowsAnswer, multicallName, 'main').filter(([hash]) => !ids.has(hash.toUpperCase()));
  if (others.length === 0) return;
  const calls: RpcCall[] = others.map(([hash]) => ({ method: 'f.multicall', params: [hash, '', 'f.path='] }));
  const paths: { hash: string; path: string }[] = [];
  for (let index = 0; index < calls.length; index += 500) {
    const answers = await rpc.multicall(calls.slice(index, index + 500));
    answers.forEach((answer, offset) => {
      const [hash, directory] = others[index + offset]!;
      // Erased meanwhile: it uses nothing any more.
      if (!answer.ok) return;
      for (const [path] of checked(fileRows, answer.value, 'f.multicall f.path=', hash)) paths.push({ hash, path: `${directory}/${path}` });
    });
  }
  const parents = paths.map(({ path }) => posix.dirname(path));
  const real = await fs.realpaths([...paths.map(({ path }) => path), ...parents]);
  for (const { hash, path } of paths) {
    // What it reads (links followed to the end), and the name it reads it by (folders resolved).
    for (const used of [real.get(path), `${real.get(posix.dirname(path))}/${posix.basename(path)}`]) {
      const owner = used === undefined ? undefined : doomed.get(used);
      if (owner !== undefined) {
        throw refuse(owner, `${used} is also a file of torrent ${hash.toLowerCase()}, which stays loaded (remove both together, or remove this one without its data)`);
      }
    }
  }
}

function refuse(id: string, why: string): SeedboxError {
  return new SeedboxError('refused', `Not deleting the data of ${id}, nothing was changed: ${why}.`, { id });
}

function describePath(path: string, real: string): string {
  return real === path ? path : `${path} (${real})`;
}

function named(paths: string[]): string {
  return paths.slice(0, MAX_NAMED).join(', ') + (paths.length > MAX_NAMED ? ` and ${paths.length - MAX_NAMED} more` : '');
}
