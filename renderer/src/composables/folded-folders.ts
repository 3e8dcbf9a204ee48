// Which folders of a file tree are folded, for the add dialog's tree and the details' files.
import { ref } from 'vue';
import type { TreeNode } from '../lib/file-tree';

export function useFoldedFolders() {
  const collapsed = ref(new Set<string>());

  function toggle(node: TreeNode): void {
    if (node.kind !== 'folder') return;
    const next = new Set(collapsed.value);
    if (next.has(node.path)) next.delete(node.path);
    else next.add(node.path);
    collapsed.value = next;
  }

  return { collapsed, toggle };
}
