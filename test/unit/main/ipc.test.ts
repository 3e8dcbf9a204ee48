import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel, type InvokeHandlers } from '../../../electron/shared/contract';
import { SeedboxError } from '../../../electron/shared/errors';
import { appPage } from '../../../electron/main/app-page';
import { createEventSender, registerInvokeHandlers, trustedSender } from '../../../electron/main/ipc';
import { FakeIpcMain, FakeWebContents } from '../../fakes/electron';

const TORRENT = 'a'.repeat(40);
const page = appPage({ packaged: true });

function setup(options: { validateResults?: boolean } = {}) {
  const ipcMain = new FakeIpcMain();
  const mocks = Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, vi.fn(async (): Promise<unknown> => null)])) as Record<InvokeChannel, ReturnType<typeof vi.fn<() => Promise<unknown>>>>;
  const handlers = mocks as unknown as InvokeHandlers;
  const contents = new FakeWebContents();
  contents.mainFrame.url = `${page.url}#/torrents`;
  const log = vi.fn();
  const unregister = registerInvokeHandlers({
    ipcMain,
    handlers,
    isTrustedSender: trustedSender({ mainFrame: () => contents.mainFrame, isAppUrl: page.isAppUrl }),
    validateResults: options.validateResults ?? true,
    log,
  });
  return { ipcMain, handlers: mocks, frame: contents.mainFrame, log, unregister };
}

