// How long `npm run web` takes to show its window with one saved seedbox: for the harness's
// start-up test and the start-up benchmark.
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { composeCore } from '../../electron/core/service/compose';
import { startWebApp } from '../../electron/web/start';
import { tempDir } from './processes';

const ROOT = resolve(import.meta.dirname, '../..');

export interface StartupTimes {
  /** From the start to the harness serving the page. */
  servedMs: number;
  /** From the start to the page showing the box in its sidebar. */
  shownMs: number;
}

/** Starts the app on a fresh settings file with one saved rtorrent box at `url`, loads the page in `browser`, and stops it all again. */
export async function timeWebStartup(browser: Browser, url: string): Promise<StartupTimes> {
  const configPath = join(tempDir('web-start'), 'seedbox-remote.json');
  const saving = await composeCore({ configPath, version: 'saving', platform: 'linux', memorySecrets: 'start-up timing' });
  await saving.registry.add({ name: 'The box', kind: 'rtorrent', url });
  const page = await browser.newPage();
  const began = performance.now();
  const app = await startWebApp({
    configPath,
    version: 'web-start',
    rendererDir: join(ROOT, 'out/renderer'),
    bridgeScript: join(ROOT, 'out/web/seedbox-bridge.js'),
    memorySecrets: 'start-up timing',
    log: () => undefined,
  });
  const servedMs = performance.now() - began;
  try {
    await page.goto(app.harness.url);
    // Shown: the sidebar lists the box with its state.
    await page.locator('.seedbox-item', { hasText: 'The box' }).waitFor({ timeout: 10_000 });
    return { servedMs, shownMs: performance.now() - began };
  } finally {
    await page.close();
    await app.close();
  }
}
