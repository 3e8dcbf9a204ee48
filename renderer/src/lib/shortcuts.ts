// The window's keyboard shortcuts, as a pure mapping from a key press to a command.

export type ShortcutCommand =
  | 'remove'
  | 'remove-data'
  | 'toggle'
  | 'select-all'
  | 'focus-search'
  | 'clear-selection'
  | 'up'
  | 'down'
  | 'extend-up'
  | 'extend-down'
  | 'page-up'
  | 'page-down'
  | 'first'
  | 'last'
  | 'add'
  | 'settings';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** With Ctrl (Cmd on macOS), by lower-case key. */
const WITH_CTRL = new Map<string, ShortcutCommand>([
  ['f', 'focus-search'],
  ['a', 'select-all'],
  ['o', 'add'],
  [',', 'settings'],
]);

/** Keys alone: what they do, and what they do with Shift where that differs. */
const PLAIN_KEYS = new Map<string, readonly [ShortcutCommand, ShortcutCommand?]>([
  ['Delete', ['remove', 'remove-data']],
  [' ', ['toggle']],
  ['Escape', ['clear-selection']],
  ['ArrowUp', ['up', 'extend-up']],
  ['ArrowDown', ['down', 'extend-down']],
  ['PageUp', ['page-up']],
  ['PageDown', ['page-down']],
  ['Home', ['first']],
  ['End', ['last']],
]);

/**
 * What a key press does, or null. While typing in a field only the window-wide ones apply
 * (Ctrl+F and friends); Delete, Space and the arrows belong to the field then.
 */
export function shortcutFor(press: KeyPress, typing: boolean): ShortcutCommand | null {
  if (press.altKey) return null;
  if (press.ctrlKey || press.metaKey) {
    const command = WITH_CTRL.get(press.key.toLowerCase()) ?? null;
    // Ctrl+A selects the field's text while typing, not the rows.
    return typing && command === 'select-all' ? null : command;
  }
  if (typing) return null;
  const [plain, shifted] = PLAIN_KEYS.get(press.key) ?? [null];
  return (press.shiftKey && shifted) || plain;
}

/** Whether the event comes from a place where keys mean text (inputs, text areas, editable). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return false;
}
