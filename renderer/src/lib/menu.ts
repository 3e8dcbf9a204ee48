// The shape of a menu (context menu, column chooser): plain data, drawn by ContextMenu.vue.
import type { IconName } from './icons';

export type MenuItem =
  | { kind: 'action'; id: string; label: string; icon?: IconName; shortcut?: string; disabled?: boolean; hint?: string; danger?: boolean; checked?: boolean; run: () => void }
  | { kind: 'submenu'; id: string; label: string; icon?: IconName; disabled?: boolean; hint?: string; items: MenuItem[] }
  | { kind: 'separator' };

/** A menu open at a point of the window (client coordinates). */
export interface MenuAt {
  x: number;
  y: number;
  items: MenuItem[];
}

export const separator: MenuItem = { kind: 'separator' };

/** Drops separators at either end and doubled ones (left when whole groups are unsupported). */
export function tidyMenu(items: readonly MenuItem[]): MenuItem[] {
  const out: MenuItem[] = [];
  for (const item of items) {
    if (item.kind === 'separator' && (out.length === 0 || out[out.length - 1]!.kind === 'separator')) continue;
    out.push(item);
  }
  while (out.length > 0 && out[out.length - 1]!.kind === 'separator') out.pop();
  return out;
}
