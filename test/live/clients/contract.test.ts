import { existsSync, readdirSync, statfsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { TORRENT_FIELDS, type Torrent } from '../../../electron/shared/model';
import { CLIENT_DAEMONS, type ClientDaemon } from '../../helpers/client-daemons';
import { expectSeedboxError } from '../../helpers/errors';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';

// The TorrentClient contract (electron/core/clients/types.ts), written once and run against
// every real daemon. What a daemon does differently is stated in its adapter
// (test/helpers/client-daemons.ts): its capabilities and a few quirks. Each daemon's own suite
// (test/live/<daemon>/) keeps only what is specific to it: transports, logins, wire encodings,
// incremental refreshes, events.

const TRACKER = 'http://127.0.0.1:9/announce';

describe.each(CLIENT_DAEMONS.map((spec) => [spec.title, spec] as const))('%s', (_title, spec) => {
  let daemon: ClientDaemon;
  let client: TorrentClient;
  const clients: TorrentClient[] = [];

  beforeAll(async () => {
    daemon = await spec.start();
    client = daemon.newClient();
    clients.push(client);
  });

  afterAll(async () => {
    for (const each of clients) await each.close();
    await daemon?.stop();
  });

  const find = async (id: string): Promise<Torrent | undefined> => (await client.list()).find((torrent) => torrent.id === id);

  /** Adds a paused torrent and waits until the daemon shows it paused (qBittorrent first checks resume data). */
  async function addPaused(parent: string, name: string, options: { data?: boolean; size?: number } = {}): Promise<string> {
    const made = makeTorrent({ dataParent: parent, name, files: [{ path: '', content: filler(name, options.size ?? 4000) }], writeData: options.data ?? true });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
    return id;
  }

  /** Rechecks a paused torrent whose data exists until the daemon has it complete and paused. */
  async function recheckComplete(id: string): Promise<Torrent> {
    await client.recheck([id]);
    return waitForTorrent(client, id, (torrent) => torrent.progress === 1 && torrent.state === 'paused', 60_000);
  }

  /** Starts a torrent and waits until it seeds (giving the start again where the daemon may undo it). */
  async function startUntilSeeding(id: string): Promise<Torrent> {
    await client.start([id]);
    let last: Torrent | undefined;
    await waitFor(
      `torrent ${id} to seed`,
      async () => {
        last = await find(id);
        if (last?.state === 'paused' && daemon.quirks.startUndoneAfterRecheck) await client.start([id]);
        return last?.state === 'seeding';
      },
      60_000,
    );
    return last!;
  }

  /** Adds a torrent whose data exists, started, and waits until it seeds. */
  async function addSeeding(parent: string, name: string, files: { path: string; content: Buffer }[]): Promise<string> {
    const made = makeTorrent({ dataParent: parent, name, files });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding' && torrent.progress === 1, 60_000);
    return id;
  }

  /** Removes a seeding torrent once a test is done with it: qBittorrent queues seeding beyond two. */
  async function removeSeeding(id: string): Promise<void> {
    await client.remove([id], { deleteData: false });
    await waitFor(`torrent ${id} to go`, async () => (await daemon.view(id)) === undefined);
  }

  it('connects and reports its version, dialect and capabilities', async () => {
    expect(await client.connect()).toEqual(daemon.expected);
  });

  it('adds a multi-file .torrent with a non-ASCII name paused, with save path and label, and lists it in the model', async () => {
    const parent = daemon.dataDir('add');
    const made = makeTorrent({
      dataParent: parent,
      name: 'Ünïcødé 名前 – set',
      files: [
        { path: 'a.bin', content: filler('a', 40_000) },
        { path: 'sub dir/b.bin', content: filler('b', 20_000) },
      ],
      writeData: false,
    });
    const before = (await client.list()).length;
    const labels = daemon.expected.capabilities.multipleLabels ? ['movies', 'ünï'] : ['movies'];
    const id = await client.add({ kind: 'file', bytes: made.bytes, fileName: 'set.torrent' }, { savePath: parent, labels, paused: true });
    expect(id).toBe(made.infoHash);

    const torrent = await waitForTorrent(client, id, (item) => item.state === 'paused');
    expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
    expect(torrent).toMatchObject({
      name: 'Ünïcødé 名前 – set',
      progress: 0,
      sizeBytes: 60_000,
      doneBytes: 0,
      savePath: parent,
      trackerHosts: ['127.0.0.1'],
      message: '',
      etaSeconds: null,
    });
    expect([...torrent.labels].sort()).toEqual(labels);
    expect(torrent.addedAt).toBeGreaterThan(Date.now() / 1000 - 600);
    if (!daemon.expected.capabilities.queue) expect(torrent.queuePosition).toBeNull();
    expect(await daemon.view(id)).toMatchObject({ running: false, savePath: parent, labels });
    expect((await client.list()).length).toBe(before + 1);

    const again = await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { paused: true }), 'already-exists');
    expect(again.message).toContain(id);
    await expectSeedboxError(
      client.add({ kind: 'file', bytes: new TextEncoder().encode('<html>not a torrent</html>'), fileName: 'page.torrent' }),
      'invalid-torrent',
      /page\.torrent/,
    );
    expect((await client.list()).length).toBe(before + 1);
  });

  it('starts an added torrent unless told to add it paused', async () => {
    const parent = daemon.dataDir('auto-start');
    const id = await addSeeding(parent, 'auto-start.bin', [{ path: '', content: filler('auto', 10_000) }]);
    expect(await find(id)).toMatchObject({ state: 'seeding', progress: 1, doneBytes: 10_000 });
    expect((await daemon.view(id))!.running).toBe(true);
    await removeSeeding(id);
  });

  it('adds a magnet link, which waits for metadata under the name in its dn=, started or paused', async () => {
    const hash = 'c0ffee00'.repeat(5);
    const uri = `magnet:?xt=urn:btih:${hash.toUpperCase()}&dn=m%C3%A4gnet&tr=${encodeURIComponent(TRACKER)}`;
    const id = await client.add({ kind: 'magnet', uri });
    expect(id).toBe(hash);
    const torrent = await waitForTorrent(client, id, (item) => item.state === 'metadata');
    expect(torrent).toMatchObject({ name: 'mägnet', sizeBytes: 0, progress: 0 });
    expect((await client.details(id)).files).toEqual([]);
    await expectSeedboxError(client.setFilePriority(id, [0], 'skip'), 'not-found', /no files yet/);
    await expectSeedboxError(client.add({ kind: 'magnet', uri }), 'already-exists');
    await expectSeedboxError(client.add({ kind: 'magnet', uri: 'magnet:?dn=nothing' }), 'invalid-torrent');

    const paused = await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${'cd'.repeat(20)}&tr=${encodeURIComponent(TRACKER)}` }, { paused: true });
    await waitForTorrent(client, paused, (item) => item.state === 'paused');
    expect((await daemon.view(paused))!.running).toBe(false);
    await client.remove([id, paused], { deleteData: false });
    await waitFor('the magnets to go', async () => (await daemon.view(id)) === undefined && (await daemon.view(paused)) === undefined);
  });

  it('adds from a URL the daemon downloads itself, where it can', async () => {
    const parent = daemon.dataDir('url');
    const made = makeTorrent({ dataParent: parent, name: 'from url', files: [{ path: '', content: filler('url', 5000) }], writeData: false });
    const server: Server = createServer((request, response) => {
      // Deluge 2.0.3's downloader fails on an answer without Content-Type.
      if (request.url === '/t.torrent') response.writeHead(200, { 'content-type': 'application/x-bittorrent' }).end(Buffer.from(made.bytes));
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      if (!daemon.expected.capabilities.addFromUrl) {
        await expectSeedboxError(client.add({ kind: 'url', url: `${base}/t.torrent` }), 'unsupported');
        return;
      }
      const id = await client.add({ kind: 'url', url: `${base}/t.torrent` }, { savePath: parent, paused: true, labels: ['web'] });
      expect(id).toBe(made.infoHash);
      expect(await waitForTorrent(client, id, (torrent) => torrent.state === 'paused')).toMatchObject({ name: 'from url', savePath: parent, labels: ['web'] });
      const missing = await expectSeedboxError(client.add({ kind: 'url', url: `${base}/missing.torrent` }), 'rpc-fault');
      expect(missing.message).not.toMatch(/Traceback|\.py/);
      await expectSeedboxError(client.add({ kind: 'url', url: 'ftp://127.0.0.1/x.torrent' }), 'invalid-argument');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('shows details: the torrent, files with priorities, trackers by tier, no peers', async () => {
    const parent = daemon.dataDir('details');
    const made = makeTorrent({
      dataParent: parent,
      name: 'details',
      files: [
        { path: 'one.txt', content: 'x'.repeat(1000) },
        { path: 'deeper/two.txt', content: 'y'.repeat(2000) },
      ],
      trackers: [TRACKER, 'http://127.0.0.2:9/announce'],
      writeData: false,
    });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
    // Every tracker's host, by the one rule (electron/shared/tracker-host.ts), whatever the daemon.
    const hosts = ['127.0.0.1', '127.0.0.2'];
    const listed = await waitForTorrent(client, id, (torrent) => torrent.state === 'paused' && torrent.trackerHosts.length === hosts.length);
    expect([...listed.trackerHosts].sort()).toEqual(hosts);
    // Either case of an id is the same torrent.
    const details = await client.details(id.toUpperCase());
    expect(details.torrent).toMatchObject({ id, name: 'details', sizeBytes: 3000, savePath: parent, state: 'paused' });
    expect(details.files).toEqual([
      { index: 0, path: 'one.txt', sizeBytes: 1000, doneBytes: 0, priority: 'normal' },
      { index: 1, path: 'deeper/two.txt', sizeBytes: 2000, doneBytes: 0, priority: 'normal' },
    ]);
    expect(details.trackers.map((tracker) => [tracker.url, tracker.tier])).toEqual([
      [TRACKER, 0],
      ['http://127.0.0.2:9/announce', 1],
    ]);
    expect(details.peers).toEqual([]);
    // The list's row and the details' torrent are the same reading.
    expect(details.torrent).toEqual(await find(id));
  });

  it('sets every file priority it offers, refuses the others, and names a file that is not there', async () => {
    const parent = daemon.dataDir('priorities');
    const made = makeTorrent({
      dataParent: parent,
      name: 'prio',
      files: ['a', 'b', 'c', 'd'].map((name) => ({ path: `${name}.bin`, content: name.repeat(100) })),
      writeData: false,
    });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
    const offered = daemon.expected.capabilities.filePriorities;
    // One file each, in the order offered, the first two set in one call.
    const wanted = offered.map((priority, index) => ({ priority, index }));
    await client.setFilePriority(id, [wanted[0]!.index, wanted[1]!.index], wanted[0]!.priority);
    for (const { priority, index } of wanted.slice(1)) await client.setFilePriority(id, [index], priority);
    const expected = [...offered, ...Array<'normal'>(4 - offered.length).fill('normal')];
    expect((await client.details(id)).files.map((file) => file.priority)).toEqual(expected);
    expect((await daemon.view(id))!.filePriorities).toEqual(expected);
    // A skipped file is wanted again.
    await client.setFilePriority(id, [0], 'normal');
    expect((await daemon.view(id))!.filePriorities).toEqual(['normal', ...expected.slice(1)]);

    for (const priority of (['skip', 'low', 'normal', 'high'] as const).filter((each) => !offered.includes(each))) {
      await expectSeedboxError(client.setFilePriority(id, [0], priority), 'unsupported');
    }
    await expectSeedboxError(client.setFilePriority(id, [7], 'normal'), 'not-found', /no file 7/);
    await expectSeedboxError(client.setFilePriority(id, [], 'normal'), 'invalid-argument');
    expect((await daemon.view(id))!.filePriorities).toEqual(['normal', ...expected.slice(1)]);
  });

  it('rechecks a paused torrent whose data exists to 100 %, starts it seeding, reannounces and stops it, as the daemon confirms', async () => {
    const parent = daemon.dataDir('ops');
    // The data arrives after the torrent was added, so only the recheck can find it.
    const id = await addPaused(parent, 'recheck-me.bin', { size: 70_000, data: false });
    expect((await find(id))!.progress).toBe(0);
    writeFileSync(join(parent, 'recheck-me.bin'), filler('recheck-me.bin', 70_000));
    const checked = await recheckComplete(id);
    expect(checked).toMatchObject({ doneBytes: 70_000, etaSeconds: null });
    expect((await daemon.view(id))!.running).toBe(false);

    const seeding = await startUntilSeeding(id);
    expect(seeding.progress).toBe(1);
    expect((await daemon.view(id))!.running).toBe(true);
    await client.reannounce([id]);

    await client.stop([id]);
    await waitForTorrent(client, id, (torrent) => torrent.state === 'paused');
    expect((await daemon.view(id))!.running).toBe(false);
  });

  it('sets one label, several where it can, and clears them', async () => {
    const id = await addPaused(daemon.dataDir('labels'), 'labelled.bin', { data: false });
    await client.setLabels([id], ['movies_4k.2024']);
    expect((await find(id))!.labels).toEqual(['movies_4k.2024']);
    expect((await daemon.view(id))!.labels).toEqual(['movies_4k.2024']);

    const several = ['tv shows', 'ünï', 'HD'];
    const refusal = daemon.quirks.severalLabelsRefusedWith;
    if (refusal === null) {
      await client.setLabels([id], several);
      expect([...(await find(id))!.labels].sort()).toEqual([...several].sort());
      expect((await daemon.view(id))!.labels).toEqual([...several].sort());
      // Several labels travel comma-separated: a comma in one would split it.
      await expectSeedboxError(client.setLabels([id], ['a,b']), 'invalid-argument', /comma/);
      const made = makeTorrent({ dataParent: daemon.dataDir('labels'), name: 'comma', files: [{ path: '', content: 'c' }], writeData: false });
      await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { labels: ['a,b'] }), 'invalid-argument', /comma/);
      expect(await daemon.view(made.infoHash)).toBeUndefined();
      expect((await daemon.view(id))!.labels).toEqual([...several].sort());
    } else {
      await expectSeedboxError(client.setLabels([id], ['a', 'b']), refusal);
      expect((await daemon.view(id))!.labels).toEqual(['movies_4k.2024']);
    }

    await client.setLabels([id], []);
    expect((await find(id))!.labels).toEqual([]);
    expect((await daemon.view(id))!.labels).toEqual([]);
  });

  it('sets global and per-torrent speed limits, and a started torrent stays started', async () => {
    // Multiples of 1000 × 1024 bytes, which every daemon stores exactly (Deluge KiB/s, Transmission kB/s).
    const global = { downBytesPerSecond: 2_048_000, upBytesPerSecond: 1_024_000 };
    await client.setGlobalSpeedLimits(global);
    expect(await client.getGlobalSpeedLimits()).toEqual(global);
    expect((await daemon.session()).limits).toEqual(global);
    await expectSeedboxError(client.setGlobalSpeedLimits({ downBytesPerSecond: -1, upBytesPerSecond: 0 }), 'invalid-argument');

    // Under a global limit: rTorrent applies its per-torrent throttles only then.
    const id = await addSeeding(daemon.dataDir('limits'), 'limited.bin', [{ path: '', content: filler('limited', 2000) }]);
    const limits = { downBytesPerSecond: 1_024_000, upBytesPerSecond: 512_000 };
    await client.setTorrentSpeedLimits([id], limits);
    expect(await daemon.view(id)).toMatchObject({ limits, running: true });
    await client.setTorrentSpeedLimits([id], { downBytesPerSecond: 0, upBytesPerSecond: 0 });
    expect(await daemon.view(id)).toMatchObject({ limits: { downBytesPerSecond: 0, upBytesPerSecond: 0 }, running: true });
    await expectSeedboxError(client.setTorrentSpeedLimits([id], { downBytesPerSecond: 1.5, upBytesPerSecond: 0 }), 'invalid-argument');
    await expectSeedboxError(client.setTorrentSpeedLimits([id], { downBytesPerSecond: -1, upBytesPerSecond: 0 }), 'invalid-argument');
    await removeSeeding(id);

    await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
    expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
    expect((await daemon.session()).limits).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
  });

  it('moves a seeding torrent’s data to a new directory, and it keeps seeding', async () => {
    const from = daemon.dataDir('move-from');
    const to = join(daemon.dataDir('move'), 'to ü', 'deeper');
    const id = await addSeeding(from, 'movable', [{ path: 'm.bin', content: filler('m', 9000) }]);
    await client.move([id], to);
    await waitFor('the data to move', () => existsSync(join(to, 'movable', 'm.bin')) && !existsSync(join(from, 'movable')));
    const moved = await waitForTorrent(client, id, (torrent) => torrent.savePath === to && torrent.state === 'seeding' && torrent.progress === 1, 30_000);
    expect(moved.doneBytes).toBe(9000);
    expect(await daemon.view(id)).toMatchObject({ savePath: to, running: true });
    await expectSeedboxError(client.move([id], 'relative/path'), 'invalid-argument');
    await expectSeedboxError(client.move([id], '  '), 'invalid-argument');
    expect((await daemon.view(id))!.savePath).toBe(to);
    await removeSeeding(id);
  });

  it('removes a torrent keeping its data, or with its data, deleting only its own files', async () => {
    const parent = daemon.dataDir('removal');
    writeFileSync(join(parent, 'neighbour.txt'), 'not part of any torrent');
    const keep = makeTorrent({ dataParent: parent, name: 'keep me', files: [{ path: 'k.bin', content: filler('k', 5000) }] });
    const gone = makeTorrent({
      dataParent: parent,
      name: 'delete me ünï',
      files: [
        { path: 'x.bin', content: filler('x', 5000) },
        { path: 'nested/deep/y.bin', content: filler('y', 5000) },
        { path: 'nested/z.bin', content: filler('z', 100) },
      ],
    });
    const single = makeTorrent({ dataParent: parent, name: 'single file.bin', files: [{ path: '', content: filler('s1', 3000) }] });
    const extras = makeTorrent({ dataParent: parent, name: 'with extras', files: [{ path: 'e.bin', content: filler('e', 1000) }] });
    writeFileSync(join(parent, 'with extras', 'my notes.txt'), 'mine');
    const ids: string[] = [];
    for (const made of [keep, gone, single, extras]) ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true }));
    await client.recheck(ids);
    for (const id of ids) await waitForTorrent(client, id, (torrent) => torrent.progress === 1 && torrent.state === 'paused', 60_000);

    await client.remove([ids[0]!], { deleteData: false });
    await waitFor('the kept torrent to go', async () => (await daemon.view(ids[0]!)) === undefined);
    expect(existsSync(join(parent, 'keep me', 'k.bin'))).toBe(true);

    await client.remove(ids.slice(1), { deleteData: true });
    await waitFor(
      'the data to be deleted',
      () => !existsSync(join(parent, 'delete me ünï')) && !existsSync(join(parent, 'single file.bin')) && !existsSync(join(parent, 'with extras', 'e.bin')),
    );
    expect(readdirSync(parent).sort()).toEqual(['keep me', 'neighbour.txt', 'with extras']);
    expect(readdirSync(join(parent, 'with extras'))).toEqual(['my notes.txt']);
    for (const id of ids) expect(await daemon.view(id)).toBeUndefined();
    const listed = (await client.list()).map((torrent) => torrent.id);
    for (const id of ids) expect(listed).not.toContain(id);
  });

  it('names unknown ids, changes nothing when any id is unknown, and refuses what is not an id', async () => {
    const parent = daemon.dataDir('guarded');
    const id = await addPaused(parent, 'guarded.bin', { size: 1000 });
    await client.setLabels([id], ['kept']);
    const before = await daemon.view(id);
    const count = (await client.list()).length;
    const unknown = 'f'.repeat(40);
    const actions: [string, () => Promise<unknown>][] = [
      ['start', () => client.start([id, unknown])],
      ['stop', () => client.stop([unknown, id])],
      ['recheck', () => client.recheck([id, unknown])],
      ['reannounce', () => client.reannounce([id, unknown])],
      ['remove', () => client.remove([id, unknown], { deleteData: true })],
      ['move', () => client.move([id, unknown], join(parent, 'elsewhere'))],
      ['setLabels', () => client.setLabels([id, unknown], ['other'])],
      ['setTorrentSpeedLimits', () => client.setTorrentSpeedLimits([id, unknown], { downBytesPerSecond: 1024, upBytesPerSecond: 1024 })],
      ['details', () => client.details(unknown)],
      ['setFilePriority', () => client.setFilePriority(unknown, [0], 'skip')],
    ];
    if (daemon.expected.capabilities.queue) actions.push(['moveInQueue', () => client.moveInQueue([unknown, id], 'top')]);
    for (const [name, action] of actions) {
      const error = await expectSeedboxError(action(), 'not-found');
      expect(error.message, name).toContain(unknown);
      expect(error.message, name).not.toContain(id);
    }
    expect(await daemon.view(id)).toEqual(before);
    expect(existsSync(join(parent, 'guarded.bin'))).toBe(true);
    expect(existsSync(join(parent, 'elsewhere'))).toBe(false);
    expect((await client.list()).length).toBe(count);

    await expectSeedboxError(client.start(['not-a-hash']), 'invalid-argument', /not a torrent id/);
    await expectSeedboxError(client.stop([]), 'invalid-argument');
    expect(await daemon.view(id)).toEqual(before);
  });

  it('moves torrents in the download queue, where it has one', async () => {
    const parent = daemon.dataDir('queue');
    if (!daemon.expected.capabilities.queue) {
      const id = await addPaused(parent, 'unqueued', { data: false, size: 100 });
      await expectSeedboxError(client.moveInQueue([id], 'top'), 'unsupported');
      return;
    }
    // Incomplete torrents: the ones every daemon queues.
    const ids: string[] = [];
    for (const name of ['queue-a', 'queue-b', 'queue-c']) ids.push(await addPaused(parent, name, { data: false, size: 1000 }));
    const moved = ids[2]!;
    /** Queued torrents, first to last; daemons apply queue moves asynchronously. */
    const queue = async (): Promise<string[]> =>
      (await client.list())
        .filter((torrent) => torrent.queuePosition !== null)
        .sort((a, b) => a.queuePosition! - b.queuePosition!)
        .map((torrent) => torrent.id);
    const reaches = (where: string, at: (order: string[]) => boolean) => waitFor(`the torrent ${where} of the queue`, async () => at(await queue()), 20_000);
    expect((await queue()).slice(-3)).toEqual(ids);

    await client.moveInQueue([moved], 'top');
    await reaches('first', (order) => order[0] === moved);
    await client.moveInQueue([moved], 'down');
    await reaches('second', (order) => order[1] === moved);
    await client.moveInQueue([moved], 'up');
    await reaches('first again', (order) => order[0] === moved);
    await client.moveInQueue([moved], 'bottom');
    await reaches('last', (order) => order.at(-1) === moved);
    // The daemon's own numbering agrees with the list's.
    const listed = (await client.list()).filter((torrent) => ids.includes(torrent.id));
    for (const torrent of listed) expect(torrent.queuePosition).toBe((await daemon.view(torrent.id))!.queuePosition);
  });

  it('reports session totals, free space where it can, and the alternative speed mode where it has one', async () => {
    const { capabilities } = daemon.expected;
    const stats = await client.sessionStats();
    expect(typeof stats.downRate).toBe('number');
    expect(typeof stats.upRate).toBe('number');
    if (capabilities.freeSpace) {
      const fs = statfsSync(daemon.dataDir('space'));
      const free = fs.bavail * fs.bsize;
      // Other tests write files meanwhile: the same order of magnitude is what can be asserted.
      expect(Math.abs(stats.freeSpaceBytes! - free)).toBeLessThan(free * 0.02 + 100 * 1024 * 1024);
    } else {
      expect(stats.freeSpaceBytes).toBeNull();
    }
    if (!capabilities.alternativeSpeed) {
      expect(stats.alternativeSpeedEnabled).toBeNull();
      await expectSeedboxError(client.setAlternativeSpeed(true), 'unsupported');
      return;
    }
    expect(stats.alternativeSpeedEnabled).toBe(false);
    expect((await daemon.session()).alternativeSpeed).toBe(false);
    const limits = { downBytesPerSecond: 1_024_000, upBytesPerSecond: 256_000 };
    await client.setGlobalSpeedLimits(limits);
    await client.setAlternativeSpeed(true);
    await client.setAlternativeSpeed(true);
    expect((await client.sessionStats()).alternativeSpeedEnabled).toBe(true);
    expect((await daemon.session()).alternativeSpeed).toBe(true);
    // The regular limits are still the ones reported while the alternative ones are in force.
    expect(await client.getGlobalSpeedLimits()).toEqual(limits);
    await client.setAlternativeSpeed(false);
    expect((await client.sessionStats()).alternativeSpeedEnabled).toBe(false);
    expect((await daemon.session()).alternativeSpeed).toBe(false);
    await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
  });
});
