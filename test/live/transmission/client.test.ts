import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    client = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password, transport: { connector: countingConnector } });
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
    // What every client does (add, list, details, start/stop, recheck, labels, priorities,
    // limits, move, remove, queue, unknown ids) is test/live/clients/contract.test.ts; here is
    // only what is Transmission's own.
    it('does the session-id handshake once and reports version and dialect', async () => {
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

      const fresh = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password, transport: { connector: countingConnector } });
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

    it('starts a torrent now, ahead of the queue', async () => {
      const id = await addComplete(dataRoot, 'now.bin', filler('now', 3000), { paused: true });
      await client.startNow([id]);
      await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
      expect(await rawStatus(id)).toBe(6);
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

    it('rounds a speed limit up to the whole kB/s Transmission stores', async () => {
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 1500 });
      expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 2000 });
      expect(await transmissionRpc(tr, 'session-get', {})).toMatchObject({ 'speed-limit-down-enabled': false, 'speed-limit-up': 2, 'speed-limit-up-enabled': true });
      await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
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
      const refused = new TransmissionClient({ kind: 'transmission', url: `http://seedbox.invalid:${open.port}/transmission/rpc`, transport: { connector: loopback } });
      const error = await expectSeedboxError(refused.connect(), 'forbidden', /rpc-host-whitelist/);
      expect(error.message).toContain('"seedbox.invalid"');
      expect(error.message).toMatch(/IP address/);
      const allowed = new TransmissionClient({ kind: 'transmission', url: `http://allowed.example:${open.port}/transmission/rpc`, transport: { connector: loopback } });
      expect((await allowed.connect()).version).toBe(release.version);
      const localhost = new TransmissionClient({ kind: 'transmission', url: `http://localhost:${open.port}/transmission/rpc`, transport: { connector: loopback } });
      expect((await localhost.list())).toEqual([]);
    });

    it('explains an address that is not in rpc-whitelist (HTTP 403)', async () => {
      const refused = new TransmissionClient({ kind: 'transmission', url: fenced.url, username: fenced.username, password: fenced.password });
      await expectSeedboxError(refused.connect(), 'forbidden', /rpc-whitelist/);
    });
  });
});