describe('IPC registration', () => {
  it('registers exactly the contract channels, and removes them again', () => {
    const { ipcMain, unregister } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('runs the handler with the parsed arguments and answers in an envelope', async () => {
    const { ipcMain, handlers, frame } = setup();
    const answer = await ipcMain.invoke('torrents:start', { seedboxId: 'box-1', ids: [TORRENT] }, frame);
    expect(answer).toEqual({ ok: true, value: null });
    expect(handlers['torrents:start']).toHaveBeenCalledWith({ seedboxId: 'box-1', ids: [TORRENT] });
  });

  it('rejects invalid arguments with invalid-argument without running the handler', async () => {
    const { ipcMain, handlers, frame } = setup();
    for (const args of [{ seedboxId: 'box-1', ids: ['not-a-hash'] }, { seedboxId: 'box-1', ids: [TORRENT], extra: true }, 'junk', null]) {
      const answer = (await ipcMain.invoke('torrents:start', args, frame)) as { ok: boolean; error: { code: string; message: string } };
      expect(answer.ok).toBe(false);
      expect(answer.error.code).toBe('invalid-argument');
      expect(answer.error.message).toContain('torrents:start');
    }
    expect(handlers['torrents:start']).not.toHaveBeenCalled();
  });

  it('never echoes a rejected secret in the error message', async () => {
    const { ipcMain, frame } = setup();
    const answer = (await ipcMain.invoke('seedboxes:setSecret', { id: 'box-1', purpose: 'nope', secret: 'hunter2-very-secret' }, frame)) as { error: { message: string } };
    expect(answer.error.message).not.toContain('hunter2');
  });

  it('refuses calls from another frame, another page, or a gone frame, and logs each once', async () => {
    const { ipcMain, handlers, frame, log } = setup();
    const iframe = { url: frame.url };
    const navigated = frame;
    const senders = [iframe, null];
    for (const sender of senders) {
      const answer = (await ipcMain.invoke('app:info', {}, sender)) as { ok: boolean; error: { code: string } };
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    navigated.url = 'https://evil.example/page';
    await ipcMain.invoke('app:info', {}, navigated);
    await ipcMain.invoke('app:info', {}, navigated);
    expect(handlers['app:info']).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledTimes(3);
    expect(log.mock.calls.at(-1)?.[0]).toContain('https://evil.example');
  });

  it('accepts the dev server origin only in development mode, and never in a packaged app', () => {
    const dev = appPage({ devServerUrl: 'http://localhost:5173/', packaged: false });
    expect(dev.isAppUrl('http://localhost:5173/#/box')).toBe(true);
    expect(dev.isAppUrl('http://localhost:5174/')).toBe(false);
    // ELECTRON_RENDERER_URL in a packaged app's environment is ignored: the page stays app://.
    const packaged = appPage({ devServerUrl: 'http://localhost:5173/', packaged: true });
    expect(packaged.url).toBe('app://seedbox-remote/index.html');
    expect(packaged.isAppUrl('http://localhost:5173/')).toBe(false);
    expect(page.isAppUrl('http://localhost:5173/')).toBe(false);
  });

  it('takes only the app:// page as the app, not another host, scheme or page', () => {
    expect(page.isAppUrl('app://seedbox-remote/index.html#/torrents')).toBe(true);
    expect(page.isAppUrl('app://seedbox-remote/')).toBe(true);
    for (const url of [
      'app://seedbox-remote/other.html',
      'app://evil/index.html',
      'app://seedbox-remote.evil/index.html',
      'https://seedbox-remote/index.html',
      'file:///opt/seedbox/resources/app.asar/out/renderer/index.html',
      'not a url',
    ]) {
      expect(page.isAppUrl(url), url).toBe(false);
    }
  });

  it('carries a SeedboxError across as code, message and details, never a stack', async () => {
    const { ipcMain, handlers, frame } = setup();
    handlers['torrents:start'].mockRejectedValueOnce(new SeedboxError('auth-failed', 'Wrong password for box.', { seedboxId: 'box-1' }));
    const answer = await ipcMain.invoke('torrents:start', { seedboxId: 'box-1', ids: [TORRENT] }, frame);
    expect(answer).toEqual({ ok: false, error: { code: 'auth-failed', message: 'Wrong password for box.', details: { seedboxId: 'box-1' } } });
    expect(JSON.stringify(answer)).not.toContain('at ');
  });

  it('turns any other exception into an internal error and logs it', async () => {
    const { ipcMain, handlers, frame, log } = setup();
    handlers['app:info'].mockRejectedValueOnce(new TypeError('x is undefined'));
    const answer = await ipcMain.invoke('app:info', {}, frame);
    expect(answer).toEqual({ ok: false, error: { code: 'internal', message: 'x is undefined', details: {} } });
    expect(log).toHaveBeenCalledOnce();
  });

  it('checks results against the contract when asked to', async () => {
    const { ipcMain, handlers, frame } = setup({ validateResults: true });
    handlers['seedboxes:statuses'].mockResolvedValueOnce([{ seedboxId: 'box-1' }]);
    const answer = await ipcMain.invoke('seedboxes:statuses', {}, frame);
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('events to the window', () => {
  const status = { seedboxId: 'box-1', state: 'connected', nextAttemptAt: null, offlineSince: null, error: null, info: null } as const;

  it('sends contract events to the window', () => {
    const contents = new FakeWebContents();
    const send = createEventSender({ target: () => contents, validate: true, log: vi.fn() });
    expect(send('seedbox:status', status)).toBe(true);
    expect(contents.sent).toEqual([{ channel: 'seedbox:status', payload: status }]);
    expect(EVENT_CHANNELS).toContain('seedbox:status');
  });

  it('drops invalid payloads, unknown channels, and sends nothing without a live window', () => {
    const contents = new FakeWebContents();
    const log = vi.fn();
    const send = createEventSender({ target: () => contents, validate: true, log });
    expect(send('seedbox:status', { ...status, state: 'happy' } as never)).toBe(false);
    expect(send('secrets:leak' as never, {} as never)).toBe(false);
    expect(log).toHaveBeenCalledTimes(2);
    contents.destroyed = true;
    expect(send('seedbox:status', status)).toBe(false);
    expect(createEventSender({ target: () => null, validate: false, log })('seedbox:status', status)).toBe(false);
    expect(contents.sent).toEqual([]);
  });
});
