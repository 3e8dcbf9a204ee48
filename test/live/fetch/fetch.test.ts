// Fetching completed torrents over SFTP from a real OpenSSH sshd (internal-sftp), the data
// seeded by a real rTorrent: bytes compared, a cut connection resumed, existing local files,
// names no OS should get as they are, and a piece corrupted on the box caught by its hash.
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { open, type FileHandle } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../electron/core/config/registry';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-store';
import { SshTunnel } from '../../../electron/core/connections/ssh-tunnel';
import { BandwidthLimit } from '../../../electron/core/fetch/bandwidth';
import { fetchTorrent, type FetchTorrentRequest, type SftpConnection } from '../../../electron/core/fetch/fetch-torrent';
import { SeedboxError } from '../../../electron/shared/errors';
import { createEventSource, type CoreEvents } from '../../../electron/core/events';
import { fetchEventsOn, FetchQueue, type FetchJob, type FetchQueueOptions } from '../../../electron/core/fetch/queue';
import { torrentToFetch } from '../../../electron/core/fetch/metainfo';
import { rejectionOf } from '../../helpers/errors';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { rootKeyLogin, startSshd, type SshdInstance } from '../../helpers/sshd';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { seedCompleted } from './support';

let sshd: SshdInstance;
let rt: RtorrentInstance;
let client: RtorrentClient;
let dataRoot: string;
const tunnels: SshTunnel[] = [];
const seeded = new Map<string, { made: MadeTorrent; id: string }>();

const SHOW_FILES = [
  { path: 'a/big.bin', content: filler('big', 700 * 1024 + 123) },
  { path: 'small.txt', content: filler('small', 1000) },
  { path: 'b/c/tiny.bin', content: filler('tiny', 5000) },
];

