import { existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { CLIENT_DAEMONS, type ClientDaemon } from '../../helpers/client-daemons';
import { expectSeedboxError } from '../../helpers/errors';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { startSeedingPeer, type SeedingPeer } from '../../helpers/seeding-peer';
import { filler, makeTorrent, PIECE_LENGTH } from '../../helpers/torrents';
import { QbittorrentApi } from '../qbittorrent/support';

// Adding with files to skip (AddOptions.skipFiles), against each real daemon: a skipped file
// never gets a byte, not even for a moment. The data comes from a seeder the test runs, which
// writes down every piece the daemon asks for, so "never" is checked on the wire as well as on
// disk. Each file is four whole pieces, so no piece is shared between a skipped and a wanted file
// (such a piece must be downloaded whole, a limit of BitTorrent itself).

const FILE_BYTES = 4 * PIECE_LENGTH;

describe.each(CLIENT_DAEMONS)('$title', (spec) => {
  let daemon: ClientDaemon;
  let client: TorrentClient;
  let peer: SeedingPeer | undefined;

  beforeAll(async () => {
    daemon = await spec.start();
    client = daemon.newClient();
  });

  afterAll(async () => {
    peer?.close();
    await client?.close();
    await daemon?.stop();
  });

  it('adds a .torrent with a file skipped: the daemon never asks for a byte of it, and the other files complete', async () => {
    const savePath = daemon.dataDir('skip');
    const made = makeTorrent({
      dataParent: savePath,
      name: `skipping-${spec.kind}-${spec.generation}`,
      files: ['keep-1.bin', 'skipped.bin', 'keep-2.bin'].map((path) => ({ path, content: filler(`${spec.kind}-${spec.generation}-${path}`, FILE_BYTES) })),
      writeData: false,
    });
    const id = await client.add({ kind: 'file', bytes: made.bytes, fileName: 'skipping.torrent' }, { savePath, skipFiles: [1] });
    expect(id).toBe(made.infoHash);

    peer = await startSeedingPeer({ port: daemon.peerPort, torrent: made });
    await waitFor(
      'the wanted files to complete',
      async () => {
        const files = (await client.details(id)).files;
        return files[0]!.doneBytes === FILE_BYTES && files[2]!.doneBytes === FILE_BYTES;
      },
      30_000,
    );

    // The daemon's own view, read past the client: started, file 1 off.
    expect(await daemon.view(id)).toMatchObject({ running: true, filePriorities: ['normal', 'skip', 'normal'] });
    // The client's view: file 1 skipped, with nothing. rTorrent 0.9.8 counts a file's done chunks
    // up to and including the chunk its range ends before (f.completed_chunks is 1 for chunks 4
    // to 8 here, though pieces 4 to 7 were never asked for): its figure proves nothing either
    // way, the wire and the disk below do.
    const { files } = await client.details(id);
    expect(files.map((file) => file.priority)).toEqual(['normal', 'skip', 'normal']);
    if (spec.kind !== 'rtorrent') expect(files[1]!.doneBytes).toBe(0);

    // On the wire: every piece of the wanted files was asked for, none of the skipped one.
    expect([...peer.requested].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expect(peer.sentBytes()).toBe(2 * FILE_BYTES);

    // On disk: the wanted files are whole, the skipped one has no byte: absent, or (rTorrent
    // creates every file as it opens a torrent) without a block written.
    const folder = join(savePath, made.name);
    expect(statSync(join(folder, 'keep-1.bin')).size).toBe(FILE_BYTES);
    expect(statSync(join(folder, 'keep-2.bin')).size).toBe(FILE_BYTES);
    const skipped = join(folder, 'skipped.bin');
    expect(existsSync(skipped) ? statSync(skipped).blocks : 0).toBe(0);
    if (spec.kind !== 'rtorrent') expect(existsSync(skipped)).toBe(false);
  });

  it('refuses files to skip with a magnet link, which has no file list yet, and adds nothing', async () => {
    const hash = 'b'.repeat(39) + (spec.generation === 'debian12' ? '1' : '2');
    const magnet = `magnet:?xt=urn:btih:${hash}&dn=no-files-yet&tr=http%3A%2F%2F127.0.0.1%3A9%2Fannounce`;
    await expectSeedboxError(client.add({ kind: 'magnet', uri: magnet }, { skipFiles: [0] }), 'unsupported', /only when adding a \.torrent file/);
    expect(await daemon.view(hash)).toBeUndefined();
  });

  it('refuses an index past the last file, or one listed twice, and adds nothing', async () => {
    const made = makeTorrent({
      dataParent: daemon.dataDir('refused'),
      name: `refused-${spec.kind}`,
      files: [{ path: 'a.bin', content: filler('refused-a', 100) }, { path: 'b.bin', content: filler('refused-b', 100) }],
      writeData: false,
    });
    await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { skipFiles: [2] }), 'invalid-argument', /2 file\(s\), numbered 0 to 1/);
    await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { skipFiles: [1, 1] }), 'invalid-argument', /listed twice/);
    expect(await daemon.view(made.infoHash)).toBeUndefined();
  });
});

