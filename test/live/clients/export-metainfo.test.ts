// Every daemon gives a torrent's own .torrent (TorrentClient.exportMetainfo): qBittorrent and
// rTorrent (through its execute commands) the bytes, Deluge and Transmission a file on the box
// read over SFTP from a real sshd. What arrives is trusted only when its info-hash is the
// torrent's, and a fetch with it checks every piece against the torrent's own hashes.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { SshTunnel } from '../../../electron/core/connections/ssh-tunnel';
import { fetchTorrent } from '../../../electron/core/fetch/fetch-torrent';
import { exportCheckedMetainfo, metainfoForFetch, torrentToFetch } from '../../../electron/core/fetch/metainfo';
import { parseTorrentFile } from '../../../electron/core/torrent/metainfo';
import type { ClientKind } from '../../../electron/shared/model';
import { CLIENT_DAEMONS, type ClientDaemon } from '../../helpers/client-daemons';
import { expectSeedboxError } from '../../helpers/errors';
import { tempDir } from '../../helpers/processes';
import { rootKeyLogin, startSshd, type SshdInstance } from '../../helpers/sshd';
import { filler, makeTorrent, PIECE_LENGTH, type MadeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';

/** Where each daemon's .torrent comes from. */
const EXPORTED_FROM: Record<ClientKind, 'daemon' | 'box-file'> = {
  rtorrent: 'daemon',
  qbittorrent: 'daemon',
  deluge: 'box-file',
  transmission: 'box-file',
};

let sshd: SshdInstance;
let tunnel: SshTunnel;
let sftp: SFTPWrapper;

beforeAll(async () => {
  sshd = await startSshd({ sftp: true });
  // SFTP only: the forward is never used.
  tunnel = await SshTunnel.open(rootKeyLogin(sshd, { kind: 'tcp', host: '127.0.0.1', port: 9 }), { timeoutMs: 10_000 });
  sftp = await tunnel.sftp();
});

afterAll(async () => {
  await tunnel?.close();
  await sshd?.stop();
});

describe.each(CLIENT_DAEMONS.map((spec) => [spec.title, spec] as const))('%s', (_title, spec) => {
  let daemon: ClientDaemon;
  let client: TorrentClient;
  let made: MadeTorrent;
  let id: string;

  beforeAll(async () => {
    daemon = await spec.start();
    client = daemon.newClient();
    // Files that share pieces, so the layout must match the daemon's file list exactly.
    made = makeTorrent({
      dataParent: daemon.dataDir('export'),
      name: 'Exported – set',
      files: [
        { path: 'a.bin', content: filler('a', 40_000) },
        { path: 'sub/b.bin', content: filler('b', 20_000) },
      ],
    });
    id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: made.dataParent });
    await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding' && torrent.progress === 1, 60_000);
  });

  afterAll(async () => {
    await client?.close();
    await daemon?.stop();
  });

  it(`gives the .torrent ${EXPORTED_FROM[spec.kind] === 'daemon' ? 'itself' : 'as a file on the box'}, whose info-hash is the torrent's`, async () => {
    const exported = await client.exportMetainfo(id);
    expect(exported.from).toBe(EXPORTED_FROM[spec.kind]);
    const bytes = await exportCheckedMetainfo(client, id, { sftp });
    expect(parseTorrentFile(bytes).infoHash).toBe(made.infoHash);
  });

  it('refuses an unknown torrent as not found', async () => {
    await expectSeedboxError(client.exportMetainfo('0'.repeat(40)), 'not-found');
  });

  it('fetches the torrent with it, checking every piece', async () => {
    const destination = tempDir('export-fetch');
    const report = await fetchTorrent(sftp, { ...(await torrentToFetch(client, id, { sftp })), destination });
    expect(report).toMatchObject({ verifiedBy: 'pieces', checkedPieces: Math.ceil(60_000 / PIECE_LENGTH), badPieces: [] });
    expect(report.files.map((file) => file.outcome)).toEqual(['fetched', 'fetched']);
    for (const file of made.files) expect(readFileSync(join(destination, made.name, file.path)).equals(file.content)).toBe(true);
  });

  it('has none for a magnet still fetching its metadata, and the fetch is told why', async () => {
    const magnet = 'facade00'.repeat(5);
    await client.add({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${magnet}&dn=m&tr=${encodeURIComponent('http://127.0.0.1:9/announce')}` });
    await waitForTorrent(client, magnet, (torrent) => torrent.state === 'metadata');
    try {
      const { metainfo, metainfoUnavailable } = await metainfoForFetch(client, magnet, { sftp });
      expect(metainfo).toBeUndefined();
      expect(metainfoUnavailable).toMatchObject({ code: 'unsupported' });
      // qBittorrent: "... yet: Unable to export torrent file. Error: Missing metadata."
      expect(metainfoUnavailable!.message).toMatch(/no \.torrent for facade00\S* (yet|that can be read): (it is still fetching its metadata|.*Missing metadata)\.$/);
    } finally {
      await client.remove([magnet], { deleteData: false });
    }
  });

  it(`${EXPORTED_FROM[spec.kind] === 'daemon' ? 'needs no' : 'needs'} SSH settings to get it`, async () => {
    const withoutSsh = exportCheckedMetainfo(client, id, undefined);
    if (EXPORTED_FROM[spec.kind] === 'daemon') expect(parseTorrentFile(await withoutSsh).infoHash).toBe(made.infoHash);
    else await expectSeedboxError(withoutSsh, 'unsupported', /read over SFTP: the seedbox needs SSH settings/);
  });

  // Where the daemon keeps it as a file on the box, that file may be anything.
  if (EXPORTED_FROM[spec.kind] === 'box-file') {
    it("does not trust another torrent's .torrent found in its place", async () => {
      const exported = await client.exportMetainfo(id);
      if (exported.from !== 'box-file') throw new Error('expected a box file');
      const kept = readFileSync(exported.path);
      const other = makeTorrent({ dataParent: daemon.dataDir('other'), name: 'other', files: [{ path: '', content: filler('other', 1000) }], writeData: false });
      writeFileSync(exported.path, other.bytes);
      try {
        const { metainfo, metainfoUnavailable } = await metainfoForFetch(client, id, { sftp });
        expect(metainfo).toBeUndefined();
        expect(metainfoUnavailable).toMatchObject({ code: 'invalid-torrent' });
        expect(metainfoUnavailable!.message).toBe(`${exported.path} on the box belongs to another torrent (${other.infoHash}), not to ${made.infoHash}.`);
      } finally {
        writeFileSync(exported.path, kept);
      }
    });
  }
});
