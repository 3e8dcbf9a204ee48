import { join } from 'node:path';
import type * as Electron from 'electron';
import type { Preferences } from '../shared/contract';
import { composeCore, type ComposedCore } from '../core/service/compose';
import { appPage, registerAppScheme, serveAppPage } from './app-page';
import { createEventSender, registerInvokeHandlers, trustedSender } from './ipc';
import { createNotifier, noticeTarget } from './notifications';
import { createOpenHandler, installOpenHandlers, parseOpenArgs } from './open-handler';
import { isSafeExternalUrl } from './security';
import { applyTrayModel, throttle, trayModel, type TrayAction } from './tray';
import { TRAY_ICON_DATA_URL } from './icon';
import { utilityProcessProbeLauncher } from './keychain-probe-process';
import { createMainWindow } from './window';
import { restoreBounds } from './window-bounds';
import { createWindowMessenger } from './window-messenger';

/** The parts of the electron module the shell uses (the real one, or the tests' fake). */
export type ElectronApi = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'Menu' | 'Notification' | 'Tray' | 'nativeImage' | 'screen' | 'shell' | 'protocol' | 'utilityProcess'>;

export interface ShellOptions {
  /** Where out/main/index.js lives: the preload and the page are found from it. */
  outDir: string;
  devServerUrl?: string | undefined;
  argv: readonly string[];
  cwd: string;
  log?: (message: string) => void;
}

export interface Shell {
  core: ComposedCore;
  window(): Electron.BrowserWindow | null;
  quit(): Promise<void>;
}

/**
 * The composition root: one instance, the core service (running with or without a window),
 * the window, the tray, notifications and the OS's magnet/.torrent hand-overs. Everything with
 * logic lives in the modules it wires; this only connects them to Electron.
 */
