// The fetch queue in the core service, as the window and the tray use it: a real rTorrent
// reached through a real sshd (the tunnel's SSH connection carries SFTP too), jobs through the
// contract's validation, a restart of the service, fetch on completion of a real download on
// loopback, and the `seedbox fetch` queue commands on the same queue file.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../electron/core/config/registry';
import type { Notice } from '../../../electron/core/events';
import { fetchQueuePath } from '../../../electron/core/fetch/queue';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-store';
import { dispatchInvoke } from '../../../electron/core/service/dispatch';
import { createSeedboxService } from '../../../electron/core/service/seedbox-service';
import type { SeedboxServiceApi } from '../../../electron/core/service/types';
import type { InvokeArgs, InvokeChannel, InvokeResult } from '../../../electron/shared/contract';
import { SeedboxError } from '../../../electron/shared/errors';
import type { FetchJob, FetchJobProgress } from '../../../electron/shared/fetch';
import { rejectionOf } from '../../helpers/errors';
import { tempDir, waitFor } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startSeedingPeer, type SeedingPeer } from '../../helpers/seeding-peer';
import { rootKeyLogin, startSshd, type SshdInstance } from '../../helpers/sshd';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { seedCompleted } from './support';

let sshd: SshdInstance;
let rt: RtorrentInstance;
let client: RtorrentClient;
let dataRoot: string;
let configPath: string;
let config: ConfigFile;
let registry: SeedboxRegistry;
let seedboxId: string;
const peers: SeedingPeer[] = [];
const secrets = new MemorySecretStore({ unavailableReason: 'the tests keep no secrets' });
const seeded = new Map<string, MadeTorrent & { id: string }>();

beforeAll(async () => {
  [sshd, rt] = await Promise.all([startSshd({ sftp: true }), startRtorrent()]);
  // flood: several labels per torrent, so "fetched" is added beside "tv".
  client = new RtorrentClient({ kind: 'rtorrent', url: rt.url, labelStyle: 'flood' });
  dataRoot = tempDir('fetch-service-box');
  await seed('Show', [
    { path: 'a/big.bin', content: filler('svc-big', 300 * 1024 + 17) },
    { path: 'small.txt', content: filler('svc-small', 2000) },
  ]);
  await seed('slow.bin', [{ path: '', content: filler('svc-slow', 1536 * 1024) }]);
  await seed('cli.bin', [{ path: '', content: filler('svc-cli', 50_000) }]);
  configPath = join(tempDir('fetch-service'), 'seedbox-remote.json');
  config = new ConfigFile({ path: configPath });
  registry = new SeedboxRegistry({ config, secrets });
  seedboxId = (
    await registry.add({
      name: 'box',
      kind: 'rtorrent',
      // The tunnel decides where the daemon is; the URL's address is a placeholder behind it.
      url: 'scgi://127.0.0.1:1',
      labelStyle: 'flood',
      pollIntervalMs: 500,
      sshTunnel: rootKeyLogin(sshd, { kind: 'unix', path: rt.socketPath! }),
    })
  ).id;
}, 60_000);

afterAll(async () => {
  for (const peer of peers) peer.close();
  await client?.close();
  await Promise.all([sshd?.stop(), rt?.stop()]);
});

async function seed(name: string, files: { path: string; content: Buffer | string }[]): Promise<void> {
  const { made, id } = await seedCompleted(client, dataRoot, name, files);
  seeded.set(name, { ...made, id });
}

/** A running service as the app composes it, on this test's settings and queue file. */
interface Running {
  service: SeedboxServiceApi;
  jobs: FetchJob[];
  progress: FetchJobProgress[];
  notices: Notice[];
  /** torrents:delta events seen. */
  deltas: number;
  chosen: string | null;
  invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>>;
}