// qBittorrent skips by its own sequence (add stopped, filePrio, check, start). A WebUI that
// refuses a step part-way, as 4.5 does with 409 for a torrent it is not ready with, must not
// leave a started torrent fetching the files to skip: what was added goes again, or stays
// stopped when even that fails, and the error says which.
describe.each(GENERATIONS)('qBittorrent (%s) refusing a step of the skip', (generation) => {
  let qb: QbittorrentInstance;
  let api: QbittorrentApi;
  let proxy: Server;
  let client: QbittorrentClient;
  /** Endpoints (under /api/v2/) the proxy refuses with 409. */
  const refused = new Set<string>();

  beforeAll(async () => {
    qb = await startQbittorrent({ generation });
    api = new QbittorrentApi(qb);
    proxy = createServer((incoming, outgoing) => {
      const endpoint = (incoming.url ?? '').replace(/^\/api\/v2\//, '').split('?')[0]!;
      if (refused.has(endpoint)) {
        incoming.resume();
        outgoing.writeHead(409, { 'Content-Type': 'text/plain' }).end('Torrent refused by the test');
        return;
      }
      const forward = request({ host: '127.0.0.1', port: qb.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: `127.0.0.1:${qb.port}` } }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      forward.on('error', () => outgoing.destroy());
      incoming.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    client = new QbittorrentClient({ kind: 'qbittorrent', url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, username: qb.username, password: qb.password });
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    await qb?.stop();
  });

  const twoFiles = (name: string): ReturnType<typeof makeTorrent> =>
    makeTorrent({ dataParent: qb.dir, name, files: [{ path: 'a.bin', content: filler(`${name}-a`, 100) }, { path: 'b.bin', content: filler(`${name}-b`, 100) }], writeData: false });

  it('removes the torrent again when filePrio is refused, and says so', async () => {
    refused.clear();
    refused.add('torrents/filePrio');
    const made = twoFiles(`refused-prio-${generation}`);
    const error = await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { skipFiles: [1] }), 'rpc-fault', /filePrio.*The torrent was removed again; nothing of it was downloaded\.$/);
    expect(error.details).toMatchObject({ id: made.infoHash, removed: true });
    await waitFor('qBittorrent to have removed it', async () => (await api.torrent(made.infoHash)) === undefined);
  });

  it('leaves it stopped when the removal is refused too, and says so', async () => {
    refused.clear();
    refused.add('torrents/filePrio');
    refused.add('torrents/delete');
    const made = twoFiles(`refused-both-${generation}`);
    const error = await expectSeedboxError(client.add({ kind: 'file', bytes: made.bytes }, { skipFiles: [1] }), 'rpc-fault', /The torrent stays on the seedbox, stopped \(/);
    expect(error.details).toMatchObject({ id: made.infoHash, removed: false });
    // The daemon's own view: there, and stopped once it has looked at its (absent) data; still so a moment later.
    const state = async (): Promise<unknown> => (await api.torrent(made.infoHash))!['state'];
    await expect.poll(state, { timeout: 10_000 }).toBe(DAEMONS[generation].qbittorrent.stoppedDL);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await state()).toBe(DAEMONS[generation].qbittorrent.stoppedDL);
  });
});
