// The window without a mouse, end to end: real Chromium, the real core service and a real
// rtorrent. Every step is a key press: add a magnet link through the add dialog, select it in the grid, stop it from the context menu
// opened with Shift+F10, read its details and change tabs, open a seedbox's editor from the
// sidebar, and remove it through the confirmation, whose focus stays inside and comes back to
// the grid. What the daemon did is read back from rtorrent itself.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { rtorrentCall, rtorrentInt } from '../rtorrent/support';
import { BOX_DEFAULTS, magnetFor, openApp, rowOf, type App } from './support';

let rt: RtorrentInstance;
let app: App;
let page: Page;
/** A magnet nobody serves: rtorrent keeps it, fetching metadata, which is all the steps need. */
const KILO = { infoHash: 'b0ba0000b0ba0000b0ba0000b0ba0000b0ba0000', name: 'Kilo Keyboard Pack' };
let lima: MadeTorrent;

beforeAll(async () => {
  rt = await startRtorrent();
  lima = makeTorrent({ dataParent: rt.downloadDir, name: 'Lima Bystander', files: [{ path: '', content: filler('lima', 20_000) }] });
  app = await openApp();
  page = app.page;
  const { handlers } = app.core.service;
  const box = await handlers['seedboxes:add']({ seedbox: { ...BOX_DEFAULTS, name: 'Home rTorrent', kind: 'rtorrent', url: rt.url } });
  const [added] = await handlers['torrents:add']({ seedboxId: box.id, sources: [{ kind: 'file', bytes: new Uint8Array(lima.bytes) }], options: {} });
  expect(added).toMatchObject({ ok: true });
  await rowOf(page, lima.infoHash).waitFor();
});

afterAll(async () => {
  await app?.close();
  await rt?.stop();
});

const focused = (attribute: string): Promise<string | null> => page.evaluate((name) => document.activeElement?.getAttribute(name) ?? null, attribute);
const focusedIsInside = (selector: string): Promise<boolean> => page.evaluate((wanted) => document.activeElement?.closest(wanted) !== null, selector);

/** Presses Tab until the focused element matches (at most 60 times). */
async function tabTo(selector: string): Promise<void> {
  for (let step = 0; step < 60; step++) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** The text of the context menu's active item (the one aria-activedescendant names). */
async function activeMenuItem(): Promise<string> {
  return page.evaluate(() => {
    const menu = document.querySelector('.context-menu[role="menu"]');
    const id = menu?.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.querySelector('.label')?.textContent ?? '') : '';
  });
}

async function rtorrentHashes(): Promise<string[]> {
  return ((await rtorrentCall(rt, 'download_list', [''])) as string[]).map((hash) => hash.toLowerCase());
}