async function startService(options: { downloads: string; bandwidthBytesPerSecond?: number }): Promise<Running> {
  // The limit is the user's preference, read as the service starts.
  await registry.updatePreferences({ fetch: { limitBytesPerSecond: options.bandwidthBytesPerSecond ?? 0 } });
  const running: Running = {
    service: createSeedboxService({
      registry,
      config,
      secretStore: secrets,
      version: 'test',
      platform: 'linux',
      fetch: {
        queueFile: fetchQueuePath(configPath),
        downloadsFolder: options.downloads,
        chooseFolder: async () => running.chosen,
        onCompleteRules: async () => (await config.load()).config.fetchOnComplete,
        // A slow fetch for pausing mid-file: few reads in flight, so bytes land as the limit allows.
        ...(options.bandwidthBytesPerSecond ? { engine: { parallelReads: 2 } } : {}),
      },
    }),
    jobs: [],
    progress: [],
    notices: [],
    deltas: 0,
    chosen: null,
    // As the window calls it: through the contract's validation.
    async invoke(channel, args) {
      const envelope = await dispatchInvoke(running.service.handlers, channel, args);
      if (!envelope.ok) throw new SeedboxError(envelope.error.code, envelope.error.message, envelope.error.details);
      return envelope.value as never;
    },
  };
  running.service.onEvent((channel, payload) => {
    if (channel === 'fetch:jobs') running.jobs = (payload as { jobs: FetchJob[] }).jobs;
    if (channel === 'fetch:progress') running.progress.push(payload as FetchJobProgress);
    if (channel === 'torrents:delta') running.deltas++;
  });
  running.service.events.on('notice', (notice) => running.notices.push(notice));
  await running.service.start();
  return running;
}

const stateOf = (running: Running, id: string): string | undefined => running.jobs.find((job) => job.id === id)?.state;

