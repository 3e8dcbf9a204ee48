import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../electron/core/clients/deluge/client';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import { TransmissionClient } from '../../../electron/core/clients/transmission/client';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { expectSeedboxError } from '../../helpers/errors';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';

// Deluge, qBittorrent and Transmission delete and move data themselves. What each really does
// with a link to a folder inside a torrent, a destination that exists and one that cannot be
// created was checked against the real daemons here; these tests keep it so (README: "Deleting
// and moving data with Deluge, qBittorrent and Transmission").

interface Daemon {
  name: 'deluge' | 'qbittorrent' | 'transmission';
  client: TorrentClient;
  dir: string;
  stop(): Promise<void>;
}

const daemons: Daemon[] = [];
let deluge: DelugeInstance;
let qbittorrent: QbittorrentInstance;
let transmission: TransmissionInstance;

beforeAll(async () => {
  [deluge, qbittorrent, transmission] = await Promise.all([startDeluged(), startQbittorrent(), startTransmission()]);
  daemons.push(
    {
      name: 'deluge',
      client: new DelugeClient({
        kind: 'deluge',
        url: `deluge://127.0.0.1:${deluge.port}`,
        username: deluge.username,
        password: deluge.password,
        transport: { tls: { pinnedSha256: deluge.certificateSha256 } },
      }),
      dir: deluge.dir,
      stop: () => deluge.stop(),
    },
    {
      name: 'qbittorrent',
      client: new QbittorrentClient({ kind: 'qbittorrent', url: qbittorrent.url, username: qbittorrent.username, password: qbittorrent.password }),
      dir: qbittorrent.dir,
      stop: () => qbittorrent.stop(),
    },
    {
      name: 'transmission',
      client: new TransmissionClient({ kind: 'transmission', url: transmission.url, username: transmission.username, password: transmission.password }),
      dir: transmission.dir,
      stop: () => transmission.stop(),
    },
  );
}, 120_000);

afterAll(async () => {
  for (const daemon of daemons) {
    await daemon.client.close();
    await daemon.stop();
  }
});

let caseNumber = 0;
function place(daemon: Daemon): string {
  const folder = join(daemon.dir, `safety${++caseNumber}`);
  mkdirSync(folder);
  return folder;
}

/** Adds a complete multi-file torrent, paused, and waits until the daemon has verified its data. */
async function addComplete(daemon: Daemon, parent: string, name: string, files: { path: string; content: Buffer }[]): Promise<string> {
  const made = makeTorrent({ dataParent: parent, name, files });
  const id = await daemon.client.add({ kind: 'file', bytes: made.bytes }, { savePath: parent, paused: true });
  await daemon.client.recheck([id]);
  await waitForTorrent(daemon.client, id, (torrent) => torrent.progress === 1 && torrent.state === 'paused');
  return id;
}

async function savePathOf(daemon: Daemon, id: string): Promise<string | undefined> {
  return (await daemon.client.list()).find((torrent) => torrent.id === id)?.savePath;
}

const each = (): Daemon[] => daemons;