export async function startShell(electron: ElectronApi, options: ShellOptions): Promise<Shell | null> {
  const { app } = electron;
  const log = options.log ?? ((message: string) => console.warn(message));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let quitting = false;
  let window: Electron.BrowserWindow | null = null;
  const page = appPage({ devServerUrl: options.devServerUrl, packaged: app.isPackaged });
  registerAppScheme(electron.protocol);
  const send = createEventSender({ target: () => window?.webContents ?? null, validate: !app.isPackaged, log });
  const messenger = createWindowMessenger({ send, reveal: () => showWindow() });
  const openRequests = createOpenHandler({ deliver: (payload) => messenger.deliver('app:addRequest', payload), log });

  // The OS may hand over magnets and files before the app is ready.
  installOpenHandlers({ app, handle: (requests) => openRequests(requests), onSecondInstance: () => showWindow() });
  await app.whenReady();
  serveAppPage(electron.protocol, { rendererDir: join(options.outDir, '../renderer'), contentSecurityPolicy: page.contentSecurityPolicy });

  const core = await composeCore({
    configPath: join(app.getPath('userData'), 'seedbox-remote.json'),
    version: app.getVersion(),
    platform: process.platform,
    launchKeychainProbe: utilityProcessProbeLauncher(electron.utilityProcess, join(options.outDir, 'keychain-probe.js')),
  });
  if (core.configProblem) log(core.configProblem);
  let preferences: Preferences = await core.service.handlers['preferences:get']({});
  const applyLoginItem = (): void => app.setLoginItemSettings({ openAtLogin: preferences.startAtLogin });
  applyLoginItem();
  app.setAsDefaultProtocolClient('magnet');

  registerInvokeHandlers({
    ipcMain: electron.ipcMain,
    handlers: core.service.handlers,
    isTrustedSender: trustedSender({ mainFrame: () => window?.webContents.mainFrame ?? null, isAppUrl: page.isAppUrl }),
    validateResults: !app.isPackaged,
    log,
  });

  const notify = createNotifier({
    Notification: electron.Notification,
    preferences: () => preferences,
    onClick: (notice) => {
      const target = noticeTarget(notice);
      if (target) messenger.deliver('app:showTorrent', { seedboxId: target.seedboxId, id: target.id });
      else showWindow();
    },
  });
  core.service.onNotice(notify);

  const tray = new electron.Tray(electron.nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  let lastTotals: Parameters<typeof trayModel>[0] = null;
  const refreshTray = (): void =>
    applyTrayModel({ tray, Menu: electron.Menu, model: trayModel(lastTotals, preferences, { visible: window?.isVisible() ?? false }), dispatch: (action) => void onTrayAction(action) });
  const throttledTray = throttle(() => refreshTray(), 1000);
  core.service.onEvent((channel, payload) => {
    send(channel, payload);
    // Changed from the window or the tray: the shell acts on it at once (tray, login item).
    if (channel === 'preferences:changed') {
      preferences = payload as Preferences;
      applyLoginItem();
      refreshTray();
    }
  });
  core.service.onTotals((totals) => {
    lastTotals = totals;
    throttledTray.call();
  });
  tray.on('click', () => (window?.isVisible() ? window.hide() : showWindow()));
  refreshTray();

  async function onTrayAction(action: TrayAction): Promise<void> {
    try {
      switch (action.kind) {
        case 'toggle-window':
          if (window?.isVisible()) window.hide();
          else showWindow();
          break;
        case 'pause-all':
          await core.service.pauseAll(action.seedboxId);
          break;
        case 'resume-all':
          await core.service.resumeAll(action.seedboxId);
          break;
        case 'alternative-speed':
          await core.service.handlers['seedbox:setAlternativeSpeed']({ seedboxId: action.seedboxId, enabled: action.enabled });
          break;
        case 'close-to-tray':
          await core.service.handlers['preferences:update']({ closeToTray: action.enabled });
          break;
        case 'start-at-login':
          await core.service.handlers['preferences:update']({ startAtLogin: action.enabled });
          break;
        case 'quit':
          await quit();
          return;
      }
    } catch (error) {
      log(`Tray action ${action.kind} failed: ${(error as Error).message}`);
    }
    refreshTray();
  }

  function showWindow(): void {
    if (!window || window.isDestroyed()) {
      if (!app.isReady()) return;
      window = openWindow();
      return;
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  function openWindow(): Electron.BrowserWindow {
    const workAreas = [electron.screen.getPrimaryDisplay(), ...electron.screen.getAllDisplays()].map((display) => display.workArea);
    const created = createMainWindow({
      BrowserWindow: electron.BrowserWindow,
      page,
      preloadPath: join(options.outDir, '../preload/index.cjs'),
      bounds: restoreBounds(savedWindow, workAreas),
      openExternal: (url) => (isSafeExternalUrl(url) ? electron.shell.openExternal(url) : undefined),
      saveState: (state) => void core.config.update((config) => ({ ...config, window: state })).catch(() => undefined),
      shouldHideOnClose: () => preferences.closeToTray && !quitting,
      onReadyChange: (ready) => messenger.setReady(ready),
      log,
    });
    created.on('show', () => {
      void core.service.handlers['window:visibility']({ visible: true });
      refreshTray();
    });
    created.on('hide', () => {
      void core.service.handlers['window:visibility']({ visible: false });
      refreshTray();
    });
    created.on('minimize', () => void core.service.handlers['window:visibility']({ visible: false }));
    created.on('restore', () => void core.service.handlers['window:visibility']({ visible: true }));
    created.on('closed', () => {
      window = null;
      void core.service.handlers['window:visibility']({ visible: false });
    });
    return created;
  }

  async function quit(): Promise<void> {
    quitting = true;
    throttledTray.cancel();
    await core.service.stop();
    tray.destroy();
    app.quit();
  }

  const savedWindow = (await core.config.read()).window ?? null;
  app.on('before-quit', () => {
    quitting = true;
  });
  // Closed to the tray, the app keeps polling and notifying; without a tray it quits.
  app.on('window-all-closed', () => {
    if (!preferences.closeToTray) void quit();
  });
  app.on('activate', () => showWindow());

  await core.service.start();
  window = openWindow();
  // Magnets and files given on the first launch's command line.
  const launchRequests = parseOpenArgs(options.argv, options.cwd);
  if (launchRequests.length > 0) void openRequests(launchRequests);

  return { core, window: () => window, quit };
}