beforeAll(async () => {
  [sshd, rt] = await Promise.all([startSshd({ sftp: true }), startRtorrent()]);
  client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
  dataRoot = tempDir('fetch-box');
  await seed('Show', SHOW_FILES);
  await seed('single.bin', [{ path: '', content: filler('single', 40_000) }]);
  await seed('resumable.bin', [{ path: '', content: filler('resumable', 1536 * 1024) }]);
  await seed('corrupt', [{ path: 'data.bin', content: filler('corrupt', 100 * 1024) }, { path: 'other.bin', content: filler('other', 64 * 1024) }]);
  await seed('spoiled', [{ path: 'first.bin', content: filler('first', 48 * 1024) }, { path: 'second.bin', content: filler('second', 40 * 1024) }]);
  await seed('CON', [
    { path: 'aux.txt', content: 'device name' },
    { path: 'what?.txt', content: 'forbidden character' },
    { path: 'trailing dot.', content: 'windows drops it' },
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(tunnels.map((tunnel) => tunnel.close()));
  await client?.close();
  await Promise.all([sshd?.stop(), rt?.stop()]);
});

/** Writes the data, has rTorrent check and seed it, and remembers its id. */
async function seed(name: string, files: { path: string; content: Buffer | string }[]): Promise<void> {
  seeded.set(name, await seedCompleted(client, dataRoot, name, files));
}

async function openSftp(): Promise<SFTPWrapper> {
  const tunnel = await SshTunnel.open(rootKeyLogin(sshd, { kind: 'unix', path: rt.socketPath! }), { timeoutMs: 10_000 });
  tunnels.push(tunnel);
  return tunnel.sftp();
}

/** What the app would ask: the daemon's own details, the .torrent, a fresh local folder. */
async function requestFor(name: string, changes: Partial<FetchTorrentRequest> = {}): Promise<FetchTorrentRequest> {
  const { made, id } = seeded.get(name)!;
  const details = await client.details(id);
  return {
    name: details.torrent.name,
    savePath: details.torrent.savePath,
    files: details.files,
    metainfo: made.bytes,
    destination: tempDir('fetch-home'),
    ...changes,
  };
}

/** Every file under `folder`, relative, '/'-joined. */
function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

describe('fetch over SFTP', () => {
  it('fetches a whole torrent, checks every piece, and leaves exactly its files', async () => {
    const sftp = await openSftp();
    const request = await requestFor('Show');
    const progress: number[] = [];
    const report = await fetchTorrent(sftp, request, { onProgress: (p) => progress.push(p.doneBytes) });
    expect(report.verifiedBy).toBe('pieces');
    expect(report.badPieces).toEqual([]);
    expect(report.files.map((file) => file.outcome)).toEqual(['fetched', 'fetched', 'fetched']);
    expect(listFiles(request.destination).sort()).toEqual(['Show/a/big.bin', 'Show/b/c/tiny.bin', 'Show/small.txt']);
    for (const file of SHOW_FILES) expect(readFileSync(join(request.destination, 'Show', file.path)).equals(file.content)).toBe(true);
    expect(progress.at(-1)).toBe(SHOW_FILES.reduce((sum, file) => sum + file.content.length, 0));
  });

  it('fetches only the chosen files, checking the pieces they share with the others against the box', async () => {
    const sftp = await openSftp();
    const request = await requestFor('Show', { fileIndexes: [1] });
    const report = await fetchTorrent(sftp, request);
    expect(report.files).toMatchObject([{ index: 1, outcome: 'fetched' }]);
    expect(listFiles(request.destination)).toEqual(['Show/small.txt']);
    expect(readFileSync(join(request.destination, 'Show/small.txt')).equals(SHOW_FILES[1]!.content)).toBe(true);
    // small.txt shares its one piece with big.bin and tiny.bin: their bytes were read from the box.
    expect(report.transferredBytes).toBeGreaterThan(1000);
  });

  it('fetches a single-file torrent as one file, and refuses a file index it does not have', async () => {
    const sftp = await openSftp();
    const request = await requestFor('single.bin');
    await fetchTorrent(sftp, request);
    expect(listFiles(request.destination)).toEqual(['single.bin']);
    expect(readFileSync(join(request.destination, 'single.bin')).equals(seeded.get('single.bin')!.made.files[0]!.content)).toBe(true);
    const error = await rejectionOf(fetchTorrent(sftp, await requestFor('single.bin', { fileIndexes: [3] })));
    expect(error.code).toBe('invalid-argument');
  });

  it('reaches the data through the path mapping when SFTP sees it elsewhere than the daemon', async () => {
    const sftp = await openSftp();
    const jail = tempDir('fetch-chroot');
    symlinkSync(dataRoot, join(jail, 'downloads'));
    // The daemon reports /srv/seedbox; over SFTP the same folder is jail/downloads.
    const request = await requestFor('single.bin', { savePath: '/srv/seedbox', pathMapping: [{ daemon: '/srv/seedbox/', sftp: join(jail, 'downloads') }] });
    const report = await fetchTorrent(sftp, request);
    expect(report.files[0]!.outcome).toBe('fetched');
    const unmapped = await rejectionOf(fetchTorrent(sftp, await requestFor('single.bin', { savePath: '/srv/seedbox' })));
    expect(unmapped.code).toBe('not-found');
    expect(unmapped.message).toContain('/srv/seedbox/single.bin does not exist on the box (check the path mapping)');
  });

  it('skips an identical local file, refuses a different one, or keeps both when told', async () => {
    const sftp = await openSftp();
    const destination = tempDir('fetch-home');
    await fetchTorrent(sftp, await requestFor('Show', { destination, fileIndexes: [1] }));
    const identical = await fetchTorrent(sftp, await requestFor('Show', { destination, fileIndexes: [1] }));
    expect(identical.files).toMatchObject([{ outcome: 'identical' }]);

    const mine = join(destination, 'Show/small.txt');
    writeFileSync(mine, 'my own notes, not the torrent');
    const refused = await fetchTorrent(sftp, await requestFor('Show', { destination, fileIndexes: [1] }));
    expect(refused.files).toMatchObject([{ outcome: 'exists', error: { code: 'already-exists' } }]);
    expect(readFileSync(mine, 'utf8')).toBe('my own notes, not the torrent');

    const both = await fetchTorrent(sftp, await requestFor('Show', { destination, fileIndexes: [1], onExisting: 'keep-both' }));
    expect(both.files).toMatchObject([{ outcome: 'fetched', localPath: join(destination, 'Show/small (2).txt') }]);
    expect(readFileSync(mine, 'utf8')).toBe('my own notes, not the torrent');
    expect(readFileSync(join(destination, 'Show/small (2).txt')).equals(SHOW_FILES[1]!.content)).toBe(true);
  });

  it('checks free space before writing anything', async () => {
    const request = await requestFor('Show', { metainfo: undefined });
    // As if the daemon listed a file far larger than any disk: refused before any byte is written.
    const files = request.files.map((file, index) => (index === 0 ? { ...file, sizeBytes: 2 ** 52 } : file));
    const error = await rejectionOf(fetchTorrent(await openSftp(), { ...request, files }));
    expect(error.code).toBe('refused');
    expect(error.details).toMatchObject({ reason: 'no-space', neededBytes: 2 ** 52 + 6000 });
    expect(readdirSync(request.destination)).toEqual([]);
  });

  it('never writes through a symlink planted in the destination', async () => {
    const sftp = await openSftp();
    const destination = tempDir('fetch-home');
    const outside = tempDir('fetch-outside');
    symlinkSync(outside, join(destination, 'Show'));
    const report = await fetchTorrent(sftp, await requestFor('Show', { destination, fileIndexes: [1] }));
    expect(report.files).toMatchObject([{ outcome: 'failed', error: { code: 'refused' } }]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('gives names no OS would take as they are a safe form', async () => {
    const sftp = await openSftp();
    const request = await requestFor('CON');
    const report = await fetchTorrent(sftp, request);
    expect(report.files.every((file) => file.outcome === 'fetched')).toBe(true);
    expect(listFiles(request.destination).sort()).toEqual(['_CON/_aux.txt', '_CON/trailing dot', '_CON/what_.txt']);
    expect(readFileSync(join(request.destination, '_CON/what_.txt'), 'utf8')).toBe('forbidden character');
  });

  it('resumes a file cut mid-way from its .part, and repairs a piece spoiled in the .part', async () => {
    const content = seeded.get('resumable.bin')!.made.files[0]!.content;
    const request = await requestFor('resumable.bin');
    const part = join(request.destination, 'resumable.bin.part');
    const sftp = await openSftp();
    let cut = false;
    const error = await rejectionOf(
      fetchTorrent(sftp, request, {
        bandwidth: new BandwidthLimit(512 * 1024),
        parallelReads: 2,
        onProgress: (progress) => {
          if (!cut && progress.doneBytes > 300 * 1024) {
            cut = true;
            expect(sshd.killSessions()).toBeGreaterThan(0);
          }
        },
      }),
    );
    expect(error.code).toBe('connection-lost');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(300 * 1024);
    expect(kept).toBeLessThan(content.length);
    expect(existsSync(join(request.destination, 'resumable.bin'))).toBe(false);
    // A byte of the kept prefix goes bad (a disk, a crash): the piece check must catch it.
    const spoiled = readFileSync(part);
    spoiled[1000] = spoiled[1000]! ^ 0xff;
    writeFileSync(part, spoiled);

    const report = await fetchTorrent(await openSftp(), request);
    expect(report.files).toMatchObject([{ outcome: 'fetched', resumedFromBytes: kept }]);
    expect(report.repairedPieces).toEqual([0]);
    expect(report.badPieces).toEqual([]);
    expect(report.transferredBytes).toBe(content.length - kept + 16 * 1024);
    expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
    expect(existsSync(part)).toBe(false);
  });

  it('spreads a large file over several SSH connections, writing only a clean prefix to resume from when cut', async () => {
    const content = seeded.get('resumable.bin')!.made.files[0]!.content;
    const request = await requestFor('resumable.bin');
    const part = join(request.destination, 'resumable.bin.part');
    let opened = 0;
    const openConnection = async (): Promise<SftpConnection> => {
      opened++;
      return { sftp: await openSftp(), close: async () => undefined };
    };
    // Loopback is near: only a zero distance threshold makes the extra connections open.
    const spread = { openConnection, connectionsPerLargeFile: 3, largeFileBytes: 256 * 1024, chunkBytes: 16 * 1024, parallelReads: 4, extraConnectionsFromRoundTripMs: 0 };
    let cut = false;
    const error = await rejectionOf(
      fetchTorrent(await openSftp(), request, {
        ...spread,
        bandwidth: new BandwidthLimit(512 * 1024),
        onProgress: (progress) => {
          if (!cut && progress.doneBytes > 300 * 1024) {
            cut = true;
            expect(sshd.killSessions()).toBeGreaterThan(2);
          }
        },
      }),
    );
    expect(error.code).toBe('connection-lost');
    expect(opened).toBe(2);
    // Reads went to three connections, yet the .part holds exactly the file's first bytes.
    const kept = readFileSync(part);
    expect(kept.length).toBeGreaterThan(300 * 1024);
    expect(kept.length).toBeLessThan(content.length);
    expect(kept.equals(content.subarray(0, kept.length))).toBe(true);

    const report = await fetchTorrent(await openSftp(), request, spread);
    expect(report).toMatchObject({ connections: 3, badPieces: [], repairedPieces: [], files: [{ outcome: 'fetched', resumedFromBytes: kept.length }] });
    expect(report.extraConnectionsFailed).toBeUndefined();
    expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
  });

  describe('a .part sent to the disk while it still arrives', () => {
    /** FileHandle's own class, observed (its datasync still runs) to see when the data goes to the disk. */
    async function fileHandleClass(): Promise<FileHandle> {
      const handle = await open(join(tempDir('fetch-handle'), 'probe'), 'w');
      await handle.close();
      return Object.getPrototypeOf(handle) as FileHandle;
    }

    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('flushes every so many bytes during the transfer, not a whole file at the end', async () => {
      const content = seeded.get('resumable.bin')!.made.files[0]!.content;
      const request = await requestFor('resumable.bin');
      const handles = await fileHandleClass();
      const datasync = handles.datasync;
      /** The .part's size at each flush. */
      const flushedAt: number[] = [];
      vi.spyOn(handles, 'datasync').mockImplementation(async function (this: FileHandle) {
        flushedAt.push((await this.stat()).size);
        return datasync.call(this);
      });
      // 1.5 s at this rate: room for several flushes of 256 KiB even when the disk is slow.
      const report = await fetchTorrent(await openSftp(), request, { flushEveryBytes: 256 * 1024, chunkBytes: 64 * 1024, parallelReads: 2, bandwidth: new BandwidthLimit(1024 * 1024) });
      expect(report.files).toMatchObject([{ outcome: 'fetched' }]);
      expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
      const during = flushedAt.filter((size) => size < content.length);
      expect(during.length).toBeGreaterThanOrEqual(2);
      // The last flush, before the name is given, covers the whole file.
      expect(flushedAt.at(-1)).toBe(content.length);
    });

    it('stops the fetch with a typed error when the disk refuses a flush, the .part a clean prefix that resumes', async () => {
      const content = seeded.get('resumable.bin')!.made.files[0]!.content;
      const request = await requestFor('resumable.bin');
      const part = join(request.destination, 'resumable.bin.part');
      const handles = await fileHandleClass();
      // What a full disk answers to a flush of delayed allocations.
      vi.spyOn(handles, 'datasync').mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device, fdatasync'), { code: 'ENOSPC' }));
      const error = await rejectionOf(
        fetchTorrent(await openSftp(), request, { flushEveryBytes: 256 * 1024, chunkBytes: 64 * 1024, parallelReads: 2, bandwidth: new BandwidthLimit(2 * 1024 * 1024) }),
      );
      expect(error).toBeInstanceOf(SeedboxError);
      expect(error).toMatchObject({ code: 'refused', details: { path: part, reason: 'no-space' } });
      const kept = readFileSync(part);
      expect(kept.length).toBeGreaterThanOrEqual(256 * 1024);
      expect(kept.length).toBeLessThan(content.length);
      expect(kept.equals(content.subarray(0, kept.length))).toBe(true);
      expect(existsSync(join(request.destination, 'resumable.bin'))).toBe(false);

      vi.restoreAllMocks();
      const report = await fetchTorrent(await openSftp(), request);
      expect(report.files).toMatchObject([{ outcome: 'fetched', resumedFromBytes: kept.length }]);
      expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
    });
  });

  it('goes on over one connection when the box refuses extra ones, and says so', async () => {
    const content = seeded.get('resumable.bin')!.made.files[0]!.content;
    const request = await requestFor('resumable.bin');
    const report = await fetchTorrent(await openSftp(), request, {
      openConnection: () => Promise.reject(new SeedboxError('connection-lost', 'too many connections')),
      largeFileBytes: 256 * 1024,
      extraConnectionsFromRoundTripMs: 0,
    });
    expect(report).toMatchObject({ connections: 1, extraConnectionsFailed: { code: 'connection-lost', message: 'too many connections' }, files: [{ outcome: 'fetched' }] });
    expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
  });

  it('opens no extra connection to a box nearer than the threshold, where one connection is not window-bound', async () => {
    const content = seeded.get('resumable.bin')!.made.files[0]!.content;
    const request = await requestFor('resumable.bin');
    let opened = 0;
    const report = await fetchTorrent(await openSftp(), request, {
      openConnection: async () => {
        opened++;
        return { sftp: await openSftp(), close: async () => undefined };
      },
      largeFileBytes: 256 * 1024,
      // Far above loopback's round trip even on a loaded machine (the default is 5 ms).
      extraConnectionsFromRoundTripMs: 1000,
    });
    expect(opened).toBe(0);
    expect(report).toMatchObject({ connections: 1, files: [{ outcome: 'fetched' }] });
    expect(readFileSync(join(request.destination, 'resumable.bin')).equals(content)).toBe(true);
  });

  it('catches a piece corrupted on the box itself: fetched again, then reported, the file not named', async () => {
    const { made } = seeded.get('corrupt')!;
    const onBox = join(dataRoot, 'corrupt', 'data.bin');
    const bytes = readFileSync(onBox);
    bytes[50_000] = bytes[50_000]! ^ 0x01;
    writeFileSync(onBox, bytes);
    const request = await requestFor('corrupt');
    const report = await fetchTorrent(await openSftp(), request);
    const badPiece = Math.floor(50_000 / (16 * 1024));
    expect(report.repairedPieces).toEqual([badPiece]);
    expect(report.badPieces).toEqual([badPiece]);
    expect(report.files).toMatchObject([
      { index: 0, outcome: 'failed', error: { code: 'refused' } },
      { index: 1, outcome: 'fetched' },
    ]);
    expect(report.files[0]!.error!.message).toContain(`piece ${badPiece} is wrong on the box itself`);
    expect(existsSync(join(request.destination, 'corrupt/data.bin'))).toBe(false);
    expect(existsSync(join(request.destination, 'corrupt/data.bin.part'))).toBe(true);
    expect(readFileSync(join(request.destination, 'corrupt/other.bin')).equals(made.files[1]!.content)).toBe(true);
  });
});

describe('the fetch queue', () => {
  /** Opens a session to the box per job, as the app does, from the seeded torrent's details. */
  function queueOptions(file: string, changes: Partial<FetchQueueOptions> = {}): FetchQueueOptions {
    return {
      file,
      async openSource(job) {
        const tunnel = await SshTunnel.open(rootKeyLogin(sshd, { kind: 'unix', path: rt.socketPath! }), { timeoutMs: 10_000 });
        const sftp = await tunnel.sftp();
        // As the app does: the daemon's details and its own .torrent, read through the job's box.
        return { sftp, torrent: await torrentToFetch(client, job.torrentId, { sftp }), close: () => tunnel.close() };
      },
      ...changes,
    };
  }

  it('runs jobs to the end, keeps them in its file, and reports progress', async () => {
    const file = join(tempDir('fetch-queue'), 'fetch-queue.json');
    const destination = tempDir('fetch-home');
    const progress: number[] = [];
    const states: string[][] = [];
    const events = createEventSource<CoreEvents>();
    events.on('fetch:progress', (p) => progress.push(p.doneBytes));
    events.on('fetch:jobs', ({ jobs }) => states.push(jobs.map((job) => job.state)));
    const queue = await FetchQueue.load(queueOptions(file, { events: fetchEventsOn(events) }));
    const show = queue.add({ seedboxId: 'box', torrentId: seeded.get('Show')!.id, destination });
    const single = queue.add({ seedboxId: 'box', torrentId: seeded.get('single.bin')!.id, destination });
    await queue.idle();
    await queue.close();
    expect(queue.list().map((job) => job.state)).toEqual(['done', 'done']);
    // With the .torrent rTorrent keeps: every piece checked.
    expect(queue.reports.get(show.id)).toMatchObject({ verifiedBy: 'pieces', checkedPieces: Math.ceil((700 * 1024 + 123 + 1000 + 5000) / (16 * 1024)) });
    // One job per box at a time: the second waited for the first.
    expect(states).toContainEqual(['running', 'queued']);
    expect(readFileSync(join(destination, 'Show/a/big.bin')).equals(SHOW_FILES[0]!.content)).toBe(true);
    expect(existsSync(join(destination, 'single.bin'))).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { jobs: FetchJob[] };
    expect(saved.jobs.map((job) => [job.id, job.state, job.torrentName])).toEqual([
      [show.id, 'done', 'Show'],
      [single.id, 'done', 'single.bin'],
    ]);
  });

  it('goes on after a restart of the app from where the .part was, and pauses, resumes and cancels', async () => {
    const file = join(tempDir('fetch-queue'), 'fetch-queue.json');
    const destination = tempDir('fetch-home');
    const content = seeded.get('resumable.bin')!.made.files[0]!.content;
    let reached: () => void;
    const halfway = new Promise<void>((resolve) => (reached = resolve));
    const first = await FetchQueue.load(
      queueOptions(file, {
        bandwidthBytesPerSecond: 512 * 1024,
        engine: { parallelReads: 2 },
        events: { progress: (p) => p.doneBytes > 300 * 1024 && reached() },
      }),
    );
    const job = first.add({ seedboxId: 'box', torrentId: seeded.get('resumable.bin')!.id, destination });
    await halfway;
    await first.close();
    expect((JSON.parse(readFileSync(file, 'utf8')) as { jobs: FetchJob[] }).jobs[0]!.state).toBe('queued');
    const kept = statSync(join(destination, 'resumable.bin.part')).size;
    expect(kept).toBeGreaterThan(300 * 1024);

    // The app starts again: the job pauses at once, survives another restart paused, then resumes.
    const second = await FetchQueue.load(queueOptions(file, { bandwidthBytesPerSecond: 512 * 1024, engine: { parallelReads: 2 } }));
    await second.pause(job.id);
    expect(second.list()[0]!.state).toBe('paused');
    await second.close();
    const third = await FetchQueue.load(queueOptions(file));
    expect(third.list()[0]!.state).toBe('paused');
    third.resume(job.id);
    await third.idle();
    expect(third.list()[0]!.state).toBe('done');
    expect(third.reports.get(job.id)!.files[0]!.resumedFromBytes).toBeGreaterThanOrEqual(kept);
    expect(readFileSync(join(destination, 'resumable.bin')).equals(content)).toBe(true);

    const cancelled = third.add({ seedboxId: 'box', torrentId: seeded.get('Show')!.id, destination: tempDir('fetch-home') });
    await third.cancel(cancelled.id);
    await third.idle();
    expect(third.list()[1]!.state).toBe('cancelled');
    await third.close();
  });

  it('refuses to start over a damaged queue file, leaving it as it is', async () => {
    const file = join(tempDir('fetch-queue'), 'fetch-queue.json');
    writeFileSync(file, '{"version":1,"jobs":[{"id":');
    const error = await rejectionOf(FetchQueue.load(queueOptions(file)));
    expect(error.code).toBe('refused');
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"jobs":[{"id":');
  });
});

describe('seedbox fetch', () => {
  let config: string;
  // No secret is needed: root's key has no passphrase.
  const keychain = new MemorySecretStore({ unavailableReason: 'the tests keep no secrets' });

  beforeAll(async () => {
    config = join(tempDir('fetch-cli'), 'seedboxes.json');
    const registry = new SeedboxRegistry({ config: new ConfigFile({ path: config }), secrets: keychain });
    // The tunnel decides where the daemon is; the URL's address is a placeholder behind it.
    await registry.add({ name: 'box', kind: 'rtorrent', url: 'scgi://127.0.0.1:1', sshTunnel: rootKeyLogin(sshd, { kind: 'unix', path: rt.socketPath! }) });
  });

  async function seedbox(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {}, openSecretStore: async () => keychain };
    const code = await runCli(['--config', config, '--seedbox', 'box', ...argv], io);
    return { code, stdout, stderr };
  }

  it('fetches a torrent and prints a JSON summary', async () => {
    const destination = tempDir('fetch-home');
    const run = await seedbox(['fetch', seeded.get('Show')!.id, '--to', destination, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [summary] = JSON.parse(run.stdout) as [{ name: string; verifiedBy: string; files: { outcome: string }[] }];
    // rTorrent's own copy of the .torrent, read through its execute commands: every piece checked.
    expect(summary).toMatchObject({ name: 'Show', verifiedBy: 'pieces', checkedPieces: 45, badPieces: [] });
    expect(summary.files.map((file) => file.outcome)).toEqual(['fetched', 'fetched', 'fetched']);
    for (const file of SHOW_FILES) expect(readFileSync(join(destination, 'Show', file.path)).equals(file.content)).toBe(true);
  });

  it('exits 9 when a chosen file is in the way, 2 for a bad command line', async () => {
    const destination = tempDir('fetch-home');
    const id = seeded.get('Show')!.id;
    expect((await seedbox(['fetch', id, '--file', '1', '--to', destination])).code).toBe(0);
    writeFileSync(join(destination, 'Show/small.txt'), 'mine');
    const refused = await seedbox(['fetch', id, '--file', '1', '--to', destination]);
    expect(refused.code).toBe(9);
    expect(refused.stdout).toContain(`exists    ${join(destination, 'Show/small.txt')}: `);
    expect(refused.stderr).toBe('seedbox: 1 file did not arrive (see above).\n');
    expect(readFileSync(join(destination, 'Show/small.txt'), 'utf8')).toBe('mine');
    expect((await seedbox(['fetch', id, '--file', '1', '--to', destination, '--keep-both'])).code).toBe(0);
    expect(existsSync(join(destination, 'Show/small (2).txt'))).toBe(true);

    expect((await seedbox(['fetch', id])).code).toBe(2);
    expect((await seedbox(['fetch', id, seeded.get('single.bin')!.id, '--file', '0', '--to', destination])).code).toBe(2);
    expect((await seedbox(['fetch', id, '--to', destination, '--limit', 'fast'])).code).toBe(2);
  });

  it('says how it verified: every piece, or size only and why', async () => {
    const { made, id } = seeded.get('single.bin')!;
    const verified = await seedbox(['fetch', id, '--to', tempDir('fetch-home')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`single.bin: verified ${Math.ceil(40_000 / (16 * 1024))} pieces\n`);

    // Another torrent's .torrent where rTorrent keeps this one's: not trusted, the fetch says so.
    const kept = join(rt.dir, 'session', `${id.toUpperCase()}.torrent`);
    const original = readFileSync(kept);
    const other = makeTorrent({ dataParent: tempDir('fetch-other'), name: 'other', files: [{ path: '', content: 'other' }], writeData: false });
    writeFileSync(kept, other.bytes);
    try {
      const sized = await seedbox(['fetch', id, '--to', tempDir('fetch-home')]);
      expect(sized.code).toBe(0);
      expect(sized.stdout).toContain(`single.bin: size only (no metainfo: the .torrent rTorrent gave belongs to another torrent (${other.infoHash}), not to ${made.infoHash}.)\n`);
    } finally {
      writeFileSync(kept, original);
    }
  });

  it('catches a piece corrupted on the box after completion: fetched again, still wrong, reported, not named', async () => {
    const { made, id } = seeded.get('spoiled')!;
    // first.bin is pieces 0 to 2, second.bin pieces 3 to 5.
    const onBox = join(dataRoot, 'spoiled', 'second.bin');
    const bytes = readFileSync(onBox);
    bytes[30_000] = bytes[30_000]! ^ 0x80;
    writeFileSync(onBox, bytes);
    const badPiece = Math.floor((48 * 1024 + 30_000) / (16 * 1024));
    const destination = tempDir('fetch-home');
    const run = await seedbox(['fetch', id, '--to', destination]);
    expect(run.code).toBe(9);
    expect(run.stdout).toContain(`fetched   ${join(destination, 'spoiled/first.bin')}\n`);
    expect(run.stdout).toContain(`failed    ${join(destination, 'spoiled/second.bin')}: second.bin failed the torrent's own check (piece ${badPiece} is wrong on the box itself, fetched twice)`);
    expect(run.stdout).toContain(`spoiled: checked 6 pieces; 1 piece wrong on the box itself, fetched twice (${badPiece})\n`);
    expect(run.stderr).toBe('seedbox: 1 file did not arrive (see above).\n');
    expect(existsSync(join(destination, 'spoiled/second.bin'))).toBe(false);
    expect(readFileSync(join(destination, 'spoiled/second.bin.part')).equals(bytes)).toBe(true);
    expect(readFileSync(join(destination, 'spoiled/first.bin')).equals(made.files[0]!.content)).toBe(true);

    const json = await seedbox(['fetch', id, '--to', tempDir('fetch-home'), '--json']);
    const [summary] = JSON.parse(json.stdout) as [{ repairedPieces: number[]; badPieces: number[]; files: { outcome: string }[] }];
    expect(summary).toMatchObject({ verifiedBy: 'pieces', repairedPieces: [badPiece], badPieces: [badPiece] });
    expect(summary.files.map((file) => file.outcome)).toEqual(['fetched', 'failed']);
  });
});
