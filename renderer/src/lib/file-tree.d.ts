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
/** Builds the tree; folders come before files, each sorted by name the way a file manager does. */
export declare function buildFileTree(files: readonly FileEntry[]): FolderNode;
/** The file indexes a priority change on this node applies to: a folder sets all its files. */
export declare function fileIndexesOf(node: TreeNode): number[];
/** 0..1 of the node's bytes that are done (1 for an empty node). */
export declare function progressOf(node: TreeNode): number;
export interface TreeRow {
    node: TreeNode;
    depth: number;
}
/** The rows to draw, depth-first, skipping the children of collapsed folders (by folder path). */
export declare function visibleRows(root: FolderNode, collapsed: ReadonlySet<string>): TreeRow[];
/** Every folder's path: to collapse all of them at once. */
export declare function folderPaths(root: FolderNode): string[];
/** A checkbox's state for a node given the selected file indexes. */
export declare function selectionState(node: TreeNode, selected: ReadonlySet<number>): 'all' | 'none' | 'some';
/** Ticks or unticks a node (a folder: all its files), returning a new set. */
export declare function toggleSelection(node: TreeNode, selected: ReadonlySet<number>): Set<number>;
