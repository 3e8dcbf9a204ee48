import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { expectSeedboxError } from '../../helpers/errors';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitFor } from '../../helpers/processes';
import { rtorrentCall, rtorrentInt, waitForTorrent } from './support';

let rt: RtorrentInstance;
let client: RtorrentClient;
let dataRoot: string;

beforeAll(async () => {
  rt = await startRtorrent();
  client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
  dataRoot = join(rt.dir, 'data');
  mkdirSync(dataRoot);
});

afterAll(async () => {
  await rt?.stop();
});

describe('rtorrent 0.9.8 over a Unix socket', () => {
  it('connects and reports version, dialect and capabilities', async () => {
    const info = await client.connect();
    expect(info.kind).toBe('rtorrent');
    expect(info.version).toBe('0.9.8');
    expect(info.protocol).toBe('xmlrpc');
    expect(info.capabilities.deleteData).toBe(true);
    expect(info.capabilities.multipleLabels).toBe(false);
    expect(info.capabilities.queue).toBe(false);
  });

  it('adds a multi-file torrent with a non-ASCII name paused, with path and label, and lists it in the model', async () => {
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
      labels: ['Movies, 2024 & more'],
      paused: true,
    });
    expect(id).toBe(made.infoHash);

    const torrent = (await client.list()).find((item) => item.id === id)!;
    expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
    expect(torrent).toMatchObject({
      name: 'Ünïcødé 名前 – set',
      state: 'paused',
      sizeBytes: 60_000,
      savePath: dataRoot,
      labels: ['Movies, 2024 & more'],
      trackerHosts: ['127.0.0.1'],
      queuePosition: null,
      message: '',
    });
    expect(torrent.addedAt).toBeGreaterThan(Date.now() / 1000 - 60);
    // Stored the ruTorrent way: one URL-encoded label.
    expect(await rtorrentCall(rt, 'd.custom1', [id.toUpperCase()])).toBe(encodeURIComponent('Movies, 2024 & more'));
  });

  it('rechecks a paused torrent whose data exists to 100 %, then starts it seeding and stops it', async () => {
    const made = makeTorrent({ dataParent: dataRoot, name: 'recheck-me.bin', files: [{ path: '', content: filler('r', 70_000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, paused: true });
    await client.recheck([id]);
    const checked = await waitForTorrent(client, id, (torrent) => torrent.progress === 1);
    expect(checked.state).toBe('paused');
    expect(checked.doneBytes).toBe(70_000);

    await client.start([id]);
    const seeding = await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
    expect(await rtorrentInt(rt, 'd.state', [id])).toBe(1);
    expect(seeding.progress).toBe(1);

    await client.reannounce([id]);
    await client.stop([id]);
    expect((await waitForTorrent(client, id, (torrent) => torrent.state === 'paused')).state).toBe('paused');
    expect(await rtorrentInt(rt, 'd.state', [id])).toBe(0);
  });

  it('starts added torrents unless paused', async () => {
    const made = makeTorrent({ dataParent: dataRoot, name: 'auto-start.bin', files: [{ path: '', content: filler('s', 10_000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot });
    const torrent = await waitForTorrent(client, id, (item) => item.state === 'seeding');
    expect(torrent.progress).toBe(1);
  });

  it('shows details: files with priorities, trackers, peers', async () => {
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
    expect(details.torrent.trackerHosts).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(details.peers).toEqual([]);

    await client.setFilePriority(id, [1], 'skip');
    await client.setFilePriority(id, [0], 'high');
    expect(await rtorrentInt(rt, 'f.priority', [`${id.toUpperCase()}:f1`])).toBe(0);
    expect(await rtorrentInt(rt, 'f.priority', [`${id.toUpperCase()}:f0`])).toBe(2);
    expect((await client.details(id)).files.map((file) => file.priority)).toEqual(['high', 'skip']);
    await expectSeedboxError(client.setFilePriority(id, [7], 'normal'), 'not-found', /no file 7/);
    await expectSeedboxError(client.setFilePriority(id, [0], 'low'), 'unsupported');
  });

  it('adds a magnet link, which waits for metadata', async () => {
    const hash = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
    const id = await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${hash}&dn=wanted&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce` }, {});
    expect(id).toBe(hash);
    const torrent = await waitForTorrent(client, id, (item) => item.state === 'metadata');
    expect(torrent.sizeBytes).toBe(0);
    // rTorrent itself calls it "<HASH>.meta"; the link's dn= is what the user knows it by.
    expect(torrent.name).toBe('wanted');
    expect(await rtorrentInt(rt, 'd.is_meta', [id])).toBe(1);
    await client.remove([id], { deleteData: false });
  });

  it('refuses what is not a torrent, duplicates and unknown ids with typed errors, changing nothing', async () => {
    const before = (await client.list()).length;
    await expectSeedboxError(client.add({ kind: 'file', bytes: new TextEncoder().encode('<html>not a torrent</html>'), fileName: 'page.torrent' }), 'invalid-torrent', /page\.torrent is not a torrent file\./);
    await expectSeedboxError(client.add({ kind: 'magnet', uri: 'magnet:?dn=nothing' }), 'invalid-torrent');
    const made = makeTorrent({ dataParent: dataRoot, name: 'twice.bin', files: [{ path: '', content: 'twice' }] });
    await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
    await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { paused: true }), 'already-exists');

    const known = (await client.list())[0]!.id;
    const unknown = 'f'.repeat(40);
    const error = await expectSeedboxError(client.stop([known, unknown]), 'not-found');
    expect(error.message).toContain(unknown);
    expect(error.message).not.toContain(known);
    await expectSeedboxError(client.details(unknown), 'not-found');
    await expectSeedboxError(client.remove([unknown], { deleteData: true }), 'not-found');
    await expectSeedboxError(client.start(['not-a-hash']), 'invalid-argument');
    expect((await client.list()).length).toBe(before + 1);
  });

  it('sets labels in the ruTorrent form, and refuses several', async () => {
    const [first] = await client.list();
    await client.setLabels([first!.id], ['Séries, vf']);
    expect((await client.list()).find((item) => item.id === first!.id)!.labels).toEqual(['Séries, vf']);
    await expectSeedboxError(client.setLabels([first!.id], ['a', 'b']), 'unsupported');
    await client.setLabels([first!.id], []);
    expect(await rtorrentCall(rt, 'd.custom1', [first!.id])).toBe('');
  });

  it('sets several labels in the Flood form when the seedbox uses it', async () => {
    const flood = new RtorrentClient({ kind: 'rtorrent', url: rt.url, labelStyle: 'flood' });
    expect((await flood.connect()).capabilities.multipleLabels).toBe(true);
    const [first] = await flood.list();
    await flood.setLabels([first!.id], ['tv shows', 'a,b', 'ünï']);
    expect(await rtorrentCall(rt, 'd.custom1', [first!.id])).toBe('tv%20shows,a%2Cb,%C3%BCn%C3%AF');
    expect((await flood.list()).find((item) => item.id === first!.id)!.labels).toEqual(['tv shows', 'a,b', 'ünï']);
  });

  it('sets global and per-torrent speed limits', async () => {
    await client.setGlobalSpeedLimits({ downBytesPerSecond: 2 * 1048576, upBytesPerSecond: 512 * 1024 });
    expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 2 * 1048576, upBytesPerSecond: 512 * 1024 });
    expect(await rtorrentInt(rt, 'throttle.global_down.max_rate', [''])).toBe(2 * 1048576);

    const seeding = (await client.list()).find((item) => item.state === 'seeding')!;
    await client.setTorrentSpeedLimits([seeding.id], { downBytesPerSecond: 100 * 1024, upBytesPerSecond: 50 * 1024 });
    expect(await rtorrentCall(rt, 'd.throttle_name', [seeding.id])).toBe('seedbox-d100-u50');
    expect(await rtorrentInt(rt, 'throttle.down.max', ['', 'seedbox-d100-u50'])).toBe(100 * 1024);
    // It was started, so it was restarted after the change.
    expect(await rtorrentInt(rt, 'd.state', [seeding.id])).toBe(1);
    await client.setTorrentSpeedLimits([seeding.id], { downBytesPerSecond: 0, upBytesPerSecond: 0 });
    expect(await rtorrentCall(rt, 'd.throttle_name', [seeding.id])).toBe('');
    await client.setGlobalSpeedLimits({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
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
        { path: 'nested/z.bin', content: filler('z', 100) },
      ],
    });
    const single = makeTorrent({ dataParent: parent, name: 'single file.bin', files: [{ path: '', content: filler('s1', 3000) }] });
    writeFileSync(join(parent, 'neighbour.txt'), 'not part of any torrent');
    const ids = [];
    for (const made of [keep, gone, single]) ids.push(await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent }));
    await waitForTorrent(client, ids[1]!, (torrent) => torrent.progress === 1);
    await waitForTorrent(client, ids[2]!, (torrent) => torrent.progress === 1);

    await client.remove([ids[0]!], { deleteData: false });
    expect(existsSync(join(parent, 'keep me', 'k.bin'))).toBe(true);

    await client.remove([ids[1]!, ids[2]!], { deleteData: true });
    expect(existsSync(join(parent, 'delete me ünï'))).toBe(false);
    expect(existsSync(join(parent, 'single file.bin'))).toBe(false);
    expect(readdirSync(parent).sort()).toEqual(['keep me', 'neighbour.txt']);
    const listed = (await client.list()).map((torrent) => torrent.id);
    for (const id of ids) expect(listed).not.toContain(id);
  });

  it('keeps files that are not the torrent’s own inside its folder', async () => {
    const parent = join(dataRoot, 'extra');
    mkdirSync(parent);
    const made = makeTorrent({ dataParent: parent, name: 'with extras', files: [{ path: 'a.bin', content: filler('e', 1000) }] });
    writeFileSync(join(parent, 'with extras', 'my notes.txt'), 'mine');
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
    await client.remove([id], { deleteData: true });
    expect(readdirSync(join(parent, 'with extras'))).toEqual(['my notes.txt']);
  });

  it('polls cheaply and still sees what changed, including changes made by other programs', async () => {
    const poller = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
    const parent = join(dataRoot, 'polled');
    mkdirSync(parent);
    const made = makeTorrent({ dataParent: parent, name: 'polled.bin', files: [{ path: '', content: filler('poll', 4000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
    await client.recheck([id]);
    await waitForTorrent(client, id, (torrent) => torrent.progress === 1);
    const first = await poller.poll({ light: false });
    expect(first.map((torrent) => torrent.id).sort()).toEqual((await client.list()).map((torrent) => torrent.id).sort());
    const before = first.find((torrent) => torrent.id === id)!;
    expect(before.state).toBe('paused');
    // Untouched torrents come back as the very same objects, so the diff skips them.
    const again = await poller.poll({ light: false });
    expect(again.find((torrent) => torrent.id === id)).toBe(before);

    // Started behind our back: it enters the started view.
    await rtorrentCall(rt, 'd.start', [id.toUpperCase()]);
    await waitFor('the poll to see it seeding', async () => (await poller.poll({ light: false })).find((torrent) => torrent.id === id)?.state === 'seeding');
    // Stopped behind our back: it leaves the started view.
    await rtorrentCall(rt, 'd.stop', [id.toUpperCase()]);
    await waitFor('the poll to see it paused', async () => (await poller.poll({ light: false })).find((torrent) => torrent.id === id)?.state === 'paused');
    // Added behind our back: the torrent count changes, so the whole list is read again.
    const other = makeTorrent({ dataParent: parent, name: 'added elsewhere.bin', files: [{ path: '', content: 'x' }] });
    await rtorrentCall(rt, 'load.raw', ['', Buffer.from(other.bytes)]);
    await waitFor('the poll to see the new torrent', async () => (await poller.poll({ light: false })).some((torrent) => torrent.id === other.infoHash));
    // A label set through the client is a static field: the next poll reads everything.
    await poller.setLabels([id], ['fresh']);
    expect((await poller.poll({ light: false })).find((torrent) => torrent.id === id)?.labels).toEqual(['fresh']);
  });

  it('moves a torrent’s data and keeps it seeding', async () => {
    const from = join(dataRoot, 'move-from');
    const to = join(dataRoot, 'move to ü');
    mkdirSync(from);
    const made = makeTorrent({ dataParent: from, name: 'movable', files: [{ path: 'm.bin', content: filler('m', 9000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: from });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
    await client.move([id], to);
    expect(existsSync(join(to, 'movable', 'm.bin'))).toBe(true);
    expect(existsSync(join(from, 'movable'))).toBe(false);
    const moved = await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding' && torrent.progress === 1);
    expect(moved.savePath).toBe(to);
    await expectSeedboxError(client.move([id], 'relative/path'), 'invalid-argument');
  });
});
