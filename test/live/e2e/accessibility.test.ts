// Accessibility end to end: axe-core in the real Chromium over every view and dialog of the
// built window, in the light and the dark theme, against four real rtorrents holding 10 000
// torrents between them (rtorrent takes longer per torrent added the more it holds, so four
// boxes of 2 500 fill in a fraction of the time one of 10 000 would). A serious or critical violation (contrast, a control without a name, a broken ARIA
// role or reference) fails the test and names the elements. Each view is reached from the
// keyboard (the shortcuts, Tab-reachable buttons, Enter and Shift+F10), as a user without a
// mouse reaches it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { axeFindings, fillRtorrent, type Finding } from './a11y-support';
import { BOX_DEFAULTS, openApp, type App } from './support';

const ROWS = 10_000;
const BOXES = 4;
const NAMED = 'Zulu Accessible Check';

let daemons: RtorrentInstance[] = [];
let app: App;
let page: Page;
let named: MadeTorrent;

beforeAll(async () => {
  daemons = await Promise.all(Array.from({ length: BOXES }, () => startRtorrent()));
  const first = daemons[0]!;
  named = makeTorrent({ dataParent: first.downloadDir, name: NAMED, files: [{ path: 'zulu-1.bin', content: filler('zulu-1', 40_000) }, { path: 'docs/zulu.txt', content: 'Zulu\n' }] });
  await Promise.all(daemons.map((rt, index) => fillRtorrent(rt, ROWS / BOXES - (index === 0 ? 1 : 0), `Bulk ${index + 1}`)));
  app = await openApp();
  page = app.page;
  // Polling 10 000 rows twice a second would only load the machine: once a second is plenty.
  const { handlers } = app.core.service;
  await handlers['preferences:update']({ refreshIntervalMs: 1000 });
  const boxes = [];
  for (const [index, rt] of daemons.entries()) boxes.push(await handlers['seedboxes:add']({ seedbox: { ...BOX_DEFAULTS, name: `rTorrent ${index + 1}`, kind: 'rtorrent', url: rt.url } }));
  const [added] = await handlers['torrents:add']({ seedboxId: boxes[0]!.id, sources: [{ kind: 'file', bytes: new Uint8Array(named.bytes) }], options: {} });
  expect(added).toMatchObject({ ok: true });
}, 180_000);

// rtorrent writes its session (2 500 torrents each) when it stops: that takes a while under load.
afterAll(async () => {
  await app?.close();
  await Promise.all(daemons.map((rt) => rt.stop()));
}, 180_000);

const grid = () => page.locator('.table-scroller[role="grid"]');

/** Searches from the keyboard (Ctrl+F), and waits for the grid to count the rows it should. */
async function search(text: string, rows: number): Promise<void> {
  await page.keyboard.press('Control+f');
  await page.keyboard.press('Control+a');
  if (text) await page.keyboard.type(text);
  else await page.keyboard.press('Backspace');
  await expect.poll(() => grid().getAttribute('aria-rowcount'), { timeout: 30_000 }).toBe(String(rows + 1));
}

