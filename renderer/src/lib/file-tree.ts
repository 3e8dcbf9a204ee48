// A torrent's flat file list ('/'-separated paths) as a folder tree, with sizes, progress and
// priorities aggregated per folder, for the details panel and the add dialog. Pure functions:
// the components only render rows and send the indexes these return.
import type { FilePriority } from '../../../electron/shared/model';

export interface FileEntry {
  index: number;
  path: string;
  sizeBytes: number;
  /** Absent in the add dialog (nothing downloaded yet). */
  doneBytes?: number;
  priority?: FilePriority;
}

export interface FileLeaf {
  kind: 'file';
  name: string;
  /** Full path inside the torrent: unique, used as the row key. */
  path: string;
  index: number;
  sizeBytes: number;
  doneBytes: number;
  priority: FilePriority;
}

export interface FolderNode {
  kind: 'folder';
  name: string;
  /** '' for the root; otherwise the folder's full path followed by '/', so it never equals a file's path. */
  path: string;
  children: TreeNode[];
  sizeBytes: number;
  doneBytes: number;
  /** Every file index below this folder, in ascending order. */
  indexes: number[];
  /** The files' common priority, or 'mixed'. */
  priority: FilePriority | 'mixed';
}

export type TreeNode = FileLeaf | FolderNode;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function newFolder(name: string, path: string): FolderNode {
  return { kind: 'folder', name, path, children: [], sizeBytes: 0, doneBytes: 0, indexes: [], priority: 'normal' };
}

/** Builds the tree; folders come before files, each sorted by name the way a file manager does. */
export function buildFileTree(files: readonly FileEntry[]): FolderNode {
  const root = newFolder('', '');
  const folders = new Map<string, FolderNode>([['', root]]);
  for (const file of files) {
    // Empty segments ('a//b', a leading '/') would make nameless folders.
    const segments = file.path.split('/').filter((segment) => segment !== '');
    const fileName = segments.pop() ?? `file ${file.index}`;
    let parent = root;
    let prefix = '';
    for (const segment of segments) {
      prefix += `${segment}/`;
      let folder = folders.get(prefix);
      if (!folder) {
        folder = newFolder(segment, prefix);
        folders.set(prefix, folder);
        parent.children.push(folder);
      }
      parent = folder;
    }
    parent.children.push({
      kind: 'file',
      name: fileName,
      path: prefix + fileName,
      index: file.index,
      sizeBytes: file.sizeBytes,
      doneBytes: file.doneBytes ?? 0,
      priority: file.priority ?? 'normal',
    });
  }
  aggregate(root);
  return root;
}

function aggregate(folder: FolderNode): void {
  folder.children.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'folder' ? -1 : 1));
  const priorities = new Set<FilePriority | 'mixed'>();
  for (const child of folder.children) {
    if (child.kind === 'folder') {
      aggregate(child);
      folder.indexes.push(...child.indexes);
    } else {
      folder.indexes.push(child.index);
    }
    folder.sizeBytes += child.sizeBytes;
    folder.doneBytes += child.doneBytes;
    priorities.add(child.priority);
  }
  folder.indexes.sort((a, b) => a - b);
  folder.priority = priorities.size === 1 ? [...priorities][0]! : priorities.size === 0 ? 'normal' : 'mixed';
}

/** The file indexes a priority change on this node applies to: a folder sets all its files. */
export function fileIndexesOf(node: TreeNode): number[] {
  return node.kind === 'file' ? [node.index] : node.indexes;
}

/** 0..1 of the node's bytes that are done (1 for an empty node). */
export function progressOf(node: TreeNode): number {
  return node.sizeBytes > 0 ? node.doneBytes / node.sizeBytes : 1;
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
}

/** The rows to draw, depth-first, skipping the children of collapsed folders (by folder path). */
export function visibleRows(root: FolderNode, collapsed: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (folder: FolderNode, depth: number): void => {
    for (const child of folder.children) {
      rows.push({ node: child, depth });
      if (child.kind === 'folder' && !collapsed.has(child.path)) walk(child, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

/** Every folder's path: to collapse all of them at once. */
export function folderPaths(root: FolderNode): string[] {
  const paths: string[] = [];
  const walk = (folder: FolderNode): void => {
    for (const child of folder.children) {
      if (child.kind === 'folder') {
        paths.push(child.path);
        walk(child);
      }
    }
  };
  walk(root);
  return paths;
}

/** A checkbox's state for a node given the selected file indexes. */
export function selectionState(node: TreeNode, selected: ReadonlySet<number>): 'all' | 'none' | 'some' {
  const indexes = fileIndexesOf(node);
  const count = indexes.reduce((sum, index) => sum + (selected.has(index) ? 1 : 0), 0);
  return count === 0 ? 'none' : count === indexes.length ? 'all' : 'some';
}

/** Ticks or unticks a node (a folder: all its files), returning a new set. */
export function toggleSelection(node: TreeNode, selected: ReadonlySet<number>): Set<number> {
  const next = new Set(selected);
  const select = selectionState(node, selected) !== 'all';
  for (const index of fileIndexesOf(node)) {
    if (select) next.add(index);
    else next.delete(index);
  }
  return next;
}
