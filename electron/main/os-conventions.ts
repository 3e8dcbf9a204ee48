import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../shared/contract';
import { createTranslator, DEFAULT_LOCALE, type Locale } from '../shared/i18n';

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
 * Every label is the catalogue's, in main's language: Electron's own role labels are English
 * whatever the language. A role keeps its action and its accelerator when it is given a label
 * (menu-item.md: on macOS, label and accelerator are the only options that change a role's
 * item). The accelerators stay Electron's locale-free strings ("CommandOrControl+Z",
 * docs/api/accelerator.md): the native menu draws them itself, with macOS's symbols (⌘⇧⌫), the
 * same in every language; only shortcuts the page draws go through the page's key names.
 *
 * Windows and Linux: none. The window carries every command itself (sidebar, toolbar, context
 * menus, shortcuts), and Electron's default menu there would only add Reload and the developer
 * tools; menu.md: "Passing null will suppress the default menu. On Windows and Linux, this has
 * the additional effect of removing the menu bar from the window."
 */
export function applicationMenuTemplate(platform: NodeJS.Platform, appName: string, locale: Locale = DEFAULT_LOCALE): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  const t = createTranslator(locale);
  const app = { app: appName };
  const separator = { type: 'separator' } as const;
  return [
    {
      label: appName,
      submenu: [
        { role: 'about', label: t('main.appMenu.about', app) },
        separator,
        { role: 'services', label: t('main.appMenu.services') },
        separator,
        { role: 'hide', label: t('main.appMenu.hide', app) },
        { role: 'hideOthers', label: t('main.appMenu.hideOthers') },
        { role: 'unhide', label: t('main.appMenu.showAll') },
        separator,
        { role: 'quit', label: t('main.appMenu.quit', app) },
      ],
    },
    {
      label: t('main.appMenu.edit'),
      submenu: [
        { role: 'undo', label: t('main.appMenu.undo') },
        { role: 'redo', label: t('main.appMenu.redo') },
        separator,
        { role: 'cut', label: t('main.appMenu.cut') },
        { role: 'copy', label: t('main.appMenu.copy') },
        { role: 'paste', label: t('main.appMenu.paste') },
        { role: 'pasteAndMatchStyle', label: t('main.appMenu.pasteAndMatchStyle') },
        { role: 'delete', label: t('main.appMenu.delete') },
        { role: 'selectAll', label: t('main.appMenu.selectAll') },
      ],
    },
    {
      label: t('main.appMenu.view'),
      submenu: [
        { role: 'resetZoom', label: t('main.appMenu.actualSize') },
        { role: 'zoomIn', label: t('main.appMenu.zoomIn') },
        { role: 'zoomOut', label: t('main.appMenu.zoomOut') },
        separator,
        { role: 'togglefullscreen', label: t('main.appMenu.fullScreen') },
      ],
    },
    {
      // The 'window' role makes it macOS's Window menu, which lists the open windows.
      role: 'window',
      label: t('main.appMenu.window'),
      submenu: [
        { role: 'minimize', label: t('main.appMenu.minimize') },
        { role: 'zoom', label: t('main.appMenu.zoom') },
        separator,
        { role: 'front', label: t('main.appMenu.front') },
      ],
    },
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
