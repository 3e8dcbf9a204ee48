// The window end to end, as a user works it: real Chromium, the real core service, a real
// rtorrent and a real deluged. One story in order (each step builds on the one before), and
// what the daemon did is read back from the daemon itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { waitFor } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { delugePyCall } from '../deluge/support';
import { rtorrentCall, rtorrentInt } from '../rtorrent/support';
import { dropOnWindow, magnetFor, openApp, rowOf, screenshot, tableNames, type App } from './support';

let rt: RtorrentInstance;
let deluge: DelugeInstance;
let app: App;
let page: Page;
let rtId = '';
let delugeId = '';

// Alpha has three files (one gets unticked), Bravo one; both have their data, so they seed.
let alpha: MadeTorrent;
let bravo: MadeTorrent;
let charlie: MadeTorrent;
const MAGNET_HASH = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

beforeAll(async () => {
  [rt, deluge] = await Promise.all([startRtorrent(), startDeluged()]);
  alpha = makeTorrent({
    dataParent: rt.downloadDir,
    name: 'Alpha Linux ISO',
    files: [
      { path: 'alpha-1.bin', content: filler('alpha-1', 40_000) },
      { path: 'alpha-2.bin', content: filler('alpha-2', 20_000) },
      { path: 'docs/readme.txt', content: 'Alpha readme\n' },
    ],
  });
  bravo = makeTorrent({ dataParent: rt.downloadDir, name: 'Bravo Podcast.mp3', files: [{ path: '', content: filler('bravo', 30_000) }] });
  charlie = makeTorrent({ dataParent: deluge.downloadDir, name: 'Charlie Dataset', files: [{ path: 'charlie.csv', content: filler('charlie', 25_000) }] });
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await Promise.all([rt?.stop(), deluge?.stop()]);
});

function sidebarItem(id: string) {
  return page.locator(`.seedbox-item[data-seedbox="${id}"]`);
}

async function saveEditorAndGetId(name: string): Promise<string> {
  await page.locator('dialog.modal button[type="submit"]', { hasText: 'Save' }).click();
  await page.locator('dialog.modal[open]').waitFor({ state: 'detached' });
  const item = page.locator('.seedbox-item', { hasText: name });
  await item.waitFor();
  return (await item.getAttribute('data-seedbox'))!;
}

/** The add dialog closes once everything was added; when it stays, its rows say why. */
async function closedOrExplained(dialog: Locator): Promise<void> {
  try {
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
  } catch {
    throw new Error(`The add dialog stayed open: ${await dialog.innerText()}`);
  }
}

