import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../electron/core/clients/deluge/client';
import type { ClientEvent, Torrent } from '../../../electron/shared/model';
import { rejectionOf } from '../../helpers/errors';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { makeSelfSignedCertificate } from '../../helpers/nginx';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { delugePy, delugePyCall, restartDeluged } from './support';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].deluge;

  const clients: DelugeClient[] = [];

  function clientFor(instance: DelugeInstance, options: { user?: string; password?: string; pin?: string | null } = {}): DelugeClient {
    const pin = options.pin === undefined ? instance.certificateSha256 : options.pin;
    const client = new DelugeClient({
      kind: 'deluge',
      url: `deluge://127.0.0.1:${instance.port}`,
      username: options.user ?? instance.username,
      password: options.password ?? instance.password,
      transport: { timeoutMs: 10_000, ...(pin !== null ? { tls: { pinnedSha256: pin } } : {}) },
    });
    clients.push(client);
    return client;
  }

  async function status(instance: DelugeInstance, id: string, keys: string[]): Promise<Record<string, unknown>> {
    return (await delugePyCall(instance, 'core.get_torrent_status', [id, keys])) as Record<string, unknown>;
  }

  async function checkedAndPaused(instance: DelugeInstance, id: string): Promise<boolean> {
    const row = await status(instance, id, ['progress', 'state']);
    return row['progress'] === 100 && row['state'] === 'Paused';
  }

  /**
   * Starts a checked torrent and waits until it seeds. Deluge pauses a torrent again when a
   * recheck it ran while paused ends, and undoes a start that lands in that moment; on a busy
   * machine that moment can come late, so a start that was undone is simply given again.
   */
  async function startUntilSeeding(client: DelugeClient, instance: DelugeInstance, id: string): Promise<void> {
    await client.start([id]);
    await waitFor(
      'the torrent to seed',
      async () => {
        const state = (await status(instance, id, ['state']))['state'];
        if (state === 'Paused') await client.start([id]);
        return state === 'Seeding';
      },
      60_000,
    );
  }

  async function find(client: DelugeClient, id: string): Promise<Torrent | undefined> {
    return (await client.list()).find((torrent) => torrent.id === id);
  }

  let deluge: DelugeInstance;
  let client: DelugeClient;
  let data: string;

  beforeAll(async () => {
    deluge = await startDeluged({ generation, plugins: ['Label'] });
    client = clientFor(deluge);
    data = join(deluge.dir, 'data');
    mkdirSync(data);
  });

  afterAll(async () => {
    for (const each of clients) await each.close();
    await deluge?.stop();
  });

  describe(`DelugeClient against deluged ${release.version}`, () => {
    // What every client does (add, list, details, start/stop, recheck, labels, priorities,
    // limits, move, remove, queue, unknown ids) is test/live/clients/contract.test.ts; here is
    // only what is Deluge's own.

    it('adds with its own per-file priorities and a label it creates, and shows trackers not contacted yet', async () => {
      const made = makeTorrent({
        dataParent: data,
        name: 'ünïcode 日本 pack',
        files: [
          { path: 'a.bin', content: filler('a', 40_000) },
          { path: 'sub/b.bin', content: filler('b', 20_000) },
          { path: 'c.txt', content: 'ccc' },
        ],
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes, fileName: '/some/where/pack.torrent' }, { savePath: data, paused: true, labels: ['tv-shows'], filePriorities: ['high', 'skip', 'low'] });
      expect(id).toBe(made.infoHash);
      const raw = await status(deluge, id, ['name', 'save_path', 'paused', 'state', 'file_priorities', 'label']);
      expect(raw).toEqual({ name: 'ünïcode 日本 pack', save_path: data, paused: true, state: 'Paused', file_priorities: [7, 0, 1], label: 'tv-shows' });
      expect(await delugePyCall(deluge, 'label.get_labels')).toContain('tv-shows');
      const details = await client.details(id);
      expect(details.files.map((file) => file.priority)).toEqual(['high', 'skip', 'low']);
      expect(details.trackers).toEqual([{ url: 'http://127.0.0.1:9/announce', tier: 0, status: 'not-contacted', seeders: -1, leechers: -1, message: '' }]);
    });

    it('reannounces a seeding torrent, as the daemon confirms', async () => {
      const made = makeTorrent({ dataParent: data, name: 'ops', files: [{ path: '', content: filler('ops', 50_000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true });
      await client.recheck([id]);
      await waitFor('the recheck to finish', () => checkedAndPaused(deluge, id));
      await startUntilSeeding(client, deluge, id);
      await client.reannounce([id]);
      await waitFor('an announce', async () => (await status(deluge, id, ['tracker_status']))['tracker_status'] !== '');
      await client.remove([id], { deleteData: false });
    });

    it('polls with diffs: only what changed comes back, and added or removed torrents are noticed', async () => {
      const poller = clientFor(deluge);
      const first = await poller.poll({ light: false });
      expect(first.map((torrent) => torrent.id).sort()).toEqual((await client.list()).map((torrent) => torrent.id).sort());
      const made = makeTorrent({ dataParent: data, name: 'polled', files: [{ path: '', content: filler('poll', 30_000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true });
      // The daemon's TorrentAdded event makes the next refresh read the whole list.
      await waitFor('the poll to see the new torrent', async () => (await poller.poll({ light: false })).some((torrent) => torrent.id === id));
      await client.recheck([id]);
      // Deluge 2.2 shows a paused torrent as Seeding for a moment after its check, then Paused again.
      await waitFor('the poll to see it checked and paused', async () => {
        const checked = (await poller.poll({ light: false })).find((torrent) => torrent.id === id);
        return checked?.progress === 1 && checked.state === 'paused';
      });
      // A torrent that did not change (this paused, checked one) keeps its object between diff refreshes.
      const before = (await poller.poll({ light: false })).find((torrent) => torrent.id === id)!;
      expect((await poller.poll({ light: false })).find((torrent) => torrent.id === id)).toBe(before);
      await client.remove([id], { deleteData: false });
      await waitFor('the poll to see it gone', async () => !(await poller.poll({ light: false })).some((torrent) => torrent.id === id));
    });

    it('stores speed limits in KiB/s as Deluge does, fractions included', async () => {
      const made = makeTorrent({ dataParent: data, name: 'limited', files: [{ path: '', content: filler('l', 100) }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await client.setTorrentSpeedLimits([id], { downBytesPerSecond: 100_000, upBytesPerSecond: 0 });
      expect(await status(deluge, id, ['max_download_speed', 'max_upload_speed'])).toEqual({ max_download_speed: 97.65625, max_upload_speed: -1 });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 1024 * 1024, upBytesPerSecond: 256 * 1024 });
      expect(await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])).toEqual({ max_download_speed: 1024, max_upload_speed: 256 });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
      expect(await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])).toEqual({ max_download_speed: -1, max_upload_speed: -1 });
    });

    it('labels through the Label plugin: lowercase only, and a refused label adds nothing', async () => {
      const made = makeTorrent({ dataParent: data, name: 'labelled', files: [{ path: '', content: 'l' }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await client.setLabels([id], ['movies_4k.2024']);
      const upper = await rejectionOf(client.setLabels([id], ['Movies']));
      expect(upper.code).toBe('invalid-argument');
      expect(upper.message).toMatch(/lowercase letters, digits.*try "movies"/);
      const two = await rejectionOf(client.setLabels([id], ['a', 'b']));
      expect(two.message).toContain('one label');
      const spaced = await rejectionOf(client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'e'.repeat(40)}` }, { labels: ['with space'] }));
      expect(spaced.code).toBe('invalid-argument');
      expect(await delugePyCall(deluge, 'core.get_torrents_status', [{ id: ['e'.repeat(40)] }, ['name']])).toEqual({});
      expect(await status(deluge, id, ['label'])).toEqual({ label: 'movies_4k.2024' });
    });

    it('refuses a wrong password, and refuses a read-only account every change', async () => {
      const wrong = await rejectionOf(clientFor(deluge, { password: 'not it' }).connect());
      expect(wrong.code).toBe('auth-failed');
      expect(wrong.message).not.toContain('not it');

      const made = makeTorrent({ dataParent: data, name: 'readonly target', files: [{ path: '', content: 'r' }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      const reader = clientFor(deluge, { user: 'reader', password: 'read only pw' });
      expect((await reader.connect()).capabilities.labels).toBe(false);
      for (const action of [() => reader.start([id]), () => reader.remove([id], { deleteData: true }), () => reader.setGlobalSpeedLimits({ downBytesPerSecond: 1, upBytesPerSecond: 1 })]) {
        const error = await rejectionOf(action());
        expect(error.code).toBe('forbidden');
        expect(error.message).toMatch(/level is too low \(1; it needs 5\)/);
      }
      // Deluge 2.0.3 gives level 1 nothing to read either.
      expect((await rejectionOf(reader.list())).code).toBe('forbidden');
      expect(await status(deluge, id, ['state'])).toEqual({ state: 'Paused' });
    });
  });

  describe('DelugeClient without the Label plugin, and push events', () => {
    let plain: DelugeInstance;

    beforeAll(async () => {
      plain = await startDeluged({ generation });
    });

    afterAll(async () => {
      await plain?.stop();
    });

    it('says labels are unsupported, and adds nothing when a label is asked for', async () => {
      const other = clientFor(plain);
      expect((await other.connect()).capabilities).toMatchObject({ labels: false, multipleLabels: false });
      const made = makeTorrent({ dataParent: plain.dir, name: 'nolabel', files: [{ path: '', content: 'n' }], writeData: false });
      const refused = await rejectionOf(other.add({ kind: 'file', bytes: made.bytes }, { labels: ['movies'] }));
      expect(refused.code).toBe('unsupported');
      expect(refused.message).toContain('Label plugin');
      expect(await delugePyCall(plain, 'core.get_torrents_status', [{}, ['name']])).toEqual({});
      const id = await other.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      expect((await rejectionOf(other.setLabels([id], ['movies']))).code).toBe('unsupported');
      expect((await find(other, id))!.labels).toEqual([]);
      await other.remove([id], { deleteData: false });
    });

    it('pushes added, state-changed, finished and removed events from a real download', async () => {
      const seedData = join(deluge.dir, 'seed');
      mkdirSync(seedData);
      const made = makeTorrent({ dataParent: seedData, name: 'shared ü', files: [{ path: 'a.bin', content: filler('shared', 300_000) }, { path: 'b.bin', content: filler('s2', 5000) }] });
      // The seeder: the main daemon, with the data present.
      const seedId = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: seedData, paused: true });
      const seederEvents: ClientEvent[] = [];
      const stopSeederEvents = client.subscribe((event) => seederEvents.push(event));
      await client.recheck([seedId]);
      // Deluge pauses a torrent again once the recheck it asked for while paused is over.
      await waitFor('the seeder’s recheck', () => checkedAndPaused(deluge, seedId));
      await startUntilSeeding(client, deluge, seedId);
      await waitFor('the seeder’s state event', () => seederEvents.some((event) => event.type === 'torrent-state-changed' && event.id === seedId && event.state === 'seeding'));
      stopSeederEvents();

      // The leecher: the plain daemon, fetching over loopback from the seeder.
      const leecher = clientFor(plain);
      const events: ClientEvent[] = [];
      leecher.subscribe((event) => events.push(event));
      await leecher.connect();
      const id = await leecher.add({ kind: 'file', bytes: made.bytes });
      const [seederPort] = (await delugePy(deluge, [['core.get_listen_port', []]])) as number[];
      await delugePyCall(plain, 'core.connect_peer', [id, '127.0.0.1', seederPort]);
      await waitFor('torrent-finished', () => events.some((event) => event.type === 'torrent-finished' && event.id === id), 30_000);
      expect(events).toContainEqual({ type: 'torrent-added', id });
      expect(events).toContainEqual({ type: 'torrent-state-changed', id, state: 'seeding' });
      expect(await find(leecher, id)).toMatchObject({ state: 'seeding', progress: 1, sizeBytes: 305_000, name: 'shared ü' });
      // libtorrent counts all-time download a moment later than it reports completion.
      await waitFor('the download total', async () => (await find(leecher, id))!.downloadedBytes >= 305_000, 10_000);
      expect(readFileSync(join(plain.downloadDir, 'shared ü', 'a.bin')).equals(made.files[0]!.content)).toBe(true);

      await leecher.remove([id], { deleteData: true });
      await waitFor('torrent-removed', () => events.some((event) => event.type === 'torrent-removed' && event.id === id));
      await client.remove([seedId], { deleteData: false });
    });
  });

  describe('DelugeClient across certificate changes and daemon restarts', () => {
    let box: DelugeInstance;

    beforeAll(async () => {
      box = await startDeluged({ generation });
    });

    afterAll(async () => {
      await box?.daemon.stop('SIGKILL');
      await box?.stop();
    });

    it('fails without a pin with tls-untrusted carrying the fingerprint, and with a wrong pin', async () => {
      const untrusted = await rejectionOf(clientFor(box, { pin: null }).connect());
      expect(untrusted.code).toBe('tls-untrusted');
      expect(String(untrusted.details['presented']).replaceAll(':', '').toLowerCase()).toBe(box.certificateSha256);
      const wrong = await rejectionOf(clientFor(box, { pin: '0'.repeat(64) }).connect());
      expect(wrong.code).toBe('tls-pin-mismatch');
    });

    it('fails promptly when the daemon dies during a call, and reconnects to the restarted daemon on the next call', async () => {
      const survivor = clientFor(box);
      const events: ClientEvent[] = [];
      survivor.subscribe((event) => events.push(event));
      await survivor.connect();
      box.daemon.child.kill('SIGSTOP');
      const pending = survivor.list();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      box.daemon.child.kill('SIGKILL');
      const lost = await rejectionOf(pending);
      expect(lost.code).toBe('connection-lost');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(events).toContainEqual(expect.objectContaining({ type: 'disconnected' }));
      expect((await rejectionOf(survivor.list())).code).toBe('connection-refused');

      box.daemon = await restartDeluged(box);
      expect(await survivor.list()).toEqual([]);
      // The event interest came back with the new connection.
      const made = makeTorrent({ dataParent: box.dir, name: 'after restart', files: [{ path: '', content: 'x' }], writeData: false });
      const id = await survivor.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await waitFor('torrent-added after the reconnect', () => events.some((event) => event.type === 'torrent-added' && event.id === id));
    });

    it('refuses a changed certificate under the old pin and accepts the new pin', async () => {
      await box.daemon.stop();
      const certificate = makeSelfSignedCertificate(box.dir, 'replacement');
      execFileSync('cp', [certificate.certFile, join(box.dir, 'ssl', 'daemon.cert')]);
      execFileSync('cp', [certificate.keyFile, join(box.dir, 'ssl', 'daemon.pkey')]);
      rmSync(certificate.certFile);
      box.daemon = await restartDeluged(box);
      const changed = await rejectionOf(clientFor(box).connect());
      expect(changed.code).toBe('tls-pin-mismatch');
      expect(String(changed.details['presented']).replaceAll(':', '').toLowerCase()).toBe(certificate.sha256);
      expect((await clientFor(box, { pin: certificate.sha256 }).connect()).version).toBe(release.version);
    });
  });
});
