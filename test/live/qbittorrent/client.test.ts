import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import { expectSeedboxError } from '../../helpers/errors';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';
import { QbittorrentApi } from './support';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].qbittorrent;

  let qb: QbittorrentInstance;
  let api: QbittorrentApi;
  let client: QbittorrentClient;
  let dataRoot: string;

  function newClient(overrides: { password?: string; urlAddTimeoutMs?: number } = {}, instance = qb): QbittorrentClient {
    return new QbittorrentClient(
      { kind: 'qbittorrent', url: instance.url, username: instance.username, password: overrides.password ?? instance.password },
      overrides.urlAddTimeoutMs !== undefined ? { urlAddTimeoutMs: overrides.urlAddTimeoutMs } : {},
    );
  }

  beforeAll(async () => {
    qb = await startQbittorrent({ generation, queueing: true });
    api = new QbittorrentApi(qb);
    client = newClient();
    dataRoot = join(qb.dir, 'data');
    mkdirSync(dataRoot);
  });

  afterAll(async () => {
    await client?.close();
    await qb?.stop();
  });

  async function rawState(id: string): Promise<string> {
    return String((await api.torrent(id))?.['state']);
  }

  /** A paused torrent whose data exists, added through our client. */
  async function addPaused(name: string, size = 20_000, extra: { labels?: string[] } = {}): Promise<string> {
    const made = makeTorrent({ dataParent: dataRoot, name, files: [{ path: '', content: filler(name, size) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true, ...extra });
    // A new torrent spends a moment in checkingResumeData first.
    await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
    return id;
  }

  /** qBittorrent applies some changes (queue moves) on its next status refresh, up to a second or two later. */
  async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
    let last: T | undefined;
    await waitFor(`${JSON.stringify(expected)} (last: ${JSON.stringify(last)})`, async () => (last = await read()) === expected, 10_000);
  }

  describe(`qbittorrent-nox ${release.version} through the WebUI API`, () => {
    it('connects and reports version, WebAPI and capabilities', async () => {
      const info = await client.connect();
      expect(info).toMatchObject({ kind: 'qbittorrent', version: release.version, protocol: release.protocol });
      expect(info.capabilities).toMatchObject({ multipleLabels: true, queue: true, alternativeSpeed: true, freeSpace: true, addFromUrl: true });
      expect(info.capabilities.filePriorities).toEqual(['skip', 'normal', 'high']);
    });

    it('has the stop and start endpoints the client uses for this WebAPI, and not the others', async () => {
      const unknown = { hashes: 'ab'.repeat(20) };
      for (const endpoint of release.stopStart) expect(await api.post(endpoint, unknown)).toBe('');
      for (const endpoint of release.missing) expect((await api.raw(endpoint, unknown)).status).toBe(404);
    });

    it('refuses a wrong password with auth-failed and no trace of the password', async () => {
      const error = await expectSeedboxError(newClient({ password: 'not-the-password' }).list(), 'auth-failed', /Wrong user name or password/);
      expect(JSON.stringify(error.toJSON())).not.toContain('not-the-password');
    });

    it('adds a multi-file torrent with a non-ASCII name paused, with save path and tags, and lists it in the model', async () => {
      const made = makeTorrent({
        dataParent: dataRoot,
        name: 'Ünïcødé 名前 – set',
        files: [
          { path: 'a.bin', content: filler('a', 40_000) },
          { path: 'sub dir/b.bin', content: filler('b', 20_000) },
        ],
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes, fileName: 'set.torrent' }, {
        savePath: dataRoot,
        labels: ['Movies & more', 'ünï'],
        paused: true,
      });
      expect(id).toBe(made.infoHash);
      const torrent = (await client.list()).find((item) => item.id === id)!;
      expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrent).toMatchObject({
        name: 'Ünïcødé 名前 – set',
        progress: 0,
        sizeBytes: 60_000,
        savePath: dataRoot,
        trackerHosts: ['127.0.0.1'],
        message: '',
        etaSeconds: null,
      });
      expect([...torrent.labels].sort()).toEqual(['Movies & more', 'ünï']);
      expect(torrent.addedAt).toBeGreaterThan(Date.now() / 1000 - 600);
      await waitForTorrent(client, id, (item) => item.state === 'paused');
      const raw = (await api.torrent(id))!;
      expect(raw).toMatchObject({ name: 'Ünïcødé 名前 – set', save_path: dataRoot, state: release.stoppedDL });
      expect(String(raw['tags']).split(', ').sort()).toEqual(['Movies & more', 'ünï']);

      await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }), 'already-exists', new RegExp(id));
      await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { labels: ['a,b'] }), 'invalid-argument', /commas/);
    });

    it('rechecks a paused torrent whose data exists until it is complete, starts it seeding, stops it', async () => {
      const id = await addPaused('recheck-me.bin', 70_000);
      await client.recheck([id]);
      const checked = await waitForTorrent(client, id, (torrent) => torrent.progress === 1);
      expect(checked).toMatchObject({ state: 'paused', doneBytes: 70_000, etaSeconds: null });
      expect(await rawState(id)).toBe(release.stoppedUP);

      await client.start([id]);
      await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
      expect(['stalledUP', 'uploading']).toContain(await rawState(id));
      await client.reannounce([id]);

      await client.stop([id]);
      await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
      expect(await rawState(id)).toBe(release.stoppedUP);
    });

    it('starts added torrents unless paused', async () => {
      const made = makeTorrent({ dataParent: dataRoot, name: 'auto-start.bin', files: [{ path: '', content: filler('auto', 10_000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot });
      const torrent = await waitForTorrent(client, id, (item) => item.state === 'seeding');
      expect(torrent.progress).toBe(1);
    });

    it('replaces tags with setLabels and leaves the category alone', async () => {
      const id = await addPaused('tagged.bin', 1000, { labels: ['old', 'keep'] });
      await api.post('torrents/createCategory', { category: 'Films', savePath: '' });
      await api.post('torrents/setCategory', { hashes: id, category: 'Films' });
      await client.setLabels([id], ['keep', 'new one', 'ü']);
      const raw = (await api.torrent(id))!;
      expect(String(raw['tags']).split(', ').sort()).toEqual(['keep', 'new one', 'ü']);
      expect(raw['category']).toBe('Films');
      const listed = (await client.list()).find((torrent) => torrent.id === id)!;
      expect([...listed.labels].sort()).toEqual(['keep', 'new one', 'ü']);

      await client.setLabels([id], []);
      expect((await api.torrent(id))!['tags']).toBe('');
      expect((await client.list()).find((torrent) => torrent.id === id)!.labels).toEqual([]);
    });

    it('shows details: files with priorities, trackers without the DHT/PeX/LSD rows, peers; sets file priorities', async () => {
      const made = makeTorrent({
        dataParent: dataRoot,
        name: 'details',
        files: [
          { path: 'one.txt', content: 'x'.repeat(1000) },
          { path: 'deeper/two.txt', content: 'y'.repeat(2000) },
        ],
        trackers: ['http://127.0.0.1:9/announce', 'http://127.0.0.2:9/announce'],
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true });
      await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
      const details = await client.details(id);
      expect(details.torrent.id).toBe(id);
      expect(details.files).toEqual([
        { index: 0, path: 'one.txt', sizeBytes: 1000, doneBytes: 0, priority: 'normal' },
        { index: 1, path: 'deeper/two.txt', sizeBytes: 2000, doneBytes: 0, priority: 'normal' },
      ]);
      expect(details.trackers.map((tracker) => [tracker.url, tracker.tier])).toEqual([
        ['http://127.0.0.1:9/announce', 0],
        ['http://127.0.0.2:9/announce', 1],
      ]);
      expect(details.peers).toEqual([]);
      expect([...(await waitForTorrent(client, id, (torrent) => torrent.trackerHosts.length === 2)).trackerHosts].sort()).toEqual([
        '127.0.0.1',
        '127.0.0.2',
      ]);

      await client.setFilePriority(id, [1], 'skip');
      await client.setFilePriority(id, [0], 'high');
      const files = await api.get<{ index: number; priority: number }[]>(`torrents/files?hash=${id}`);
      expect(files.map((file) => file.priority)).toEqual([6, 0]);
      expect((await client.details(id)).files.map((file) => file.priority)).toEqual(['high', 'skip']);

      await expectSeedboxError(client.setFilePriority(id, [0], 'low'), 'unsupported', /skip, normal and high/);
      await expectSeedboxError(client.setFilePriority(id, [2], 'skip'), 'not-found', /no file 2/);
      expect((await api.get<{ priority: number }[]>(`torrents/files?hash=${id}`)).map((file) => file.priority)).toEqual([6, 0]);
    });

    it('says which ids are unknown and changes nothing', async () => {
      const id = await addPaused('known.bin', 1000);
      const unknown = 'f'.repeat(40);
      const error = await expectSeedboxError(client.start([id, unknown]), 'not-found', new RegExp(unknown));
      expect(error.message).not.toContain(id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await rawState(id)).toBe(release.stoppedDL);
      await expectSeedboxError(client.details(unknown), 'not-found');
      await expectSeedboxError(client.setLabels([unknown], ['x']), 'not-found');
      await expectSeedboxError(client.remove([id, unknown], { deleteData: true }), 'not-found');
      expect(await api.torrent(id)).toBeDefined();
      await expectSeedboxError(client.stop(['nothex']), 'invalid-argument', /not a torrent id/);
    });

    it('removes with and without data, leaving neighbours untouched', async () => {
      const folder = join(dataRoot, 'shared');
      const kept = makeTorrent({ dataParent: folder, name: 'keep-data.bin', files: [{ path: '', content: filler('k', 3000) }] });
      const gone = makeTorrent({
        dataParent: folder,
        name: 'delete-me',
        files: [
          { path: 'a.bin', content: filler('d1', 3000) },
          { path: 'inner/b.bin', content: filler('d2', 3000) },
        ],
      });
      writeFileSync(join(folder, 'neighbour.txt'), 'not a torrent');
      const keptId = await client.add({ kind: 'file', bytes: kept.bytes }, { savePath: folder, paused: true });
      const goneId = await client.add({ kind: 'file', bytes: gone.bytes }, { savePath: folder, paused: true });
      await client.recheck([keptId, goneId]);
      await waitForTorrent(client, goneId, (torrent) => torrent.progress === 1);

      await client.remove([goneId], { deleteData: true });
      await waitFor('the data of the removed torrent to go', () => !existsSync(join(folder, 'delete-me')));
      expect(await api.torrent(goneId)).toBeUndefined();
      expect(readdirSync(folder).sort()).toEqual(['keep-data.bin', 'neighbour.txt']);

      await client.remove([keptId], { deleteData: false });
      await waitFor('the torrent to go', async () => (await api.torrent(keptId)) === undefined);
      expect(readdirSync(folder).sort()).toEqual(['keep-data.bin', 'neighbour.txt']);
    });

    it('refreshes incrementally (rid): changes and removals, including ones made behind its back', async () => {
      const fresh = newClient();
      const first = await fresh.listChanges();
      expect(first.full).toBe(true);
      expect(first.removed).toEqual([]);
      expect(first.changed.sort()).toEqual(first.torrents.map((torrent) => torrent.id).sort());

      const id = await addPaused('incremental.bin', 2000);
      const other = await addPaused('incremental-2.bin', 2000);
      const afterAdd = await fresh.listChanges();
      expect(afterAdd.full).toBe(false);
      expect(afterAdd.changed).toEqual(expect.arrayContaining([id, other]));
      expect(afterAdd.torrents.map((torrent) => torrent.id)).toEqual(expect.arrayContaining([id, other]));

      await api.post('torrents/delete', { hashes: id, deleteFiles: 'false' });
      await api.post('torrents/addTags', { hashes: other, tags: 'behind-the-back' });
      await waitFor('qBittorrent to drop the torrent', async () => (await api.torrent(id)) === undefined);
      let changes = await fresh.listChanges();
      // The tag may land a refresh later than the removal.
      for (let round = 0; round < 20 && !changes.changed.includes(other); round++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const next = await fresh.listChanges();
        changes = { ...next, removed: [...changes.removed, ...next.removed], changed: [...changes.changed, ...next.changed] };
      }
      expect(changes.full).toBe(false);
      expect(changes.removed).toContain(id);
      expect(changes.changed).toContain(other);
      expect(changes.changed).not.toContain(id);
      expect(changes.torrents.some((torrent) => torrent.id === id)).toBe(false);
      expect(changes.torrents.find((torrent) => torrent.id === other)!.labels).toEqual(['behind-the-back']);
      // Nothing happened since: an empty delta, the same full list.
      const quiet = await fresh.listChanges();
      expect(quiet.removed).toEqual([]);
      expect(quiet.torrents.length).toBe(changes.torrents.length);
      await fresh.close();
    });

    it('moves a torrent’s data to another directory', async () => {
      const id = await addPaused('move-me ü.bin', 5000);
      await client.recheck([id]);
      await waitForTorrent(client, id, (torrent) => torrent.progress === 1);
      const target = join(qb.dir, 'moved ü', 'deeper');
      await client.move([id], target);
      const moved = await waitForTorrent(client, id, (torrent) => torrent.savePath === target && torrent.state === 'paused');
      expect(moved.progress).toBe(1);
      expect((await api.torrent(id))!['save_path']).toBe(target);
      await waitFor('the file to arrive', () => existsSync(join(target, 'move-me ü.bin')));
      expect(existsSync(join(dataRoot, 'move-me ü.bin'))).toBe(false);
      await expectSeedboxError(client.move([id], '  '), 'invalid-argument');
    });

    it('sets global and per-torrent limits, and the alternative speed mode', async () => {
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 1_048_576, upBytesPerSecond: 262_144 });
      const preferences = await api.get<{ dl_limit: number; up_limit: number }>('app/preferences');
      expect([preferences.dl_limit, preferences.up_limit]).toEqual([1_048_576, 262_144]);
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 1_048_576, upBytesPerSecond: 262_144 });

      await client.setAlternativeSpeed(true);
      expect(await api.text('transfer/speedLimitsMode')).toBe('1');
      await client.setAlternativeSpeed(true);
      expect(await api.text('transfer/speedLimitsMode')).toBe('1');
      expect((await client.sessionStats()).alternativeSpeedEnabled).toBe(true);
      // The regular limits are still the ones reported while the alternative ones are in force.
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 1_048_576, upBytesPerSecond: 262_144 });
      await client.setAlternativeSpeed(false);
      expect(await api.text('transfer/speedLimitsMode')).toBe('0');
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 0 });

      const id = await addPaused('limited.bin', 1000);
      await client.setTorrentSpeedLimits([id], { downBytesPerSecond: 20_480, upBytesPerSecond: 10_240 });
      expect(await api.get(`torrents/downloadLimit?hashes=${id}`)).toEqual({ [id]: 20_480 });
      expect(await api.get(`torrents/uploadLimit?hashes=${id}`)).toEqual({ [id]: 10_240 });
      await expectSeedboxError(client.setTorrentSpeedLimits([id], { downBytesPerSecond: -1, upBytesPerSecond: 0 }), 'invalid-argument');

      const stats = await client.sessionStats();
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      expect(stats.alternativeSpeedEnabled).toBe(false);
      expect(typeof stats.downRate).toBe('number');
    });

    it('moves torrents in the download queue', async () => {
      const ids: string[] = [];
      for (const name of ['queue-a', 'queue-b', 'queue-c']) {
        const made = makeTorrent({ dataParent: dataRoot, name, files: [{ path: '', content: filler(name, 1000) }], writeData: false });
        ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: join(dataRoot, 'nowhere'), paused: true }));
      }
      const position = async (id: string): Promise<number> => Number((await api.torrent(id))!['priority']);
      const [a, b, c] = ids as [string, string, string];
      expect((await position(b)) - (await position(a))).toBe(1);

      await client.moveInQueue([c], 'top');
      await eventually(() => position(c), 1);
      await client.moveInQueue([c], 'down');
      await eventually(() => position(c), 2);
      await client.moveInQueue([c], 'up');
      await eventually(() => position(c), 1);
      await client.moveInQueue([c], 'bottom');
      await eventually(async () => (await position(c)) > (await position(b)), true);
      const listed = await waitForTorrent(client, c, (torrent) => torrent.queuePosition !== 1);
      expect(listed.queuePosition).toBe(await position(c));
    });

    it('adds magnets and URLs; a URL’s id is found after qBittorrent has downloaded it', async () => {
      const hash = '0123456789abcdef0123456789abcdef01234567';
      const magnet = `magnet:?xt=urn:btih:${hash.toUpperCase()}&dn=${encodeURIComponent('mägnet')}&tr=${encodeURIComponent('http://127.0.0.1:9/a')}`;
      expect(await client.add({ kind: 'magnet', uri: magnet }, { paused: true, labels: ['mag'] })).toBe(hash);
      expect(await api.torrent(hash)).toMatchObject({ name: 'mägnet', tags: 'mag' });
      await expectSeedboxError(client.add({ kind: 'magnet', uri: magnet }), 'already-exists');
      await expectSeedboxError(client.add({ kind: 'magnet', uri: 'magnet:?dn=nohash' }), 'invalid-torrent');
      await expectSeedboxError(client.add({ kind: 'magnet', uri: `${magnet}\nhttp://127.0.0.1:9/other.torrent` }), 'invalid-argument', /line breaks/);

      const made = makeTorrent({ dataParent: dataRoot, name: 'from-url.bin', files: [{ path: '', content: filler('url', 4000) }] });
      const server: Server = createServer((req, res) => {
        if (req.url === '/file.torrent') {
          res.writeHead(200, { 'Content-Type': 'application/x-bittorrent' });
          res.end(Buffer.from(made.bytes));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        const id = await client.add({ kind: 'url', url: `http://127.0.0.1:${port}/file.torrent` }, { savePath: dataRoot, paused: true, labels: ['web'] });
        expect(id).toBe(made.infoHash);
        expect((await api.torrent(id))!['tags']).toBe('web');
        expect((await client.list()).find((torrent) => torrent.id === id)!.labels).toEqual(['web']);
        expect((await api.get<string[]>('torrents/tags')).filter((tag) => tag.startsWith('seedbox-add-'))).toEqual([]);

        const quick = newClient({ urlAddTimeoutMs: 1500 });
        await expectSeedboxError(quick.add({ kind: 'url', url: `http://127.0.0.1:${port}/missing.torrent?passkey=secret` }), 'rpc-fault', /did not add a torrent/);
        await quick.close();
        await expectSeedboxError(client.add({ kind: 'url', url: 'ftp://example.invalid/x.torrent' }), 'invalid-argument');
        expect((await api.get<string[]>('torrents/tags')).filter((tag) => tag.startsWith('seedbox-add-'))).toEqual([]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('logs in again when its session is gone: after a logout behind its back and after a daemon restart', async () => {
      const id = await addPaused('survivor.bin', 1000);
      const own = newClient();
      expect((await own.list()).some((torrent) => torrent.id === id)).toBe(true);
      // Log the client's own session out, as a session timeout would.
      const cookie = (own as unknown as { cookie: string }).cookie;
      expect((await api.raw('auth/logout', {}, cookie)).status).toBe(200);
      expect((await api.raw('app/version', undefined, cookie)).status).toBe(403);
      expect((await own.list()).some((torrent) => torrent.id === id)).toBe(true);

      await qb.restart();
      const afterRestart = await own.listChanges();
      expect(afterRestart.full).toBe(true);
      expect(afterRestart.torrents.some((torrent) => torrent.id === id)).toBe(true);
      await own.stop([id]);
      await own.close();
    });
  });

  describe('qBittorrent’s ban after failed logins', () => {
    let banning: QbittorrentInstance;

    beforeAll(async () => {
      banning = await startQbittorrent({ generation, maxAuthFailures: 2 });
    });

    afterAll(async () => {
      await banning?.stop();
    });

    it('says the address is banned (forbidden), not that the password is wrong', async () => {
      const wrong = newClient({ password: 'wrong' }, banning);
      await expectSeedboxError(wrong.connect(), 'auth-failed');
      await expectSeedboxError(wrong.connect(), 'auth-failed');
      await expectSeedboxError(wrong.connect(), 'forbidden', /banned this IP address for too many failed logins/);
      // Even the right password is refused now.
      await expectSeedboxError(newClient({}, banning).connect(), 'forbidden', /banned/);
    });
  });
});
