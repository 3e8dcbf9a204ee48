import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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
    it('connects with the pinned certificate and reports what Deluge can do', async () => {
      const info = await client.connect();
      expect(info).toEqual({
        kind: 'deluge',
        version: release.version,
        protocol: 'rencode',
        capabilities: {
          labels: true,
          multipleLabels: false,
          queue: true,
          deleteData: true,
          moveStorage: true,
          alternativeSpeed: false,
          pushEvents: true,
          freeSpace: true,
          perTorrentSpeedLimits: true,
          filePriorities: ['skip', 'low', 'normal', 'high'],
          addFromUrl: true,
        },
      });
    });

    it('adds a .torrent with save path, paused, file priorities and a new label, and reads it all back', async () => {
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

      // (total_wanted counts skipped files too until libtorrent has checked a paused torrent once.)
      const raw = await status(deluge, id, ['name', 'save_path', 'paused', 'state', 'file_priorities', 'label']);
      expect(raw).toEqual({ name: 'ünïcode 日本 pack', save_path: data, paused: true, state: 'Paused', file_priorities: [7, 0, 1], label: 'tv-shows' });
      expect(await delugePyCall(deluge, 'label.get_labels')).toContain('tv-shows');

      const torrent = await find(client, id);
      expect(torrent).toMatchObject({ name: 'ünïcode 日本 pack', state: 'paused', savePath: data, labels: ['tv-shows'], progress: 0, trackerHosts: ['127.0.0.1'] });
      expect(torrent!.addedAt).toBeGreaterThan(Date.now() / 1000 - 600);

      const details = await client.details(id.toUpperCase());
      expect(details.torrent).toEqual(torrent);
      expect(details.files).toEqual([
        { index: 0, path: 'a.bin', sizeBytes: 40_000, doneBytes: 0, priority: 'high' },
        { index: 1, path: 'sub/b.bin', sizeBytes: 20_000, doneBytes: 0, priority: 'skip' },
        { index: 2, path: 'c.txt', sizeBytes: 3, doneBytes: 0, priority: 'low' },
      ]);
      expect(details.trackers).toEqual([{ url: 'http://127.0.0.1:9/announce', tier: 0, status: 'not-contacted', seeders: -1, leechers: -1, message: '' }]);
      expect(details.peers).toEqual([]);

      const again = await rejectionOf(client.add({ kind: 'file', bytes: made.bytes }));
      expect(again.code).toBe('already-exists');
    });

    it('adds a magnet, which reads as "metadata" until it has its info, and a paused one', async () => {
      const hash = 'ab'.repeat(20);
      const id = await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${hash.toUpperCase()}&dn=m%C3%A4gnet&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce` });
      expect(id).toBe(hash);
      expect(await status(deluge, id, ['num_pieces', 'state', 'name'])).toEqual({ num_pieces: 0, state: 'Downloading', name: 'mägnet' });
      expect(await find(client, id)).toMatchObject({ state: 'metadata', sizeBytes: 0, progress: 0, name: 'mägnet' });
      expect((await client.details(id)).files).toEqual([]);

      const paused = await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'cd'.repeat(20)}&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce` }, { paused: true });
      expect(await find(client, paused)).toMatchObject({ state: 'paused' });
      await client.remove([id, paused], { deleteData: false });
    });

    it('adds from a URL the daemon downloads itself', async () => {
      const made = makeTorrent({ dataParent: data, name: 'from url', files: [{ path: '', content: filler('url', 5000) }] });
      const server: Server = createServer((request, response) => {
        // Deluge 2.0.3's downloader fails on an answer without Content-Type.
        if (request.url === '/t.torrent') response.writeHead(200, { 'content-type': 'application/x-bittorrent' }).end(Buffer.from(made.bytes));
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const id = await client.add({ kind: 'url', url: `http://127.0.0.1:${port}/t.torrent` }, { savePath: data, paused: true, labels: ['tv-shows'] });
        expect(id).toBe(made.infoHash);
        expect(await status(deluge, id, ['name', 'save_path', 'label'])).toEqual({ name: 'from url', save_path: data, label: 'tv-shows' });
        const missing = await rejectionOf(client.add({ kind: 'url', url: `http://127.0.0.1:${port}/nothing.torrent` }));
        expect(missing.code).toBe('rpc-fault');
        expect(missing.message).not.toMatch(/Traceback|\.py/);
      } finally {
        server.close();
      }
    });

    it('rechecks, starts, reannounces and stops, as the daemon confirms', async () => {
      const made = makeTorrent({ dataParent: data, name: 'ops', files: [{ path: '', content: filler('ops', 50_000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true });
      await client.recheck([id]);
      await waitFor('the recheck to finish', () => checkedAndPaused(deluge, id));
      expect(await find(client, id)).toMatchObject({ state: 'paused', progress: 1, doneBytes: 50_000, sizeBytes: 50_000 });

      await startUntilSeeding(client, deluge, id);
      expect(await find(client, id)).toMatchObject({ state: 'seeding', progress: 1, etaSeconds: null });
      await client.reannounce([id]);
      await waitFor('an announce', async () => (await status(deluge, id, ['tracker_status']))['tracker_status'] !== '');

      await client.stop([id]);
      await waitFor('paused', async () => (await status(deluge, id, ['state']))['state'] === 'Paused');
      expect((await find(client, id))!.state).toBe('paused');
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

    it('names unknown ids and changes nothing when any id is unknown', async () => {
      const made = makeTorrent({ dataParent: data, name: 'guarded', files: [{ path: '', content: filler('g', 1000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true });
      const unknown = 'f'.repeat(40);
      for (const action of [
        () => client.start([id, unknown]),
        () => client.remove([id, unknown], { deleteData: true }),
        () => client.move([id, unknown], join(data, 'elsewhere')),
        () => client.setTorrentSpeedLimits([id, unknown], { downBytesPerSecond: 1024, upBytesPerSecond: 1024 }),
        () => client.moveInQueue([unknown, id], 'top'),
        () => client.setLabels([id, unknown], ['x']),
      ]) {
        const error = await rejectionOf(action());
        expect(error.code).toBe('not-found');
        expect(error.message).toContain(unknown);
        expect(error.message).not.toContain(id);
      }
      expect(await status(deluge, id, ['state', 'save_path', 'max_download_speed', 'label'])).toEqual({ state: 'Paused', save_path: data, max_download_speed: -1, label: '' });
      expect(existsSync(join(data, 'guarded'))).toBe(true);
      expect((await rejectionOf(client.details(unknown))).code).toBe('not-found');
      expect((await rejectionOf(client.setFilePriority(unknown, [0], 'high'))).code).toBe('not-found');
      expect((await rejectionOf(client.start(['xyz']))).code).toBe('invalid-argument');
      expect((await rejectionOf(client.start([]))).code).toBe('invalid-argument');
    });

    it('removes with data, deleting only that torrent’s files, and without data, keeping them', async () => {
      const folder = join(data, 'neighbours');
      mkdirSync(folder);
      writeFileSync(join(folder, 'unrelated.txt'), 'keep me');
      const gone = makeTorrent({ dataParent: folder, name: 'gone', files: [{ path: 'x.bin', content: filler('x', 3000) }, { path: 'd/y.bin', content: filler('y', 10) }] });
      const neighbour = makeTorrent({ dataParent: folder, name: 'neighbour', files: [{ path: 'z.bin', content: filler('z', 3000) }] });
      const kept = makeTorrent({ dataParent: folder, name: 'kept.bin', files: [{ path: '', content: filler('k', 3000) }] });
      const ids: string[] = [];
      for (const made of [gone, neighbour, kept]) ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: folder, paused: true }));
      await client.recheck(ids);
      await waitFor('the rechecks', async () => (await Promise.all(ids.map((id) => status(deluge, id, ['progress'])))).every((row) => row['progress'] === 100));

      await client.remove([gone.infoHash], { deleteData: true });
      await waitFor('the data to go', () => !existsSync(join(folder, 'gone')));
      await client.remove([kept.infoHash], { deleteData: false });
      expect(readdirSync(folder).sort()).toEqual(['kept.bin', 'neighbour', 'unrelated.txt']);
      expect(readdirSync(join(folder, 'neighbour'))).toEqual(['z.bin']);
      const left = (await delugePyCall(deluge, 'core.get_torrents_status', [{ id: ids }, ['name']])) as Record<string, unknown>;
      expect(Object.keys(left)).toEqual([neighbour.infoHash]);
      expect((await client.list()).map((torrent) => torrent.id)).not.toContain(gone.infoHash);
    });

    it('moves the data to another directory', async () => {
      const made = makeTorrent({ dataParent: data, name: 'mover', files: [{ path: 'm.bin', content: filler('m', 4000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true });
      await client.recheck([id]);
      await waitFor('the recheck', async () => (await status(deluge, id, ['progress']))['progress'] === 100);
      const target = join(deluge.dir, 'moved here');
      await client.move([id], target);
      await waitFor('the move', async () => (await status(deluge, id, ['save_path', 'state']))['save_path'] === target && existsSync(join(target, 'mover', 'm.bin')));
      expect(existsSync(join(data, 'mover', 'm.bin'))).toBe(false);
      expect((await find(client, id))!.savePath).toBe(target);
      expect((await rejectionOf(client.move([id], 'relative/dir'))).code).toBe('invalid-argument');
    });

    it('moves torrents in the queue', async () => {
      const ids: string[] = [];
      for (const name of ['q1', 'q2', 'q3']) {
        const made = makeTorrent({ dataParent: data, name, files: [{ path: '', content: filler(name, 100) }], writeData: false });
        ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: data, paused: true }));
      }
      const positions = async (): Promise<number[]> => {
        const rows = (await delugePyCall(deluge, 'core.get_torrents_status', [{ id: ids }, ['queue']])) as Record<string, { queue: number }>;
        return ids.map((id) => rows[id]!.queue);
      };
      const [first, second, third] = await positions();
      expect(second).toBe(first! + 1);
      // libtorrent applies queue moves asynchronously.
      const reaches = (position: number) => waitFor(`queue position ${position}`, async () => (await positions())[2] === position);
      await client.moveInQueue([ids[2]!], 'top');
      await reaches(0);
      await client.moveInQueue([ids[2]!], 'bottom');
      await reaches(third!);
      await client.moveInQueue([ids[2]!], 'up');
      await reaches(third! - 1);
      expect((await positions())[1]).toBe(third);
      await client.moveInQueue([ids[2]!], 'down');
      await reaches(third!);
      const listed = (await client.list()).find((torrent) => torrent.id === ids[2]);
      expect(listed!.queuePosition).toBe(third);
    });

    it('sets per-torrent and global speed limits in Deluge’s KiB/s', async () => {
      const made = makeTorrent({ dataParent: data, name: 'limited', files: [{ path: '', content: filler('l', 100) }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await client.setTorrentSpeedLimits([id], { downBytesPerSecond: 100_000, upBytesPerSecond: 0 });
      expect(await status(deluge, id, ['max_download_speed', 'max_upload_speed'])).toEqual({ max_download_speed: 97.65625, max_upload_speed: -1 });

      await client.setGlobalSpeedLimits({ downBytesPerSecond: 1024 * 1024, upBytesPerSecond: 256 * 1024 });
      expect(await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])).toEqual({ max_download_speed: 1024, max_upload_speed: 256 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 1024 * 1024, upBytesPerSecond: 256 * 1024 });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
      expect(await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])).toEqual({ max_download_speed: -1, max_upload_speed: -1 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
      expect((await rejectionOf(client.setGlobalSpeedLimits({ downBytesPerSecond: -5, upBytesPerSecond: 0 }))).code).toBe('invalid-argument');
    });

    it('sets file priorities as Deluge maps them (0 skip, 1 low, 4 normal, 7 high)', async () => {
      const made = makeTorrent({ dataParent: data, name: 'prio', files: [{ path: 'a', content: 'a' }, { path: 'b', content: 'b' }, { path: 'c', content: 'c' }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await client.setFilePriority(id, [1], 'high');
      await client.setFilePriority(id, [0, 2], 'skip');
      expect(await status(deluge, id, ['file_priorities'])).toEqual({ file_priorities: [0, 7, 0] });
      await client.setFilePriority(id, [2], 'low');
      expect((await client.details(id)).files.map((file) => file.priority)).toEqual(['skip', 'high', 'low']);
      const bad = await rejectionOf(client.setFilePriority(id, [3], 'normal'));
      expect(bad.code).toBe('not-found');
      expect(bad.message).toContain('has 3 file(s)');
    });

    it('labels through the Label plugin: one lowercase label, created when missing, cleared with none', async () => {
      const made = makeTorrent({ dataParent: data, name: 'labelled', files: [{ path: '', content: 'l' }], writeData: false });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      await client.setLabels([id], ['movies_4k.2024']);
      expect(await status(deluge, id, ['label'])).toEqual({ label: 'movies_4k.2024' });
      expect((await find(client, id))!.labels).toEqual(['movies_4k.2024']);

      const upper = await rejectionOf(client.setLabels([id], ['Movies']));
      expect(upper.code).toBe('invalid-argument');
      expect(upper.message).toMatch(/lowercase letters, digits.*try "movies"/);
      const two = await rejectionOf(client.setLabels([id], ['a', 'b']));
      expect(two.code).toBe('invalid-argument');
      expect(two.message).toContain('one label');
      const spaced = await rejectionOf(client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'e'.repeat(40)}` }, { labels: ['with space'] }));
      expect(spaced.code).toBe('invalid-argument');
      expect(await delugePyCall(deluge, 'core.get_torrents_status', [{ id: ['e'.repeat(40)] }, ['name']])).toEqual({});
      expect(await status(deluge, id, ['label'])).toEqual({ label: 'movies_4k.2024' });

      await client.setLabels([id], []);
      expect(await status(deluge, id, ['label'])).toEqual({ label: '' });
      expect((await find(client, id))!.labels).toEqual([]);
    });

    it('reports session totals and free space, and has no alternative speed mode', async () => {
      const stats = await client.sessionStats();
      const fs = statfsSync(deluge.downloadDir);
      const free = fs.bavail * fs.bsize;
      expect(stats.alternativeSpeedEnabled).toBeNull();
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      expect(Math.abs(stats.freeSpaceBytes! - free)).toBeLessThan(free * 0.01 + 64 * 1024 * 1024);
      expect(typeof stats.downRate).toBe('number');
      expect(typeof stats.upRate).toBe('number');
      expect((await rejectionOf(client.setAlternativeSpeed(true))).code).toBe('unsupported');
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
