import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { expectSeedboxError } from '../../helpers/errors';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { rtorrentCall, rtorrentInt, waitForTorrent } from './support';

// Removing and moving data through a real rtorrent 0.9.8 when the disk is not the simple
// picture: symbolic links inside and around the torrent, files shared with another torrent,
// steps that fail half-way. Each case checks the disk and rtorrent's own state afterwards.

let rt: RtorrentInstance;
let client: RtorrentClient;
let root: string;
let caseNumber = 0;
const pinned: string[] = [];

beforeAll(async () => {
  expectCliBuilt();
  rt = await startRtorrent();
  client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
  root = join(rt.dir, 'safety');
  mkdirSync(root);
});

afterAll(async () => {
  // chattr +i outlives the test otherwise, and the temporary folder could not be removed.
  for (const path of pinned) execFileSync('chattr', ['-i', path]);
  await rt?.stop();
});

/** A fresh folder per case. */
function place(): string {
  const folder = join(root, `case${++caseNumber}`);
  mkdirSync(folder);
  return folder;
}

/** Makes a path immutable (root may do so on ext4): no rename, no unlink, even for root. */
function immutable(path: string): void {
  execFileSync('chattr', ['+i', path]);
  pinned.push(path);
}

async function addSeeding(made: MadeTorrent, savePath: string): Promise<string> {
  const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath });
  await waitForTorrent(client, id, (torrent) => torrent.state === 'seeding' && torrent.progress === 1);
  return id;
}

async function loaded(id: string): Promise<boolean> {
  return (await client.list()).some((torrent) => torrent.id === id);
}

/** What rtorrent itself says about a torrent, read through an independent XML-RPC path. */
async function rtState(id: string): Promise<{ directory: unknown; state: number; open: number; active: number }> {
  const hash = id.toUpperCase();
  return {
    directory: await rtorrentCall(rt, 'd.directory', [hash]),
    state: await rtorrentInt(rt, 'd.state', [hash]),
    open: await rtorrentInt(rt, 'd.is_open', [hash]),
    active: await rtorrentInt(rt, 'd.is_active', [hash]),
  };
}

