import { join } from 'node:path';
import type * as Electron from 'electron';
import type { Preferences } from '../shared/contract';
import { toSeedboxError } from '../shared/errors';
import { composeCore, type ComposedCore } from '../core/service/compose';
import { appPage, registerAppScheme, serveAppPage } from './app-page';
import { createEventSender, registerInvokeHandlers, trustedSender } from './ipc';
import { createNotifier, noticeTarget } from './notifications';
import { createOpenHandler, installOpenHandlers, parseOpenArgs } from './open-handler';
import { autostartCommand, setXdgAutostart } from './autostart';
import { magnetQuestion, offerMagnetHandler } from './magnet-handler';
import { systemLanguages } from './language';
import { createTranslator, resolveLanguage, type Locale } from '../shared/i18n';
import { isSafeExternalUrl } from './security';
import { applyTrayModel, fetchActivity, throttle, trayModel, type TrayAction } from './tray';
import type { FetchJob, FetchJobProgress } from '../shared/fetch';
import { TRAY_ICON_DATA_URL } from './icon';
import { utilityProcessProbeLauncher } from './keychain-probe-process';
import { applicationMenuTemplate, watchAccentColor } from './os-conventions';
import { createMainWindow } from './window';
import { restoreBounds } from './window-bounds';
import { createWindowMessenger } from './window-messenger';

/** The parts of the electron module the shell uses (the real one, or the tests' fake). */
export type ElectronApi = Pick<
  typeof Electron,
  'app' | 'BrowserWindow' | 'dialog' | 'ipcMain' | 'Menu' | 'Notification' | 'Tray' | 'nativeImage' | 'screen' | 'shell' | 'protocol' | 'utilityProcess' | 'systemPreferences'
>;

export interface ShellOptions {
  /** Where out/main/index.js lives: the preload and the page are found from it. */
  outDir: string;
  devServerUrl?: string | undefined;
  argv: readonly string[];
  cwd: string;
  log?: (message: string) => void;
  /** process.platform, process.env and process.execPath unless a test says otherwise. */
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  execPath?: string;
}

export interface Shell {
  core: ComposedCore;
  window(): Electron.BrowserWindow | null;
  quit(): Promise<void>;
}

const APP_NAME = 'Seedbox Remote';

/**
 * The composition root: one instance, the core service (running with or without a window),
 * the window, the tray, notifications and the OS's magnet/.torrent hand-overs. Everything with
 * logic lives in the modules it wires; this only connects them to Electron.
 *
 * The window never waits for a seedbox: it opens as soon as the settings are read, and every
 * box's connection state reaches it as a seedbox:status event. Hand-overs from the OS (this
 * launch's argv, open-file, open-url, second-instance) may come at any moment from the first
 * line on: they wait in the window messenger until the page is ready, and only showWindow()
 * makes the window, once the shell can.
 */
