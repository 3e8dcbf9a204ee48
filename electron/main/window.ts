import type { BrowserWindowConstructorOptions } from 'electron';
import type { AppPage } from './app-page';
import type { SenderFrame } from './ipc';
import { hardenSession, hardenWebContents, type HardenableContents, type HardenableSession } from './security';
import type { Rectangle, RestoredBounds, WindowState } from './window-bounds';

// The main window: locked-down web preferences, our page only, bounds remembered, and closing
// it hides it to the tray when the user wants that.

/** Options for the main window; the security settings are not negotiable. */
export function mainWindowOptions(options: { preloadPath: string; bounds: RestoredBounds }): BrowserWindowConstructorOptions {
  const { maximized: _maximized, ...bounds } = options.bounds;
  return {
    ...bounds,
    minWidth: 480,
    minHeight: 320,
    show: false,
    title: 'Seedbox Remote',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of a BrowserWindow used here. */
export interface WindowLike {
  readonly webContents: HardenableContents & {
    readonly session: HardenableSession;
    readonly mainFrame: SenderFrame;
    on(event: 'did-finish-load' | 'did-start-loading' | 'render-process-gone', listener: () => void): unknown;
  };
  on(event: 'close' | 'closed' | 'resize' | 'move' | 'maximize' | 'unmaximize' | 'ready-to-show', listener: (event: PreventableEvent) => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  maximize(): void;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
}

export interface MainWindowOptions<W extends WindowLike> {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  page: AppPage;
  preloadPath: string;
  bounds: RestoredBounds;
  openExternal: (url: string) => unknown;
  saveState: (state: WindowState) => void;
  /** Asked on every close: true hides the window instead (close to tray, and not quitting). */
  shouldHideOnClose: () => boolean;
  /** The page is loaded and listening (true), or reloading / gone (false). */
  onReadyChange: (ready: boolean) => void;
  log: (message: string) => void;
}

export function createMainWindow<W extends WindowLike>(options: MainWindowOptions<W>): W {
  const window = new options.BrowserWindow(mainWindowOptions({ preloadPath: options.preloadPath, bounds: options.bounds }));
  hardenSession(window.webContents.session, { policy: options.page.contentSecurityPolicy });
  hardenWebContents(window.webContents, { openExternal: options.openExternal, log: options.log });

  const contents = window.webContents;
  contents.on('did-start-loading', () => options.onReadyChange(false));
  contents.on('render-process-gone', () => options.onReadyChange(false));
  contents.on('did-finish-load', () => options.onReadyChange(true));

  window.once('ready-to-show', () => {
    if (options.bounds.maximized) window.maximize();
    window.show();
  });
  trackWindowState(window, options.saveState);
  window.on('close', (event) => {
    if (!options.shouldHideOnClose()) return;
    event.preventDefault();
    window.hide();
  });
  window.on('closed', () => options.onReadyChange(false));
  void window.loadURL(options.page.url).catch((error: unknown) => options.log(`Could not load the window's page: ${String(error)}`));
  return window;
}

/** Saves the normal (not maximized) bounds and the maximized flag, at most twice a second and on close. */
function trackWindowState(window: WindowLike, save: (state: WindowState) => void): void {
  let timer: NodeJS.Timeout | undefined;
  const saveNow = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    save({ ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  const saveSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(saveNow, 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, saveSoon);
  window.on('close', saveNow);
}