describe('removing with data through rtorrent', () => {
  it('refuses (exit 7) when a folder inside the torrent is a link to another folder, and deletes nothing there or here', async () => {
    const parent = place();
    const elsewhere = join(parent, 'elsewhere');
    mkdirSync(elsewhere);
    const made = makeTorrent({
      dataParent: parent,
      name: 'Show',
      files: [
        { path: 'a.bin', content: filler('show-a', 3000) },
        { path: 'sub/e1.bin', content: filler('show-e1', 3000) },
      ],
    });
    const id = await addSeeding(made, parent);
    // The user moves sub/ to another disk and leaves a link; that disk has a file of the same name.
    writeFileSync(join(elsewhere, 'e1.bin'), filler('show-e1', 3000));
    writeFileSync(join(elsewhere, 'unrelated.txt'), 'mine');
    execFileSync('rm', ['-r', join(parent, 'Show', 'sub')]);
    symlinkSync(elsewhere, join(parent, 'Show', 'sub'));

    const run = await runSeedbox(['--url', rt.url, 'remove', id, '--delete-data']);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/sub is a symbolic link/);
    expect(readdirSync(elsewhere).sort()).toEqual(['e1.bin', 'unrelated.txt']);
    expect(existsSync(join(parent, 'Show', 'a.bin'))).toBe(true);
    expect(lstatSync(join(parent, 'Show', 'sub')).isSymbolicLink()).toBe(true);
    // Refused before it was stopped: still loaded and seeding.
    expect(await rtState(id)).toMatchObject({ state: 1, active: 1 });
  });

  it('deletes a file that is itself a link by unlinking the link: what it points to stays', async () => {
    const parent = place();
    const outside = join(parent, 'outside.bin');
    const made = makeTorrent({
      dataParent: parent,
      name: 'Linked file',
      files: [
        { path: 'x.bin', content: filler('lf-x', 2000) },
        { path: 'y.bin', content: filler('lf-y', 2000) },
      ],
    });
    writeFileSync(outside, filler('lf-x', 2000));
    execFileSync('rm', [join(parent, 'Linked file', 'x.bin')]);
    symlinkSync(outside, join(parent, 'Linked file', 'x.bin'));
    const id = await addSeeding(made, parent);
    await client.remove([id], { deleteData: true });
    expect(readdirSync(parent)).toEqual(['outside.bin']);
    expect(readFileSync(outside)).toEqual(filler('lf-x', 2000));
    expect(await loaded(id)).toBe(false);
  });

  it('deletes a single-file torrent whose path is a link by unlinking the link only', async () => {
    const parent = place();
    const disk = join(parent, 'disk2');
    mkdirSync(disk);
    const made = makeTorrent({ dataParent: disk, name: 'movie.bin', files: [{ path: '', content: filler('movie', 4000) }] });
    const saves = join(parent, 'saves');
    mkdirSync(saves);
    symlinkSync(join(disk, 'movie.bin'), join(saves, 'movie.bin'));
    const id = await addSeeding(made, saves);
    await client.remove([id], { deleteData: true });
    expect(readdirSync(saves)).toEqual([]);
    expect(readFileSync(join(disk, 'movie.bin'))).toEqual(filler('movie', 4000));
  });

  it('when the torrent’s folder itself is a link (data spread over disks), deletes inside the real folder, then the link', async () => {
    const parent = place();
    const disk = join(parent, 'disk2');
    const saves = join(parent, 'saves');
    mkdirSync(disk);
    mkdirSync(saves);
    const made = makeTorrent({
      dataParent: disk,
      name: 'Spread',
      files: [
        { path: 'one.bin', content: filler('spread-1', 3000) },
        { path: 'deep/two.bin', content: filler('spread-2', 3000) },
      ],
    });
    writeFileSync(join(disk, 'neighbour.bin'), 'stays');
    symlinkSync(join(disk, 'Spread'), join(saves, 'Spread'));
    const id = await addSeeding(made, saves);
    await client.remove([id], { deleteData: true });
    expect(readdirSync(disk)).toEqual(['neighbour.bin']);
    expect(readdirSync(saves)).toEqual([]);
  });

  it('refuses to delete a file another loaded torrent uses, by the same path or through a link; a hard link is only a name', async () => {
    const parent = place();
    const pack = makeTorrent({
      dataParent: parent,
      name: 'Pack',
      files: [
        { path: 'a.bin', content: filler('pack-a', 3000) },
        { path: 'b.bin', content: filler('pack-b', 3000) },
      ],
    });
    // Cross-seeded: a single-file torrent whose file is Pack/a.bin itself.
    const samePath = makeTorrent({ dataParent: join(parent, 'Pack'), name: 'a.bin', files: [{ path: '', content: filler('pack-a', 3000) }], writeData: false });
    const packId = await addSeeding(pack, parent);
    const samePathId = await addSeeding(samePath, join(parent, 'Pack'));
    await expectSeedboxError(client.remove([packId], { deleteData: true }), 'refused', new RegExp(`a\\.bin is also a file of torrent ${samePathId}`));
    expect(readdirSync(join(parent, 'Pack')).sort()).toEqual(['a.bin', 'b.bin']);
    expect(await rtState(packId)).toMatchObject({ state: 1, active: 1 });

    // Through a link (cross-seeding by symbolic links): refused as well.
    await client.remove([samePathId], { deleteData: false });
    const links = join(parent, 'links');
    mkdirSync(links);
    symlinkSync(join(parent, 'Pack', 'b.bin'), join(links, 'copy-b.bin'));
    const linked = makeTorrent({ dataParent: links, name: 'copy-b.bin', files: [{ path: '', content: filler('pack-b', 3000) }], writeData: false });
    const linkedId = await addSeeding(linked, links);
    await expectSeedboxError(client.remove([packId], { deleteData: true }), 'refused', new RegExp(`b\\.bin is also a file of torrent ${linkedId}`));
    expect(readdirSync(join(parent, 'Pack')).sort()).toEqual(['a.bin', 'b.bin']);

    // Removed together, the shared file is nobody else's any more.
    await client.remove([linkedId], { deleteData: false });
    const hard = join(parent, 'hard');
    mkdirSync(hard);
    linkSync(join(parent, 'Pack', 'a.bin'), join(hard, 'a.bin'));
    const hardLinked = makeTorrent({ dataParent: hard, name: 'a.bin', files: [{ path: '', content: filler('pack-a', 3000) }], writeData: false });
    const hardId = await addSeeding(hardLinked, hard);
    await client.remove([packId], { deleteData: true });
    expect(existsSync(join(parent, 'Pack'))).toBe(false);
    expect(readFileSync(join(hard, 'a.bin'))).toEqual(filler('pack-a', 3000));
    expect(await rtState(hardId)).toMatchObject({ state: 1, active: 1 });
  });

  it('removes a torrent of more files than one rTorrent command takes arguments (128)', async () => {
    const parent = place();
    const files = Array.from({ length: 300 }, (_, index) => ({ path: `part${index % 7}/file ${index}.bin`, content: filler(`many-${index}`, 100) }));
    const id = await addSeeding(makeTorrent({ dataParent: parent, name: 'Many', files }), parent);
    writeFileSync(join(parent, 'Many', 'part3', 'yours.txt'), 'stays');
    await client.remove([id], { deleteData: true });
    expect(readdirSync(join(parent, 'Many'))).toEqual(['part3']);
    expect(readdirSync(join(parent, 'Many', 'part3'))).toEqual(['yours.txt']);
  });

  it('when a file cannot be deleted, deletes the others and says exactly which one is left', async () => {
    const parent = place();
    const made = makeTorrent({
      dataParent: parent,
      name: 'Stubborn',
      files: [
        { path: 'gone.bin', content: filler('st-1', 2000) },
        { path: 'kept/stuck.bin', content: filler('st-2', 2000) },
      ],
    });
    const id = await addSeeding(made, parent);
    immutable(join(parent, 'Stubborn', 'kept', 'stuck.bin'));
    const error = await expectSeedboxError(client.remove([id], { deleteData: true }), 'rpc-fault', /1 of 2 files deleted, but these could not be: .*kept\/stuck\.bin/);
    expect(error.details).toMatchObject({ deleted: 1, notDeleted: 1 });
    expect(readdirSync(join(parent, 'Stubborn'))).toEqual(['kept']);
    expect(await loaded(id)).toBe(false);
  });
});

