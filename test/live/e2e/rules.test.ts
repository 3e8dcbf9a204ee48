// The Rules view end to end: real Chromium, the real core service and a real rtorrent with two
// seeding torrents. A rule is written in the view (its error shown while it is incomplete), its
// live preview lists only the torrent it matches, it is switched live through the confirmation,
// run through the other, and rtorrent itself says the torrent was stopped; the history shows it.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { rtorrentInt } from '../rtorrent/support';
import { BOX_DEFAULTS, openApp, ROOT, rowOf, screenshot, SCREENSHOTS, type App } from './support';

let rt: RtorrentInstance;
let app: App;
let page: Page;
let rtId = '';
let target: MadeTorrent;
let bystander: MadeTorrent;


beforeAll(async () => {
  rt = await startRtorrent();
  target = makeTorrent({ dataParent: rt.downloadDir, name: 'Golf Season Pack', files: [{ path: 'golf.bin', content: filler('golf', 40_000) }] });
  bystander = makeTorrent({ dataParent: rt.downloadDir, name: 'Hotel Lecture Notes', files: [{ path: 'hotel.bin', content: filler('hotel', 20_000) }] });
  app = await openApp();
  page = app.page;
  const { handlers } = app.core.service;
  rtId = (await handlers['seedboxes:add']({ seedbox: { ...BOX_DEFAULTS, name: 'Home rTorrent', kind: 'rtorrent', url: rt.url } })).id;
  for (const torrent of [target, bystander]) {
    const [result] = await handlers['torrents:add']({ seedboxId: rtId, sources: [{ kind: 'file', bytes: new Uint8Array(torrent.bytes) }], options: {} });
    expect(result).toMatchObject({ ok: true });
  }
});

afterAll(async () => {
  await app?.close();
  await rt?.stop();
});

const previewNames = (scope = page.locator('[data-test="rule-editor"]')) => scope.locator('[data-test="preview-row"] .name').allTextContents();

describe('the Rules view, against a real rtorrent', () => {
  it('writes a rule with its error shown as typed and previews only the torrent it matches', async () => {
    for (const torrent of [target, bystander]) await expect.poll(() => rowOf(page, torrent.infoHash).locator('.pill').textContent(), { timeout: 30_000 }).toBe('Seeding');
    await page.locator('[data-test="open-rules"]').click();
    await page.getByRole('heading', { name: 'Seeding rules' }).waitFor();
    await page.locator('[data-test="new-rule"]').click();
    await page.locator('[data-test="rule-name"]').fill('Golf is done');

    const condition = page.locator('[data-test="condition"]');
    await condition.click();
    // A word being typed: the shared completer offers the fields that fit; Enter takes one.
    await condition.pressSequentially('comp');
    await page.locator('[data-test="completions"] [role="option"]', { hasText: 'complete' }).first().waitFor();
    await condition.press('Enter');
    expect(await condition.inputValue()).toBe('complete ');
    await condition.pressSequentially('and name ==');
    // Incomplete: the position is said, the spot marked, nothing previewed.
    await expect.poll(() => page.locator('[data-test="condition-status"]').textContent()).toMatch(/Line 1, column 21: /);
    expect(await page.locator('[data-test="error-mark"]').count()).toBe(1);
    await condition.pressSequentially(' "Golf Season Pack"');
    await expect.poll(() => page.locator('[data-test="condition-status"]').textContent()).toMatch(/Valid\. Reads complete, name\./);

    // The live preview (the draft, through rules:preview): the one torrent, with the values that made it match.
    await expect.poll(() => previewNames()).toEqual(['Golf Season Pack']);
    const row = page.locator('[data-test="rule-editor"] [data-test="preview-row"]');
    expect(await row.locator('[data-test="preview-outcome"]').textContent()).toBe('Would act');
    expect(await row.locator('[data-test="preview-why"]').textContent()).toBe('complete = yes · name = Golf Season Pack');

    await page.locator('[data-test="save-rule"]').click();
    await page.locator('[data-test="rule-item"]', { hasText: 'Golf is done' }).waitFor();
    expect(await page.locator('[data-test="rule-item"] [data-test="mode-pill"]').textContent()).toBe('Preview');
    await expect.poll(() => previewNames()).toEqual(['Golf Season Pack']);
    await screenshot(page, 'rules-view');
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(join(SCREENSHOTS, 'rules-view.png'), join(ROOT, 'docs/screenshots/rules-view.png'));
  });

  it('switches it live only after showing what it would do, then runs it after a second confirmation', async () => {
    await page.locator('[data-test="go-live"]').click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByRole('heading', { name: 'Switch “Golf is done” live' }).waitFor();
    await expect.poll(() => previewNames(dialog)).toEqual(['Golf Season Pack']);
    // Nothing is live before the confirmation.
    expect(await page.locator('[data-test="rule-item"] [data-test="mode-pill"]').textContent()).toBe('Preview');
    await dialog.getByRole('button', { name: 'Switch live' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-test="rule-item"] [data-test="mode-pill"]').textContent()).toBe('Live');
    expect((await app.core.service.handlers['rules:get']({})).settings.rules[0]).toMatchObject({ name: 'Golf is done', mode: 'live', version: 1 });

    // Run now: a dry run shows what will happen; only the confirmation acts.
    await page.locator('[data-test="run-now"]').click();
    await dialog.getByRole('heading', { name: 'Run the rules now' }).waitFor();
    await expect.poll(() => previewNames(dialog)).toEqual(['Golf Season Pack']);
    expect(await dialog.locator('[data-test="preview-outcome"]').textContent()).toBe('Will act');
    expect(await rtorrentInt(rt, 'd.state', [target.infoHash.toUpperCase()])).toBe(1);
    await dialog.getByRole('button', { name: 'Run now' }).click();
    await dialog.waitFor({ state: 'detached' });

    // rtorrent itself: the matching torrent stopped, the other still started.
    await expect.poll(() => rtorrentInt(rt, 'd.state', [target.infoHash.toUpperCase()]), { timeout: 20_000 }).toBe(0);
    expect(await rtorrentInt(rt, 'd.state', [bystander.infoHash.toUpperCase()])).toBe(1);

    // The history, from the audit log.
    await page.locator('[data-test="rules-tab-history"]').click();
    const entry = page.locator('[data-test="history-entry"]', { hasText: 'Golf Season Pack' });
    await entry.waitFor();
    expect(await entry.locator('[data-test="history-result"]').textContent()).toBe('Done');
    expect(await entry.textContent()).toContain('Golf is done');
    expect(await page.locator('[data-test="history-entry"]', { hasText: 'Hotel Lecture Notes' }).count()).toBe(0);
    // And the rule's line in the list says what it did.
    await page.locator('[data-test="rules-tab-rules"]').click();
    await expect.poll(() => page.locator('[data-test="rule-item"]').textContent()).toContain('1 done');

    // Back in the table, the torrent shows as stopped.
    await page.locator('[data-test="open-rules"]').click();
    await expect.poll(() => rowOf(page, target.infoHash).locator('.pill').textContent()).toBe('Paused');
    expect(app.pageErrors).toEqual([]);
  });
});
