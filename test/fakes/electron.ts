// A small fake of the electron module, for the shell's tests: Electron itself cannot run on
// the machines the tests run on. It records what the shell asks of it and lets a test play
// the OS and the page (IPC calls with a chosen sender frame, window events, tray clicks).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { CustomScheme, ForkOptions, MenuItemConstructorOptions } from 'electron';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly emitter = new EventEmitter();
  on(event: string, listener: Listener): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  once(event: string, listener: Listener): this {
    this.emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }
  emit(event: string, ...args: unknown[]): boolean {
    return this.emitter.emit(event, ...args);
  }
  listenerCount(event: string): number {
    return this.emitter.listenerCount(event);
  }
}

export interface FakeFrame {
  url: string;
}

export class FakeSession {
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: { isMainFrame?: boolean }) => void) | undefined;
  permissionCheck: ((contents: unknown, permission: string, requestingOrigin: string, details: { isMainFrame?: boolean }) => boolean) | undefined;
  headersListener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string | string[]> }) => void) => void) | undefined;
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']): void {
    this.permissionCheck = handler;
  }
  webRequest = {
    onHeadersReceived: (listener: FakeSession['headersListener']) => {
      this.headersListener = listener;
    },
  };
}

export class FakeWebContents extends Emitter {
  readonly session = new FakeSession();
  readonly mainFrame: FakeFrame = { url: '' };
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  destroyed = false;
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends Emitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  loadedUrl: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    // Like Electron, the page loads after the caller has set up its listeners.
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Electron's order: loading starts, the page finishes, the window is ready to show.
    this.webContents.emit('did-start-loading');
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  show(): void {
    this.visible = true;
    this.emit('show');
  }
  hide(): void {
    this.visible = false;
    this.emit('hide');
  }
  focus(): void {}
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  /** What the user's close button does: the shell may prevent it (close to tray). */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: { senderFrame: FakeFrame | null }, args: unknown) => Promise<unknown>>();
  handle(channel: string, listener: (event: { senderFrame: FakeFrame | null }, args: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** A call as the page (or any frame) would make it. */
  invoke(channel: string, args: unknown, senderFrame: FakeFrame | null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler({ senderFrame }, args);
  }
}

export class FakeTray extends Emitter {
  static instances: FakeTray[] = [];
  /** Some Linux desktops have no tray: Electron's constructor can throw there. */
  static failWith: Error | null = null;
  tooltip = '';
  menu: MenuItemConstructorOptions[] = [];
  destroyed = false;
  constructor(readonly image: unknown) {
    super();
    if (FakeTray.failWith) throw FakeTray.failWith;
    FakeTray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] }): void {
    this.menu = menu.template;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends Emitter {
  static shown: FakeNotification[] = [];
  closed = false;
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {
    this.closed = true;
  }
}

/**
 * Electron's protocol module as far as the shell uses it, with its two rules: schemes are made
 * privileged before ready, and handled only after. fetch() plays the page asking for a URL.
 */
export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  constructor(private readonly isReady: () => boolean) {}
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (!this.isReady()) throw new Error('protocol.handle can only be used after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
    return handler(new Request(url, init));
  }
}

/** What a utility process's entry sees as process.parentPort, made from Node's IPC channel. */
const PARENT_PORT_SHIM = `data:text/javascript,${encodeURIComponent(
  "process.parentPort = { once: (event, listener) => process.once(event, (data) => listener({ data })), postMessage: (message) => process.send(message) };",
)}`;

