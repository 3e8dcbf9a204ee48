import { posix } from 'node:path';
import { SeedboxError } from '../../../shared/errors';

// rTorrent cannot delete or move data itself, so we do it through its execute.* commands.
// These pure planners decide exactly which paths may be touched: only the torrent's own
// files, inside the torrent's own base path, and they refuse anything else with a reason.

export interface TorrentLayout {
  id: string;
  /** d.directory: the save path for a single file, <save path>/<name> for a multi-file torrent. */
  directory: string;
  isMultiFile: boolean;
  /** f.path of every file, relative to the torrent's root. */
  files: string[];
}

export interface RemovalPlan {
  /** The torrent's folder (multi-file) or the folder its single file is in, as rTorrent names it. */
  base: string;
  files: string[];
  /** Directories to try to remove, deepest first; only empty ones go. */
  directories: string[];
}

type Action = 'deleting' | 'moving';

function refuse(action: Action, id: string, why: string): SeedboxError {
  return new SeedboxError('refused', `Not ${action} the data of ${id}: ${why}.`, { id });
}

function checkAbsolute(action: Action, id: string, path: string, what: string): string {
  if (!path.startsWith('/') || path.includes('\0')) throw refuse(action, id, `its ${what} "${path}" is not an absolute path`);
  const normalized = posix.normalize(path).replace(/\/+$/, '') || '/';
  if (normalized === '/') throw refuse(action, id, `its ${what} is the root directory`);
  return normalized;
}

/** Joins a torrent-relative path under `base`, refusing anything that would leave it. */
function inside(action: Action, id: string, base: string, relative: string): string {
  const parts = relative.split('/');
  if (relative === '' || relative.includes('\0') || relative.startsWith('/') || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw refuse(action, id, `the file path "${relative}" would leave the torrent's folder`);
  }
  return `${base}/${relative}`;
}

export function planDataRemoval(layout: TorrentLayout): RemovalPlan {
  const directory = checkAbsolute('deleting', layout.id, layout.directory, 'directory');
  // A magnet still fetching its info has no files yet, and its directory is the default one.
  if (layout.files.length === 0) return { base: directory, files: [], directories: [] };
  if (!layout.isMultiFile) {
    if (layout.files.length !== 1) throw refuse('deleting', layout.id, 'a single-file torrent reported several files');
    return { base: directory, files: [inside('deleting', layout.id, directory, layout.files[0]!)], directories: [] };
  }
  const files = layout.files.map((file) => inside('deleting', layout.id, directory, file));
  const directories = new Set<string>([directory]);
  for (const file of files) {
    for (let parent = posix.dirname(file); parent.length > directory.length; parent = posix.dirname(parent)) directories.add(parent);
  }
  const deepestFirst = [...directories].sort((a, b) => b.split('/').length - a.split('/').length || b.localeCompare(a));
  return { base: directory, files, directories: deepestFirst };
}

export interface MovePlan {
  source: string;
  destination: string;
}

/** Where the data is and where it must go; null when it is already there. */
export function planMove(layout: TorrentLayout & { name: string; target: string }): MovePlan | null {
  const directory = checkAbsolute('moving', layout.id, layout.directory, 'directory');
  if (!layout.target.startsWith('/')) {
    throw new SeedboxError('invalid-argument', `The target directory must be an absolute path on the seedbox, not "${layout.target}".`);
  }
  const target = posix.normalize(layout.target).replace(/\/+$/, '') || '/';
  // rTorrent puts a multi-file torrent in <target>/<name>, and a single file at <target>/<file>.
  const source = layout.isMultiFile ? directory : inside('moving', layout.id, directory, layout.files[0] ?? '');
  const leaf = layout.isMultiFile ? layout.name : (layout.files[0] ?? '');
  const destination = inside('moving', layout.id, target === '/' ? '' : target, leaf);
  if (destination === source) return null;
  if (target === source || target.startsWith(`${source}/`)) {
    throw new SeedboxError('refused', `Cannot move ${source} into itself (${target}).`, { id: layout.id });
  }
  return { source, destination };
}