export async function startShell(electron: ElectronApi, options: ShellOptions): Promise<Shell | null> {
  const { app } = electron;
  const log = options.log ?? ((message: string) => console.warn(message));
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // Windows shows notifications only for the AppUserModelID of a Start-menu shortcut
  // (Electron's docs/tutorial/notifications.md). electron-builder's NSIS installer stamps its
  // shortcuts with the appId (app-builder-lib templates/nsis/include/installer.nsh,
  // WinShell::SetLnkAUMI "${APP_ID}"); __APP_ID__ is that appId, put in at build time from
  // electron-builder.yml. Unpackaged, the docs' advice is the executable's path.
  if (platform === 'win32') app.setAppUserModelId(app.isPackaged ? __APP_ID__ : (options.execPath ?? process.execPath));

  let quitting = false;
  let window: Electron.BrowserWindow | null = null;
  /** Set once the shell can make the window (settings read, IPC bound); used by showWindow only. */
  let makeWindow: (() => Electron.BrowserWindow) | null = null;
  const page = appPage({ devServerUrl: options.devServerUrl, packaged: app.isPackaged });
  registerAppScheme(electron.protocol);
  const send = createEventSender({ target: () => window?.webContents ?? null, validate: !app.isPackaged, log });
  const messenger = createWindowMessenger({ send, reveal: () => showWindow() });
  const openRequests = createOpenHandler({ deliver: (payload) => messenger.deliver('app:addRequest', payload), log });

  /** The one place a window is made; before the shell can, a request waits (start-up makes it). */
  function showWindow(): void {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
      return;
    }
    if (makeWindow) window = makeWindow();
  }

  // The OS may hand over magnets and files before the app is ready (macOS open-file / open-url).
  installOpenHandlers({ app, handle: (requests) => openRequests(requests), onSecondInstance: () => showWindow() });
  // Magnets and files given on this launch's command line: read now, delivered once the page is up.
  const launchRequests = parseOpenArgs(options.argv, options.cwd, platform);
  if (launchRequests.length > 0) void openRequests(launchRequests);
  await app.whenReady();
  // The page hears the accent colour each time it has loaded, and again when the OS changes it.
  const accent = watchAccentColor(electron.systemPreferences, platform, (appearance) => void send('app:appearance', appearance));
  serveAppPage(electron.protocol, { rendererDir: join(options.outDir, '../renderer'), contentSecurityPolicy: page.contentSecurityPolicy });

  const osLanguages = systemLanguages(app);
  /** Main's own texts (tray, notifications, dialogs) follow the language preference, as the window does. */
  const mainLocale = (): Locale => resolveLanguage(preferences.language, osLanguages);
  const core = await composeCore({
    configPath: join(app.getPath('userData'), 'seedbox-remote.json'),
    version: app.getVersion(),
    platform,
    systemLanguages: osLanguages,
    launchKeychainProbe: utilityProcessProbeLauncher(electron.utilityProcess, join(options.outDir, 'keychain-probe.js')),
    // As the CLI and `npm run web` do: headless runs and tests keep secrets in memory.
    ...(env['SEEDBOX_SECRET_STORE'] === 'memory' ? { memorySecrets: { code: 'switched-off' } as const } : {}),
    downloadsFolder: app.getPath('downloads'),
    chooseFolder: async () => {
      const question = { title: createTranslator(mainLocale())('main.chooseFolder'), properties: ['openDirectory', 'createDirectory'] } satisfies Electron.OpenDialogOptions;
      const parent = window && !window.isDestroyed() ? window : null;
      const answer = parent ? await electron.dialog.showOpenDialog(parent, question) : await electron.dialog.showOpenDialog(question);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
  });
  if (core.configProblem) log(core.configProblem);
  let preferences: Preferences = await core.service.handlers['preferences:get']({});
  /** The application menu in main's language; made again when the language changes. */
  let menuLocale: Locale | null = null;
  const applyMenu = (): void => {
    const locale = mainLocale();
    if (locale === menuLocale) return;
    menuLocale = locale;
    const menuTemplate = applicationMenuTemplate(platform, APP_NAME, locale);
    electron.Menu.setApplicationMenu(menuTemplate ? electron.Menu.buildFromTemplate(menuTemplate) : null);
  };
  applyMenu();
  const settings = await core.config.read();
  const loginItem = createLoginItem({ app, platform, env, execPath: options.execPath ?? process.execPath, log });
  loginItem.apply(preferences.startAtLogin);

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
    locale: mainLocale,
    onClick: (notice) => {
      const target = noticeTarget(notice);
      if (target) messenger.deliver('app:showTorrent', { seedboxId: target.seedboxId, id: target.id });
      else showWindow();
    },
  });
  core.service.events.on('notice', notify);

  const tray = createTray(electron, log);
  let lastTotals: Parameters<typeof trayModel>[0] = null;
  let fetchJobs: FetchJob[] = [];
  const fetchProgress = new Map<string, FetchJobProgress>();
  const refreshTray = (): void => {
    if (!tray) return;
    const model = trayModel(lastTotals, preferences, { visible: window?.isVisible() ?? false }, fetchActivity(fetchJobs, fetchProgress), mainLocale());
    applyTrayModel({ tray, Menu: electron.Menu, model, dispatch: (action) => void onTrayAction(action) });
  };
  const throttledTray = throttle(() => refreshTray(), 1000);
  core.service.onEvent((channel, payload) => {
    send(channel, payload);
    // Changed from the window or the tray: the shell acts on it at once (tray, login item).
    if (channel === 'preferences:changed') {
      preferences = payload as Preferences;
      loginItem.apply(preferences.startAtLogin);
      applyMenu();
      refreshTray();
    }
  });
  core.service.events.on('totals', (totals) => {
    lastTotals = totals;
    throttledTray.call();
  });
  core.service.events.on('fetch:jobs', ({ jobs }) => {
    fetchJobs = jobs;
    for (const id of fetchProgress.keys()) if (!jobs.some((job) => job.id === id && job.state === 'running')) fetchProgress.delete(id);
    throttledTray.call();
  });
  core.service.events.on('fetch:progress', (progress) => {
    fetchProgress.set(progress.id, progress);
    throttledTray.call();
  });
  tray?.on('click', () => (window?.isVisible() ? window.hide() : showWindow()));
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

  /** Hidden to the tray only when there is a tray to bring it back from. */
  const closesToTray = (): boolean => preferences.closeToTray && tray !== null;

  const savedWindow = settings.window ?? null;
  makeWindow = () => {
    const workAreas = [electron.screen.getPrimaryDisplay(), ...electron.screen.getAllDisplays()].map((display) => display.workArea);
    const created = createMainWindow({
      BrowserWindow: electron.BrowserWindow,
      page,
      preloadPath: join(options.outDir, '../preload/index.cjs'),
      bounds: restoreBounds(savedWindow, workAreas),
      openExternal: (url) => (isSafeExternalUrl(url) ? electron.shell.openExternal(url) : undefined),
      saveState: (state) => void core.config.update((config) => ({ ...config, window: state })).catch(() => undefined),
      shouldHideOnClose: () => closesToTray() && !quitting,
      onReadyChange: (ready) => {
        if (ready) send('app:appearance', accent.current());
        messenger.setReady(ready);
      },
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
  };

  async function quit(): Promise<void> {
    quitting = true;
    throttledTray.cancel();
    await core.service.stop();
    tray?.destroy();
    app.quit();
  }

  app.on('before-quit', () => {
    quitting = true;
  });
  // Closed to the tray, the app keeps polling and notifying; without a tray it quits.
  app.on('window-all-closed', () => {
    if (!closesToTray()) void quit();
  });
  app.on('activate', () => showWindow());

  // The window first; the seedboxes connect behind it, each reporting its state as it goes.
  showWindow();
  void core.service.start().catch((error: unknown) => log(`Could not start the seedboxes: ${toSeedboxError(error).message}`));
  void offerMagnetHandler({
    app,
    answer: settings.magnetLinks,
    ask: async () => {
      const question = magnetQuestion(mainLocale());
      const parent = window && !window.isDestroyed() ? window : null;
      return (parent ? await electron.dialog.showMessageBox(parent, question) : await electron.dialog.showMessageBox(question)).response;
    },
    remember: async (answer) => void (await core.config.update((config) => ({ ...config, magnetLinks: answer }))),
  }).then(
    (outcome) => outcome === 'registration-failed' && log('Could not register as the handler of magnet links.'),
    (error: unknown) => log(`Could not settle the magnet link handler: ${toSeedboxError(error).message}`),
  );

  return { core, window: () => window, quit };
}

/**
 * The tray, or null where none can be made: Electron's Tray constructor can throw on Linux
 * desktops without a StatusNotifierItem host or GtkStatusIcon (docs/api/tray.md, Platform
 * Considerations). Where it is made but the desktop does not show it (GNOME without an
 * extension), the window hidden to it still comes back: launching the app again shows it
 * (second-instance).
 */
function createTray(electron: Pick<ElectronApi, 'Tray' | 'nativeImage'>, log: (message: string) => void): Electron.Tray | null {
  try {
    return new electron.Tray(electron.nativeImage.createFromDataURL(TRAY_ICON_DATA_URL));
  } catch (error) {
    log(`No tray icon on this desktop (${(error as Error).message}): closing the window quits.`);
    return null;
  }
}

/**
 * "Start at login": Electron's login item on macOS and Windows; on Linux, where
 * setLoginItemSettings does nothing (docs/api/app.md: _macOS_ _Windows_), an XDG autostart entry.
 * Applied when the preference changes (and once at start, so a stale entry goes).
 */
function createLoginItem(options: {
  app: Pick<Electron.App, 'setLoginItemSettings' | 'isPackaged' | 'getAppPath'>;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  execPath: string;
  log: (message: string) => void;
}): { apply(enabled: boolean): void } {
  let applied: boolean | undefined;
  let writing = Promise.resolve();
  return {
    apply(enabled) {
      if (enabled === applied) return;
      applied = enabled;
      if (options.platform !== 'linux') {
        options.app.setLoginItemSettings({ openAtLogin: enabled });
        return;
      }
      const command = autostartCommand({ execPath: options.execPath, env: options.env, packaged: options.app.isPackaged, appPath: options.app.getAppPath() });
      // One write at a time, in order: a quick on-off-on ends with the entry there.
      writing = writing
        .then(() => setXdgAutostart({ enabled, env: options.env, name: APP_NAME, command }))
        .catch((error: unknown) => options.log(toSeedboxError(error).message));
    },
  };
}
