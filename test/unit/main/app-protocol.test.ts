import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startShell, type ElectronApi, type Shell } from '../../../electron/main/shell';
import { createFakeElectron, FakeBrowserWindow } from '../../fakes/electron';
import { tempDir } from '../../helpers/processes';

// The window's page on app://seedbox-remote/ through the shell and the fake electron module:
// the scheme's privileges, the files it serves (and refuses), the CSP header, and which page a
// packaged app loads whatever ELECTRON_RENDERER_URL says.

let shell: Shell | null = null;

afterEach(async () => {
  await shell?.core.service.stop();
  shell = null;
});

async function start(options: { packaged?: boolean; devServerUrl?: string } = {}) {
  const userData = tempDir('app-protocol');
  const renderer = join(userData, 'out/renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>page</title>');
  writeFileSync(join(renderer, 'assets/index.js'), 'export {};');
  writeFileSync(join(renderer, 'assets/index.css'), 'body {}');
  writeFileSync(join(renderer, 'favicon.png'), 'png');
  // Beside the renderer folder: what a traversal would be after.
  writeFileSync(join(userData, 'out/secret.txt'), 'secret');
  writeFileSync(join(userData, 'seedbox-remote.json.bak'), 'secret');
  symlinkSync(join(userData, 'out/secret.txt'), join(renderer, 'assets/link.txt'));
  const fake = createFakeElectron({ userData });
  fake.app.isPackaged = options.packaged ?? false;
  shell = await startShell(fake as unknown as ElectronApi, { outDir: join(userData, 'out/main'), devServerUrl: options.devServerUrl, argv: [], cwd: userData, log: () => undefined });
  await new Promise((resolve) => setTimeout(resolve, 10));
  return { fake, window: FakeBrowserWindow.instances.at(-1)! };
}

describe('the app:// protocol', () => {
  it('is registered as a standard, secure scheme before ready, never bypassing the CSP', async () => {
    const { fake } = await start();
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.protocol.privileged[0]?.privileges).not.toHaveProperty('bypassCSP');
    expect(fake.protocol.privileged[0]?.privileges).not.toHaveProperty('corsEnabled');
    expect([...fake.protocol.handlers.keys()]).toEqual(['app']);
  });

  it('loads the page from app:// and answers it with the strict CSP as a header', async () => {
    const { fake, window } = await start();
    expect(window.loadedUrl).toBe('app://seedbox-remote/index.html');
    const response = await fake.protocol.fetch('app://seedbox-remote/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>page</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self';");
    // Only a header can carry frame-ancestors (a meta tag's is ignored, with an error).
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('ws:');
  });

  it('serves the page’s files with the types Chromium needs (module scripts are refused otherwise)', async () => {
    const { fake } = await start();
    const types = await Promise.all(['/', '/assets/index.js', '/assets/index.css', '/favicon.png'].map(async (path) => (await fake.protocol.fetch(`app://seedbox-remote${path}`)).headers.get('content-type')));
    expect(types).toEqual(['text/html; charset=utf-8', 'text/javascript; charset=utf-8', 'text/css; charset=utf-8', 'image/png']);
    const head = await fake.protocol.fetch('app://seedbox-remote/assets/index.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('refuses every way out of the renderer folder, other hosts and other methods', async () => {
    const { fake } = await start();
    const status = async (url: string, init?: RequestInit) => {
      const response = await fake.protocol.fetch(url, init);
      const body = await response.text();
      expect(body, url).not.toContain('secret');
      expect(response.headers.get('content-security-policy'), url).toContain("default-src 'none'");
      return response.status;
    };
    // Plain dot segments are resolved by the URL parser: what is left is looked up inside the folder.
    expect(await status('app://seedbox-remote/../secret.txt')).toBe(404);
    expect(await status('app://seedbox-remote/assets/../../secret.txt')).toBe(404);
    // Encoded ones get past the parser and are refused after decoding.
    expect(await status('app://seedbox-remote/..%2fsecret.txt')).toBe(403);
    expect(await status('app://seedbox-remote/%2e%2e%2f%2e%2e%2fseedbox-remote.json.bak')).toBe(403);
    expect(await status('app://seedbox-remote/assets/..%2F..%2Fsecret.txt')).toBe(403);
    expect(await status('app://seedbox-remote/..%5csecret.txt')).toBe(400);
    expect(await status('app://seedbox-remote/index.html%00.png')).toBe(400);
    expect(await status('app://seedbox-remote/%E0%A4%A')).toBe(400);
    // A symlink inside the folder that leads out of it.
    expect(await status('app://seedbox-remote/assets/link.txt')).toBe(403);
    expect(await status('app://seedbox-remote/assets/')).toBe(404);
    expect(await status('app://seedbox-remote/missing.js')).toBe(404);
    expect(await status('app://other-host/index.html')).toBe(404);
    expect(await status('app://seedbox-remote/index.html', { method: 'POST', body: 'x' })).toBe(405);
  });

  it('trusts IPC only from the app:// page', async () => {
    const { fake, window } = await start();
    const frame = window.webContents.mainFrame;
    expect(frame.url).toBe('app://seedbox-remote/index.html');
    expect(await fake.ipcMain.invoke('app:info', {}, frame)).toMatchObject({ ok: true });
    for (const url of ['file:///tmp/out/renderer/index.html', 'app://other-host/index.html', 'http://localhost:5173/']) {
      frame.url = url;
      expect(await fake.ipcMain.invoke('app:info', {}, frame), url).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});

describe('ELECTRON_RENDERER_URL (the Vite dev server)', () => {
  it('is ignored by a packaged app: the page stays app://, with the strict policy', async () => {
    const { window } = await start({ packaged: true, devServerUrl: 'http://127.0.0.1:5173/' });
    expect(window.loadedUrl).toBe('app://seedbox-remote/index.html');
    let headers: Record<string, string | string[]> = {};
    window.webContents.session.headersListener?.({ responseHeaders: {} }, (response) => (headers = response.responseHeaders));
    expect(String(headers['Content-Security-Policy'])).not.toContain('unsafe-inline');
  });

  it('is loaded in development, with the dev server’s inline styles allowed there only', async () => {
    const { fake, window } = await start({ packaged: false, devServerUrl: 'http://127.0.0.1:5173/' });
    expect(window.loadedUrl).toBe('http://127.0.0.1:5173/');
    let headers: Record<string, string | string[]> = {};
    window.webContents.session.headersListener?.({ responseHeaders: {} }, (response) => (headers = response.responseHeaders));
    expect(String(headers['Content-Security-Policy'])).toContain("style-src 'self' 'unsafe-inline'");
    expect(await fake.ipcMain.invoke('app:info', {}, window.webContents.mainFrame)).toMatchObject({ ok: true });
  });
});

describe('the keychain probe', () => {
  it('runs in a utility process (the RunAsNode fuse is off), and a failed one leaves secrets in memory with the reason', async () => {
    const { fake } = await start();
    expect(fake.utilityProcess.forked.map((fork) => fork.modulePath)).toEqual([expect.stringMatching(/out\/main\/keychain-probe\.js$/)]);
    // The fake app has no built entry there: the probe ends without an answer.
    expect(shell?.core.secretStore.kind).toBe('memory');
    expect(shell?.core.secretStore.unavailableReason).toMatch(/^The keychain check stopped unexpectedly/);
  });
});