/** Presses Tab until the focused element matches, as a keyboard user would (at most 60 times). */
async function tabTo(selector: string): Promise<void> {
  for (let step = 0; step < 60; step++) {
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function focusGrid(): Promise<void> {
  await tabTo('.table-scroller[role="grid"]');
}

/** Every view and dialog, reached from the keyboard; axe's serious and critical findings per view. */
async function checkEveryView(): Promise<Record<string, Finding[]>> {
  const found: Record<string, Finding[]> = {};
  const check = async (view: string): Promise<void> => {
    const findings = await axeFindings(page);
    if (findings.length > 0) found[view] = findings;
  };

  await search('', ROWS);
  await focusGrid();
  await page.keyboard.press('Home');
  await check(`table (${ROWS} rows)`);

  await search(NAMED, 1);
  await focusGrid();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const tabs = page.locator('.details-panel [role="tab"]');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
  for (let index = 0; index < (await tabs.count()); index++) {
    const tab = await page.evaluate(() => document.activeElement?.getAttribute('data-tab'));
    if (tab === 'general') await page.locator('.details-panel .body').getByText(NAMED).first().waitFor();
    await check(`details: ${tab}`);
    await page.keyboard.press('ArrowRight');
  }
  // Esc in the details: back to the grid, which opens the context menu from the keyboard.
  await page.keyboard.press('Escape');
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('grid');
  await page.keyboard.press('Shift+F10');
  await page.locator('.context-menu[role="menu"]').waitFor();
  await check('context menu');
  await page.keyboard.press('Escape');
  await page.locator('.context-menu').waitFor({ state: 'detached' });

  await page.keyboard.press('Control+o');
  await page.locator('dialog.modal[open]').waitFor();
  await check('add dialog');
  await page.keyboard.press('Escape');
  await page.locator('dialog.modal[open]').waitFor({ state: 'detached' });

  await tabTo('button[aria-label="Add a seedbox"]');
  await page.keyboard.press('Enter');
  await page.locator('dialog.modal[open] #ed-name').waitFor();
  await check('seedbox editor');
  await page.keyboard.press('Escape');
  await page.locator('dialog.modal[open]').waitFor({ state: 'detached' });

  await page.keyboard.press('Control+,');
  await page.getByRole('heading', { name: 'Settings' }).first().waitFor();
  await check('settings');

  await tabTo('[data-test="open-rules"]');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Seeding rules' }).waitFor();
  await check('rules');
  await tabTo('[data-test="new-rule"]');
  await page.keyboard.press('Enter');
  await page.locator('[data-test="rule-editor"]').waitFor();
  await check('rules: rule editor');
  await tabTo('[data-test="open-rules"]');
  await page.keyboard.press('Enter');
  await grid().waitFor();
  return found;
}

describe('accessibility, against real rtorrents with 10 000 torrents', () => {
  it('the table is a WAI-ARIA grid over the whole list: counts, indexes, selection, sort, focus', async () => {
    await expect.poll(() => grid().getAttribute('aria-rowcount'), { timeout: 60_000 }).toBe(String(ROWS + 1));
    const headers = grid().locator('[role="columnheader"]');
    expect(await grid().getAttribute('aria-colcount')).toBe(String(await headers.count()));
    expect(await grid().getAttribute('aria-label')).toBe('Torrents');
    expect(await headers.first().getAttribute('aria-colindex')).toBe('1');
    // Only a screenful of rows exists, but each says where it sits in the whole list.
    const rendered = await grid().locator('[role="row"][aria-rowindex]').count();
    expect(rendered).toBeLessThan(200);
    await focusGrid();
    await page.keyboard.press('End');
    const last = grid().locator(`[role="row"][aria-rowindex="${ROWS + 1}"]`);
    await last.waitFor();
    expect(await last.getAttribute('aria-selected')).toBe('true');
    expect(await grid().getAttribute('aria-activedescendant')).toBe(await last.getAttribute('id'));
    expect(await last.locator('[role="gridcell"]').count()).toBe(await headers.count());
    await page.keyboard.press('PageUp');
    await expect.poll(async () => grid().locator(`#${await grid().getAttribute('aria-activedescendant')}`).getAttribute('aria-rowindex')).toBe(String(ROWS + 1 - 20));
    await page.keyboard.press('Home');
    await expect.poll(async () => grid().locator(`#${await grid().getAttribute('aria-activedescendant')}`).getAttribute('aria-rowindex')).toBe('2');
    // The sort state is on the header that sorts, and only there.
    const sorted = grid().locator('[role="columnheader"][aria-sort="ascending"], [role="columnheader"][aria-sort="descending"]');
    expect(await sorted.count()).toBe(1);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe finding in any view or dialog, ${theme} theme`, async () => {
      await app.core.service.handlers['preferences:update']({ theme });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe(theme);
      expect(await checkEveryView()).toEqual({});
      expect(app.pageErrors).toEqual([]);
    }, 240_000);
  }

  it('honours "reduce motion": no spinning or sliding', async () => {
    const probe = (): Promise<{ animation: string; transition: string }> =>
      page.evaluate(() => {
        const element = document.createElement('span');
        element.className = 'spin';
        document.body.append(element);
        const style = getComputedStyle(element);
        const out = { animation: style.animationIterationCount, transition: getComputedStyle(document.body).transitionDuration };
        element.remove();
        return out;
      });
    expect((await probe()).animation).toBe('infinite');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await probe()).toEqual({ animation: '1', transition: '1e-05s' });
    await page.emulateMedia({ reducedMotion: null });
  });
});
