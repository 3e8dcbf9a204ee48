// The window against Debian 13's daemons (transmission-daemon 4.1.0~beta2, qbittorrent-nox
// 5.1.0, deluged 2.2.0, from the trixie root): for each, a torrent added through the add
// dialog, listed, paused and started from the context menu, and removed with its data, with
// what the daemon did read back from the daemon itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientKind } from '../../../electron/shared/model';
import { NewSeedboxSchema } from '../../../electron/shared/seedbox';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { DAEMONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, transmissionTorrent, type TransmissionInstance } from '../../helpers/transmission';
import { delugePyCall } from '../deluge/support';
import { QbittorrentApi } from '../qbittorrent/support';
import { openApp, rowOf, type App } from './support';

let transmission: TransmissionInstance;
let qbittorrent: QbittorrentInstance;
let deluge: DelugeInstance;
let app: App;
let page: Page;

beforeAll(async () => {
  [transmission, qbittorrent, deluge] = await Promise.all([
    startTransmission({ generation: 'debian13' }),
    startQbittorrent({ generation: 'debian13' }),
    startDeluged({ generation: 'debian13', plugins: ['Label'] }),
  ]);
  app = await openApp();
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await Promise.all([transmission?.stop(), qbittorrent?.stop(), deluge?.stop()]);
});

/** How each daemon is reached, and what it says about a torrent (null when it has none). */
interface Box {
  kind: ClientKind;
  version: string;
  url: () => string;
  username: () => string;
  password: () => string;
  pin: () => string | null;
  downloadDir: () => string;
  /** true: running, false: stopped; null: the daemon does not have it. */
  running: (hash: string) => Promise<boolean | null>;
}

const qbApi = (): QbittorrentApi => new QbittorrentApi(qbittorrent);

const BOXES: Box[] = [
  {
    kind: 'transmission',
    version: DAEMONS.debian13.transmission.version,
    url: () => transmission.url,
    username: () => transmission.username,
    password: () => transmission.password,
    pin: () => null,
    downloadDir: () => transmission.downloadDir,
    running: async (hash) => {
      const raw = await transmissionTorrent(transmission, hash, ['status']);
      return raw === undefined ? null : raw['status'] !== 0;
    },
  },
  {
    kind: 'qbittorrent',
    version: DAEMONS.debian13.qbittorrent.version,
    url: () => qbittorrent.url,
    username: () => qbittorrent.username,
    password: () => qbittorrent.password,
    pin: () => null,
    downloadDir: () => qbittorrent.downloadDir,
    running: async (hash) => {
      const raw = await qbApi().torrent(hash);
      return raw === undefined ? null : !String(raw['state']).startsWith('stopped');
    },
  },
  {
    kind: 'deluge',
    version: DAEMONS.debian13.deluge.version,
    url: () => `deluge://127.0.0.1:${deluge.port}`,
    username: () => deluge.username,
    password: () => deluge.password,
    pin: () => deluge.certificateSha256,
    downloadDir: () => deluge.downloadDir,
    running: async (hash) => {
      const raw = (await delugePyCall(deluge, 'core.get_torrent_status', [hash, ['paused']])) as { paused?: boolean };
      return raw.paused === undefined ? null : !raw.paused;
    },
  },
];

describe.each(BOXES)('the window against Debian 13’s $kind', (box) => {
  let seedboxId = '';
  const name = `Debian 13 ${box.kind} ünï`;

  it('connects a box and adds a torrent through the add dialog; the daemon has it and it seeds', async () => {
    const handlers = app.core.service.handlers;
    const seedbox = NewSeedboxSchema.parse({ name: `Trixie ${box.kind}`, kind: box.kind, url: box.url(), username: box.username(), tlsPinSha256: box.pin() });
    const view = await handlers['seedboxes:add']({ seedbox });
    seedboxId = view.id;
    await handlers['seedboxes:setSecret']({ id: seedboxId, purpose: 'daemon-password', secret: box.password() });
    await handlers['seedboxes:retry']({ seedboxId });
    const item = page.locator(`.seedbox-item[data-seedbox="${seedboxId}"]`);
    await item.and(page.locator('.is-connected')).waitFor({ timeout: 30_000 });
    const status = (await handlers['seedboxes:statuses']({})).find((entry) => entry.seedboxId === seedboxId);
    expect(status?.info?.version).toBe(box.version);

    const made = makeTorrent({ dataParent: box.downloadDir(), name, files: [{ path: 'data.bin', content: filler(box.kind, 30_000) }] });
    await item.click();
    await page.locator('.toolbar button.primary', { hasText: 'Add' }).click();
    const dialog = page.locator('dialog.modal[open]');
    await dialog.locator('input[type="file"]').setInputFiles({ name: 'debian13.torrent', mimeType: 'application/x-bittorrent', buffer: Buffer.from(made.bytes) });
    await dialog.locator('.source', { hasText: name }).waitFor();
    await expect.poll(() => dialog.locator('.summary').textContent()).toMatch(`1 of 1 will be added to Trixie ${box.kind}`);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });

    const row = rowOf(page, made.infoHash);
    await row.waitFor();
    expect(await row.locator('.td.name .text').textContent()).toBe(name);
    expect(await box.running(made.infoHash)).toBe(true);
    await expect.poll(() => row.locator('.pill').textContent(), { timeout: 30_000 }).toBe('Seeding');

    // Paused from the context menu, started again from it: the daemon follows.
    await row.click({ button: 'right' });
    await page.locator('.context-menu [data-menu="stop"]').click();
    await expect.poll(() => row.locator('.pill').textContent(), { timeout: 15_000 }).toBe('Paused');
    await waitFor(`${box.kind} to stop the torrent`, async () => (await box.running(made.infoHash)) === false);
    await row.click({ button: 'right' });
    await page.locator('.context-menu [data-menu="start"]').click();
    // qBittorrent shows a state change on its next status refresh, a second or two later.
    await expect.poll(() => row.locator('.pill').textContent(), { timeout: 15_000 }).toBe('Seeding');
    expect(await box.running(made.infoHash)).toBe(true);

    // Removed with its data after the confirmation.
    const data = join(box.downloadDir(), name);
    expect(existsSync(join(data, 'data.bin'))).toBe(true);
    await row.click({ button: 'right' });
    await page.locator('.context-menu [data-menu="remove-data"]').click();
    await page.locator('[data-test="confirm-remove"]').click();
    await row.waitFor({ state: 'detached' });
    await waitFor(`${box.kind} to delete the data`, () => !existsSync(data));
    expect(await box.running(made.infoHash)).toBe(null);
    expect(app.pageErrors).toEqual([]);
  });
});
