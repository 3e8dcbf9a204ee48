import { describe, expect, it } from 'vitest';
import { buildFileTree, fileIndexesOf, folderPaths, progressOf, selectionState, toggleSelection, visibleRows, type FolderNode } from '../../../renderer/src/lib/file-tree';

const files = [
  { index: 0, path: 'Season 1/e02.mkv', sizeBytes: 200, doneBytes: 50, priority: 'normal' as const },
  { index: 1, path: 'Season 1/e10.mkv', sizeBytes: 300, doneBytes: 300, priority: 'high' as const },
  { index: 2, path: 'Season 1/Extras/making-of.mkv', sizeBytes: 100, doneBytes: 0, priority: 'skip' as const },
  { index: 3, path: 'readme.txt', sizeBytes: 10, doneBytes: 10, priority: 'normal' as const },
  { index: 4, path: 'Season 2/e01.mkv', sizeBytes: 400, doneBytes: 100, priority: 'low' as const },
  { index: 5, path: 'Season 2/e02.mkv', sizeBytes: 400, doneBytes: 0, priority: 'low' as const },
];

function folder(root: FolderNode, name: string): FolderNode {
  const found = root.children.find((child) => child.kind === 'folder' && child.name === name);
  if (!found || found.kind !== 'folder') throw new Error(`no folder ${name}`);
  return found;
}

describe('buildFileTree', () => {
  it('nests files under their folders, folders first, names in natural order', () => {
    const root = buildFileTree(files);
    expect(root.children.map((child) => `${child.kind}:${child.name}`)).toEqual(['folder:Season 1', 'folder:Season 2', 'file:readme.txt']);
    const season1 = folder(root, 'Season 1');
    // e02 before e10 (numeric collation), the Extras folder before both.
    expect(season1.children.map((child) => child.name)).toEqual(['Extras', 'e02.mkv', 'e10.mkv']);
    expect(season1.path).toBe('Season 1/');
  });

  it('aggregates size, done bytes and the file indexes per folder', () => {
    const root = buildFileTree(files);
    const season1 = folder(root, 'Season 1');
    expect(season1.sizeBytes).toBe(600);
    expect(season1.doneBytes).toBe(350);
    expect(progressOf(season1)).toBeCloseTo(350 / 600);
    expect(season1.indexes).toEqual([0, 1, 2]);
    expect(root.sizeBytes).toBe(1410);
    expect(root.indexes).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("gives a folder its files' common priority, or 'mixed'", () => {
    const root = buildFileTree(files);
    expect(folder(root, 'Season 1').priority).toBe('mixed');
    expect(folder(root, 'Season 2').priority).toBe('low');
    expect(folder(folder(root, 'Season 1'), 'Extras').priority).toBe('skip');
  });

  it('a folder priority change targets every file below it, a file only itself', () => {
    const root = buildFileTree(files);
    expect(fileIndexesOf(folder(root, 'Season 1'))).toEqual([0, 1, 2]);
    expect(fileIndexesOf(folder(folder(root, 'Season 1'), 'Extras'))).toEqual([2]);
    const readme = root.children.find((child) => child.name === 'readme.txt')!;
    expect(fileIndexesOf(readme)).toEqual([3]);
  });

  it('ignores empty path segments and keeps a lone file at the root', () => {
    const root = buildFileTree([{ index: 0, path: '/a//b.bin', sizeBytes: 1 }, { index: 1, path: 'single.iso', sizeBytes: 2 }]);
    expect(root.children.map((child) => child.name)).toEqual(['a', 'single.iso']);
    expect(folder(root, 'a').children.map((child) => child.path)).toEqual(['a/b.bin']);
  });

  it('hides the rows of collapsed folders', () => {
    const root = buildFileTree(files);
    const all = visibleRows(root, new Set());
    expect(all).toHaveLength(folderPaths(root).length + files.length);
    const collapsed = visibleRows(root, new Set(['Season 1/']));
    expect(collapsed.map((row) => `${row.depth}:${row.node.name}`)).toEqual(['0:Season 1', '0:Season 2', '1:e01.mkv', '1:e02.mkv', '0:readme.txt']);
  });

  it('ticks and unticks whole folders for the add dialog', () => {
    const root = buildFileTree(files);
    const season1 = folder(root, 'Season 1');
    let selected = new Set(root.indexes);
    expect(selectionState(season1, selected)).toBe('all');
    selected = toggleSelection(season1, selected);
    expect([...selected].sort()).toEqual([3, 4, 5]);
    expect(selectionState(season1, selected)).toBe('none');
    selected.add(1);
    expect(selectionState(season1, selected)).toBe('some');
    // A partly ticked folder becomes fully ticked.
    expect([...toggleSelection(season1, selected)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
