import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRtorrentTransport, RtorrentClient, TRACKERS_EVERY_MS } from '../../../electron/core/clients/rtorrent/client';
import { RtorrentRpc } from '../../../electron/core/clients/rtorrent/rpc';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitFor } from '../../helpers/processes';
import { rtorrentCall, waitForTorrent } from './support';

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
  // What every client does (add, list, details, start/stop, recheck, labels, priorities,
  // limits, move, remove, unknown ids) is test/live/clients/contract.test.ts; here is only what
  // is rTorrent's own: how it stores labels, and its cheap polling.

  it('stores one label the ruTorrent way, URL-encoded, commas and all', async () => {
    const made = makeTorrent({ dataParent: dataRoot, name: 'labelled', files: [{ path: '', content: 'l' }], writeData: false });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot, labels: ['Movies, 2024 & more'], paused: true });
    expect(await rtorrentCall(rt, 'd.custom1', [id.toUpperCase()])).toBe(encodeURIComponent('Movies, 2024 & more'));
    await client.setLabels([id], ['Séries, vf']);
    expect(await rtorrentCall(rt, 'd.custom1', [id.toUpperCase()])).toBe(encodeURIComponent('Séries, vf'));
    expect((await client.list()).find((item) => item.id === id)!.labels).toEqual(['Séries, vf']);
  });

  it('sets several labels in the Flood form when the seedbox uses it', async () => {
    const flood = new RtorrentClient({ kind: 'rtorrent', url: rt.url, labelStyle: 'flood' });
    expect((await flood.connect()).capabilities.multipleLabels).toBe(true);
    const [first] = await flood.list();
    await flood.setLabels([first!.id], ['tv shows', 'a,b', 'ünï']);
    expect(await rtorrentCall(rt, 'd.custom1', [first!.id])).toBe('tv%20shows,a%2Cb,%C3%BCn%C3%AF');
    expect((await flood.list()).find((item) => item.id === first!.id)!.labels).toEqual(['tv shows', 'a,b', 'ünï']);
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

  it("sees a started torrent's tracker change within TRACKERS_EVERY_MS, polled at the window's pace, before the full list is due", async () => {
    const poller = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
    const parent = join(dataRoot, 'tracked');
    mkdirSync(parent);
    const made = makeTorrent({ dataParent: parent, name: 'tracked.bin', files: [{ path: '', content: filler('trackers', 3000) }] });
    const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding');
    expect((await poller.poll({ light: false })).find((torrent) => torrent.id === id)!.trackerHosts).not.toContain('127.0.0.9');
    // Added behind our back: nothing in the cheap fields moves, and the torrent count stays.
    await rtorrentCall(rt, 'd.tracker.insert', [id.toUpperCase(), '1', 'http://127.0.0.9:9/announce']);
    const changed = Date.now();
    // The window's pace: a full list would be due only after 40 of these (60 s).
    await waitFor(
      'the poll to see the new tracker',
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return (await poller.poll({ light: false })).find((torrent) => torrent.id === id)!.trackerHosts.includes('127.0.0.9');
      },
      TRACKERS_EVERY_MS + 10_000,
    );
    expect(Date.now() - changed).toBeLessThan(TRACKERS_EVERY_MS + 10_000);
  });

  it("hands over a list's first rows before rTorrent's answer has all arrived, the same rows as a whole read", async () => {
    const transport = createRtorrentTransport({ kind: 'rtorrent', url: rt.url });
    const events: string[] = [];
    const rpc = new RtorrentRpc({
      description: transport.description,
      request: async (body, type, onBody) => {
        const response = await transport.request(body, type, onBody);
        events.push('answer in');
        return response;
      },
    });
    await rpc.detectDialect();
    events.length = 0;
    // Wide rows (every name 2 000 times) make an answer of many socket reads from a few torrents.
    const params = ['', 'main', 'd.hash=', ...Array.from({ length: 2000 }, () => 'd.name=')];
    const handed: unknown[][] = [];
    const rows = await rpc.rows('d.multicall2', params, (batch) => {
      events.push(`${batch.length} rows`);
      handed.push(...batch);
    });
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(events.indexOf('answer in')).toBeGreaterThan(1);
    expect(events.at(-1)).toBe('answer in');
    expect(handed).toEqual(rows);
    expect(rows).toEqual(await rpc.rows('d.multicall2', params));
  });
});
