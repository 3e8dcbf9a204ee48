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

/**
 * What a key press does, or null. While typing in a field only the window-wide ones apply
 * (Ctrl+F and friends); Delete, Space and the arrows belong to the field then.
 */
export function shortcutFor(press: KeyPress, typing: boolean): ShortcutCommand | null {
  const mod = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (mod) {
    switch (press.key.toLowerCase()) {
      case 'f':
        return 'focus-search';
      case 'a':
        return typing ? null : 'select-all';
      case 'o':
        return 'add';
      case ',':
        return 'settings';
      default:
        return null;
    }
  }
  if (typing) return null;
  switch (press.key) {
    case 'Delete':
      return press.shiftKey ? 'remove-data' : 'remove';
    case ' ':
      return 'toggle';
    case 'Escape':
      return 'clear-selection';
    case 'ArrowUp':
      return press.shiftKey ? 'extend-up' : 'up';
    case 'ArrowDown':
      return press.shiftKey ? 'extend-down' : 'down';
    case 'PageUp':
      return 'page-up';
    case 'PageDown':
      return 'page-down';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    default:
      return null;
  }
}

/** Whether the event comes from a place where keys mean text (inputs, text areas, editable). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return false;
}