/** A utilityProcess child: a real Node child running the entry script, with process.parentPort. */
export class FakeUtilityProcess extends Emitter {
  private readonly child: ChildProcess;
  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super();
    this.child = fork(modulePath, args, { env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env, execArgv: ['--import', PARENT_PORT_SHIM], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
    this.child.on('error', () => undefined);
  }
  postMessage(message: unknown): void {
    // Like Electron, a message sent before the child runs is queued (Node's IPC channel does this).
    if (this.child.connected) this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export const fakeUtilityProcess = {
  forked: [] as { modulePath: string; options: ForkOptions }[],
  fork(modulePath: string, args: string[] = [], options: ForkOptions = {}): FakeUtilityProcess {
    fakeUtilityProcess.forked.push({ modulePath, options });
    return new FakeUtilityProcess(modulePath, args, options);
  },
};

export function createFakeElectron(options: {
  userData: string;
  singleInstance?: boolean;
  /** What the magnet question's dialog answers (the button's index); it waits until a test answers when absent. */
  dialogResponse?: number;
  /** Whether this app already is the OS's magnet handler. */
  defaultMagnetClient?: boolean;
  /** The Tray constructor throws, as it can on a Linux desktop without a tray. */
  noTray?: boolean;
  /** app.isPackaged (false: a development run). */
  packaged?: boolean;
  /** What the folder dialog answers: a folder, or null for Cancel. */
  folderAnswer?: string | null;
  /** What systemPreferences.getAccentColor() returns (Electron: "rrggbbaa"); it throws when an Error. */
  accentColor?: unknown;
  /** The OS's preferred languages (app.getPreferredSystemLanguages()); English unless given. */
  systemLanguages?: string[];
}) {
  const appEvents = new Emitter();
  let ready = false;
  const app = Object.assign(appEvents, {
    isPackaged: options.packaged ?? false,
    quitCalled: 0,
    loginItem: undefined as unknown,
    protocols: [] as string[],
    appUserModelId: undefined as string | undefined,
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    quit: () => void app.quitCalled++,
    exit: () => undefined,
    // Like Electron: ready a moment after start, and isReady() false until then.
    whenReady: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      ready = true;
    },
    isReady: () => ready,
    getPath: (name: string) => (name === 'userData' ? options.userData : '/tmp'),
    getAppPath: () => join(options.userData, 'app'),
    getVersion: () => '0.0.0-test',
    getPreferredSystemLanguages: () => options.systemLanguages ?? ['en-US'],
    getLocale: () => options.systemLanguages?.[0] ?? 'en-US',
    setAppUserModelId: (id: string) => void (app.appUserModelId = id),
    setLoginItemSettings: (settings: unknown) => void (app.loginItem = settings),
    isDefaultProtocolClient: (protocol: string) => (protocol === 'magnet' && options.defaultMagnetClient === true) || app.protocols.includes(protocol),
    setAsDefaultProtocolClient: (protocol: string) => {
      app.protocols.push(protocol);
      return true;
    },
  });
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeTray.failWith = options.noTray ? new Error('Failed to create the tray icon') : null;
  FakeNotification.shown = [];
  fakeUtilityProcess.forked = [];
  const opened: string[] = [];
  const questions: { parent: unknown; options: { message: string; buttons: string[] }; answer: (response: number) => void }[] = [];
  const folderDialogs: { parent: unknown; options: { properties?: string[] } }[] = [];
  // The OS's preferences: a test changes the accent and plays the OS's notice of it.
  const macNotifications = new Map<string, () => void>();
  const systemPreferences = Object.assign(new Emitter(), {
    accentColor: options.accentColor,
    getAccentColor: (): unknown => {
      if (systemPreferences.accentColor instanceof Error) throw systemPreferences.accentColor;
      return systemPreferences.accentColor;
    },
    subscribeNotification: (event: string, callback: () => void): number => {
      macNotifications.set(event, callback);
      return macNotifications.size;
    },
    macNotifications,
  });
  const menus = { application: undefined as { template: MenuItemConstructorOptions[] } | null | undefined };
  return {
    app,
    folderDialogs,
    dialog: {
      showOpenDialog: async (parent: unknown, dialogOptions: { properties?: string[] }) => {
        folderDialogs.push({ parent, options: dialogOptions });
        const folder = options.folderAnswer ?? null;
        return { canceled: folder === null, filePaths: folder === null ? [] : [folder] };
      },
      showMessageBox: (parent: unknown, boxOptions: { message: string; buttons: string[] }) =>
        new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
          const answer = (response: number): void => resolve({ response, checkboxChecked: false });
          questions.push({ parent, options: boxOptions, answer });
          if (options.dialogResponse !== undefined) answer(options.dialogResponse);
        }),
    },
    questions,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: new FakeIpcMain(),
    Menu: {
      buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }),
      setApplicationMenu: (menu: { template: MenuItemConstructorOptions[] } | null) => void (menus.application = menu),
    },
    menus,
    systemPreferences,
    Notification: FakeNotification,
    Tray: FakeTray,
    nativeImage: { createFromDataURL: (url: string) => ({ url }), createFromPath: (path: string) => ({ path }) },
    screen: {
      getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    shell: { openExternal: async (url: string) => void opened.push(url) },
    protocol: new FakeProtocol(() => ready),
    utilityProcess: fakeUtilityProcess,
    opened,
  };
}
