// Downloading to this computer through the window, end to end: a real rTorrent seeding complete
// data, reached through a real OpenSSH sshd (its tunnel, and SFTP on the same connection), the
// real core's fetch queue, and Chromium driving the window. What arrives is compared byte for
// byte with what the box seeds.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { NewSeedboxSchema } from '../../../electron/shared/seedbox';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startSshd, type SshdInstance } from '../../helpers/sshd';
import { filler, type MadeTorrent } from '../../helpers/torrents';
import { seedCompleted } from '../fetch/support';
import { openApp, rowOf, screenshot, type App } from './support';

let sshd: SshdInstance;
let rt: RtorrentInstance;
let client: RtorrentClient;
let app: App;
let page: Page;
let downloads: string;
let boxId = '';
const seeded = new Map<string, { made: MadeTorrent; id: string }>();

const COURSE = [
  { path: 'week 1/slides.pdf', content: filler('slides', 120_000) },
  { path: 'week 1/exercises.txt', content: 'Exercise one\n' },
  { path: 'week 2/slides.pdf', content: filler('slides-2', 90_000) },
];
const PHOTOS = [
  { path: 'beach/one.jpg', content: filler('one', 300_000) },
  { path: 'two.jpg', content: filler('two', 200_000) },
  { path: 'notes.txt', content: 'Where we went\n' },
];

async function seed(name: string, files: { path: string; content: Buffer | string }[]): Promise<void> {
  seeded.set(name, await seedCompleted(client, rt.downloadDir, name, files));
}

beforeAll(async () => {
  [sshd, rt] = await Promise.all([startSshd({ sftp: true }), startRtorrent()]);
  client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
  await seed('Holiday Photos', PHOTOS);
  await seed('Course Notes', COURSE);
  await seed('Lecture.mp4', [{ path: '', content: filler('lecture', 1_500_000) }]);
  await seed('Gone Album', [{ path: 'track.flac', content: filler('gone', 50_000) }]);
  // rTorrent still counts it complete; its data is no longer on the box.
  rmSync(join(rt.downloadDir, 'Gone Album'), { recursive: true });
  downloads = tempDir('e2e-downloads');
  app = await openApp({ downloadsFolder: downloads });
  page = app.page;
  // The editor's SSH section has its own tests: the box is saved through the service as the editor saves it.
  const saved = await app.core.service.handlers['seedboxes:add']({
    seedbox: NewSeedboxSchema.parse({
      name: 'Tunnelled rTorrent',
      kind: 'rtorrent',
      url: rt.url,
      sshTunnel: {
        host: '127.0.0.1', port: sshd.port, username: 'root', auth: 'key', privateKeyPath: sshd.rootKey.privateKeyPath,
        hostKeySha256: sshd.hostKey.sha256, remote: { kind: 'unix', path: rt.socketPath! },
      },
    }),
  });
  boxId = saved.id;
}, 90_000);

afterAll(async () => {
  await app?.close();
  await client?.close();
  await Promise.all([sshd?.stop(), rt?.stop()]);
});

/** Every file under `folder`, relative, '/'-joined, sorted. */
function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .sort();
}

function job(name: string) {
  return page.locator('li.job', { has: page.locator('.name', { hasText: name }) });
}

/** Opens the queue, waits for the newest job of `name` to reach `state`, and goes back to the table. */
async function waitInQueue(name: string, state: 'done' | 'failed', count: number): Promise<void> {
  await page.locator('[data-test="open-fetch-queue"]').click();
  await expect.poll(() => job(name).count()).toBe(count);
  try {
    await job(name).first().and(page.locator(`[data-state="${state}"]`)).waitFor({ timeout: 30_000 });
  } catch {
    throw new Error(`The newest job of ${name} did not become ${state}: ${await page.locator('ul.jobs').innerText()}`);
  }
  await page.locator('[data-test="open-fetch-queue"]').click();
}

