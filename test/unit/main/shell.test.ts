import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, EVENT_CHANNELS } from '../../../electron/shared/channels';
import type { InvokeEnvelope } from '../../../electron/shared/contract';
import { startShell, type ElectronApi, type Shell } from '../../../electron/main/shell';
import { buildBridge, type IpcRendererLike } from '../../../electron/preload/bridge';
import { trayModel } from '../../../electron/main/tray';
import { createNotifier, noticeTarget, noticeToNotification } from '../../../electron/main/notifications';
import { parseOpenArgs } from '../../../electron/main/open-handler';
import { restoreBounds } from '../../../electron/main/window-bounds';
import { createFakeElectron, FakeBrowserWindow, FakeNotification, FakeTray } from '../../fakes/electron';
import { tempDir } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';

// The Electron shell against a fake electron module: what is registered, what is refused,
// which window options are used, what the tray and notifications show, how OS hand-overs
// reach the window. The core behind it is the real one, with an empty settings file.

let fake: ReturnType<typeof createFakeElectron>;
let shell: Shell | null;
let userData: string;

beforeEach(() => {
  userData = tempDir('shell');
  process.env['SEEDBOX_SECRET_STORE'] = 'memory';
});

afterEach(async () => {
  await shell?.core.service.stop();
  shell = null;
});

async function start(argv: string[] = []): Promise<Shell> {
  fake = createFakeElectron({ userData });
  const outDir = join(userData, 'out/main');
  mkdirSync(join(userData, 'out/renderer'), { recursive: true });
  writeFileSync(join(userData, 'out/renderer/index.html'), '<!doctype html>');
  shell = await startShell(fake as unknown as ElectronApi, { outDir, argv, cwd: userData, log: () => undefined });
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
    // Every permission is refused, and the page gets the strict CSP.
    let granted: boolean | undefined;
    contents.session.permissionRequest?.(null, 'notifications', (value) => (granted = value));
    expect(granted).toBe(false);
    expect(contents.session.permissionCheck?.(null, 'media')).toBe(false);
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
    await core.service.handlers['seedboxes:add']({ seedbox: { name: 'Box', kind: 'rtorrent', url: 'scgi:///nonexistent.sock', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null, pathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent' } });
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
    await start();
    const tray = FakeTray.instances[0]!;
    expect(tray.tooltip).toBe('Seedbox Remote');
    expect(tray.menu.map((item) => item.label ?? item.type)).toEqual(['Hide Seedbox Remote', 'separator', 'Close to tray', 'Start at login', 'separator', 'Quit']);
    const startAtLogin = tray.menu.find((item) => item.label === 'Start at login')!;
    (startAtLogin.click as () => void)();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.app.loginItem).toEqual({ openAtLogin: true });
    expect(window().webContents.sent).toContainEqual({ channel: 'preferences:changed', payload: expect.objectContaining({ startAtLogin: true }) });
    expect(tray.menu.find((item) => item.label === 'Start at login')).toMatchObject({ checked: true });
  });

  it('hands magnets and .torrent files from the command line to the window', async () => {
    const made = makeTorrent({ dataParent: userData, name: 'given.bin', files: [{ path: '', content: filler('given', 100) }], writeData: false });
    writeFileSync(join(userData, 'given.torrent'), made.bytes);
    await start(['seedbox-remote', 'magnet:?xt=urn:btih:' + 'c'.repeat(40), 'given.torrent', '--some-flag', 'notes.txt']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const request = window().webContents.sent.find((message) => message.channel === 'app:addRequest');
    const sources = (request?.payload as { sources: { kind: string; uri?: string; fileName?: string; bytes?: Uint8Array }[] }).sources;
    expect(sources.map((source) => source.kind)).toEqual(['magnet', 'file']);
    expect(Buffer.from(sources[1]!.bytes!)).toEqual(Buffer.from(made.bytes));
    // A second launch with a magnet goes to the running app.
    fake.app.emit('second-instance', { preventDefault() {} }, ['seedbox-remote', 'magnet:?xt=urn:btih:' + 'd'.repeat(40)], userData);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window().webContents.sent.filter((message) => message.channel === 'app:addRequest')).toHaveLength(2);
    // macOS hands links over as open-url events; anything but a magnet is ignored.
    fake.app.emit('open-url', { preventDefault() {} }, 'magnet:?xt=urn:btih:' + 'e'.repeat(40));
    fake.app.emit('open-url', { preventDefault() {} }, 'https://example.org/not-a-magnet');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(window().webContents.sent.filter((message) => message.channel === 'app:addRequest')).toHaveLength(3);
    expect(fake.app.protocols).toEqual(['magnet']);
  });

  it('remembers the window’s place in the settings file', async () => {
    await start();
    window().emit('resize');
    window().close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const config = JSON.parse(readFileSync(join(userData, 'seedbox-remote.json'), 'utf8'));
    expect(config.window).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });

  it('quits when another instance already runs', async () => {
    fake = createFakeElectron({ userData, singleInstance: false });
    expect(await startShell(fake as unknown as ElectronApi, { outDir: userData, argv: [], cwd: userData, log: () => undefined })).toBeNull();
    expect(fake.app.quitCalled).toBe(1);
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

  it('never restores a window off screen', () => {
    const area = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(restoreBounds({ x: 5000, y: 5000, width: 800, height: 600, maximized: false }, [area])).toMatchObject({ width: 800, height: 600 });
    const restored = restoreBounds({ x: 1800, y: 900, width: 800, height: 600, maximized: true }, [area]);
    expect(restored.x! + restored.width).toBeLessThanOrEqual(1920);
    expect(restored.y! + restored.height).toBeLessThanOrEqual(1080);
    expect(restored.maximized).toBe(true);
  });
});
