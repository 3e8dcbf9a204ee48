import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../shared/contract';

// What makes the window at home on each OS beyond light/dark: the application menu each
// platform expects, and the user's accent colour, passed to the page as a checked value.

/**
 * The application menu, or null for none.
 *
 * macOS: every app has a menu bar, and its first menu is the app's own menu (About, Services,
 * Hide, Hide Others, Show All, Quit). Without an Edit menu the standard text shortcuts
 * (⌘C, ⌘V, ⌘A, ⌘Z) do nothing in the page's fields, because macOS routes them through the
 * menu: Electron's docs (docs/api/menu.md, "Standard menu", and menu-item.md, "Roles")
 * describe these roles for exactly this. The View menu carries zoom (a reader's larger text)
 * and full screen; the Window menu is the standard one (minimize, zoom, bring all to front).
 *
 * Windows and Linux: none. The window carries every command itself (sidebar, toolbar, context
 * menus, shortcuts), and Electron's default menu there would only add Reload and the developer
 * tools; menu.md: "Passing null will suppress the default menu. On Windows and Linux, this has
 * the additional effect of removing the menu bar from the window."
 */
export function applicationMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    {
      label: appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}

export type Appearance = EventPayload<'app:appearance'>;

/** Electron's accent colour: "RGBA hexadecimal form", e.g. "aabbccdd" (docs/api/system-preferences.md). */
const RGBA_HEX = /^#?([0-9a-f]{6})(?:[0-9a-f]{2})?$/i;

/**
 * The accent colour as the page takes it ("#rrggbb", alpha dropped: the page mixes its own
 * transparency), or null for anything else: the value comes from the OS, and only a colour in
 * the one expected form reaches a CSS variable.
 */
export function accentColorOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const match = RGBA_HEX.exec(raw.trim());
  return match ? `#${match[1]!.toLowerCase()}` : null;
}

/** The parts of systemPreferences used here (all optional: they differ by platform). */
export interface AccentSource {
  getAccentColor?: () => unknown;
  on?: (event: 'accent-color-changed', listener: (event: unknown, newColor: string) => void) => unknown;
  subscribeNotification?: (event: string, callback: () => void) => number;
}

/**
 * Reads the accent colour now and calls `changed` whenever the OS reports a new one. Where
 * the platform has no accent colour, or reading it throws, it is null and the page keeps its own.
 * Windows and Linux emit 'accent-color-changed' (electron.d.ts for Electron 44: @platform
 * win32,linux); macOS posts AppleColorPreferencesChangedNotification to the distributed
 * notification center when the accent or highlight colour changes (system-preferences.md names
 * it among subscribeNotification's example events).
 */
export function watchAccentColor(source: AccentSource, platform: NodeJS.Platform, changed: (appearance: Appearance) => void): { current(): Appearance } {
  const read = (): Appearance => {
    try {
      return { accentColor: accentColorOf(source.getAccentColor?.()) };
    } catch {
      return { accentColor: null };
    }
  };
  let last = read();
  const refresh = (): void => {
    const next = read();
    if (next.accentColor === last.accentColor) return;
    last = next;
    changed(next);
  };
  if (platform === 'darwin') source.subscribeNotification?.('AppleColorPreferencesChangedNotification', refresh);
  // The new colour comes with the event, but it is read again, so both paths validate alike.
  else source.on?.('accent-color-changed', refresh);
  return { current: () => last };
}