describe('the window from the keyboard alone, against a real rtorrent', () => {
  it('adds a magnet link through the add dialog: Ctrl+O, typed into its field, Enter, then Add', async () => {
    await page.keyboard.press('Control+o');
    const dialog = page.locator('dialog.modal[open]');
    await dialog.waitFor();
    expect(await focusedIsInside('dialog.modal[open]')).toBe(true);
    await tabTo('dialog.modal[open] textarea');
    await page.keyboard.type(magnetFor(KILO.infoHash, KILO.name));
    await page.keyboard.press('Enter');
    await dialog.locator('.source', { hasText: KILO.name }).waitFor();
    await tabTo('dialog.modal[open] button[type="submit"]');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await rowOf(page, KILO.infoHash).waitFor();
    expect(await rtorrentHashes()).toContain(KILO.infoHash);
    await expect.poll(() => rtorrentInt(rt, 'd.state', [KILO.infoHash.toUpperCase()]), { timeout: 20_000 }).toBe(1);
  });

  it('selects it in the grid with the arrows: the grid names it as its active row', async () => {
    await page.keyboard.press('Control+f');
    await page.keyboard.type('Kilo');
    await expect.poll(() => page.locator('.table-scroller[role="grid"]').getAttribute('aria-rowcount')).toBe('2');
    await tabTo('.table-scroller[role="grid"]');
    await page.keyboard.press('ArrowDown');
    const row = rowOf(page, KILO.infoHash);
    await expect.poll(() => row.getAttribute('aria-selected')).toBe('true');
    expect(await focused('aria-activedescendant')).toBe(await row.getAttribute('id'));
  });

  it('stops it from the context menu opened with Shift+F10, and rtorrent has it stopped', async () => {
    await page.keyboard.press('Shift+F10');
    await page.locator('.context-menu[role="menu"]').waitFor();
    expect(await focused('role')).toBe('menu');
    for (let step = 0; step < 20 && (await activeMenuItem()) !== 'Pause'; step++) await page.keyboard.press('ArrowDown');
    expect(await activeMenuItem()).toBe('Pause');
    await page.keyboard.press('Enter');
    await page.locator('.context-menu').waitFor({ state: 'detached' });
    // Back on the grid, where the menu came from.
    expect(await focused('role')).toBe('grid');
    await expect.poll(() => rtorrentInt(rt, 'd.state', [KILO.infoHash.toUpperCase()]), { timeout: 20_000 }).toBe(0);
  });

  it('opens its details with Enter, changes tabs with the arrows, and goes back with Esc', async () => {
    await page.keyboard.press('Enter');
    await expect.poll(() => focused('data-tab')).toBe('general');
    await page.keyboard.press('ArrowRight');
    expect(await focused('data-tab')).toBe('files');
    expect(await focused('aria-selected')).toBe('true');
    await page.locator('#details-tabpanel[aria-labelledby="details-tab-files"]').waitFor();
    await page.keyboard.press('End');
    expect(await focused('data-tab')).toBe('speed');
    await page.keyboard.press('Home');
    expect(await focused('data-tab')).toBe('general');
    await page.keyboard.press('Escape');
    expect(await focused('role')).toBe('grid');
    // Esc went back to the list; the selection stays.
    expect(await rowOf(page, KILO.infoHash).getAttribute('aria-selected')).toBe('true');
  });

  it("opens a seedbox's editor from the sidebar with Shift+F10, and Esc closes it", async () => {
    // The search is cleared first: the list keeps the bystander (and the grid) after the removal.
    await page.keyboard.press('Control+f');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('.table-scroller[role="grid"]').getAttribute('aria-rowcount')).toBe('3');
    await tabTo('.seedbox-item[role="option"]');
    await page.keyboard.press('Shift+F10');
    await page.locator('.context-menu[role="menu"]').waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.getElementById(document.querySelector('.context-menu')?.getAttribute('aria-activedescendant') ?? '')?.dataset['menu'])).toBe('edit');
    await page.keyboard.press('Enter');
    await page.locator('dialog.modal[open] #ed-name').waitFor();
    expect(await page.locator('#ed-name').inputValue()).toBe('Home rTorrent');
    await page.keyboard.press('Escape');
    await page.locator('dialog.modal[open]').waitFor({ state: 'detached' });
    await tabTo('.table-scroller[role="grid"]');
    expect(await rowOf(page, KILO.infoHash).getAttribute('aria-selected')).toBe('true');
  });

  it('removes it after the confirmation, whose focus stays inside and returns to the grid', async () => {
    await page.keyboard.press('Delete');
    const dialog = page.locator('dialog.modal[open]');
    await dialog.locator('[data-test="confirm-remove"]').waitFor();
    // Tab and Shift+Tab go round inside the dialog, never out to the window behind it.
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page.keyboard.press(key);
      expect(await focusedIsInside('dialog.modal[open]'), `focus after ${key}`).toBe(true);
    }
    await tabTo('dialog.modal[open] [data-test="confirm-remove"]');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused('role')).toBe('grid');
    await expect.poll(() => rtorrentHashes(), { timeout: 20_000 }).not.toContain(KILO.infoHash);
    expect(await rtorrentHashes()).toContain(lima.infoHash);
    await rowOf(page, KILO.infoHash).waitFor({ state: 'detached' });
    expect(app.pageErrors).toEqual([]);
  });
});
