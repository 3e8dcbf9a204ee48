import { posix } from 'node:path';
import { z } from 'zod';
import { SeedboxError } from '../../../shared/errors';
import { BoxFs, foldersBetween, type BoxEntry } from './box-fs';
import { checked, readLayouts, restoreCalls, stopCalls, type LiveLayout } from './layout';
import { planDataRemoval } from './paths';
import type { RtorrentRpc, RpcCall } from './rpc';

// Removing a torrent with its data, for rTorrent, which cannot delete files itself.
//
// What will really be removed is resolved on the box before anything is removed: the
// torrent's folder through realpath (a folder that is itself a link, say to spread data over
// disks, counts as the folder it points to), then every file and folder below it by lstat and
// realpath. A file is deleted only when its real path is exactly <real folder>/<its path in
// the torrent>, so no folder on its way is a link; a file that is itself a link loses only the
// link; a hard link loses only its own name. A folder inside the torrent that is a symbolic
// link, a file some other loaded torrent still uses (cross-seeding), anything that is not a
// file where the torrent has a file: the whole removal is refused with the reason, before
// anything is touched. The check runs twice: once while the torrents run (refusing then
// disturbs nothing), and again after they are stopped and closed, on the state that is acted on.

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
  await inspect(fs, rpc, layouts, multicallName);

  await rpc.multicallAll(hashes.flatMap(stopCalls));
  let deletions: Deletion[];
  try {
    // Fresh, on the files as they are now that rTorrent has let go of them.
    deletions = await inspect(fs, rpc, await readLayouts(rpc, hashes), multicallName);
  } catch (error) {
    await rpc.multicall(layouts.flatMap((layout) => restoreCalls(layout.hash, layout.state)));
    throw error;
  }
  await rpc.multicallAll(hashes.map((hash) => ({ method: 'd.erase', params: [hash] })));

  // rm without -r: it unlinks names, and never descends into or through a folder.
  const files = deletions.flatMap((deletion) => deletion.files);
  const { faults } = await fs.runForPaths(files, (batch) => ['rm', '-f', '--', ...batch]);
  // rmdir removes only empty folders; one that holds files of yours stays.
  await fs.runQuietly(deletions.flatMap((deletion) => deletion.folders.map((folder) => ['rmdir', '--', folder])));
  const left = await fs.lstat(files);
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
  if (left.size > 0) {
    const names = [...left.keys()];
    throw new SeedboxError(
      'rpc-fault',
      `The torrents were removed from rTorrent, and ${files.length - names.length} of ${files.length} files deleted, but these could not be: ` +
        `${named(names)}${faults.length > 0 ? ` (${faults.join('; ')})` : ''}.`,
      { ids: hashes.map((hash) => hash.toLowerCase()).join(','), deleted: files.length - names.length, notDeleted: names.length },
    );
  }
}

/** Resolves what removing these torrents' data would delete, or refuses with the reason. */
async function inspect(fs: BoxFs, rpc: RtorrentRpc, layouts: LiveLayout[], multicallName: 'd.multicall2' | 'd.multicall'): Promise<Deletion[]> {
  const plans = layouts.map((layout) => ({ layout, plan: planDataRemoval(layout) }));
  const withFiles = plans.filter(({ plan }) => plan.files.length > 0);
  const realBases = await fs.realpaths(withFiles.map(({ plan }) => plan.base));
  const baseEntries = await fs.lstat([...realBases.values()]);

  // Every path below each real folder: the files, and the folders on their way.
  const expected = withFiles.flatMap(({ layout, plan }) => {
    const realBase = realBases.get(plan.base)!;
    if (realBase === '/') throw refuse(layout.id, `its folder ${plan.base} is the root folder`);
    const base = baseEntries.get(realBase);
    if (!base) return []; // nothing downloaded yet: nothing to delete
    if (base.type !== 'd') throw refuse(layout.id, `${describePath(plan.base, realBase)} is not a folder`);
    const files = plan.files.map((file) => `${realBase}${file.slice(plan.base.length)}`);
    const folders = [...new Set(files.flatMap((file) => foldersBetween(realBase, file)))];
    return [{ layout, plan, realBase, files, folders }];
  });
  const all = expected.flatMap((item) => [...item.files, ...item.folders]);
  const [entries, real] = await Promise.all([fs.lstat(all), fs.realpaths([...all, ...expected.flatMap((item) => item.files.map(posix.dirname))])]);

  const deletions: Deletion[] = expected.map(({ layout, plan, realBase, files, folders }) => {
    // Shallowest first, so that a link is named rather than what lies beyond it.
    for (const folder of [...folders].sort((a, b) => a.length - b.length)) {
      const found = entries.get(folder);
      if (found?.type === 'l') {
        throw refuse(layout.id, `${folder} is a symbolic link to ${real.get(folder)}; a link to a folder is never followed, and that folder's files are not the torrent's to delete`);
      }
      if (found?.type === 'd' && real.get(folder) !== folder) throw refuse(layout.id, `${folder} resolves to ${real.get(folder)}`);
    }
    const deleted: string[] = [];
    for (const file of files) {
      const found = entries.get(file);
      if (!found) continue; // never downloaded, or skipped
      checkFile(layout.id, file, found, real);
      deleted.push(file);
    }
    const sorted = [...folders, ...(layout.isMultiFile ? [realBase] : [])].sort((a, b) => b.split('/').length - a.split('/').length);
    return { id: layout.id, files: deleted, folders: sorted, realBase, ...(realBase !== plan.base && layout.isMultiFile ? { link: plan.base } : {}) };
  });
  await refuseShared(fs, rpc, layouts, deletions, multicallName);
  return deletions;
}

function checkFile(id: string, file: string, found: BoxEntry, real: Map<string, string>): void {
  const parent = posix.dirname(file);
  if (real.get(parent) !== parent) throw refuse(id, `the folder of ${file} resolves to ${real.get(parent)}`);
  if (found.type === 'l') return; // rm removes the link itself, never what it points to
  if (found.type === 'd') throw refuse(id, `${file} is a folder, where the torrent has a file`);
  if (found.type !== 'f') throw refuse(id, `${file} is not a regular file`);
  if (real.get(file) !== file) throw refuse(id, `${file} resolves to ${real.get(file)}`);
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