describe('the fetch queue in the service', () => {
  it('fetches a torrent to the Downloads folder, or to a folder chosen in the dialog, and tells the window and the notifications', async () => {
    const downloads = tempDir('fetch-downloads');
    const app = await startService({ downloads });
    try {
      const show = seeded.get('Show')!;
      const job = await app.invoke('fetch:enqueue', { seedboxId, torrentId: show.id, fileIndexes: null, destination: null, onExisting: 'refuse' });
      expect(job).toMatchObject({ destination: downloads, torrentId: show.id });
      expect(['queued', 'running']).toContain(job.state);
      // Queued before the box connected: it waits for it, then runs.
      await waitFor('the job to be done', () => stateOf(app, job.id) === 'done', 30_000);
      for (const file of show.files) expect(readFileSync(join(downloads, 'Show', file.path)).equals(file.content)).toBe(true);
      expect(app.progress.at(-1)).toMatchObject({ id: job.id, doneBytes: 300 * 1024 + 17 + 2000, totalBytes: 300 * 1024 + 17 + 2000 });
      await waitFor('the notice', () => app.notices.some((notice) => notice.kind === 'fetch-finished'));
      expect(app.notices.find((notice) => notice.kind === 'fetch-finished')).toMatchObject({ seedboxName: 'box', torrentName: 'Show', destination: downloads });

      // A folder the page names itself is refused; one the user picked in the dialog is taken.
      const elsewhere = tempDir('fetch-chosen');
      const made_up = await rejectionOf(app.invoke('fetch:enqueue', { seedboxId, torrentId: show.id, fileIndexes: [1], destination: elsewhere, onExisting: 'refuse' }));
      expect(made_up).toMatchObject({ code: 'refused', details: { reason: 'folder-not-chosen' } });
      app.chosen = elsewhere;
      expect(await app.invoke('fetch:chooseFolder', {})).toBe(elsewhere);
      const chosen = await app.invoke('fetch:enqueue', { seedboxId, torrentId: show.id, fileIndexes: [1], destination: elsewhere, onExisting: 'refuse' });
      await waitFor('the chosen-folder job', () => stateOf(app, chosen.id) === 'done', 30_000);
      expect(readdir(elsewhere)).toEqual(['Show/small.txt']);

      // The same file again into the same folder: checked piece by piece against the .torrent,
      // it is the same, so nothing is written. A different file of the user's there is never
      // overwritten: the job fails, with a notice.
      app.chosen = null;
      const same = await app.invoke('fetch:enqueue', { seedboxId, torrentId: show.id, fileIndexes: [1], destination: elsewhere, onExisting: 'refuse' });
      await waitFor('the repeated job to end', () => ['done', 'failed'].includes(stateOf(app, same.id) ?? ''), 30_000);
      expect(stateOf(app, same.id)).toBe('done');
      writeOver(join(elsewhere, 'Show/small.txt'));
      const again = await app.invoke('fetch:enqueue', { seedboxId, torrentId: show.id, fileIndexes: [1], destination: elsewhere, onExisting: 'refuse' });
      await waitFor('the job over a file of the user to end', () => ['done', 'failed'].includes(stateOf(app, again.id) ?? ''), 30_000);
      expect(stateOf(app, again.id)).toBe('failed');
      expect(readFileSync(join(elsewhere, 'Show/small.txt'), 'utf8')).toBe('the user changed this file');
      await waitFor('the failure notice', () => app.notices.some((notice) => notice.kind === 'fetch-failed'));

      // Only finished jobs can be removed; they leave the list, their files stay.
      await app.invoke('fetch:remove', { ids: [job.id, same.id, again.id] });
      expect((await app.invoke('fetch:jobs', {})).map((entry) => entry.id)).toEqual([chosen.id]);
      expect(existsSync(join(downloads, 'Show/small.txt'))).toBe(true);
      expect((await rejectionOf(app.invoke('fetch:pause', { ids: ['0000dead'] }))).code).toBe('not-found');
      await app.invoke('fetch:remove', { ids: [chosen.id] });
    } finally {
      await app.service.stop();
    }
  }, 90_000);

  it('pauses, resumes and cancels, and goes on from the .part after a restart of the service', async () => {
    const downloads = tempDir('fetch-downloads');
    const slow = seeded.get('slow.bin')!;
    const content = slow.files[0]!.content;
    const first = await startService({ downloads, bandwidthBytesPerSecond: 384 * 1024 });
    const part = join(downloads, 'slow.bin.part');
    const stopFirst = once(() => first.service.stop());
    onTestFinished(stopFirst);
    const job = await first.invoke('fetch:enqueue', { seedboxId, torrentId: slow.id, fileIndexes: null, destination: null, onExisting: 'refuse' });
    await waitFor('a third of the file', () => first.progress.some((entry) => entry.id === job.id && entry.doneBytes > 300 * 1024), 30_000);
    await first.invoke('fetch:pause', { ids: [job.id] });
    expect(stateOf(first, job.id)).toBe('paused');
    const paused = statSync(part).size;
    expect(paused).toBeGreaterThan(300 * 1024);
    expect(paused).toBeLessThan(content.length);

    await first.invoke('fetch:resume', { ids: [job.id] });
    await waitFor('more of the file', () => first.progress.some((entry) => entry.id === job.id && entry.doneBytes > paused + 100 * 1024), 30_000);
    // The app quits mid-file: the job is kept as queued, its .part on disk.
    await stopFirst();
    const saved = JSON.parse(readFileSync(fetchQueuePath(configPath), 'utf8')) as { jobs: FetchJob[] };
    expect(saved.jobs.find((entry) => entry.id === job.id)!.state).toBe('queued');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(paused);

    const second = await startService({ downloads });
    try {
      await waitFor('the job to finish after the restart', () => stateOf(second, job.id) === 'done', 30_000);
      // It went on from the .part: its first figure already counted what was there.
      expect(second.progress.find((entry) => entry.id === job.id)!.doneBytes).toBeGreaterThanOrEqual(kept);
      expect(readFileSync(join(downloads, 'slow.bin')).equals(content)).toBe(true);
      expect(existsSync(part)).toBe(false);

      const cancelled = await second.invoke('fetch:enqueue', { seedboxId, torrentId: slow.id, fileIndexes: null, destination: null, onExisting: 'keep-both' });
      await second.invoke('fetch:cancel', { ids: [cancelled.id] });
      await waitFor('the cancel', () => stateOf(second, cancelled.id) === 'cancelled');
      await second.invoke('fetch:remove', { ids: [job.id, cancelled.id] });
      expect(await second.invoke('fetch:jobs', {})).toEqual([]);
    } finally {
      await second.service.stop();
    }
  }, 120_000);

  it('applies a change of the bandwidth-limit preference to the running fetch at once', async () => {
    const downloads = tempDir('fetch-downloads');
    const slow = seeded.get('slow.bin')!;
    // 1.5 MiB at 32 KiB/s would take 48 s; lifted mid-file, it ends in a few.
    const app = await startService({ downloads, bandwidthBytesPerSecond: 32 * 1024 });
    try {
      const job = await app.invoke('fetch:enqueue', { seedboxId, torrentId: slow.id, fileIndexes: null, destination: null, onExisting: 'refuse' });
      await waitFor('the first bytes', () => app.progress.some((entry) => entry.id === job.id && entry.doneBytes > 0), 30_000);
      const started = Date.now();
      // As the Settings view saves it: through the contract.
      expect((await app.invoke('preferences:update', { fetch: { limitBytesPerSecond: 0 } })).fetch.limitBytesPerSecond).toBe(0);
      await waitFor('the job to be done once the limit is lifted', () => stateOf(app, job.id) === 'done', 30_000);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(readFileSync(join(downloads, 'slow.bin')).equals(slow.files[0]!.content)).toBe(true);
      await app.invoke('fetch:remove', { ids: [job.id] });
    } finally {
      await app.service.stop();
    }
  }, 90_000);

  it('fetches a torrent that completes on the box and matches the rule, then labels it; another one it leaves', async () => {
    const home = tempDir('fetch-auto');
    await config.update((draft) => ({ ...draft, fetchOnComplete: [{ seedboxId, enabled: true, when: 'label == "tv"', destination: home, addLabel: 'fetched', onExisting: 'refuse' }] }));
    const app = await startService({ downloads: tempDir('fetch-downloads') });
    try {
      const incoming = join(dataRoot, 'incoming');
      mkdirSync(incoming, { recursive: true });
      const episode = makeTorrent({ dataParent: incoming, name: 'Episode 1', files: [{ path: 'ep1.mkv', content: filler('ep1', 200 * 1024 + 5) }], writeData: false });
      const other = makeTorrent({ dataParent: incoming, name: 'Other', files: [{ path: '', content: filler('other', 40_000) }], writeData: false });
      // Completions are seen between two lists of the box: its first list must come first.
      await waitFor('a first list of the box', () => app.deltas > 0, 30_000);
      // Each is added stopped and seen by the service first, so its completion is a transition
      // between two lists. Not a match first: once its completion has been seen, no job was made.
      const download = async (made: MadeTorrent, labels: string[]): Promise<void> => {
        await client.add({ kind: 'file', bytes: made.bytes }, { savePath: incoming, labels, paused: true });
        const seen = app.deltas;
        await waitFor('the service to list it', () => app.deltas > seen + 1, 30_000);
        // rTorrent turns away a peer for a stopped torrent: started first.
        await client.start([made.infoHash]);
        peers.push(await startSeedingPeer({ port: rt.peerPort, torrent: made }));
      };
      await download(other, []);
      await waitFor('Other to complete in the service', () => app.notices.some((notice) => notice.kind === 'download-finished' && notice.torrentId === other.infoHash), 60_000);

      await download(episode, ['tv']);
      await waitFor('the episode to be fetched', () => app.jobs.some((job) => job.torrentId === episode.infoHash && job.state === 'done'), 60_000);
      expect(readFileSync(join(home, 'Episode 1', 'ep1.mkv')).equals(episode.files[0]!.content)).toBe(true);
      expect(app.jobs.map((job) => job.torrentId)).toEqual([episode.infoHash]);
      await waitFor('the label', async () => (await client.details(episode.infoHash)).torrent.labels.includes('fetched'));
      expect((await client.details(episode.infoHash)).torrent.labels.sort()).toEqual(['fetched', 'tv']);
      await waitFor('the notice', () => app.notices.some((notice) => notice.kind === 'fetch-finished' && notice.torrentId === episode.infoHash));
      const [done] = app.jobs;
      await app.invoke('fetch:remove', { ids: [done!.id] });
    } finally {
      await app.service.stop();
      await config.update((draft) => ({ ...draft, fetchOnComplete: [] }));
    }
  }, 150_000);
});

