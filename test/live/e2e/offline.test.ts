// A box that goes down with the window open, in real Chromium against a real rtorrent (killed,
// then started again) next to a real transmission-daemon that stays up: its rows look stale,
// the totals say what they leave out, an action says why it cannot run, the countdown is one
// figure everywhere, and the box comes back by itself.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { BOX_DEFAULTS, openApp, ROOT, rowOf, screenshot, SCREENSHOTS, type App } from './support';

let rt: RtorrentInstance;
let tr: TransmissionInstance;
let app: App;
let page: Page;
let rtId = '';
let trId = '';
let echo: MadeTorrent;
let foxtrot: MadeTorrent;


beforeAll(async () => {
  [rt, tr] = await Promise.all([startRtorrent(), startTransmission()]);
  echo = makeTorrent({ dataParent: rt.downloadDir, name: 'Echo Archive', files: [{ path: 'echo.bin', content: filler('echo', 30_000) }] });
  foxtrot = makeTorrent({ dataParent: tr.downloadDir, name: 'Foxtrot Album', files: [{ path: 'foxtrot.bin', content: filler('foxtrot', 30_000) }] });
  app = await openApp();
  page = app.page;
  const { handlers } = app.core.service;
  const add = async (seedbox: Parameters<(typeof handlers)['seedboxes:add']>[0]['seedbox']): Promise<string> => (await handlers['seedboxes:add']({ seedbox })).id;
  rtId = await add({ ...BOX_DEFAULTS, name: 'Home rTorrent', kind: 'rtorrent', url: rt.url });
  trId = await add({ ...BOX_DEFAULTS, name: 'Transmission VPS', kind: 'transmission', url: tr.url, username: tr.username });
  await handlers['seedboxes:setSecret']({ id: trId, purpose: 'daemon-password', secret: tr.password });
  await handlers['seedboxes:retry']({ seedboxId: trId });
});

afterAll(async () => {
  await app?.close();
  await Promise.all([rt?.stop(), tr?.stop()]);
});

const sidebarItem = (id: string) => page.locator(`.seedbox-item[data-seedbox="${id}"]`);

/** The countdown figures the window shows at one instant: banner, sidebar and details. */
async function countdowns(): Promise<{ banner: string; sidebar: string; details: string }> {
  return page.evaluate((id) => {
    const text = (selector: string): string => document.querySelector(selector)?.textContent?.trim() ?? '';
    return {
      banner: text('.banner [data-test="banner-text"]'),
      sidebar: text(`.seedbox-item[data-seedbox="${id}"] [data-test="line"]`),
      details: text('[data-test="details-offline"]'),
    };
  }, rtId);
}

