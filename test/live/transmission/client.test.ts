import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { TransmissionClient } from '../../../electron/core/clients/transmission/client';
import { connectDirect } from '../../../electron/core/transports/connect';
import type { Connector } from '../../../electron/core/transports/types';
import { expectSeedboxError } from '../../helpers/errors';
import { postRaw, startTransmission, transmissionRpc, transmissionTorrent, type TransmissionInstance } from '../../helpers/transmission';
import { filler, makeTorrent } from '../../helpers/torrents';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { waitForTorrent } from '../rtorrent/support';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].transmission;

  let tr: TransmissionInstance;
  let client: TransmissionClient;
  let dataRoot: string;
  let connections = 0;

  /** Counts connections, so the tests can see the session-id handshake's extra request. */
  const countingConnector: Connector = (endpoint, signal) => {
    connections++;
    return connectDirect(endpoint, signal);
  };

  beforeAll(async () => {
    tr = await startTransmission({ generation });
    client = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password, connector: countingConnector });
    dataRoot = join(tr.dir, 'data');
    mkdirSync(dataRoot);
  });

  afterAll(async () => {
    await tr?.stop();
  });

  async function rawStatus(hash: string): Promise<number> {
    return Number((await transmissionTorrent(tr, hash, ['status']))!['status']);
  }

  /** Adds a torrent whose data exists, and waits until Transmission has verified it. */
  async function addComplete(parent: string, name: string, content: Buffer, options: { paused?: boolean } = {}): Promise<string> {
    const made = makeTorrent({ dataParent: parent, name, files: [{ path: '', content }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: options.paused ?? false });
    await waitForTorrent(client, id, (torrent) => torrent.progress === 1 && torrent.state !== 'checking');
    return id;
  }

  describe(`transmission-daemon ${release.version} over HTTP with basic auth`, () => {
    it('does the session-id handshake once and reports version, dialect and capabilities', async () => {
      // Without the header the daemon answers 409 with the id to use.
      const auth = `Basic ${Buffer.from(`${tr.username}:${tr.password}`).toString('base64')}`;
      const bare = await postRaw(tr, JSON.stringify({ method: 'session-get' }), { Authorization: auth });
      expect(bare.status).toBe(409);
      expect(bare.headers['x-transmission-session-id']).toMatch(/^\w{20,}$/);

      connections = 0;
      const info = await client.connect();
      // The JSON-RPC probe (409, then again with the id: refused), then the legacy session-get.
      expect(connections).toBe(3);
      expect(info).toMatchObject({ kind: 'transmission', version: release.version, protocol: release.protocol });
      expect(info.capabilities).toEqual({
        labels: true,
        multipleLabels: true,
        queue: true,
        deleteData: true,
        moveStorage: true,
        alternativeSpeed: true,
        pushEvents: false,
        freeSpace: true,
        perTorrentSpeedLimits: true,
        filePriorities: ['skip', 'low', 'normal', 'high'],
        addFromUrl: true,
      });
      connections = 0;
      await client.list();
      expect(connections).toBe(1); // the id is remembered
    });

    it('probes the JSON-RPC 2.0 form once, and speaks the form and names the daemon accepts', async () => {
      // What the daemon itself says to the current spec's form (the probe).
      const auth = `Basic ${Buffer.from(`${tr.username}:${tr.password}`).toString('base64')}`;
      const probe = JSON.stringify({ jsonrpc: '2.0', method: 'session_get', params: { fields: ['version'] }, id: 1 });
      const first = await postRaw(tr, probe, { Authorization: auth });
      const answer = await postRaw(tr, probe, { Authorization: auth, 'X-Transmission-Session-Id': String(first.headers['x-transmission-session-id']) });
      expect(JSON.parse(answer.body)).toEqual(release.jsonRpcAnswer);

      const fresh = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password, connector: countingConnector });
      expect((await fresh.connect()).protocol).toBe(release.protocol);
      connections = 0;
      await fresh.list();
      await fresh.list();
      expect(connections).toBe(2); // probed once per connection: one torrent-get each, no probe
    });

    it('refuses a wrong password and missing credentials with auth-failed, never echoing the password', async () => {
      const wrong = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: 'not it' });
      const error = await expectSeedboxError(wrong.connect(), 'auth-failed', /Wrong user name or password/);
      expect(error.message).not.toContain('not it');
      const anonymous = new TransmissionClient({ kind: 'transmission', url: `http://127.0.0.1:${tr.port}` });
      await expectSeedboxError(anonymous.connect(), 'auth-failed', /requires credentials/);
      // The URL's user info works too, and an empty path means /transmission/rpc.
      const inUrl = new TransmissionClient({
        kind: 'transmission',
        url: `http://${encodeURIComponent(tr.username)}:${encodeURIComponent(tr.password)}@127.0.0.1:${tr.port}`,
      });
      expect((await inUrl.connect()).version).toBe(release.version);
    });

    it('adds a multi-file torrent with a non-ASCII name paused, with path and labels, then verifies its data until it seeds', async () => {
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
        labels: ['Movies 2024', 'ünï'],
        paused: true,
      });
      expect(id).toBe(made.infoHash);
      const listed = (await client.list()).find((item) => item.id === id)!;
      expect(Object.keys(listed).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(listed).toMatchObject({ name: 'Ünïcødé 名前 – set', sizeBytes: 60_000, savePath: dataRoot, labels: ['Movies 2024', 'ünï'], trackerHosts: ['127.0.0.1'] });
      expect(listed.addedAt).toBeGreaterThan(Date.now() / 1000 - 60);
      const raw = (await transmissionTorrent(tr, id, ['name', 'labels', 'downloadDir', 'status']))!;
      expect(raw).toMatchObject({ name: 'Ünïcødé 名前 – set', labels: ['Movies 2024', 'ünï'], downloadDir: dataRoot });
      // Paused: stopped, or checking the data it found on adding, never transferring.
      expect([0, 1, 2]).toContain(raw['status']);

      await client.recheck([id]);
      const checked = await waitForTorrent(client, id, (torrent) => torrent.progress === 1 && torrent.state === 'paused');
      expect(checked.doneBytes).toBe(60_000);
      expect(await rawStatus(id)).toBe(0);

      await client.start([id]);
      const seeding = await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
      expect(seeding.progress).toBe(1);
      expect(await rawStatus(id)).toBe(6);
      await client.reannounce([id]);

      await client.stop([id]);
      await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
      expect(await rawStatus(id)).toBe(0);
      await client.startNow([id]);
      await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
    });

    it('shows details and sets file priorities, low and skip included', async () => {
      const made = makeTorrent({
        dataParent: dataRoot,
        name: 'details',
        files: [
          { path: 'one.txt', content: 'x'.repeat(1000) },
          { path: 'deeper/two.txt', content: 'y'.repeat(2000) },
          { path: 'three.txt', content: 'z'.repeat(3000) },
        ],
        trackers: ['http://127.0.0.1:9/announce', 'http://127.0.0.2:9/announce'],
        writeData: false,
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true });
      const details = await client.details(id);
      expect(details.torrent.id).toBe(id);
      expect(details.files).toEqual([
        { index: 0, path: 'one.txt', sizeBytes: 1000, doneBytes: 0, priority: 'normal' },
        { index: 1, path: 'deeper/two.txt', sizeBytes: 2000, doneBytes: 0, priority: 'normal' },
        { index: 2, path: 'three.txt', sizeBytes: 3000, doneBytes: 0, priority: 'normal' },
      ]);
      expect(details.trackers.map((tracker) => [tracker.url, tracker.tier])).toEqual([
        ['http://127.0.0.1:9/announce', 0],
        ['http://127.0.0.2:9/announce', 1],
      ]);
      expect(details.torrent.trackerHosts).toEqual(['127.0.0.1', '127.0.0.2']);
      expect(details.peers).toEqual([]);

      await client.setFilePriority(id, [1], 'skip');
      await client.setFilePriority(id, [0], 'high');
      await client.setFilePriority(id, [2], 'low');
      const raw = (await transmissionTorrent(tr, id, ['wanted', 'priorities']))!;
      expect(raw['wanted']).toEqual([1, 0, 1]);
      expect(raw['priorities']).toEqual([1, 0, -1]);
      expect((await client.details(id)).files.map((file) => file.priority)).toEqual(['high', 'skip', 'low']);
      // Wanted again, at normal priority.
      await client.setFilePriority(id, [1], 'normal');
      expect((await transmissionTorrent(tr, id, ['wanted']))!['wanted']).toEqual([1, 1, 1]);
      await expectSeedboxError(client.setFilePriority(id, [7], 'normal'), 'not-found', /no file 7/);
      await expectSeedboxError(client.setFilePriority(id, [], 'normal'), 'invalid-argument');
    });

    it('adds only the wanted files when told', async () => {
      const made = makeTorrent({
        dataParent: dataRoot,
        name: 'partial',
        files: [{ path: 'keep.bin', content: filler('k1', 100) }, { path: 'skip.bin', content: filler('k2', 100) }],
        writeData: false,
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true, skipFiles: [1] });
      expect((await transmissionTorrent(tr, id, ['wanted']))!['wanted']).toEqual([1, 0]);
    });

    it('adds a magnet link, which waits for metadata, and a torrent from a URL', async () => {
      const hash = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
      const magnetId = await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${hash}&dn=wanted&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce` });
      expect(magnetId).toBe(hash);
      const torrent = await waitForTorrent(client, magnetId, (item) => item.state === 'metadata');
      expect(torrent.sizeBytes).toBe(0);
      expect((await transmissionTorrent(tr, hash, ['metadataPercentComplete']))!['metadataPercentComplete']).toBe(0);
      await client.remove([magnetId], { deleteData: false });

      const made = makeTorrent({ dataParent: dataRoot, name: 'from url', files: [{ path: '', content: filler('u', 5000) }] });
      const server: Server = createServer((req, res) => {
        if (req.url === '/file.torrent') res.end(Buffer.from(made.bytes));
        else res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as { port: number }).port;
        const id = await client.add({ kind: 'url', url: `http://127.0.0.1:${port}/file.torrent` }, { savePath: dataRoot, paused: true });
        expect(id).toBe(made.infoHash);
        expect((await transmissionTorrent(tr, id, ['name']))!['name']).toBe('from url');
        await expectSeedboxError(client.add({ kind: 'url', url: `http://127.0.0.1:${port}/missing.torrent` }), 'rpc-fault', /404/);
      } finally {
        server.close();
      }
      await expectSeedboxError(client.add({ kind: 'url', url: 'ftp://example/file.torrent' }), 'invalid-argument');
    });

    it('refuses what is not a torrent, duplicates and unknown ids with typed errors, changing nothing', async () => {
      const before = (await client.list()).length;
      await expectSeedboxError(client.add({ kind: 'file', bytes: new TextEncoder().encode('<html>not a torrent</html>'), fileName: 'page.torrent' }), 'invalid-torrent', /page\.torrent/);
      await expectSeedboxError(client.add({ kind: 'magnet', uri: 'magnet:?dn=nothing' }), 'invalid-torrent');
      const made = makeTorrent({ dataParent: dataRoot, name: 'twice.bin', files: [{ path: '', content: 'twice' }] });
      await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      const duplicate = await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { paused: true }), 'already-exists');
      expect(duplicate.message).toContain(made.infoHash);

      const seeding = (await client.list()).find((torrent) => torrent.state === 'seeding')!;
      const unknown = 'f'.repeat(40);
      const error = await expectSeedboxError(client.stop([seeding.id, unknown]), 'not-found');
      expect(error.message).toContain(unknown);
      expect(error.message).not.toContain(seeding.id);
      expect(await rawStatus(seeding.id)).toBe(6);
      await expectSeedboxError(client.details(unknown), 'not-found');
      await expectSeedboxError(client.remove([unknown], { deleteData: true }), 'not-found');
      await expectSeedboxError(client.setLabels([unknown], ['x']), 'not-found');
      await expectSeedboxError(client.moveInQueue([unknown], 'top'), 'not-found');
      await expectSeedboxError(client.start(['not-a-hash']), 'invalid-argument');
      await expectSeedboxError(client.move([seeding.id], 'relative/path'), 'invalid-argument');
      expect((await client.list()).length).toBe(before + 1);
    });

    it('sets several labels, clears them, and refuses labels Transmission cannot store', async () => {
      const [first] = await client.list();
      await client.setLabels([first!.id], ['tv shows', 'ünï', 'HD']);
      expect((await transmissionTorrent(tr, first!.id, ['labels']))!['labels']).toEqual(['tv shows', 'ünï', 'HD']);
      expect((await client.list()).find((item) => item.id === first!.id)!.labels).toEqual(['tv shows', 'ünï', 'HD']);
      await expectSeedboxError(client.setLabels([first!.id], ['a,b']), 'invalid-argument', /comma/);
      await client.setLabels([first!.id], []);
      expect((await transmissionTorrent(tr, first!.id, ['labels']))!['labels']).toEqual([]);
    });

    it('sets global and per-torrent limits, the alternative speed, and reports session stats', async () => {
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 2_000_000, upBytesPerSecond: 500_000 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 2_000_000, upBytesPerSecond: 500_000 });
      const session = await transmissionRpc(tr, 'session-get', {});
      expect(session).toMatchObject({ 'speed-limit-down': 2000, 'speed-limit-down-enabled': true, 'speed-limit-up': 500, 'speed-limit-up-enabled': true });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 1500 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 2000 });
      expect(await transmissionRpc(tr, 'session-get', {})).toMatchObject({ 'speed-limit-down-enabled': false, 'speed-limit-up': 2, 'speed-limit-up-enabled': true });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
      await expectSeedboxError(client.setGlobalSpeedLimits({ downBytesPerSecond: -1, upBytesPerSecond: 0 }), 'invalid-argument');

      const [first] = await client.list();
      await client.setTorrentSpeedLimits([first!.id], { downBytesPerSecond: 100_000, upBytesPerSecond: 50_000 });
      expect(await transmissionTorrent(tr, first!.id, ['downloadLimit', 'downloadLimited', 'uploadLimit', 'uploadLimited'])).toEqual({
        downloadLimit: 100,
        downloadLimited: true,
        uploadLimit: 50,
        uploadLimited: true,
      });
      await client.setTorrentSpeedLimits([first!.id], { downBytesPerSecond: 0, upBytesPerSecond: 0 });
      expect(await transmissionTorrent(tr, first!.id, ['downloadLimited', 'uploadLimited'])).toEqual({ downloadLimited: false, uploadLimited: false });

      await client.setAlternativeSpeed(true);
      expect((await transmissionRpc(tr, 'session-get', {}))['alt-speed-enabled']).toBe(true);
      const stats = await client.sessionStats();
      expect(stats.alternativeSpeedEnabled).toBe(true);
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      const free = await transmissionRpc(tr, 'free-space', { path: tr.downloadDir });
      // Other tests write files meanwhile: the same order of magnitude is what can be asserted.
      expect(Math.abs(stats.freeSpaceBytes! - Number(free['size-bytes']))).toBeLessThan(100 * 1024 * 1024);
      expect(typeof stats.downRate).toBe('number');
      await client.setAlternativeSpeed(false);
      expect((await client.sessionStats()).alternativeSpeedEnabled).toBe(false);
      expect((await transmissionRpc(tr, 'session-get', {}))['alt-speed-enabled']).toBe(false);
    });

    it('moves torrents in the queue', async () => {
      const all = await client.list();
      const byPosition = async (): Promise<string[]> => {
        const answer = await transmissionRpc(tr, 'torrent-get', { fields: ['hashString', 'queuePosition'] });
        return (answer['torrents'] as { hashString: string; queuePosition: number }[])
          .sort((a, b) => a.queuePosition - b.queuePosition)
          .map((torrent) => torrent.hashString);
      };
      const order = await byPosition();
      expect(order.length).toBe(all.length);
      const last = order.at(-1)!;
      await client.moveInQueue([last], 'top');
      expect((await byPosition())[0]).toBe(last);
      await client.moveInQueue([last], 'down');
      expect((await byPosition())[1]).toBe(last);
      await client.moveInQueue([last], 'up');
      expect((await byPosition())[0]).toBe(last);
      await client.moveInQueue([last], 'bottom');
      expect((await byPosition()).at(-1)).toBe(last);
      expect((await client.list()).find((torrent) => torrent.id === last)!.queuePosition).toBe(order.length - 1);
    });

    it('removes a torrent and keeps its data, or removes it with its data and leaves neighbours alone', async () => {
      const parent = join(dataRoot, 'removal');
      mkdirSync(parent);
      const keep = makeTorrent({ dataParent: parent, name: 'keep me', files: [{ path: 'k.bin', content: filler('k', 5000) }] });
      const gone = makeTorrent({
        dataParent: parent,
        name: 'delete me ünï',
        files: [
          { path: 'x.bin', content: filler('x', 5000) },
          { path: 'nested/deep/y.bin', content: filler('y', 5000) },
        ],
      });
      const single = makeTorrent({ dataParent: parent, name: 'single file.bin', files: [{ path: '', content: filler('s1', 3000) }] });
      writeFileSync(join(parent, 'neighbour.txt'), 'not part of any torrent');
      const ids: string[] = [];
      for (const made of [keep, gone, single]) ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent }));
      for (const id of ids) await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');

      await client.remove([ids[0]!], { deleteData: false });
      expect(existsSync(join(parent, 'keep me', 'k.bin'))).toBe(true);

      await client.remove([ids[1]!, ids[2]!], { deleteData: true });
      await waitFor('the data to be deleted', () => !existsSync(join(parent, 'delete me ünï')) && !existsSync(join(parent, 'single file.bin')));
      expect(readdirSync(parent).sort()).toEqual(['keep me', 'neighbour.txt']);
      for (const id of ids) expect(await transmissionTorrent(tr, id, ['id'])).toBeUndefined();
      const listed = (await client.list()).map((torrent) => torrent.id);
      for (const id of ids) expect(listed).not.toContain(id);
    });

    it('refreshes incrementally and reports removals made elsewhere', async () => {
      const watcher = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password });
      const full = await watcher.listChanges();
      expect(full.changed.length).toBe((await client.list()).length);
      expect(full.removed).toEqual([]);
      // Nothing happened: the recently-active refresh brings (almost) nothing.
      const quiet = await watcher.listChanges();
      expect(quiet.removed).toEqual([]);
      expect(quiet.changed.length).toBeLessThan(full.changed.length);

      const id = await addComplete(dataRoot, 'short lived', filler('sl', 2000), { paused: true });
      const added = await watcher.listChanges();
      expect(added.changed.map((torrent) => torrent.id)).toContain(id);
      // Removed by someone else, through the daemon directly.
      await transmissionRpc(tr, 'torrent-remove', { ids: [id] });
      await waitFor('the daemon to drop it', async () => (await transmissionTorrent(tr, id, ['id'])) === undefined);
      const after = await watcher.listChanges();
      expect(after.removed).toEqual([id]);
      expect((await watcher.list()).map((torrent) => torrent.id)).not.toContain(id);
    });

    it('moves a torrent’s data with set-location and keeps it seeding', async () => {
      const from = join(dataRoot, 'move-from');
      const to = join(dataRoot, 'move to ü');
      mkdirSync(from);
      const made = makeTorrent({ dataParent: from, name: 'movable', files: [{ path: 'm.bin', content: filler('m', 9000) }] });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: from });
      await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
      await client.move([id], to);
      await waitFor('the data to move', () => existsSync(join(to, 'movable', 'm.bin')) && !existsSync(join(from, 'movable')));
      expect((await transmissionTorrent(tr, id, ['downloadDir']))!['downloadDir']).toBe(to);
      const moved = await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding' && torrent.savePath === to);
      expect(moved.progress).toBe(1);
    });
  });

  describe(`transmission-daemon ${release.version} refusing the host name or the address`, () => {
    let open: TransmissionInstance;
    let fenced: TransmissionInstance;

    beforeAll(async () => {
      // The host whitelist applies only without password authentication (3.00's rpc-server.c).
      open = await startTransmission({ generation, authentication: false, hostWhitelist: 'allowed.example' });
      fenced = await startTransmission({ generation, ipWhitelist: '192.0.2.1' });
    });

    afterAll(async () => {
      await open?.stop();
      await fenced?.stop();
    });

    /** Dials 127.0.0.1 whatever the URL's host name says: no DNS needed for the Host header. */
    const loopback: Connector = (endpoint, signal) =>
      connectDirect(endpoint.kind === 'tcp' ? { ...endpoint, host: '127.0.0.1' } : endpoint, signal);

    it('explains a host name that is not in rpc-host-whitelist (HTTP 421)', async () => {
      const raw = await postRaw(open, JSON.stringify({ method: 'session-get' }), { Host: `seedbox.invalid:${open.port}` });
      expect(raw.status).toBe(421);
      const refused = new TransmissionClient({ kind: 'transmission', url: `http://seedbox.invalid:${open.port}/transmission/rpc`, connector: loopback });
      const error = await expectSeedboxError(refused.connect(), 'forbidden', /rpc-host-whitelist/);
      expect(error.message).toContain('"seedbox.invalid"');
      expect(error.message).toMatch(/IP address/);
      const allowed = new TransmissionClient({ kind: 'transmission', url: `http://allowed.example:${open.port}/transmission/rpc`, connector: loopback });
      expect((await allowed.connect()).version).toBe(release.version);
      const localhost = new TransmissionClient({ kind: 'transmission', url: `http://localhost:${open.port}/transmission/rpc`, connector: loopback });
      expect((await localhost.list())).toEqual([]);
    });

    it('explains an address that is not in rpc-whitelist (HTTP 403)', async () => {
      const refused = new TransmissionClient({ kind: 'transmission', url: fenced.url, username: fenced.username, password: fenced.password });
      await expectSeedboxError(refused.connect(), 'forbidden', /rpc-whitelist/);
    });
  });
});
