import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, screen, shell, Tray } from 'electron';
import { PreferencesSchema, type Preferences } from '../shared/contract';
import { ConfigFile } from '../core/config/config-file';
import { CONFIG_FILE_NAME } from '../core/config/paths';
import type { SeedboxServiceApi, Totals } from '../core/service/types';
import { appPage } from './app-page';
import { createEventSender, registerInvokeHandlers, trustedSender } from './ipc';
import { createNotifier, noticeTarget } from './notifications';
import { createOpenHandler, installOpenHandlers, parseOpenArgs } from './open-handler';
import { HIDDEN_FLAG, loginItemSettings, observePreferences } from './preferences';
import { contentSecurityPolicy } from './security';
import { applyTrayModel, throttle, trayModel, type TrayAction } from './tray';
import { TRAY_ICON_DATA_URL } from './tray-icon';
import { createMainWindow } from './window';
import { restoreBounds, type WindowState } from './window-bounds';
import { createWindowMessenger } from './window-messenger';

// The composition root: app lifecycle, one instance, the core service, and the window, tray,
// notifications and IPC around it. Logic lives in the modules imported above.

const log = (message: string): void => console.warn(`[seedbox] ${message}`);
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
/** Development and tests check what leaves main against the contract too. */
const checkOutgoing = !app.isPackaged;

async function createService(config: ConfigFile): Promise<SeedboxServiceApi> {
  const [{ createSeedboxService }, { SeedboxRegistry }, { openSecretStore }] = await Promise.all([
    import('../core/service/seedbox-service'),
    import('../core/config/registry'),
    import('../core/secrets/open-secret-store'),
  ]);
  const secretStore = await openSecretStore();
  // LEAD: check this line once the registry and secret store settle (the service's constructor options).
  return createSeedboxService({ registry: new SeedboxRegistry({ config, secrets: secretStore }), secretStore, version: app.getVersion(), platform: process.platform });
}

if (!app.requestSingleInstanceLock()) {
  // The running instance gets our command line as 'second-instance'.
  app.quit();
} else {
  void runApp().catch((error: unknown) => {
    log(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}

async function runApp(): Promise<void> {
  let window: BrowserWindow | null = null;
  let quitting = false;
  let preferences: Preferences = PreferencesSchema.parse({});
  let totals: Totals | null = null;

  const page = appPage({ indexHtmlPath: join(import.meta.dirname, '../renderer/index.html'), devServerUrl });
  const sendEvent = createEventSender({ target: () => window?.webContents, validate: checkOutgoing, log });
  const messenger = createWindowMessenger({ send: sendEvent, reveal: () => showWindow() });
  const handleOpen = createOpenHandler({ deliver: (payload) => messenger.deliver('app:addRequest', payload), log });

  // Before 'ready': macOS hands over the files and links of the launch itself early.
  installOpenHandlers({ app, handle: handleOpen, onSecondInstance: () => showWindow() });
  app.on('before-quit', () => (quitting = true));

  await app.whenReady();
  if (app.isPackaged) app.setAsDefaultProtocolClient('magnet');

  const config = new ConfigFile({ path: join(app.getPath('userData'), CONFIG_FILE_NAME), onProblem: log });
  const service = await createService(config);
  const handlers = observePreferences(service.handlers, (updated) => applyPreferences(updated));

  function applyPreferences(updated: Preferences): void {
    const loginChanged = updated.startAtLogin !== preferences.startAtLogin || updated.closeToTray !== preferences.closeToTray;
    preferences = updated;
    if (loginChanged && app.isPackaged) app.setLoginItemSettings(loginItemSettings(updated));
    updateTray.call();
  }

  const savedWindow = (await config.read()).window;
  function showWindow(): void {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    const workAreas = [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((display) => display.workArea);
    window = createMainWindow({
      BrowserWindow,
      page,
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      bounds: restoreBounds(savedWindow, workAreas),
      contentSecurityPolicy: contentSecurityPolicy({ dev: devServerUrl !== undefined }),
      openExternal: (url) => shell.openExternal(url),
      saveState: saveWindowState,
      shouldHideOnClose: () => !quitting && preferences.closeToTray,
      onReadyChange: (ready) => messenger.setReady(ready),
      log,
    });
    window.on('show', () => updateTray.call());
    window.on('hide', () => updateTray.call());
    window.on('closed', () => updateTray.call());
  }
  function saveWindowState(state: WindowState): void {
    void config.update((current) => void (current.window = state)).catch((error: unknown) => log(`Could not save the window position: ${String(error)}`));
  }

  registerInvokeHandlers({
    ipcMain,
    handlers,
    isTrustedSender: trustedSender({ mainFrame: () => (window && !window.isDestroyed() ? window.webContents.mainFrame : null), isAppUrl: page.isAppUrl }),
    validateResults: checkOutgoing,
    log,
  });
  service.onEvent((channel, payload) => sendEvent(channel, payload));

  const notify = createNotifier({
    Notification,
    preferences: () => preferences,
    onClick: (notice) => {
      const target = noticeTarget(notice);
      if (target) messenger.deliver('app:showTorrent', target);
      else showWindow();
    },
  });
  service.onNotice(notify);

  const tray = new Tray(nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  const windowVisible = (): boolean => Boolean(window && !window.isDestroyed() && window.isVisible());
  const updateTray = throttle(() => applyTrayModel({ tray, Menu, model: trayModel(totals, preferences, { visible: windowVisible() }), dispatch }), 1000);
  tray.on('click', () => showWindow());
  service.onTotals((next) => {
    totals = next;
    updateTray.call();
  });

  function dispatch(action: TrayAction): void {
    const failed = (error: unknown): void => log(`${action.kind} failed: ${error instanceof Error ? error.message : String(error)}`);
    switch (action.kind) {
      case 'toggle-window':
        if (windowVisible()) window?.hide();
        else showWindow();
        return;
      case 'pause-all':
        return void service.pauseAll(action.seedboxId).catch(failed);
      case 'resume-all':
        return void service.resumeAll(action.seedboxId).catch(failed);
      case 'alternative-speed':
        return void handlers['seedbox:setAlternativeSpeed']({ seedboxId: action.seedboxId, enabled: action.enabled }).catch(failed);
      case 'close-to-tray':
        return void handlers['preferences:update']({ closeToTray: action.enabled }).catch(failed);
      case 'start-at-login':
        return void handlers['preferences:update']({ startAtLogin: action.enabled }).catch(failed);
      case 'quit':
        return app.quit();
    }
  }

  preferences = await handlers['preferences:get']({});
  if (app.isPackaged) app.setLoginItemSettings(loginItemSettings(preferences));
  updateTray.call();

  // Stop polling and close connections before the process goes.
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    updateTray.cancel();
    const deadline = new Promise((resolve) => setTimeout(resolve, 3000));
    void Promise.race([service.stop(), deadline])
      .catch((error: unknown) => log(`Stopping failed: ${String(error)}`))
      .finally(() => app.quit());
  });
  // Without close to tray, closing the window ends the app (macOS keeps it in the dock).
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => showWindow());

  void service.start().catch((error: unknown) => log(`The service did not start: ${String(error)}`));
  const startedHidden = process.argv.includes(HIDDEN_FLAG);
  if (!startedHidden) showWindow();
  const launchRequests = parseOpenArgs(process.argv.slice(1), process.cwd());
  if (launchRequests.length > 0) void handleOpen(launchRequests);
}