describe('a seedbox that goes down with the window open', () => {
  it('shows both boxes live, with zero speeds as 0', async () => {
    const { handlers } = app.core.service;
    await sidebarItem(rtId).and(page.locator('.is-connected')).waitFor();
    await sidebarItem(trId).and(page.locator('.is-connected')).waitFor();
    for (const [seedboxId, torrent] of [
      [rtId, echo],
      [trId, foxtrot],
    ] as const) {
      const [result] = await handlers['torrents:add']({ seedboxId, sources: [{ kind: 'file', bytes: new Uint8Array(torrent.bytes) }], options: {} });
      expect(result).toMatchObject({ ok: true });
    }
    await rowOf(page, echo.infoHash).waitFor();
    await rowOf(page, foxtrot.infoHash).waitFor();
    await expect.poll(() => rowOf(page, echo.infoHash).locator('.pill').textContent(), { timeout: 20_000 }).toBe('Seeding');
    // Nothing moves here: a connected box says 0, not "-" (which reads as unknown).
    await expect.poll(() => sidebarItem(rtId).locator('[data-test="line"]').textContent()).toMatch(/↓ 0 B\/s\s+↑ 0 B\/s/);
    expect(await page.locator('.stale-mark').count()).toBe(0);
    expect(await page.locator('[data-test="left-out"]').count()).toBe(0);
    // The Seedbox column fits its longest name at 1280 px ("Transmission VPS", not "Transmissi…").
    const seedboxCell = rowOf(page, foxtrot.infoHash).locator('.td.seedbox');
    expect(await seedboxCell.textContent()).toContain('Transmission VPS');
    expect(await seedboxCell.evaluate((cell) => cell.scrollWidth <= cell.clientWidth)).toBe(true);
    // ...taking its room from the name column, not from the window: no horizontal scrollbar.
    expect(await page.locator('.table-scroller').evaluate((table) => table.scrollWidth <= table.clientWidth)).toBe(true);
    // rtorrent cannot reach the loopback tracker nobody answers: the row carries one marker, the
    // tracker indicator (it stands in for the row's message, which says the same).
    const markers = rowOf(page, echo.infoHash).locator('[data-test="tracker-indicator"], [data-test="row-message"]');
    await expect.poll(() => markers.count(), { timeout: 30_000 }).toBe(1);
    expect(await markers.getAttribute('data-test')).toBe('tracker-indicator');
    expect(await markers.getAttribute('aria-label')).toMatch(/^Tracker error/);
  });

  it('marks the rows of the killed box stale, leaves it out of the totals, and counts down once everywhere', async () => {
    await rowOf(page, echo.infoHash).click();
    await page.locator('.details-panel').waitFor();
    await rt.kill();
    await sidebarItem(rtId).and(page.locator('.is-reconnecting')).waitFor({ timeout: 15_000 });

    const echoRow = rowOf(page, echo.infoHash);
    await expect.poll(() => echoRow.getAttribute('class')).toContain('stale');
    const mark = echoRow.locator('[data-test="stale-mark"]');
    expect(await mark.textContent()).toBe('offline');
    expect(await mark.getAttribute('title')).toMatch(/^Home rTorrent is offline since \d\d:\d\d: these are the last known values\.$/);
    expect(await sidebarItem(rtId).locator('[data-test="since"]').textContent()).toMatch(/offline since \d\d:\d\d/);
    // The last known values stay: the state and the progress.
    expect(await echoRow.locator('.pill').textContent()).toBe('Seeding');
    expect(await echoRow.locator('.pct').textContent()).toBe('100%');
    // The other box's rows are live.
    expect(await rowOf(page, foxtrot.infoHash).getAttribute('class')).not.toContain('stale');
    expect(await rowOf(page, foxtrot.infoHash).locator('.stale-mark').count()).toBe(0);
    // The totals say what they leave out, and the free space names the box as not counted.
    expect(await page.locator('[data-test="left-out"]').textContent()).toContain('Home rTorrent');
    const free = page.locator('[data-test="free-space"]');
    if ((await free.count()) > 0) expect(await free.getAttribute('title')).toContain('Home rTorrent: offline, not counted');

    // One countdown: banner, sidebar and details read the same figure at the same instant.
    await expect.poll(async () => (await countdowns()).details).toMatch(/Reconnecting/);
    let seen = 0;
    for (let sample = 0; sample < 6; sample++) {
      const shown = await countdowns();
      const figures = [shown.banner, shown.sidebar, shown.details].map((text) => /Reconnecting(?: in (\d+)s|…)/.exec(text)?.[0] ?? `missing in “${text}”`);
      expect(new Set(figures).size, JSON.stringify(shown)).toBe(1);
      if (figures[0]!.includes(' in ')) seen++;
      await page.waitForTimeout(400);
    }
    expect(seen).toBeGreaterThan(0);
    // One label for the retry buttons.
    const labels = await page.locator('.banner .btn, .seedbox-item [data-test="retry"]').allTextContents();
    expect(new Set(labels.map((label) => label.trim()))).toEqual(new Set(['Retry now']));
    await screenshot(page, 'offline-box');
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(join(SCREENSHOTS, 'offline-box.png'), join(ROOT, 'docs/screenshots/offline-box.png'));
  });

  it('says why Pause cannot run on a stale row, from the toolbar and from Space', async () => {
    const pause = page.locator('[data-test="toolbar-pause"]');
    expect(await pause.getAttribute('aria-disabled')).toBe('true');
    expect(await pause.getAttribute('title')).toMatch(/Home rTorrent is offline since/);
    // aria-disabled: Playwright would wait for it to be enabled; a user just clicks.
    await pause.click({ force: true });
    await page.locator('.toasts .toast', { hasText: 'Not possible now: Home rTorrent is offline since' }).waitFor();
    await page.locator('.toasts .toast').first().click();
    await page.locator('.toasts .toast').first().waitFor({ state: 'detached' });
    await page.locator('.table-scroller').focus();
    await page.keyboard.press('Space');
    await page.locator('.toasts .toast', { hasText: 'Not possible now' }).waitFor();
    // Nothing was sent: the row keeps its last known state.
    expect(await rowOf(page, echo.infoHash).locator('.pill').textContent()).toBe('Seeding');
  });

  it('comes back by itself once the daemon runs again: rows live, totals whole', async () => {
    await rt.restart();
    await sidebarItem(rtId).and(page.locator('.is-connected')).waitFor({ timeout: 40_000 });
    await expect.poll(() => rowOf(page, echo.infoHash).getAttribute('class')).not.toContain('stale');
    expect(await page.locator('.stale-mark').count()).toBe(0);
    expect(await page.locator('[data-test="left-out"]').count()).toBe(0);
    expect(await page.locator('.banner').count()).toBe(0);
    expect(await page.locator('[data-test="toolbar-pause"]').getAttribute('aria-disabled')).toBeNull();
    await page.locator('[data-test="toolbar-pause"]').click();
    await expect.poll(() => rowOf(page, echo.infoHash).locator('.pill').textContent()).toBe('Paused');
    // The details say the same, in the same words, at once (not at their next reload).
    const detailsState = page.locator('.details-panel dt', { hasText: 'State' }).locator('xpath=following-sibling::dd[1]');
    expect(await detailsState.textContent()).toBe('Paused');
    expect(app.pageErrors).toEqual([]);
  });
});