async function downloadFromMenu(name: string): Promise<void> {
  await rowOf(page, seeded.get(name)!.id).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Download to this computer…' }).click();
  const dialog = page.locator('dialog.modal[open]');
  await dialog.getByRole('radio', { name: 'The Downloads folder' }).waitFor();
  expect(await dialog.getByRole('radio', { name: 'The Downloads folder' }).isChecked()).toBe(true);
  await dialog.getByRole('button', { name: 'Download', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('downloading to this computer from the window', () => {
  it('shows the box with SSH connected, its torrents listed', async () => {
    await page.locator(`.seedbox-item[data-seedbox="${boxId}"]`).and(page.locator('.is-connected')).waitFor({ timeout: 30_000 });
    for (const { id } of seeded.values()) await rowOf(page, id).waitFor();
  });

  it('downloads the files ticked in the details, and only those', async () => {
    await rowOf(page, seeded.get('Course Notes')!.id).click();
    await page.locator('[data-tab="files"]').click();
    // A folder ticks its files; one of them is unticked again.
    await page.getByRole('checkbox', { name: 'Tick week 1 to download' }).check();
    await page.getByRole('checkbox', { name: 'Tick exercises.txt to download' }).uncheck();
    await page.getByRole('checkbox', { name: 'Tick week 2 to download' }).check();
    await page.locator('[data-test="fetch-chosen"]').click();
    const dialog = page.locator('dialog.modal[open]');
    expect(await dialog.locator('h2').textContent()).toBe('Download 2 files to this computer');
    await dialog.getByRole('button', { name: 'Download', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitInQueue('Course Notes', 'done', 1);
    expect(listFiles(downloads)).toEqual(['Course Notes/week 1/slides.pdf', 'Course Notes/week 2/slides.pdf']);
    expect(readFileSync(join(downloads, 'Course Notes/week 1/slides.pdf')).equals(Buffer.from(COURSE[0]!.content))).toBe(true);
    expect(readFileSync(join(downloads, 'Course Notes/week 2/slides.pdf')).equals(Buffer.from(COURSE[2]!.content))).toBe(true);
  });

  it('downloads whole torrents from the context menu, every byte of them', async () => {
    await downloadFromMenu('Holiday Photos');
    await waitInQueue('Holiday Photos', 'done', 1);
    await downloadFromMenu('Lecture.mp4');
    await waitInQueue('Lecture.mp4', 'done', 1);
    expect(listFiles(downloads)).toEqual([
      'Course Notes/week 1/slides.pdf', 'Course Notes/week 2/slides.pdf', 'Holiday Photos/beach/one.jpg', 'Holiday Photos/notes.txt', 'Holiday Photos/two.jpg', 'Lecture.mp4',
    ]);
    for (const file of PHOTOS) expect(readFileSync(join(downloads, 'Holiday Photos', file.path)).equals(Buffer.from(file.content))).toBe(true);
    expect(readFileSync(join(downloads, 'Lecture.mp4')).equals(seeded.get('Lecture.mp4')!.made.files[0]!.content)).toBe(true);
  });

  it('shows a job that failed with the reason, and the queue with every job (screenshot)', async () => {
    await downloadFromMenu('Gone Album');
    await waitInQueue('Gone Album', 'failed', 1);
    await page.locator('[data-test="open-fetch-queue"]').click();
    const failed = job('Gone Album');
    expect(await failed.locator('[data-test="job-error"]').textContent()).toContain('does not exist on the box');
    expect(await page.locator('li.job').count()).toBe(4);
    expect(await page.locator('li.job[data-state="done"]').count()).toBe(3);
    // Every done job's bar is full, and says so to assistive technology.
    for (const bar of await page.locator('li.job[data-state="done"] [role="progressbar"]').all()) expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await screenshot(page, 'fetch-queue');

    // The dark theme: the queue's colours follow it (the same variables as the rest of the window).
    const colours = () => failed.locator('[data-test="job-state"]').evaluate((badge) => [getComputedStyle(badge).color, getComputedStyle(badge.closest('section')!).backgroundColor]);
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    const dark = await colours();
    expect(dark[0]).not.toBe(light[0]);
    expect(dark[1]).not.toBe(light[1]);
    await screenshot(page, 'fetch-queue-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Removed from the list; nothing on disk changes.
    const before = listFiles(downloads);
    await failed.getByRole('button', { name: 'Remove Gone Album' }).click();
    await failed.waitFor({ state: 'detached' });
    expect(listFiles(downloads)).toEqual(before);
    expect((await app.core.service.handlers['fetch:jobs']({})).map((entry) => entry.state)).toEqual(['done', 'done', 'done']);
    expect(app.pageErrors).toEqual([]);
  });
});
