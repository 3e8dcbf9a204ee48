// The window in German and in Simplified Chinese, in real Chromium against a real rtorrent: the
// language follows the browser's (the OS's, in the app) until one is chosen in Settings, the
// choice is saved, and the layout holds for long German words and CJK text (nothing in the
// toolbar, sidebar or status bar spills out of its box). The screenshots go to the README.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUES, SUPPORTED_LOCALES } from '../../../electron/shared/i18n';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { BOX_DEFAULTS, openApp, ROOT, rowOf, screenshot, SCREENSHOTS, type App } from './support';

let rt: RtorrentInstance;
let app: App;
let page: Page;
let torrents: MadeTorrent[] = [];

beforeAll(async () => {
  rt = await startRtorrent();
  torrents = [
    makeTorrent({ dataParent: rt.downloadDir, name: 'Donaudampfschifffahrtsgesellschaft Jahresbericht', files: [{ path: 'bericht.pdf', content: filler('donau', 40_000) }] }),
    makeTorrent({ dataParent: rt.downloadDir, name: '开源软件镜像 Linux 发行版', files: [{ path: 'image.iso', content: filler('iso', 30_000) }] }),
  ];
  app = await openApp({ locale: 'de-DE' });
  page = app.page;
  const { handlers } = app.core.service;
  const { id } = await handlers['seedboxes:add']({ seedbox: { ...BOX_DEFAULTS, name: 'Heimserver rTorrent', kind: 'rtorrent', url: rt.url } });
  for (const torrent of torrents) {
    const [result] = await handlers['torrents:add']({ seedboxId: id, sources: [{ kind: 'file', bytes: new Uint8Array(torrent.bytes) }], options: {} });
    expect(result).toMatchObject({ ok: true });
  }
});

afterAll(async () => {
  await app?.close();
  await rt?.stop();
});

/** Elements whose content is wider or taller than they are (a word that does not fit), by selector. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(() => {
    const selectors = ['.toolbar', '.toolbar .title', '.toolbar .group', '.sidebar', '.sidebar footer', '.sidebar .footer-button', '.status-bar', '.filters button'];
    return selectors.flatMap((selector) =>
      [...document.querySelectorAll<HTMLElement>(selector)].filter((element) => element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1).map((element) => `${selector}: ${element.textContent?.trim() ?? ''}`),
    );
  });
}

/**
 * Elements inside `root` whose words do not fit their box: cut off (hidden, an ellipsis) or
 * shown outside it. Boxes that scroll on purpose (overflow auto or scroll) are not counted, nor
 * text that is the user's or the daemon's own (names, paths, hashes: data-user-text), which may
 * be any length and is cut with its full text in a tooltip.
 */
async function cutOrSpilling(root: Locator): Promise<string[]> {
  return root.evaluate((element) => {
    const found: string[] = [];
    for (const node of [element, ...element.querySelectorAll('*')]) {
      if (!(node instanceof HTMLElement) || node.clientWidth === 0 || node.closest('[data-user-text]')) continue;
      const style = getComputedStyle(node);
      if (style.display === 'inline' || style.overflowX === 'auto' || style.overflowX === 'scroll') continue;
      if (node.scrollWidth > node.clientWidth + 1) found.push(`${node.tagName.toLowerCase()}.${node.className} (${style.overflowX}): ${(node.textContent ?? '').trim().slice(0, 60)}`);
    }
    return found;
  });
}

async function shoot(name: string): Promise<void> {
  await page.locator('body').click({ position: { x: 700, y: 600 } });
  await screenshot(page, name);
  mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(ROOT, 'docs/screenshots', `${name}.png`));
}

