// The end-to-end tests' shared setup: the real core service with real daemons behind it, the
// built window served by the browser harness, and Debian's Chromium driving it as a user would.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { startHarness, type Harness } from '../../../electron/web/harness';
import { launchChromium } from '../../helpers/chromium';
import { tempDir } from '../../helpers/processes';
import type { MadeTorrent } from '../../helpers/torrents';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS = join(ROOT, 'test-artifacts/screenshots');

export interface App {
  core: ComposedCore;
  harness: Harness;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page: a test ends by expecting none. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** The real core (temp config, secrets in memory, fast polling) behind the real window in Chromium. */
export async function openApp(options: { viewport?: { width: number; height: number }; downloadsFolder?: string; locale?: string } = {}): Promise<App> {
  expect(existsSync(join(ROOT, 'out/web/seedbox-bridge.js')), 'run `npm run build` first').toBe(true);
  const core = await composeCore({
    configPath: join(tempDir('e2e'), 'seedbox-remote.json'),
    version: 'e2e',
    platform: 'linux',
    memorySecrets: { code: 'switched-off' },
    // Where the window's downloads to this computer go (never the real ~/Downloads).
    downloadsFolder: options.downloadsFolder ?? tempDir('e2e-downloads'),
  });
  await core.service.start();
  // Polling every half second keeps the suite short; the app's own default is 1.5 s.
  await core.service.handlers['preferences:update']({ refreshIntervalMs: 500 });
  const harness = await startHarness({ service: core.service, rendererDir: join(ROOT, 'out/renderer'), bridgeScript: join(ROOT, 'out/web/seedbox-bridge.js') });
  const browser = await launchChromium();
  // The browser's language is the OS's here (navigator.languages): English unless a test says otherwise.
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 800 }, colorScheme: 'light', locale: options.locale ?? 'en-US' });
  // Everything here answers within a few seconds; a step that waits longer has failed.
  page.setDefaultTimeout(15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(harness.url);
  await page.locator('h1', { hasText: 'Seedbox Remote' }).waitFor();
  return {
    core,
    harness,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await harness.close();
      await core.service.stop();
    },
  };
}

/** Saves the window as it is, after clicking away the toasts (they would hide the table). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const toasts = page.locator('.toasts .toast');
  while ((await toasts.count()) > 0) await toasts.first().click({ force: true }).catch(() => undefined);
  await toasts.first().waitFor({ state: 'detached' });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The table row of a torrent (any box). */
export function rowOf(page: Page, infoHash: string) {
  return page.locator(`.table-scroller .row[data-key$=":${infoHash}"]`);
}

/** The names in the table, top to bottom. */
export async function tableNames(page: Page): Promise<string[]> {
  return page.locator('.table-scroller .row .td.name .text').allTextContents();
}

/**
 * Drops files and text on the window the way the OS does: one real `drop` event whose
 * DataTransfer carries File objects built in the page from the bytes given here.
 */
export async function dropOnWindow(page: Page, drop: { files: MadeTorrent[]; text?: string }): Promise<void> {
  const files = drop.files.map((torrent) => ({ name: `${torrent.name}.torrent`, bytes: [...torrent.bytes] }));
  await page.evaluate(
    ({ files: given, text }) => {
      const data = new DataTransfer();
      for (const file of given) data.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: 'application/x-bittorrent' }));
      if (text) data.setData('text/plain', text);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { files, text: drop.text ?? '' },
  );
}

/**
 * A magnet nobody serves: it stays fetching metadata, which is all the table needs. Its tracker
 * is a loopback port nobody answers (rtorrent refuses a magnet without one when DHT is off).
 */
export function magnetFor(infoHash: string, name: string): string {
  return `magnet:?xt=urn:btih:${infoHash}&dn=${encodeURIComponent(name)}&tr=${encodeURIComponent('http://127.0.0.1:9/announce')}`;
}

/** A new seedbox's settings beyond name, kind and URL, as the editor would save them. */
export const BOX_DEFAULTS = { username: '', tlsPinSha256: null, proxy: null, sshTunnel: null, pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent' as const };