describe('Seedbox Remote in the browser, against real daemons', () => {
  it('adds an rTorrent box over its Unix socket through the editor and connects it', async () => {
    await page.locator('[data-test="add-first-seedbox"]').click();
    await page.locator('#ed-name').fill('Home rTorrent');
    await page.locator('#ed-url').fill(rt.url);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="test-summary"]').textContent()).toMatch(/rTorrent 0\.9\.8/);
    rtId = await saveEditorAndGetId('Home rTorrent');
    await sidebarItem(rtId).and(page.locator('.is-connected')).waitFor();
    await page.getByRole('heading', { name: 'No torrents yet' }).waitFor();
  });

  it('adds a deluged box: the test shows its self-signed certificate, the user trusts it and saves', async () => {
    await page.getByRole('button', { name: 'Add a seedbox' }).click();
    await page.locator('#ed-kind').selectOption('deluge');
    await page.locator('#ed-name').fill('Deluge VPS');
    await page.locator('#ed-url').fill(`deluge://127.0.0.1:${deluge.port}`);
    await page.locator('#ed-user').fill(deluge.username);
    await page.locator('#ed-password').fill(deluge.password);
    await page.getByRole('button', { name: 'Test', exact: true }).click();

    const certificate = page.locator('[data-testid="certificate"]');
    await certificate.waitFor();
    await expect.poll(() => page.locator('li[data-step="tls"]').getAttribute('class')).toContain('failed');
    const presented = (await page.locator('[data-testid="presented"]').textContent())!.trim();
    expect(presented.replaceAll(':', '').toLowerCase()).toBe(deluge.certificateSha256);
    await certificate.scrollIntoViewIfNeeded();
    await screenshot(page, 'seedbox-editor-certificate');

    await certificate.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect.poll(() => page.locator('[data-testid="test-summary"]').textContent()).toMatch(/Deluge 2\.0\.3/);
    expect((await page.locator('[data-testid="tls-pin"]').textContent())!.replaceAll(':', '').toLowerCase()).toContain(deluge.certificateSha256);
    delugeId = await saveEditorAndGetId('Deluge VPS');
    await sidebarItem(delugeId).and(page.locator('.is-connected')).waitFor();
    // The pin was saved with the box: the core connects with it, nothing else.
    const saved = (await app.core.service.handlers['seedboxes:list']({})).find((box) => box.id === delugeId);
    expect(saved?.tlsPinSha256).toBe(deluge.certificateSha256);
  });

  it('takes two dropped .torrent files and a magnet, with one file unticked, and the daemon skips that file', async () => {
    await sidebarItem(rtId).click();
    await dropOnWindow(page, { files: [alpha, bravo], text: magnetFor(MAGNET_HASH, 'Delta Magnet') });
    const dialog = page.locator('dialog.modal[open]');
    await dialog.locator('.source').nth(2).waitFor();
    expect(await dialog.locator('.source').count()).toBe(3);
    const alphaRow = dialog.locator('.source', { hasText: 'Alpha Linux ISO' });
    await alphaRow.getByRole('button', { name: 'Files 3/3' }).click();
    await alphaRow.locator('.add-tree label', { hasText: 'alpha-2.bin' }).locator('input').uncheck();
    await alphaRow.getByRole('button', { name: 'Files 2/3' }).waitFor();
    await dialog.locator('#add-labels').fill('linux');
    await screenshot(page, 'add-dialog');
    expect(await dialog.locator('.summary').textContent()).toMatch(/3 of 3 will be added to Home rTorrent/);
    await dialog.getByRole('button', { name: 'Add 3' }).click();
    await closedOrExplained(dialog);

    for (const hash of [alpha.infoHash, bravo.infoHash, MAGNET_HASH]) await rowOf(page, hash).waitFor();
    // rtorrent: priority 0 is "off". The other two files keep normal (1).
    expect(await rtorrentInt(rt, 'f.priority', [`${alpha.infoHash.toUpperCase()}:f1`])).toBe(0);
    expect(await rtorrentInt(rt, 'f.priority', [`${alpha.infoHash.toUpperCase()}:f0`])).toBe(1);
    expect(await rtorrentInt(rt, 'f.priority', [`${alpha.infoHash.toUpperCase()}:f2`])).toBe(1);
    // Added with the file skipped and started: it ends up seeding its data.
    await expect.poll(() => rowOf(page, alpha.infoHash).locator('.pill').textContent(), { timeout: 20_000 }).toBe('Seeding');
    await expect.poll(() => rowOf(page, bravo.infoHash).locator('.pill').textContent(), { timeout: 20_000 }).toBe('Seeding');
  });

  it('pauses with Space and resumes from the context menu', async () => {
    const row = rowOf(page, bravo.infoHash);
    await row.click();
    await page.keyboard.press('Space');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Paused');
    expect(await rtorrentInt(rt, 'd.state', [bravo.infoHash.toUpperCase()])).toBe(0);

    await row.click({ button: 'right' });
    await page.locator('.context-menu [data-menu="start"]').click();
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Seeding');
    expect(await rtorrentInt(rt, 'd.state', [bravo.infoHash.toUpperCase()])).toBe(1);

    // Space again toggles back: the keyboard works both ways.
    await row.click();
    await page.keyboard.press('Space');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Paused');
    await page.keyboard.press('Space');
    await expect.poll(() => row.locator('.pill').textContent()).toBe('Seeding');
  });

  it('changes a file priority in the details panel, and rtorrent has it', async () => {
    await rowOf(page, alpha.infoHash).click();
    const panel = page.locator('.details-panel');
    await panel.locator('[data-tab="files"]').click();
    const priority = panel.getByLabel('Priority of alpha-1.bin');
    await priority.selectOption('high');
    await waitFor('alpha-1.bin to be high priority in rtorrent', async () => (await rtorrentInt(rt, 'f.priority', [`${alpha.infoHash.toUpperCase()}:f0`])) === 2);
    // The unticked file shows as skipped.
    await expect.poll(() => panel.getByLabel('Priority of alpha-2.bin').inputValue()).toBe('skip');
    await expect.poll(() => priority.inputValue()).toBe('high');
    await screenshot(page, 'details-files');
  });

  it('filters by state and label, sorts by a column, and searches as you type', async () => {
    await page.locator('.sidebar [data-filter="seeding"]').click();
    await expect.poll(() => tableNames(page)).toEqual(expect.arrayContaining(['Alpha Linux ISO', 'Bravo Podcast.mp3']));
    expect(await rowOf(page, MAGNET_HASH).count()).toBe(0);
    await page.locator('.sidebar [data-filter="seeding"]').click();
    await rowOf(page, MAGNET_HASH).waitFor();

    // Every torrent of the drop got "linux"; the magnet is relabelled from its context menu.
    await rowOf(page, MAGNET_HASH).click({ button: 'right' });
    await page.locator('.context-menu [data-menu="labels"]').click();
    await page.getByRole('combobox', { name: 'Label', exact: true }).fill('later');
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitFor('the magnet to be labelled in rtorrent', async () => (await rtorrentCall(rt, 'd.custom1', [MAGNET_HASH.toUpperCase()])) === 'later');
    await page.locator('.sidebar .filters button', { hasText: 'later' }).click();
    await expect.poll(() => page.locator('.table-scroller .row').count()).toBe(1);
    await rowOf(page, MAGNET_HASH).waitFor();
    await page.locator('.sidebar .filters button', { hasText: 'later' }).click();
    await page.locator('.sidebar .filters button', { hasText: 'linux' }).click();
    await expect.poll(() => page.locator('.table-scroller .row').count()).toBe(2);
    await page.locator('.sidebar .filters button', { hasText: 'linux' }).click();
    await expect.poll(() => page.locator('.table-scroller .row').count()).toBe(3);

    const name = page.locator('.table-scroller .th[data-column="name"]');
    await name.click();
    await expect.poll(() => name.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await tableNames(page);
    expect(ascending).toEqual([...ascending].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(ascending.slice(0, 2)).toEqual(['Alpha Linux ISO', 'Bravo Podcast.mp3']);
    await name.click();
    await expect.poll(() => name.getAttribute('aria-sort')).toBe('descending');
    expect(await tableNames(page)).toEqual([...ascending].reverse());

    const search = page.getByRole('searchbox', { name: 'Search torrents' });
    await search.click();
    await search.pressSequentially('pod');
    await expect.poll(() => tableNames(page)).toEqual(['Bravo Podcast.mp3']);
    // A hash prefix finds it too.
    await search.fill(alpha.infoHash.slice(0, 8));
    await expect.poll(() => tableNames(page)).toEqual(['Alpha Linux ISO']);
    await search.fill('');
    await expect.poll(() => page.locator('.table-scroller .row').count()).toBe(3);
  });

  it('removes a torrent with its data after the confirmation, leaving the others', async () => {
    const bravoData = join(rt.downloadDir, bravo.name);
    expect(existsSync(bravoData)).toBe(true);
    const row = rowOf(page, bravo.infoHash);
    await row.click({ button: 'right' });
    await page.locator('.context-menu [data-menu="remove-data"]').click();
    const confirm = page.locator('[data-test="confirm-remove"]');
    await confirm.waitFor();
    expect(await page.locator('[data-test="remove-names"]').textContent()).toContain('Bravo Podcast.mp3');
    await confirm.click();
    await row.waitFor({ state: 'detached' });
    await waitFor('Bravo’s data to be deleted', () => !existsSync(bravoData));
    // The neighbours stay, in the daemon and on disk.
    expect(existsSync(join(rt.downloadDir, alpha.name, 'alpha-1.bin'))).toBe(true);
    expect(await rtorrentInt(rt, 'd.size_bytes', [alpha.infoHash.toUpperCase()])).toBeGreaterThan(0);
    await expect(rtorrentInt(rt, 'd.size_bytes', [bravo.infoHash.toUpperCase()])).rejects.toThrow();
    await rowOf(page, alpha.infoHash).waitFor();
    await rowOf(page, MAGNET_HASH).waitFor();
  });

  it('shows a box that went down reconnecting with a countdown, and connected again when it is back', async () => {
    await rt.kill();
    const item = sidebarItem(rtId);
    await item.and(page.locator('.is-reconnecting')).waitFor({ timeout: 15_000 });
    await expect.poll(() => item.locator('[data-test="line"]').textContent(), { timeout: 15_000 }).toMatch(/Reconnecting in \d+s/);
    await rt.restart();
    await item.and(page.locator('.is-connected')).waitFor({ timeout: 30_000 });
    await rowOf(page, alpha.infoHash).waitFor();
  });

  it('shows every box’s torrents in "All seedboxes"', async () => {
    // Add one to the deluge box through the dialog's own file picker.
    await sidebarItem(delugeId).click();
    await page.locator('.toolbar button.primary', { hasText: 'Add' }).click();
    const dialog = page.locator('dialog.modal[open]');
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'charlie.torrent', mimeType: 'application/x-bittorrent', buffer: Buffer.from(charlie.bytes) });
    await dialog.locator('.source', { hasText: 'Charlie Dataset' }).waitFor();
    await expect.poll(() => dialog.locator('#add-target').inputValue()).toBe(delugeId);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await closedOrExplained(dialog);
    await rowOf(page, charlie.infoHash).waitFor();
    expect(await delugePyCall(deluge, 'core.get_torrent_status', [charlie.infoHash, ['name']])).toEqual({ name: 'Charlie Dataset' });

    await page.locator('[data-test="all-seedboxes"]').click();
    for (const hash of [alpha.infoHash, MAGNET_HASH, charlie.infoHash]) await rowOf(page, hash).waitFor();
    // The seedbox column appears when several boxes share the table.
    expect(await rowOf(page, charlie.infoHash).locator('.td').nth(1).textContent()).toContain('Deluge VPS');
    expect(await page.locator('.table-scroller .th[data-column="seedbox"]').count()).toBe(1);
    await expect.poll(() => rowOf(page, charlie.infoHash).locator('.pill').textContent(), { timeout: 20_000 }).toBe('Seeding');
    await page.locator('body').click({ position: { x: 700, y: 600 } });
    await screenshot(page, 'main-two-boxes');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await rowOf(page, alpha.infoHash).click();
    await page.locator('.details-panel [data-tab="files"]').click();
    await page.getByLabel('Priority of alpha-1.bin').waitFor();
    await screenshot(page, 'dark-theme');
    await page.emulateMedia({ colorScheme: 'light' });

    expect(app.pageErrors).toEqual([]);
  });

  it('shows a name carrying markup, escape codes and a bidi override as plain text', async () => {
    const name = '<img src=x onerror="window.__pwned=1"><b>bold \u001b[31mred \u202eevil';
    const hostile = makeTorrent({ dataParent: rt.downloadDir, name, files: [{ path: '', content: filler('hostile', 1000) }] });
    const [added] = await app.core.service.handlers['torrents:add']({ seedboxId: rtId, sources: [{ kind: 'file', bytes: new Uint8Array(hostile.bytes), fileName: 'hostile.torrent' }], options: { paused: true } });
    expect(added).toEqual({ ok: true, id: hostile.infoHash });
    const row = rowOf(page, hostile.infoHash);
    await row.waitFor();
    expect(await row.locator('.td.name .text').textContent()).toBe(name);
    expect(await page.locator('img[src="x"], .table-scroller b').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(app.pageErrors).toEqual([]);
  });
});