describe('the window in other languages', () => {
  it("speaks the browser's German by itself, with German numbers, and nothing spills out", async () => {
    for (const torrent of torrents) await rowOf(page, torrent.infoHash).waitFor();
    await expect.poll(() => rowOf(page, torrents[0]!.infoHash).locator('.pill').textContent(), { timeout: 20_000 }).toBe('Seedet');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.locator('.toolbar h2').textContent()).toBe('Alle Seedboxen');
    expect(await page.locator('.table-scroller .th[data-column="size"]').textContent()).toContain('Größe');
    expect((await page.locator('[data-test="counts"]').textContent())?.trim()).toBe('2 Torrents');
    // 39.1 KiB in German: a decimal comma.
    expect(await rowOf(page, torrents[0]!.infoHash).textContent()).toContain('39,1 KiB');
    expect(await page.locator('[data-test="open-settings"]').textContent()).toContain('Einstellungen');
    expect(await overflowing()).toEqual([]);
    await shoot('main-de');
  });

  it('switches to Simplified Chinese from Settings at once, keeps the choice, and holds the layout', async () => {
    await page.locator('[data-test="open-settings"]').click();
    await page.locator('h2', { hasText: 'Einstellungen' }).waitFor();
    await page.locator('select[data-test="language"]').selectOption('zh-CN');
    await page.locator('h2', { hasText: '设置' }).waitFor();
    await expect.poll(async () => (await app.core.service.handlers['preferences:get']({})).language).toBe('zh-CN');
    await page.locator('[data-test="open-settings"]').click();
    await expect.poll(() => page.locator('.toolbar h2').textContent()).toBe('所有盒子');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect((await page.locator('[data-test="counts"]').textContent())?.trim()).toBe('2 个种子');
    expect(await rowOf(page, torrents[0]!.infoHash).locator('.pill').textContent()).toBe('做种中');
    expect(await overflowing()).toEqual([]);
    await shoot('main-zh-CN');
  });

  it("goes back to the system's language when the choice is 'System'", async () => {
    await app.core.service.handlers['preferences:update']({ language: 'system' });
    await expect.poll(() => page.locator('.toolbar h2').textContent()).toBe('Alle Seedboxen');
  });

  it.each(['de', 'zh-CN'] as const)('shows every details tab and Settings in %s with nothing cut or spilling', async (locale) => {
    await app.core.service.handlers['preferences:update']({ language: locale });
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
    await rowOf(page, torrents[0]!.infoHash).click();
    const panel = page.locator('.details-panel');
    await panel.waitFor();
    const found: string[] = [];
    for (const tab of await panel.locator('[role="tab"]').all()) {
      await tab.click();
      await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
      const name = await tab.textContent();
      found.push(...(await cutOrSpilling(panel)).map((line) => `${name}: ${line}`));
    }
    // The last tab is the speed graph: its time axis is in the language too.
    await screenshot(page, `details-speed-${locale}`);
    await panel.locator('[role="tab"]').first().click();
    await screenshot(page, `details-${locale}`);
    await page.locator('[data-test="open-settings"]').click();
    const settings = page.locator('.settings');
    await settings.waitFor();
    found.push(...(await cutOrSpilling(settings)).map((line) => `settings: ${line}`));
    await screenshot(page, `settings-${locale}`);
    await page.locator('[data-test="open-settings"]').click();
    await settings.waitFor({ state: 'detached' });
    expect(found).toEqual([]);
  });

  it('fits every column header in full at the default widths, sort indicator included, in every language', async () => {
    // Every column shown, none sized by the user: the defaults as a new install has them.
    await page.evaluate(() => localStorage.setItem('seedbox-remote.columns.v1', JSON.stringify({ order: [], hidden: [], widths: {} })));
    await page.reload();
    await page.locator('h1', { hasText: 'Seedbox Remote' }).waitFor();
    await rowOf(page, torrents[0]!.infoHash).waitFor();
    const cut: string[] = [];
    for (const locale of SUPPORTED_LOCALES) {
      await app.core.service.handlers['preferences:update']({ language: locale });
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
      const headers = page.locator('.table-scroller .th');
      // Every column but the seedbox's, which says nothing while one box is in view.
      expect(await headers.count()).toBe(Object.keys(CATALOGUES.en.table.column).length - 1);
      for (const header of await headers.all()) {
        // Sorted by it, so its sort arrow takes its room too.
        await header.click();
        await expect.poll(() => header.getAttribute('aria-sort')).not.toBe('none');
        const fit = await header.evaluate((element) => {
          const label = element.querySelector<HTMLElement>('.th-label')!;
          return { text: label.textContent, fits: label.scrollWidth <= label.clientWidth && element.scrollWidth <= element.clientWidth };
        });
        if (!fit.fits) cut.push(`${locale}: ${fit.text}`);
      }
    }
    expect(cut).toEqual([]);
    await app.core.service.handlers['preferences:update']({ language: 'system' });
    expect(app.pageErrors).toEqual([]);
  });
});
