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
 * Whether this window runs on macOS, where the command modifier is Cmd (⌘) and Ctrl+click is a
 * right-click; everywhere else it is Ctrl. Read from the browser (Chromium's User-Agent Client
 * Hints, then the older navigator.platform): the same in Electron and in `npm run web`.
 */
export function isMacPlatform(nav: { platform?: string; userAgentData?: { platform?: string } } = navigator): boolean {
  const platform = nav.userAgentData?.platform ?? nav.platform ?? '';
  return /^mac/i.test(platform);
}

/** The platform's command modifier alone (Cmd on macOS, Ctrl elsewhere): the other one does not count. */
export function commandKey(press: Pick<KeyPress, 'ctrlKey' | 'metaKey'>, mac: boolean): boolean {
  return mac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
}

/** The words for keys that have no symbol, in the window's language (catalogue: common.keys). */
export interface KeyNames {
  ctrl: string;
  shift: string;
  alt: string;
  del: string;
  backspace: string;
  space: string;
}

/**
 * A shortcut written the Windows/Linux way in English ("Ctrl+F", "Shift+Del", "Alt+↑",
 * "Control+Space") as this OS writes it in the window's language. "Ctrl" is the platform's
 * command modifier (Cmd on macOS), "Control" the Control key itself on every OS.
 *
 * Off macOS the names are the language's, as its keyboards and menus print them (German:
 * "Strg+Umschalt+Entf"). On macOS the modifiers are Apple's symbols in Apple's order (⌃⌥⇧⌘),
 * without "+", and Delete and Backspace are ⌦ and ⌫: the same in every language, as macOS
 * menus show them; only a key without a symbol (Space) is a word.
 *
 * Only shortcuts the page draws itself go through here: a native menu item (the macOS
 * application menu) takes a locale-free Electron accelerator such as "CommandOrControl+Z"
 * (Electron's docs/api/accelerator.md) and the OS's menu draws it in its own way.
 */
export function shortcutLabel(written: string, names: KeyNames, mac = isMacPlatform()): string {
  const parts = written.split('+');
  const key = parts.pop() ?? '';
  if (mac) {
    const has = (name: string): boolean => parts.includes(name);
    return `${has('Control') ? '⌃' : ''}${has('Alt') ? '⌥' : ''}${has('Shift') ? '⇧' : ''}${has('Ctrl') ? '⌘' : ''}${MAC_KEY_SYMBOLS[key] ?? keyName(key, names)}`;
  }
  return [...parts, key].map((part) => keyName(part, names)).join('+');
}

const MAC_KEY_SYMBOLS: Record<string, string> = { Del: '⌦', Backspace: '⌫' };

function keyName(part: string, names: KeyNames): string {
  switch (part) {
    case 'Ctrl':
    case 'Control':
      return names.ctrl;
    case 'Shift':
      return names.shift;
    case 'Alt':
      return names.alt;
    case 'Del':
      return names.del;
    case 'Backspace':
      return names.backspace;
    case 'Space':
      return names.space;
    default:
      // Letters, arrows and punctuation read the same in every language.
      return part;
  }
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
 * (Ctrl+F and friends); Delete, Space and the arrows belong to the field then. The modifier is
 * the platform's own (Cmd on macOS, Ctrl elsewhere); on macOS, Cmd+Backspace also removes, as
 * it moves a file to the Trash in the Finder (a Mac's "delete" key is Backspace).
 */
export function shortcutFor(press: KeyPress, typing: boolean, mac = isMacPlatform()): ShortcutCommand | null {
  if (press.altKey) return null;
  if (press.ctrlKey || press.metaKey) {
    if (!commandKey(press, mac)) return null;
    if (mac && press.key === 'Backspace') return typing ? null : press.shiftKey ? 'remove-data' : 'remove';
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
