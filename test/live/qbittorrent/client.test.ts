import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  /** A paused torrent whose data exists, added through our client. */
  async function addPaused(name: string, size = 20_000, extra: { labels?: string[] } = {}): Promise<string> {
    const made = makeTorrent({ dataParent: dataRoot, name, files: [{ path: '', content: filler(name, size) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true, ...extra });
    // A new torrent spends a moment in checkingResumeData first.
    await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
    return id;
  }

  describe(`qbittorrent-nox ${release.version} through the WebUI API`, () => {
    // What every client does (add, list, details, start/stop, recheck, labels, priorities,
    // limits, move, remove, queue, unknown ids) is test/live/clients/contract.test.ts; here is
    // only what is qBittorrent's own.
    it('has the stop and start endpoints the client uses for this WebAPI, and not the others', async () => {
      const unknown = { hashes: 'ab'.repeat(20) };
      for (const endpoint of release.stopStart) expect(await api.post(endpoint, unknown)).toBe('');
      for (const endpoint of release.missing) expect((await api.raw(endpoint, unknown)).status).toBe(404);
    });

    it('refuses a wrong password with auth-failed and no trace of the password', async () => {
      const error = await expectSeedboxError(newClient({ password: 'not-the-password' }).list(), 'auth-failed', /Wrong user name or password/);
      expect(JSON.stringify(error.toJSON())).not.toContain('not-the-password');
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

    it('adds a magnet with a tag, refuses one with line breaks, and finds a URL’s id by a marker tag it removes again', async () => {
      const hash = '0123456789abcdef0123456789abcdef01234567';
      const magnet = `magnet:?xt=urn:btih:${hash.toUpperCase()}&dn=${encodeURIComponent('mägnet')}&tr=${encodeURIComponent('http://127.0.0.1:9/a')}`;
      expect(await client.add({ kind: 'magnet', uri: magnet }, { paused: true, labels: ['mag'] })).toBe(hash);
      expect(await api.torrent(hash)).toMatchObject({ name: 'mägnet', tags: 'mag' });
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
        const missing = await expectSeedboxError(quick.add({ kind: 'url', url: `http://127.0.0.1:${port}/missing.torrent?passkey=secret` }), 'rpc-fault', /did not add a torrent/);
        expect(missing.message).not.toContain('secret');
        await quick.close();
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