describe('seedbox fetch and the queue file', () => {
  async function seedbox(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {}, openSecretStore: async () => secrets };
    const code = await runCli(['--config', configPath, ...argv], io);
    return { code, stdout, stderr };
  }

  it('queues, lists, pauses, resumes, cancels and runs jobs; refuses to change the queue while the app works it', async () => {
    const home = tempDir('fetch-cli-home');
    const cli = seeded.get('cli.bin')!;
    const queued = await seedbox(['--seedbox', 'box', 'fetch', cli.id, '--to', home, '--queue', '--json']);
    expect(queued.stderr).toBe('');
    expect(queued.code).toBe(0);
    const [job] = JSON.parse(queued.stdout) as FetchJob[];
    expect(job).toMatchObject({ state: 'queued', torrentName: 'cli.bin', destination: home, seedboxId });
    const short = job!.id.slice(0, 8);

    const listed = await seedbox(['fetch', 'queue']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${short}\\s+queued\\s+.*box\\s+cli\\.bin\\s+${home}$`, 'm'));
    expect((await seedbox(['fetch', 'pause', short])).stdout).toBe(`paused    ${short}  cli.bin\n`);
    expect((await seedbox(['fetch', 'resume', short])).code).toBe(0);

    // The app starts and takes the queue (and runs the job): the CLI may look, not change.
    const app = await startService({ downloads: tempDir('fetch-downloads'), bandwidthBytesPerSecond: 1024 });
    try {
      const busy = await seedbox(['fetch', 'pause', short]);
      expect(busy.code).toBe(12);
      expect(busy.stderr).toMatch(/^seedbox: The fetch queue is in use by Seedbox Remote \(process \d+\)/);
      expect((await seedbox(['fetch', 'run'])).code).toBe(12);
      expect(JSON.parse((await seedbox(['fetch', 'queue', '--json'])).stdout)).toHaveLength(1);
      await app.invoke('fetch:pause', { ids: [job!.id] });
    } finally {
      await app.service.stop();
    }

    expect((await seedbox(['fetch', 'cancel', 'ffffffff'])).code).toBe(6);
    expect((await seedbox(['fetch', 'pause'])).code).toBe(2);
    expect((await seedbox(['fetch', 'resume', short])).code).toBe(0);
    // The app ran with a limit of 1 KiB/s, which `fetch run` would now keep to as well.
    await registry.updatePreferences({ fetch: { limitBytesPerSecond: 0 } });
    const run = await seedbox(['fetch', 'run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`done      ${short}  cli.bin\n`);
    expect(readFileSync(join(home, 'cli.bin')).equals(cli.files[0]!.content)).toBe(true);

    // Again, into the same folder: the different-or-not file there fails the job: exit 9.
    writeOver(join(home, 'cli.bin'));
    expect((await seedbox(['--seedbox', 'box', 'fetch', cli.id, '--to', home, '--queue'])).code).toBe(0);
    const failed = await seedbox(['fetch', 'run']);
    expect(failed.code).toBe(9);
    expect(failed.stdout).toMatch(/^failed {4}[0-9a-f]{8} {2}cli\.bin: /);
    const cancelled = await seedbox(['fetch', 'cancel', ...(JSON.parse((await seedbox(['fetch', 'queue', '--json'])).stdout) as FetchJob[]).filter((entry) => entry.state === 'failed').map((entry) => entry.id)]);
    expect(cancelled.code).toBe(0);
    expect((await seedbox(['fetch', 'remove', short])).stdout).toBe(`removed   ${short}  cli.bin\n`);
    expect(JSON.parse((await seedbox(['fetch', 'queue', '--json'])).stdout)).toMatchObject([{ state: 'cancelled' }]);
  }, 120_000);

  it('boxes test looks up the save paths over SFTP, and fails on a path mapping that leads nowhere', async () => {
    const found = await seedbox(['boxes', 'test', 'box']);
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    const [daemonLine, sftpLine, rest] = found.stdout.split('\n');
    expect(daemonLine).toMatch(/^rtorrent 0\.9\.8 \(xmlrpc\), \d+ torrents$/);
    expect(sftpLine).toMatch(/^sftp: Save paths? found over SFTP: /);
    expect(sftpLine).toContain(dataRoot);
    expect(rest).toBe('');
    await registry.update(seedboxId, { sftpPathMapping: [{ daemon: dataRoot, sftp: '/nowhere/data' }] });
    try {
      const missing = await seedbox(['boxes', 'test', 'box', '--json']);
      expect(missing.code).toBe(6);
      expect(JSON.parse(missing.stdout)).toMatchObject({
        ok: false,
        sftp: { ok: false, message: `The save path ${dataRoot} (over SFTP /nowhere/data) does not exist over SFTP: set the path mapping for fetching.` },
      });
      expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: 'not-found', details: { path: '/nowhere/data', reason: 'sftp-path-missing' } } });
    } finally {
      await registry.update(seedboxId, { sftpPathMapping: [] });
    }
  }, 60_000);

  it('runs the queue within the bandwidth-limit preference, as the app does', async () => {
    const home = tempDir('fetch-cli-limited');
    const cli = seeded.get('cli.bin')!;
    await registry.updatePreferences({ fetch: { limitBytesPerSecond: 8 * 1024 } });
    try {
      expect((await seedbox(['--seedbox', 'box', 'fetch', cli.id, '--to', home, '--queue'])).code).toBe(0);
      const started = performance.now();
      const run = await seedbox(['fetch', 'run']);
      const seconds = (performance.now() - started) / 1000;
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // 50 000 bytes at 8 KiB/s after a quarter second's burst take 5.8 s; unlimited, well under a second here.
      expect(seconds).toBeGreaterThan(5);
      expect(readFileSync(join(home, 'cli.bin')).equals(cli.files[0]!.content)).toBe(true);
    } finally {
      await registry.updatePreferences({ fetch: { limitBytesPerSecond: 0 } });
    }
  }, 60_000);

  it('sets, lists and removes the fetch-on-completion rule of a saved seedbox', async () => {
    const home = tempDir('fetch-cli-auto');
    const set = await seedbox(['--seedbox', 'box', 'fetch', 'auto', '--when', 'label == "tv"', '--to', home, '--label', 'fetched']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toBe(`"box": torrents that complete and match label == "tv" are fetched to ${home}, then labelled "fetched".\n`);
    expect(JSON.parse((await seedbox(['fetch', 'auto', '--json'])).stdout)).toEqual([
      { seedboxId, enabled: true, when: 'label == "tv"', destination: home, addLabel: 'fetched', onExisting: 'refuse' },
    ]);
    expect((await seedbox(['--seedbox', 'box', 'fetch', 'auto', '--when', 'label ==', '--to', home])).code).toBe(2);
    expect((await seedbox(['--seedbox', 'box', 'fetch', 'auto', '--when', 'label == "tv"', '--to', join(home, 'missing')])).code).toBe(2);
    expect((await seedbox(['--seedbox', 'nobody', 'fetch', 'auto', '--off'])).code).toBe(6);
    expect((await seedbox(['--seedbox', 'box', 'fetch', 'auto', '--off'])).code).toBe(0);
    expect((await seedbox(['fetch', 'auto'])).stdout).toMatch(/^No seedbox fetches on completion/);
  });
});

function readdir(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? readdir(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

function writeOver(path: string): void {
  writeFileSync(path, 'the user changed this file');
}

/** Runs `action` the first time only (a stop in the test and again in its clean-up). */
function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