describe('moving data through rtorrent', () => {
  it('moving below a regular file fails (exit 7) and leaves path, state and data as they were', async () => {
    const parent = place();
    const made = makeTorrent({ dataParent: parent, name: 'Stay', files: [{ path: 's.bin', content: filler('stay', 3000) }] });
    const id = await addSeeding(made, parent);
    writeFileSync(join(parent, 'a-file'), 'I am a file');
    const before = await rtState(id);
    const run = await runSeedbox(['--url', rt.url, 'move', id, '--to', join(parent, 'a-file', 'below')]);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/a-file is a file, not a folder/);
    expect(await rtState(id)).toEqual(before);
    expect(before).toMatchObject({ directory: join(parent, 'Stay'), state: 1, active: 1 });
    expect(readFileSync(join(parent, 'Stay', 's.bin'))).toEqual(filler('stay', 3000));
  });

  it('refuses a destination that already exists, changing nothing', async () => {
    const parent = place();
    const made = makeTorrent({ dataParent: parent, name: 'Twice', files: [{ path: 't.bin', content: filler('twice', 3000) }] });
    const id = await addSeeding(made, parent);
    const target = join(parent, 'target');
    mkdirSync(join(target, 'Twice'), { recursive: true });
    writeFileSync(join(target, 'Twice', 'theirs.txt'), 'not yours');
    const before = await rtState(id);
    await expectSeedboxError(client.move([id], target), 'refused', /Twice already exists/);
    expect(await rtState(id)).toEqual(before);
    expect(readdirSync(join(target, 'Twice'))).toEqual(['theirs.txt']);
    expect(readdirSync(join(parent, 'Twice'))).toEqual(['t.bin']);
  });

  it('when the move itself fails after the torrent was stopped, undoes every step: folders, path, state', async () => {
    const parent = place();
    const made = makeTorrent({ dataParent: parent, name: 'Pinned', files: [{ path: 'p.bin', content: filler('pinned', 3000) }] });
    const id = await addSeeding(made, parent);
    await client.stop([id]);
    await rtorrentCall(rt, 'd.open', [id.toUpperCase()]); // stopped but open: restored as such
    immutable(join(parent, 'Pinned')); // rename(2) of the folder fails: EPERM
    const before = await rtState(id);
    const run = await runSeedbox(['--url', rt.url, 'move', id, '--to', join(parent, 'new', 'deeper')]);
    expect(run.code).toBe(7);
    expect(run.stderr).toMatch(/could not move .*Pinned.*undone/);
    expect(await rtState(id)).toEqual(before);
    expect(before).toMatchObject({ state: 0, open: 1 });
    expect(existsSync(join(parent, 'new'))).toBe(false);
    expect(readdirSync(join(parent, 'Pinned'))).toEqual(['p.bin']);
  });

  it('a move to another file system that runs out of space part-way leaves the torrent as it was, its data whole', async () => {
    const parent = place();
    const made = makeTorrent({
      dataParent: parent,
      name: 'Big',
      files: [
        { path: '1.bin', content: filler('big-1', 12_000) },
        { path: '2.bin', content: filler('big-2', 12_000) },
      ],
    });
    const id = await addSeeding(made, parent);
    // 20 KiB of tmpfs: mv copies the first file, then fails on the second.
    const small = join(parent, 'small');
    mkdirSync(small);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20k', 'tmpfs', small]);
    try {
      const before = await rtState(id);
      await expectSeedboxError(client.move([id], join(small, 'to')), 'rpc-fault', /stopped part-way.*the data is still at .*Big.*partial copy is left at .*small\/to\/Big.*The move was undone/);
      expect(await rtState(id)).toEqual(before);
      expect(before).toMatchObject({ directory: join(parent, 'Big'), state: 1, active: 1 });
      expect(readFileSync(join(parent, 'Big', '1.bin'))).toEqual(filler('big-1', 12_000));
      expect(readFileSync(join(parent, 'Big', '2.bin'))).toEqual(filler('big-2', 12_000));
    } finally {
      execFileSync('umount', ['--lazy', small]); // lazy: an rtorrent still reading there must not keep it mounted
    }
  });

  it('moves torrents one by one: a failure on the second leaves the first moved and says so', async () => {
    const parent = place();
    const target = join(parent, 'target');
    const first = makeTorrent({ dataParent: parent, name: 'First', files: [{ path: 'f.bin', content: filler('first', 3000) }] });
    const second = makeTorrent({ dataParent: parent, name: 'Second', files: [{ path: 's.bin', content: filler('second', 3000) }] });
    const firstId = await addSeeding(first, parent);
    const secondId = await addSeeding(second, parent);
    await rtorrentCall(rt, 'd.pause', [firstId.toUpperCase()]);
    mkdirSync(join(target, 'Second'), { recursive: true });
    const secondBefore = await rtState(secondId);
    const error = await expectSeedboxError(client.move([firstId, secondId], target), 'refused', new RegExp(`Second already exists.*Moved before this failure: ${firstId}`));
    expect(error.details).toMatchObject({ moved: firstId });
    expect(await rtState(firstId)).toEqual({ directory: join(target, 'First'), state: 1, open: 1, active: 0 });
    expect(readdirSync(join(target, 'First'))).toEqual(['f.bin']);
    expect(await rtState(secondId)).toEqual(secondBefore);
    expect(readdirSync(join(parent, 'Second'))).toEqual(['s.bin']);
  });

  it('moves a single-file torrent and keeps a stopped one stopped', async () => {
    const parent = place();
    const made = makeTorrent({ dataParent: parent, name: 'lone.bin', files: [{ path: '', content: filler('lone', 3000) }] });
    const id = await addSeeding(made, parent);
    await client.stop([id]);
    await client.move([id], join(parent, 'elsewhere'));
    expect(await rtState(id)).toEqual({ directory: join(parent, 'elsewhere'), state: 0, open: 0, active: 0 });
    expect(readFileSync(join(parent, 'elsewhere', 'lone.bin'))).toEqual(filler('lone', 3000));
    expect(existsSync(join(parent, 'lone.bin'))).toBe(false);
  });
});
