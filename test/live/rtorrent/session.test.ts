import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { encodeLabels } from '../../../electron/core/clients/rtorrent/labels';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { FAST_SESSION_LOAD, writeRtorrentSession, type SessionTorrent } from '../../helpers/rtorrent-session';
import { makeTorrent } from '../../helpers/torrents';
import { rtorrentCall } from './support';

// The session directory the 50 000-torrent benches write instead of loading each torrent through
// the RPC (test/helpers/rtorrent-session.ts): rtorrent must start holding exactly what was written,
// and be back to its default configuration once it has read it.

const COUNT = 20;
const STARTED = 2;
const LABELS = ['Movies', 'Musique & Films', '日本'];

let rt: RtorrentInstance;
const torrents: SessionTorrent[] = [];

beforeAll(async () => {
  rt = await startRtorrent({
    extraConfig: [...FAST_SESSION_LOAD],
    prepareSession(paths) {
      for (let index = 0; index < COUNT; index++) {
        const multiFile = index % 4 === 0;
        const files = multiFile ? [{ path: 'a.bin', content: `a${index}` }, { path: 'b.bin', content: `b${index}` }] : [{ path: '', content: `one ${index}` }];
        const trackers = index % 3 === 0 ? ['http://127.0.0.1:9/announce', 'http://127.0.0.1:9/backup'] : ['http://127.0.0.1:9/announce'];
        // Names out of order, so that rtorrent's name view has something to sort.
        const name = `${String.fromCharCode(122 - index)} torrent ${index}`;
        const made = makeTorrent({ dataParent: paths.downloadDir, name, files, trackers, writeData: false });
        const label = index % 2 === 0 ? LABELS[index % LABELS.length] : undefined;
        torrents.push({
          bytes: made.bytes,
          infoHash: made.infoHash,
          name,
          fileCount: files.length,
          multiFile,
          trackers,
          ...(label === undefined ? {} : { custom1: encodeLabels([label], 'rutorrent') }),
          custom: { addtime: String(1_700_000_000 + index) },
          started: index < STARTED,
        });
      }
      writeRtorrentSession(paths, torrents);
    },
  });
});

afterAll(async () => {
  await rt?.stop();
});

describe("rtorrent 0.9.8 started on a session directory written directly", () => {
  it('lists exactly the torrents written, with their labels, added-at stamps and states', async () => {
    const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
    try {
      const listed = await client.list();
      expect(listed.map((torrent) => torrent.id).sort()).toEqual(torrents.map((torrent) => torrent.infoHash).sort());
      for (const [index, written] of torrents.entries()) {
        const torrent = listed.find((item) => item.id === written.infoHash)!;
        expect(torrent.name).toBe(written.name);
        expect(torrent.labels).toEqual(written.custom1 === undefined ? [] : [LABELS[index % LABELS.length]]);
        expect(torrent.addedAt).toBe(1_700_000_000 + index);
        expect(torrent.savePath).toBe(rt.downloadDir);
        expect(torrent.trackerHosts).toEqual(['127.0.0.1']);
        expect(torrent.state === 'paused').toBe(index >= STARTED);
      }
    } finally {
      await client.close();
    }
  });

  it("puts rtorrent's own sort of new torrents in its name view back once the session is read", async () => {
    // While the session loads, new torrents go to the end of the name view unsorted; after, a new
    // torrent goes where its name sorts (first, here), as in an rtorrent started without a session.
    const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
    try {
      const made = makeTorrent({ dataParent: rt.downloadDir, name: '0 added after', files: [{ path: '', content: 'after' }], writeData: false });
      await client.add({ kind: 'file', bytes: made.bytes }, { paused: true });
      const rows = (await rtorrentCall(rt, 'd.multicall2', ['', 'name', 'd.name='])) as string[][];
      expect(rows.map(([name]) => name)).toHaveLength(COUNT + 1);
      expect(rows[0]).toEqual(['0 added after']);
    } finally {
      await client.close();
    }
  });
});
