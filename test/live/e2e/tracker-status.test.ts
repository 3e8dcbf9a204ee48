// The tracker status in the window, as qBittorrent and Flood show it: an indicator in the row
// whose tooltip and accessible name carry the tracker's message, and a sidebar filter for the
// torrents whose tracker reports an error or no longer knows them. Real Chromium, the real core,
// a real rtorrent and a tiny loopback tracker.
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { rtorrentCall } from '../rtorrent/support';
import { openApp, rowOf, tableNames, type App } from './support';

let rt: RtorrentInstance;
let tracker: Server;
let app: App;
let page: Page;
let gone: MadeTorrent;
let unreachable: MadeTorrent;
let fine: MadeTorrent;

beforeAll(async () => {
  // "/gone" knows no torrent; "/ok" answers every announce with an empty peer list.
  tracker = createServer((request, response) => {
    const reason = 'Unregistered torrent';
    response.end(request.url?.startsWith('/gone') ? `d14:failure reason${reason.length}:${reason}e` : 'd8:intervali1800e5:peers0:e');
  });
  await new Promise<void>((resolve) => tracker.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(tracker.address() as { port: number }).port}`;
  rt = await startRtorrent();
  gone = makeTorrent({ dataParent: rt.downloadDir, name: 'Gone from the tracker', files: [{ path: '', content: filler('gone', 20_000) }], trackers: [`${base}/gone/announce`] });
  unreachable = makeTorrent({ dataParent: rt.downloadDir, name: 'Tracker down', files: [{ path: '', content: filler('down', 20_000) }], trackers: [`http://127.0.0.1:${await freePort()}/announce`] });
  fine = makeTorrent({ dataParent: rt.downloadDir, name: 'All fine', files: [{ path: '', content: filler('fine', 20_000) }], trackers: [`${base}/ok/announce`] });
  for (const made of [gone, unreachable, fine]) await rtorrentCall(rt, 'load.raw_start', ['', Buffer.from(made.bytes)]);
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await rt?.stop();
  tracker?.close();
});

describe('tracker status in the window', () => {
  it('marks the rows whose tracker fails, with its words, and filters them in the sidebar', async () => {
    await page.locator('[data-test="add-first-seedbox"]').click();
    await page.locator('#ed-name').fill('Box');
    await page.locator('#ed-url').fill(rt.url);
    await page.locator('dialog.modal button[type="submit"]', { hasText: 'Save' }).click();
    await page.locator('dialog.modal[open]').waitFor({ state: 'detached' });

    const goneMark = rowOf(page, gone.infoHash).locator('[data-test="tracker-indicator"]');
    await expect.poll(() => goneMark.getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/^Tracker does not know this torrent: .*Unregistered torrent/);
    expect(await goneMark.getAttribute('data-tracker-status')).toBe('unregistered');
    expect(await goneMark.getAttribute('title')).toMatch(/Unregistered torrent/);
    // A tracker nobody answers for is an error, not "unregistered".
    const downMark = rowOf(page, unreachable.infoHash).locator('[data-test="tracker-indicator"]');
    await expect.poll(() => downMark.getAttribute('data-tracker-status'), { timeout: 20_000 }).toBe('error');
    expect(await downMark.getAttribute('aria-label')).toMatch(/^Tracker error: ./);
    expect(await rowOf(page, fine.infoHash).locator('[data-test="tracker-indicator"]').count()).toBe(0);

    const filter = page.locator('.sidebar button[data-filter="tracker-error"]');
    await expect.poll(() => filter.locator('.num').textContent()).toBe('2');
    await filter.click();
    await expect.poll(async () => (await tableNames(page)).sort()).toEqual(['Gone from the tracker', 'Tracker down']);
    await filter.click();
    await expect.poll(async () => (await tableNames(page)).length).toBe(3);
    expect(app.pageErrors).toEqual([]);
  }, 60_000);
});