describe.each(['deluge', 'qbittorrent', 'transmission'] as const)('%s', (name) => {
  const daemon = (): Daemon => each().find((candidate) => candidate.name === name)!;

  it('removing with data follows a link to a folder inside the torrent: the daemon deletes the file of that name in the folder it points to', async () => {
    const parent = place(daemon());
    const elsewhere = join(parent, 'elsewhere');
    mkdirSync(elsewhere);
    const id = await addComplete(daemon(), parent, 'Show', [
      { path: 'a.bin', content: filler(`${name}-a`, 3000) },
      { path: 'sub/e1.bin', content: filler(`${name}-e1`, 3000) },
    ]);
    writeFileSync(join(elsewhere, 'e1.bin'), filler(`${name}-e1`, 3000));
    writeFileSync(join(elsewhere, 'unrelated.txt'), 'not a file of the torrent');
    execFileSync('rm', ['-r', join(parent, 'Show', 'sub')]);
    symlinkSync(elsewhere, join(parent, 'Show', 'sub'));

    await daemon().client.remove([id], { deleteData: true });
    await waitForGone(daemon(), id);
    // What the daemon does, as verified: the outside file of the same name is gone; other
    // files there stay. Nothing the client can see through these APIs tells it about the link.
    await eventually(() => readdirSync(elsewhere), ['unrelated.txt']);
    expect(existsSync(join(parent, 'Show', 'a.bin'))).toBe(false);
  });

  it('moving below a regular file fails with a clear error, and the torrent stays where it was with its data', async () => {
    const parent = place(daemon());
    const id = await addComplete(daemon(), parent, 'Stay', [{ path: 's.bin', content: filler(`${name}-stay`, 3000) }]);
    writeFileSync(join(parent, 'a-file'), 'I am a file');
    const error = await expectSeedboxError(daemon().client.move([id], join(parent, 'a-file', 'below')), 'rpc-fault');
    expect(error.message).toMatch(/a-file|save path/);
    expect(await savePathOf(daemon(), id)).toBe(parent);
    expect(readFileSync(join(parent, 'Stay', 's.bin'))).toEqual(filler(`${name}-stay`, 3000));
  });

  it('moving onto a destination that exists never loses a file there or of the torrent', async () => {
    const parent = place(daemon());
    const id = await addComplete(daemon(), parent, 'Twice', [{ path: 't.bin', content: filler(`${name}-twice`, 3000) }]);
    const target = join(parent, 'target');
    mkdirSync(join(target, 'Twice'), { recursive: true });
    writeFileSync(join(target, 'Twice', 't.bin'), 'theirs, not the torrent’s');
    if (name === 'qbittorrent') {
      // qBittorrent 4.5 keeps files of the same name at the destination and points the torrent
      // at them (libtorrent's dont_replace), leaving its own where they were; its WebUI API has
      // no way to look at the destination first. Nothing is lost.
      await daemon().client.move([id], target);
      await eventually(() => savePathOf(daemon(), id), target);
    } else {
      await expectSeedboxError(daemon().client.move([id], target), 'refused', /Twice already exists/);
      expect(await savePathOf(daemon(), id)).toBe(parent);
    }
    expect(readFileSync(join(target, 'Twice', 't.bin'), 'utf8')).toBe('theirs, not the torrent’s');
    expect(readFileSync(join(parent, 'Twice', 't.bin'))).toEqual(filler(`${name}-twice`, 3000));
  });

  if (name === 'deluge') {
    it('a move to another file system that runs out of space is reported, and the data stays whole where it was', async () => {
      const parent = place(daemon());
      const id = await addComplete(daemon(), parent, 'Big', [
        { path: '1.bin', content: filler('deluge-big-1', 12_000) },
        { path: '2.bin', content: filler('deluge-big-2', 12_000) },
      ]);
      const small = join(parent, 'small');
      mkdirSync(small);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20k', 'tmpfs', small]);
      try {
        await expectSeedboxError(daemon().client.move([id], join(small, 'to')), 'rpc-fault', /Deluge could not move .*Failed to move download folder/);
        expect(await savePathOf(daemon(), id)).toBe(parent);
        expect(readFileSync(join(parent, 'Big', '1.bin'))).toEqual(filler('deluge-big-1', 12_000));
        expect(readFileSync(join(parent, 'Big', '2.bin'))).toEqual(filler('deluge-big-2', 12_000));
      } finally {
        execFileSync('umount', ['--lazy', small]);
      }
    });
  }

  it('still moves where nothing is in the way', async () => {
    const parent = place(daemon());
    const id = await addComplete(daemon(), parent, 'Go', [{ path: 'g.bin', content: filler(`${name}-go`, 3000) }]);
    await daemon().client.move([id], join(parent, 'new', 'place'));
    await eventually(() => savePathOf(daemon(), id), join(parent, 'new', 'place'));
    expect(readFileSync(join(parent, 'new', 'place', 'Go', 'g.bin'))).toEqual(filler(`${name}-go`, 3000));
    expect(existsSync(join(parent, 'Go'))).toBe(false);
  });
});

async function waitForGone(daemon: Daemon, id: string): Promise<void> {
  await eventually(async () => (await daemon.client.list()).some((torrent) => torrent.id === id), false);
}

/** Daemons act in the background: waits up to 10 s for `read` to give `expected`. */
async function eventually<T>(read: () => T | Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(last).toEqual(expected);
}
