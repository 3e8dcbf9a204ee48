import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { startHarness, type Harness } from '../../../electron/web/harness';
import { launchChromium } from '../../helpers/chromium';
import { tempDir } from '../../helpers/processes';

// The page as Chromium loads it: the built window (through the browser harness) must load
// without a single console error, and the Vite dev server's page (`npm run dev`) must get its
// styles past the CSP meta tag.
const ROOT = resolve(import.meta.dirname, '../../..');

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Every console error, uncaught error and failed request of a page from now on. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return problems;
}

describe('the built page', () => {
  let core: ComposedCore;
  let harness: Harness;

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out/web/seedbox-bridge.js')), 'npm test builds the app first').toBe(true);
    core = await composeCore({ configPath: join(tempDir('page-load'), 'seedbox-remote.json'), version: 'page-load', platform: 'linux', memorySecrets: 'tests' });
    await core.service.start();
    harness = await startHarness({ service: core.service, rendererDir: join(ROOT, 'out/renderer'), bridgeScript: join(ROOT, 'out/web/seedbox-bridge.js') });
  });

  afterAll(async () => {
    await harness?.close();
    await core?.service.stop();
  });

  it('loads with no console error, its favicon included, and styled', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    const favicon = page.waitForResponse((response) => response.url().endsWith('/favicon.png'));
    const response = await page.goto(harness.url, { waitUntil: 'networkidle' });
    await page.locator('h1', { hasText: 'Seedbox Remote' }).waitFor();
    expect((await favicon).status()).toBe(200);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('13px');
    // frame-ancestors only in the header: in a meta tag browsers ignore it and log an error.
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("style-src 'self';");
    expect(meta).not.toContain('frame-ancestors');
    expect(meta).not.toContain('unsafe-inline');
    await page.close();
  });
});

describe('the dev server’s page (npm run dev)', () => {
  let server: ViteDevServer;

  beforeAll(async () => {
    // The renderer part of electron.vite.config.ts, as electron-vite's dev server runs it.
    // (Imported by path: the tests' TypeScript project does not include the build configs.)
    const config = (await import(join(ROOT, 'electron.vite.config.ts'))) as { default: { renderer: InlineConfig } };
    const renderer = config.default.renderer;
    server = await createServer({ ...renderer, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false } });
    await server.listen();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('gets its styles past the CSP (dev only: the build stays strict)', async () => {
    const page = await browser.newPage();
    const problems = watch(page);
    const url = server.resolvedUrls?.local[0] ?? '';
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await page.goto(url, { waitUntil: 'networkidle' });
    // Without the shell there is no window.seedbox: only the policy's complaints matter here.
    expect(problems.filter((problem) => /Content Security Policy|Refused to/i.test(problem))).toEqual([]);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('13px');
    const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(meta).toContain("style-src 'self' 'unsafe-inline'");
    await page.close();
  });
});
