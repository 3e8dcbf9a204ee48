import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, EVENT_CHANNELS } from '../../../electron/shared/channels';
import type { InvokeEnvelope, SeedboxStatus } from '../../../electron/shared/contract';
import { composeCore } from '../../../electron/core/service/compose';
import { startShell, type ElectronApi, type Shell, type ShellOptions } from '../../../electron/main/shell';
import { buildBridge, type IpcRendererLike } from '../../../electron/preload/bridge';
import { trayModel } from '../../../electron/main/tray';
import { createNotifier, MAX_LIVE_NOTIFICATIONS, noticeTarget, noticeToNotification } from '../../../electron/main/notifications';
import { isNetworkPath, parseOpenArgs, readOpenRequest } from '../../../electron/main/open-handler';
import { restoreBounds } from '../../../electron/main/window-bounds';
import { applicationMenuTemplate } from '../../../electron/main/os-conventions';
import { createFakeElectron, FakeBrowserWindow, FakeNotification, FakeTray } from '../../fakes/electron';
import { startSilentServer, tempDir, waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';

// The Electron shell against a fake electron module: what is registered, what is refused,
// which window options are used, what the tray and notifications show, how OS hand-overs
// reach the window. The core behind it is the real one, with an empty settings file.

let fake: ReturnType<typeof createFakeElectron>;
let shell: Shell | null;
let userData: string;
let logged: string[];

beforeEach(() => {
  userData = tempDir('shell');
  logged = [];
});

afterEach(async () => {
  await shell?.core.service.stop();
  shell = null;
});

type FakeOptions = Omit<Parameters<typeof createFakeElectron>[0], 'userData'>;

/** Starts the shell without waiting for it: the fake is set up, the promise is start-up itself. */
function launch(argv: string[] = [], options: { fake?: FakeOptions; shell?: Partial<ShellOptions> } = {}): Promise<Shell | null> {
  fake = createFakeElectron({ userData, dialogResponse: 1, ...options.fake });
  const outDir = join(userData, 'out/main');
  mkdirSync(join(userData, 'out/renderer'), { recursive: true });
  writeFileSync(join(userData, 'out/renderer/index.html'), '<!doctype html>');
  const started = startShell(fake as unknown as ElectronApi, {
    outDir,
    argv,
    cwd: userData,
    log: (message) => logged.push(message),
    // Never the real home: a Linux "start at login" writes below it.
    platform: 'linux',
    env: { HOME: userData, SEEDBOX_SECRET_STORE: 'memory' },
    execPath: '/opt/Seedbox Remote/seedbox-remote',
    ...options.shell,
  });
  void started.then((value) => (shell = value));
  return started;
}

async function start(argv: string[] = [], options: Parameters<typeof launch>[1] = {}): Promise<Shell> {
  shell = await launch(argv, options);
  // Let the page "load" (the fake loads it on the next turn, as Electron would).
  await new Promise((resolve) => setTimeout(resolve, 10));
  return shell!;
}

function window(): FakeBrowserWindow {
  return FakeBrowserWindow.instances.at(-1)!;
}

describe('the Electron shell', () => {
  it('opens one locked-down window on the app page', async () => {
    await start();
    const preferences = window().options['webPreferences'] as Record<string, unknown>;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(preferences['preload'])).toMatch(/out\/preload\/index\.cjs$/);
    expect(window().loadedUrl).toBe('app://seedbox-remote/index.html');
    expect(window().visible).toBe(true);

    const contents = window().webContents;
    // Navigation away and new windows are refused; http(s) links go to the OS browser.
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/help' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(fake.opened).toEqual(['https://example.org/help']);
    // Every permission is refused but writing the clipboard from the main frame (Copy magnet),
    // and the page gets the strict CSP.
    const requested = (permission: string, isMainFrame = true): boolean | undefined => {
      let granted: boolean | undefined;
      contents.session.permissionRequest?.(null, permission, (value) => (granted = value), { isMainFrame });
      return granted;
    };
    const checked = (permission: string, isMainFrame = true): boolean | undefined => contents.session.permissionCheck?.(null, permission, 'file:///', { isMainFrame });
    expect(requested('notifications')).toBe(false);
    expect(checked('media')).toBe(false);
    expect(checked('clipboard-read')).toBe(false);
    expect(requested('clipboard-read')).toBe(false);
    expect(checked('clipboard-sanitized-write')).toBe(true);
    expect(requested('clipboard-sanitized-write')).toBe(true);
    expect(checked('clipboard-sanitized-write', false)).toBe(false);
    expect(requested('clipboard-sanitized-write', false)).toBe(false);
    let headers: Record<string, string | string[]> = {};
    contents.session.headersListener?.({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (response) => (headers = response.responseHeaders));
    expect(String(headers['Content-Security-Policy'])).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(headers['content-security-policy']).toBeUndefined();
  });

  it('registers exactly the contract and answers only the app’s own main frame', async () => {
    const { core } = await start();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    const ownFrame = window().webContents.mainFrame;

    const info = (await fake.ipcMain.invoke('app:info', {}, ownFrame)) as InvokeEnvelope<{ version: string }>;
    expect(info).toMatchObject({ ok: true, value: { version: '0.0.0-test' } });

    const foreign = (await fake.ipcMain.invoke('seedboxes:list', {}, { url: 'https://evil.example/' })) as InvokeEnvelope<unknown>;
    expect(foreign).toEqual({ ok: false, error: { code: 'forbidden', message: 'This call did not come from the app window.', details: {} } });
    // A frame with the right URL that is not the window's main frame (an iframe) is refused too.
    const iframe = (await fake.ipcMain.invoke('seedboxes:list', {}, { url: ownFrame.url })) as InvokeEnvelope<unknown>;
    expect(iframe.ok).toBe(false);

    const invalid = (await fake.ipcMain.invoke('torrents:start', { seedboxId: 'x', ids: ['nope'] }, ownFrame)) as InvokeEnvelope<unknown>;
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const unknownBox = (await fake.ipcMain.invoke('torrents:start', { seedboxId: 'nope', ids: ['a'.repeat(40)] }, ownFrame)) as InvokeEnvelope<unknown>;
    expect(unknownBox).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(JSON.stringify(unknownBox)).not.toMatch(/\n\s+at /);

    // Events of the service reach the window on the contract's channels.
    await core.service.handlers['seedboxes:add']({ seedbox: { name: 'Box', kind: 'rtorrent', url: 'scgi:///nonexistent.sock', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null, pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent' } });
    expect(window().webContents.sent.some((message) => message.channel === 'seedboxes:changed')).toBe(true);
    for (const message of window().webContents.sent) expect(EVENT_CHANNELS).toContain(message.channel);
  });

  it('hides to the tray on close when the user wants it, and keeps running', async () => {
    await start();
    window().close();
    expect(window().destroyed).toBe(false);
    expect(window().visible).toBe(false);
    expect(FakeTray.instances[0]!.menu[0]).toMatchObject({ label: 'Show Seedbox Remote' });
    // The window changes the preference through IPC, as the settings view does.
    await fake.ipcMain.invoke('preferences:update', { closeToTray: false }, window().webContents.mainFrame);
    window().close();
    expect(window().destroyed).toBe(true);
  });

  it('shows live speeds and per-box actions in the tray, whose checkboxes change the preferences everywhere', async () => {
    await start([], { shell: { platform: 'darwin' } });
    const tray = FakeTray.instances[0]!;
    expect(tray.tooltip).toBe('Seedbox Remote');
    expect(tray.menu.map((item) => item.label ?? item.type)).toEqual(['Hide Seedbox Remote', 'separator', 'Close to tray', 'Start at login', 'separator', 'Quit']);
    const startAtLogin = tray.menu.find((item) => item.label === 'Start at login')!;
    (startAtLogin.click as () => void)();
    await waitFor('the login item', () => (fake.app.loginItem as { openAtLogin?: boolean } | undefined)?.openAtLogin === true);
    expect(window().webContents.sent).toContainEqual({ channel: 'preferences:changed', payload: expect.objectContaining({ startAtLogin: true }) });
    expect(tray.menu.find((item) => item.label === 'Start at login')).toMatchObject({ checked: true });
  });

  it('opens the native folder dialog for a fetch, shows fetch progress in the tray and notifies when it arrives', async () => {
    const chosen = join(userData, 'chosen');
    mkdirSync(chosen, { recursive: true });
    await start([], { fake: { folderAnswer: chosen } });
    const answer = await fake.ipcMain.invoke('fetch:chooseFolder', {}, window().webContents.mainFrame);
    expect(answer).toEqual({ ok: true, value: chosen });
    expect(fake.folderDialogs).toEqual([{ parent: window(), options: expect.objectContaining({ properties: ['openDirectory', 'createDirectory'] }) }]);

    const events = shell!.core.service.events;
    const job = { id: 'j1', seedboxId: 'box', torrentId: 'f'.repeat(40), torrentName: 'Film', fileIndexes: null, destination: chosen, onExisting: 'refuse' as const };
    const running = { ...job, state: 'running' as const, addedAt: 0, doneBytes: 0, totalBytes: 100, error: null, labelWhenDone: null };
    events.emit('fetch:jobs', { jobs: [running] });
    events.emit('fetch:progress', { id: 'j1', seedboxId: 'box', doneBytes: 50, totalBytes: 100, bytesPerSecond: 10, etaSeconds: 5 });
    await waitFor('the tray to show the fetch', () => FakeTray.instances[0]!.tooltip.includes('Fetching 1: 50.0%'));
    expect(window().webContents.sent).toContainEqual({ channel: 'fetch:progress', payload: expect.objectContaining({ id: 'j1', doneBytes: 50 }) });
    events.emit('fetch:jobs', { jobs: [{ ...running, state: 'done' }] });
    await waitFor('the tray to drop it', () => FakeTray.instances[0]!.tooltip === 'Seedbox Remote');
    events.emit('notice', { kind: 'fetch-finished', seedboxId: 'box', seedboxName: 'Box', torrentId: job.torrentId, torrentName: 'Film', destination: chosen });
    expect(FakeNotification.shown.map((notification) => notification.options.title)).toContain('Fetched to this computer');
  });

  it('hands magnets and .torrent files from the command line to the window', async () => {
    const made = makeTorrent({ dataParent: userData, name: 'given.bin', files: [{ path: '', content: filler('given', 100) }], writeData: false });
    writeFileSync(join(userData, 'given.torrent'), made.bytes);
    await start(['seedbox-remote', 'magnet:?xt=urn:btih:' + 'c'.repeat(40), 'given.torrent', '--some-flag', 'notes.txt']);
    await waitFor('the launch’s add request', () => addRequests().length === 1);
    const request = window().webContents.sent.find((message) => message.channel === 'app:addRequest');
    const sources = (request?.payload as { sources: { kind: string; uri?: string; fileName?: string; bytes?: Uint8Array }[] }).sources;
    expect(sources.map((source) => source.kind)).toEqual(['magnet', 'file']);
    expect(Buffer.from(sources[1]!.bytes!)).toEqual(Buffer.from(made.bytes));
    // A second launch with a magnet goes to the running app.
    fake.app.emit('second-instance', { preventDefault() {} }, ['seedbox-remote', 'magnet:?xt=urn:btih:' + 'd'.repeat(40)], userData);
    await waitFor('the second instance’s add request', () => addRequests().length >= 2);
    expect(window().webContents.sent.filter((message) => message.channel === 'app:addRequest')).toHaveLength(2);
    // macOS hands links over as open-url events; anything but a magnet is ignored.
    fake.app.emit('open-url', { preventDefault() {} }, 'magnet:?xt=urn:btih:' + 'e'.repeat(40));
    fake.app.emit('open-url', { preventDefault() {} }, 'https://example.org/not-a-magnet');
    await waitFor('the open-url add request', () => addRequests().length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window().webContents.sent.filter((message) => message.channel === 'app:addRequest')).toHaveLength(3);
  });

  it('remembers the window’s place in the settings file', async () => {
    await start();
    window().emit('resize');
    window().close();
    const file = join(userData, 'seedbox-remote.json');
    const windowSaved = (): { window?: unknown } => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
    await waitFor('the window’s place in the settings file', () => windowSaved().window !== undefined);
    const config = windowSaved();
    expect(config.window).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('quits when another instance already runs', async () => {
    fake = createFakeElectron({ userData, singleInstance: false });
    expect(await startShell(fake as unknown as ElectronApi, { outDir: userData, argv: [], cwd: userData, log: () => undefined })).toBeNull();
    expect(fake.app.quitCalled).toBe(1);
  });
});

/** Saves a seedbox in the shell's settings file, as an earlier run would have. */
async function saveSeedbox(url: string): Promise<void> {
  const core = await composeCore({ configPath: join(userData, 'seedbox-remote.json'), version: 'test', platform: 'linux', memorySecrets: 'tests' });
  await core.registry.add({ name: 'Hung', kind: 'rtorrent', url });
}

const sleep = (ms: number): Promise<'timed out'> => new Promise((resolve) => setTimeout(() => resolve('timed out'), ms));
const addRequests = (): { sources: { kind: string; uri?: string; fileName?: string }[] }[] =>
  window()
    .webContents.sent.filter((message) => message.channel === 'app:addRequest')
    .map((message) => message.payload as { sources: { kind: string; uri?: string; fileName?: string }[] });

describe('start-up: the window never waits', () => {
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  beforeEach(async () => {
    silent = await startSilentServer();
    await saveSeedbox(`scgi://127.0.0.1:${silent.port}`);
  });
  afterEach(async () => {
    await shell?.core.service.stop();
    await silent.close();
  });

  it('opens the window at once while a seedbox accepts and never answers; its state follows as events', async () => {
    const began = performance.now();
    const started = await Promise.race([launch(), sleep(3000)]);
    const startedAfterMs = performance.now() - began;
    expect(started, 'start-up waited for the seedbox').not.toBe('timed out');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window().visible).toBe(true);
    expect(startedAfterMs).toBeLessThan(1000);
    // The box is there, connecting, and really being contacted.
    const statuses = (await fake.ipcMain.invoke('seedboxes:statuses', {}, window().webContents.mainFrame)) as InvokeEnvelope<SeedboxStatus[]>;
    expect(statuses).toMatchObject({ ok: true, value: [{ state: 'connecting' }] });
    await waitFor('the hung box to be contacted', () => silent.accepted() > 0);
  });

  it('saves a seedbox that never answers at once: the editor and the sidebar do not wait for it', async () => {
    await start();
    const frame = window().webContents.mainFrame;
    const seedbox = { name: 'Also hung', kind: 'rtorrent', url: `scgi://127.0.0.1:${silent.port}` };
    const began = performance.now();
    const added = await Promise.race([fake.ipcMain.invoke('seedboxes:add', { seedbox }, frame), sleep(3000)]);
    expect(added, 'saving waited for the connection').toMatchObject({ ok: true });
    const id = (added as { value: { id: string } }).value.id;
    expect(await Promise.race([fake.ipcMain.invoke('seedboxes:update', { id, changes: { name: 'Still hung' } }, frame), sleep(3000)])).toMatchObject({ ok: true });
    expect(await Promise.race([fake.ipcMain.invoke('seedboxes:setSecret', { id, purpose: 'daemon-password', secret: 'pw' }, frame), sleep(3000)])).toMatchObject({ ok: true });
    expect(performance.now() - began).toBeLessThan(1000);
    expect(window().webContents.sent.filter((message) => message.channel === 'seedboxes:changed').length).toBeGreaterThanOrEqual(3);
    expect(window().webContents.sent).toContainEqual({ channel: 'seedbox:status', payload: expect.objectContaining({ seedboxId: id, state: 'connecting' }) });
  });

  // Each moment an OS hand-over can arrive: before ready, while the settings are read, just
  // after the IPC handlers are bound (while the hung box connects).
  const moments = {
    'before the app is ready': async () => undefined,
    'while the settings are read': async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setImmediate(resolve));
    },
    'just after the IPC handlers are bound': async () => {
      while (fake.ipcMain.handlers.size === 0) await new Promise((resolve) => setImmediate(resolve));
    },
  };
  for (const [moment, reach] of Object.entries(moments)) {
    it(`takes a second instance, open-url and open-file ${moment}, into the one window`, async () => {
      const made = makeTorrent({ dataParent: userData, name: 'opened.bin', files: [{ path: '', content: filler('opened', 100) }], writeData: false });
      writeFileSync(join(userData, 'opened.torrent'), made.bytes);
      const started = launch();
      await reach();
      expect(() => {
        fake.app.emit('second-instance', { preventDefault() {} }, ['seedbox-remote', 'magnet:?xt=urn:btih:' + 'a'.repeat(40)], userData);
        fake.app.emit('open-url', { preventDefault() {} }, 'magnet:?xt=urn:btih:' + 'b'.repeat(40));
        fake.app.emit('open-file', { preventDefault() {} }, join(userData, 'opened.torrent'));
      }).not.toThrow();
      expect(await Promise.race([started, sleep(3000)])).not.toBe('timed out');
      await waitFor('the three hand-overs to reach the window', () => addRequests().flatMap((request) => request.sources).length >= 3, 3000);
      expect(FakeBrowserWindow.instances).toHaveLength(1);
      expect(shell!.window()).toBe(FakeBrowserWindow.instances[0]);
      const sources = addRequests().flatMap((request) => request.sources);
      expect(sources.map((source) => source.uri ?? source.fileName).sort()).toEqual(['magnet:?xt=urn:btih:' + 'a'.repeat(40), 'magnet:?xt=urn:btih:' + 'b'.repeat(40), 'opened.torrent']);
      // The one window is the tracked one: its IPC is answered.
      expect(await fake.ipcMain.invoke('app:info', {}, window().webContents.mainFrame)).toMatchObject({ ok: true });
      expect(window().visible).toBe(true);
    });
  }
});

describe('what only Electron would show', () => {
  it('keeps the window when no tray could be made: closing it quits instead of hiding it', async () => {
    await start([], { fake: { noTray: true } });
    expect(logged.some((message) => /No tray icon/.test(message))).toBe(true);
    window().close();
    expect(window().destroyed).toBe(true);
    fake.app.emit('window-all-closed');
    await waitFor('the app to quit', () => fake.app.quitCalled > 0);
  });

  it('asks once before taking magnet links, remembers the answer, and registers only after a yes', async () => {
    const settings = (): { magnetLinks?: string } => JSON.parse(readFileSync(join(userData, 'seedbox-remote.json'), 'utf8'));
    // First run: asked, over the window; "Keep my current app".
    await start([], { fake: { dialogResponse: 1 } });
    await waitFor('the answer to be saved', () => existsSync(join(userData, 'seedbox-remote.json')) && settings().magnetLinks === 'declined');
    expect(fake.questions).toHaveLength(1);
    expect(fake.questions[0]!.parent).toBe(window());
    expect(fake.questions[0]!.options.message).toMatch(/magnet links/);
    expect(fake.app.protocols).toEqual([]);
    await shell!.core.service.stop();
    // Next run: not asked again, not registered.
    await start([], { fake: {} });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.questions).toHaveLength(0);
    expect(fake.app.protocols).toEqual([]);
  });

  it('registers for magnet links after a yes, and never again behind the user’s back', async () => {
    const settings = (): { magnetLinks?: string } => JSON.parse(readFileSync(join(userData, 'seedbox-remote.json'), 'utf8'));
    await start([], { fake: { dialogResponse: 0 } });
    await waitFor('the registration', () => fake.app.protocols.length > 0);
    expect(fake.app.protocols).toEqual(['magnet']);
    expect(settings().magnetLinks).toBe('accepted');
    await shell!.core.service.stop();
    // Still the handler: nothing to do.
    await start([], { fake: { defaultMagnetClient: true } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.questions).toHaveLength(0);
    expect(fake.app.protocols).toEqual([]);
    await shell!.core.service.stop();
    // Another app took the links since: asked again rather than taking them back silently.
    await start([], { fake: { dialogResponse: 1 } });
    await waitFor('the question', () => fake.questions.length > 0);
    expect(fake.app.protocols).toEqual([]);
  });

  it('sets the Windows AppUserModelID to the installer’s appId, from electron-builder.yml', async () => {
    await start([], { shell: { platform: 'win32' } });
    // A development run: the executable, as Electron's docs advise.
    expect(fake.app.appUserModelId).toBe('/opt/Seedbox Remote/seedbox-remote');
    await shell!.core.service.stop();
    await start([], { shell: { platform: 'win32' }, fake: { packaged: true } });
    expect(fake.app.appUserModelId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(readFileSync(join(import.meta.dirname, '../../../electron-builder.yml'), 'utf8')).toMatch(new RegExp(`^appId: ${fake.app.appUserModelId!.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('starts at login on Linux through an XDG autostart entry, in $XDG_CONFIG_HOME or ~/.config', async () => {
    const xdg = join(userData, 'xdg');
    const entry = join(xdg, 'autostart', 'seedbox-remote.desktop');
    await start([], { shell: { env: { HOME: join(userData, 'home'), XDG_CONFIG_HOME: xdg, SEEDBOX_SECRET_STORE: 'memory' } } });
    const toggle = async (): Promise<void> => {
      (FakeTray.instances[0]!.menu.find((item) => item.label === 'Start at login')!.click as () => void)();
      await new Promise((resolve) => setTimeout(resolve, 50));
    };
    expect(existsSync(entry)).toBe(false);
    await toggle();
    await waitFor('the autostart entry', () => existsSync(entry));
    const text = readFileSync(entry, 'utf8');
    expect(text).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    // Unpackaged, Electron runs with the app's folder; a path with a space is quoted.
    expect(text).toContain(`Exec="/opt/Seedbox Remote/seedbox-remote" ${join(userData, 'app')}\n`);
    expect(fake.app.loginItem).toBeUndefined();
    await toggle();
    await waitFor('the entry to go', () => !existsSync(entry));
    await shell!.core.service.stop();

    // A relative XDG_CONFIG_HOME is invalid (XDG base directory spec): ~/.config it is.
    await start([], { shell: { env: { HOME: join(userData, 'home'), XDG_CONFIG_HOME: 'relative', SEEDBOX_SECRET_STORE: 'memory' } } });
    await toggle();
    await waitFor('the entry in ~/.config', () => existsSync(join(userData, 'home/.config/autostart/seedbox-remote.desktop')));
  });

  it('reads hand-overs from this computer only: no file:// host, no UNC path', async () => {
    await start([], { shell: { platform: 'win32' } });
    fake.app.emit('second-instance', { preventDefault() {} }, ['seedbox-remote', 'file://attacker.example/share/bait.torrent', '\\\\attacker.example\\share\\bait.torrent', '//attacker.example/share/other.torrent'], userData);
    fake.app.emit('open-file', { preventDefault() {} }, '\\\\attacker.example\\share\\opened.torrent');
    await waitFor('the refusals', () => logged.filter((message) => /network share/.test(message)).length === 4);
    expect(window().webContents.sent.filter((message) => message.channel === 'app:addRequest')).toEqual([]);
  });

  it('gives macOS its app menu with the standard roles, and Windows and Linux no menu bar', async () => {
    await start([], { shell: { platform: 'darwin' } });
    const template = fake.menus.application!.template;
    const [appMenu, ...rest] = template;
    expect(appMenu!.label).toBe('Seedbox Remote');
    const roles = (appMenu!.submenu as { role?: string }[]).map((item) => item.role).filter(Boolean);
    expect(roles).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    // The Edit menu is what makes ⌘C/⌘V/⌘A work in the page's fields on macOS.
    expect(rest.map((menu) => menu.label)).toEqual(['Edit', 'View', 'Window']);
    expect((rest[0]!.submenu as { role?: string }[]).map((item) => item.role).filter(Boolean)).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'pasteAndMatchStyle', 'delete', 'selectAll']);
    expect(rest[2]!.role).toBe('window');
    await shell!.core.service.stop();
    for (const platform of ['win32', 'linux'] as const) {
      await start([], { shell: { platform } });
      // null, not left alone: Electron's default menu (Reload, developer tools) would show otherwise.
      expect(fake.menus.application).toBeNull();
      await shell!.core.service.stop();
    }
  });

  it("speaks main's language in the macOS menu, every label, and follows a change of language", async () => {
    await start([], { shell: { platform: 'darwin' }, fake: { systemLanguages: ['de-DE'] } });
    const labels = (): string[] => menuLabels(fake.menus.application!.template);
    expect(labels().slice(0, 3)).toEqual(['Seedbox Remote', 'Über Seedbox Remote', 'Dienste']);
    expect(labels()).toContain('Darstellung');
    expect(labels()).toContain('Bearbeiten');
    // No label left to Electron's English defaults: every item says its own, in German.
    const english = new Set(menuLabels(applicationMenuTemplate('darwin', 'Seedbox Remote', 'en')!));
    expect(labels().filter((label) => english.has(label) && label !== 'Seedbox Remote')).toEqual([]);
    expect(menuItems(fake.menus.application!.template).filter((item) => item.type !== 'separator' && !item.label)).toEqual([]);
    await shell!.core.service.handlers['preferences:update']({ language: 'zh-CN' });
    await waitFor('the Chinese menu', () => labels().includes('显示'));
    expect(labels()).toContain('退出 Seedbox Remote');
  });

  it('passes the OS accent colour to the page as a checked #rrggbb, and follows its changes', async () => {
    const appearances = (): unknown[] => window().webContents.sent.filter((message) => message.channel === 'app:appearance').map((message) => message.payload);
    await start([], { shell: { platform: 'win32' }, fake: { accentColor: 'FF8800CC' } });
    await waitFor('the appearance', () => appearances().length > 0);
    expect(appearances()).toEqual([{ accentColor: '#ff8800' }]);
    fake.systemPreferences.accentColor = '0a84ffff';
    fake.systemPreferences.emit('accent-color-changed', {}, '0a84ffff');
    // Windows repeats the event for one change: the page hears each colour once.
    fake.systemPreferences.emit('accent-color-changed', {}, '0a84ffff');
    expect(appearances()).toEqual([{ accentColor: '#ff8800' }, { accentColor: '#0a84ff' }]);
    // Anything but a colour never reaches the page's CSS.
    fake.systemPreferences.accentColor = 'red; background: url(https://evil.example/)';
    fake.systemPreferences.emit('accent-color-changed', {}, 'red');
    expect(appearances().at(-1)).toEqual({ accentColor: null });
    // A reload hears the current value again.
    window().webContents.emit('did-finish-load');
    expect(appearances().at(-1)).toEqual({ accentColor: null });
    await shell!.core.service.stop();

    // macOS: the distributed notification, and a read that throws means no accent, not a crash.
    await start([], { shell: { platform: 'darwin' }, fake: { accentColor: new Error('not on this macOS') } });
    await waitFor('the appearance', () => appearances().length > 0);
    expect(appearances()).toEqual([{ accentColor: null }]);
    fake.systemPreferences.accentColor = '007affff';
    fake.systemPreferences.macNotifications.get('AppleColorPreferencesChangedNotification')!();
    expect(appearances()).toEqual([{ accentColor: null }, { accentColor: '#007aff' }]);
  });
});

describe('the preload bridge', () => {
  it('exposes exactly the contract, one function per channel, and unwraps typed errors', async () => {
    const calls: string[] = [];
    const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
    const ipc: IpcRendererLike = {
      invoke: async (channel) => {
        calls.push(channel);
        return channel === 'app:info' ? { ok: true, value: { version: '1' } } : { ok: false, error: { code: 'not-found', message: 'No such box.', details: { id: 'x' } } };
      },
      on: (channel, listener) => listeners.set(channel, listener as never),
      removeListener: (channel) => listeners.delete(channel),
    };
    const bridge = buildBridge(ipc);
    expect(Object.keys(bridge.invoke).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(Object.keys(bridge.on).sort()).toEqual([...EVENT_CHANNELS].sort());
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(await bridge.invoke['app:info']({})).toEqual({ version: '1' });
    await expect(bridge.invoke['seedboxes:remove']({ id: 'x' })).rejects.toEqual({ name: 'SeedboxError', code: 'not-found', message: 'No such box.', details: { id: 'x' } });
    const received: unknown[] = [];
    const stop = bridge.on['seedbox:status']((payload) => received.push(payload));
    listeners.get('seedbox:status')!({ sender: 'ipc internals' }, { seedboxId: 'a' });
    expect(received).toEqual([{ seedboxId: 'a' }]);
    stop();
    expect(listeners.has('seedbox:status')).toBe(false);
    expect(calls).toEqual(['app:info', 'seedboxes:remove']);
  });
});

describe('pure shell logic', () => {
  it('builds the tray menu per box, with alternative speed only where the client has it', () => {
    const model = trayModel(
      {
        downRate: 2048,
        upRate: 1024,
        boxes: [
          { seedboxId: 'a', name: 'Alpha', state: 'connected', downRate: 2048, upRate: 1024, alternativeSpeed: false, canPause: true },
          { seedboxId: 'b', name: 'Beta', state: 'reconnecting', downRate: 0, upRate: 0, alternativeSpeed: null, canPause: false },
        ],
      },
      { closeToTray: true, startAtLogin: false },
      { visible: false },
    );
    expect(model.tooltip).toMatch(/↓ 2\.00 KiB\/s\s+↑ 1\.00 KiB\/s/);
    const boxes = model.items.filter((item) => item.type === 'submenu');
    expect(boxes.map((item) => item.label)).toEqual([expect.stringMatching(/^Alpha /), 'Beta (reconnecting)']);
    expect(boxes[0]!.type === 'submenu' && boxes[0]!.items.map((item) => ('label' in item ? item.label : item.type))).toEqual(['Pause all', 'Resume all', 'Alternative speed']);
    expect(boxes[1]!.type === 'submenu' && boxes[1]!.items.map((item) => ('label' in item ? item.label : item.type))).toEqual(['Pause all', 'Resume all']);
    expect(model.items[0]).toMatchObject({ label: 'Show Seedbox Remote' });
  });

  it('notifies per the user’s switches', () => {
    const finished = { kind: 'download-finished', seedboxId: 'a', seedboxName: 'Alpha', torrentId: 'f'.repeat(40), torrentName: 'Movie' } as const;
    const all = { notifications: { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true } };
    expect(noticeToNotification(finished, all)).toMatchObject({ title: expect.stringMatching(/finished|Download/i), body: expect.stringContaining('Movie') });
    expect(noticeToNotification(finished, { notifications: { ...all.notifications, downloadFinished: false } })).toBeNull();
    expect(noticeToNotification({ kind: 'seedbox-lost', seedboxId: 'a', seedboxName: 'Alpha', message: 'refused' }, all)?.body).toMatch(/refused/);
    expect(FakeNotification.isSupported()).toBe(true);
  });

  it('shows notifications that open the torrent when clicked', () => {
    const clicked: unknown[] = [];
    const notify = createNotifier({
      Notification: FakeNotification,
      preferences: () => ({ notifications: { downloadFinished: true, torrentError: false, seedboxLost: true, seedboxBack: true } }),
      onClick: (notice) => clicked.push(noticeTarget(notice)),
    });
    FakeNotification.shown = [];
    notify({ kind: 'download-finished', seedboxId: 'a', seedboxName: 'Alpha', torrentId: 'f'.repeat(40), torrentName: 'Movie' });
    notify({ kind: 'torrent-error', seedboxId: 'a', seedboxName: 'Alpha', torrentId: 'e'.repeat(40), torrentName: 'Broken', message: 'gone' });
    expect(FakeNotification.shown).toHaveLength(1);
    FakeNotification.shown[0]!.emit('click');
    expect(clicked).toEqual([{ seedboxId: 'a', id: 'f'.repeat(40) }]);
  });

  it('routes command-line arguments: magnets and .torrent paths only', () => {
    const requests = parseOpenArgs(['/opt/app', 'magnet:?xt=urn:btih:' + 'a'.repeat(40), 'movie.torrent', '--flag', 'readme.txt', 'MAGNET:?xt=urn:btih:' + 'b'.repeat(40)], '/home/me');
    expect(requests).toEqual([
      { kind: 'magnet', uri: 'magnet:?xt=urn:btih:' + 'a'.repeat(40) },
      { kind: 'file', path: '/home/me/movie.torrent' },
      { kind: 'magnet', uri: 'MAGNET:?xt=urn:btih:' + 'b'.repeat(40) },
    ]);
  });

  it('keeps network paths out of hand-overs: file:// with a host and UNC paths are refused, local ones read', async () => {
    const local = parseOpenArgs(['file://localhost/home/me/a.torrent', 'file:///home/me/b.torrent'], '/home/me', 'linux');
    expect(local).toEqual([
      { kind: 'file', path: '/home/me/a.torrent' },
      { kind: 'file', path: '/home/me/b.torrent' },
    ]);
    expect(parseOpenArgs(['file:///C:/Users/me/c.torrent'], 'C:\\Users\\me', 'win32')).toEqual([{ kind: 'file', path: 'C:\\Users\\me\\c.torrent' }]);
    // On Windows, Node would turn file://host/share into \\host\share and open() would go over SMB.
    for (const platform of ['win32', 'linux'] as const) {
      const remote = parseOpenArgs(['file://attacker.example/share/a.torrent', '\\\\attacker.example\\share\\b.torrent', '//attacker.example/share/c.torrent'], '/home/me', platform);
      expect(remote).toHaveLength(3);
      for (const request of remote) {
        expect(request.kind === 'file' && isNetworkPath(request.path)).toBe(true);
        await expect(readOpenRequest(request)).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/network share/) });
      }
    }
  });

  it('holds a bounded number of live notifications, however many arrive and whether or not they close', () => {
    const clicked: unknown[] = [];
    const notify = createNotifier({
      Notification: FakeNotification,
      preferences: () => ({ notifications: { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true } }),
      onClick: (notice) => clicked.push(noticeTarget(notice)),
    });
    FakeNotification.shown = [];
    for (let index = 0; index < 500; index++) notify({ kind: 'download-finished', seedboxId: 'a', seedboxName: 'Alpha', torrentId: index.toString(16).padStart(40, '0'), torrentName: `T${index}` });
    expect(FakeNotification.shown).toHaveLength(500);
    expect(notify.held).toBe(MAX_LIVE_NOTIFICATIONS);
    // Closed, failed or clicked ones are let go; the newest still answer a click.
    FakeNotification.shown.at(-1)!.emit('close');
    FakeNotification.shown.at(-2)!.emit('failed');
    FakeNotification.shown.at(-3)!.emit('click');
    expect(notify.held).toBe(MAX_LIVE_NOTIFICATIONS - 3);
    expect(clicked).toEqual([{ seedboxId: 'a', id: (497).toString(16).padStart(40, '0') }]);
  });

  it('never restores a window off screen', () => {
    const area = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(restoreBounds({ x: 5000, y: 5000, width: 800, height: 600, maximized: false }, [area])).toMatchObject({ width: 800, height: 600 });
    const restored = restoreBounds({ x: 1800, y: 900, width: 800, height: 600, maximized: true }, [area]);
    expect(restored.x! + restored.width).toBeLessThanOrEqual(1920);
    expect(restored.y! + restored.height).toBeLessThanOrEqual(1080);
    expect(restored.maximized).toBe(true);
  });
});

/** Every item of a menu template, submenus included. */
function menuItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? menuItems(item.submenu) : [])]);
}

function menuLabels(template: MenuItemConstructorOptions[]): string[] {
  return menuItems(template).flatMap((item) => (item.label ? [item.label] : []));
}
