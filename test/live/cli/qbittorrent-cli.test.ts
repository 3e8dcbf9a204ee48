import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { startQbittorrent, type QbittorrentInstance } from '../../helpers/qbittorrent';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { QbittorrentApi } from '../qbittorrent/support';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].qbittorrent;

  let qb: QbittorrentInstance;
  let api: QbittorrentApi;
  let data: string;
  /** Everything but the command: the daemon, its kind and credentials (password from the environment). */
  let base: string[];
  let env: Record<string, string>;

  beforeAll(async () => {
    expectCliBuilt();
    qb = await startQbittorrent({ generation, queueing: true });
    api = new QbittorrentApi(qb);
    base = ['--client', 'qbittorrent', '--url', qb.url, '--user', qb.username, '--password-env', 'QB_PASS'];
    env = { QB_PASS: qb.password };
    data = join(qb.dir, 'cli-data');
    mkdirSync(data);
  });

  afterAll(async () => {
    await qb?.stop();
  });

  async function rawTorrent(id: string): Promise<Record<string, unknown> | undefined> {
    return api.torrent(id);
  }

  describe('the seedbox command against qbittorrent-nox', () => {
    it('prints the version, and refuses a wrong password with the auth exit code', async () => {
      const run = await runSeedbox([...base, 'version'], { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toBe(`qbittorrent ${release.version} (${release.protocol})\n`);
      const wrong = await runSeedbox([...base, 'version'], { env: { QB_PASS: 'wrong' } });
      expect(wrong.code).toBe(4);
      expect(wrong.stderr).toMatch(/Wrong user name or password/);
      expect(wrong.stderr).not.toContain('wrong\n');
      // Credentials in the URL work too, as seedbox providers print them.
      const inUrl = await runSeedbox(['--client', 'qbittorrent', '--url', `http://${qb.username}:${encodeURIComponent(qb.password)}@127.0.0.1:${qb.port}`, 'version']);
      expect(inUrl).toMatchObject({ code: 0, stdout: `qbittorrent ${release.version} (${release.protocol})\n` });
    });

    it('adds files and a magnet with tags, prints their ids, and lists them as JSON in the model', async () => {
      const one = makeTorrent({ dataParent: data, name: 'cli one ü', files: [{ path: '', content: filler('c1', 3000) }] });
      const two = makeTorrent({ dataParent: data, name: 'cli two', files: [{ path: 'f/a.txt', content: 'aaa' }, { path: 'b.txt', content: 'bb' }] });
      writeFileSync(join(data, 'one.torrent'), one.bytes);
      writeFileSync(join(data, 'two.torrent'), two.bytes);
      const magnet = 'magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa';
      const run = await runSeedbox([...base, 'add', join(data, 'one.torrent'), join(data, 'two.torrent'), magnet, '--path', data, '--label', 'cli tag', '--label', 'ü', '--paused', '--json'], { env });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([one.infoHash, two.infoHash, 'abcdef0123456789abcdef0123456789abcdef01']);
      expect(String((await rawTorrent(one.infoHash))!['tags']).split(', ').sort()).toEqual(['cli tag', 'ü']);

      await waitFor('the new torrents to settle', async () => (await rawTorrent(one.infoHash))!['state'] === release.stoppedDL);
      const list = await runSeedbox([...base, 'list', '--json'], { env });
      expect(list.code).toBe(0);
      const torrents = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(torrents).toHaveLength(3);
      for (const torrent of torrents) expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrents.find((torrent) => torrent['id'] === one.infoHash)).toMatchObject({ name: 'cli one ü', state: 'paused', savePath: data, sizeBytes: 3000 });

      const table = await runSeedbox([...base, 'list'], { env });
      expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+DONE\s+SIZE/);
      expect(table.stdout).toContain('cli one ü');
    });

    it('shows details, rechecks, starts, stops, tags, sets priorities, limits, queue and alternative speed', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli ops', files: [{ path: 'x.bin', content: filler('x', 20_000) }, { path: 'y.bin', content: filler('y', 100) }] });
      writeFileSync(join(data, 'ops.torrent'), made.bytes);
      const id = made.infoHash;
      expect((await runSeedbox([...base, 'add', join(data, 'ops.torrent'), '--path', data, '--paused'], { env })).stdout).toBe(`${id}\n`);

      const details = JSON.parse((await runSeedbox([...base, 'info', id, '--json'], { env })).stdout);
      expect(details.files.map((file: { path: string }) => file.path)).toEqual(['x.bin', 'y.bin']);
      expect(details.trackers.map((tracker: { url: string }) => tracker.url)).toEqual(['http://127.0.0.1:9/announce']);

      expect((await runSeedbox([...base, 'recheck', id], { env })).code).toBe(0);
      await waitFor('the recheck to finish', async () => (await rawTorrent(id))!['progress'] === 1);
      expect((await runSeedbox([...base, 'start', id], { env })).code).toBe(0);
      await waitFor('seeding', async () => ['stalledUP', 'uploading'].includes(String((await rawTorrent(id))!['state'])));
      expect((await runSeedbox([...base, 'reannounce', id], { env })).code).toBe(0);
      expect((await runSeedbox([...base, 'stop', id], { env })).code).toBe(0);
      await waitFor('paused', async () => (await rawTorrent(id))!['state'] === release.stoppedUP);

      expect((await runSeedbox([...base, 'label', id, '--set', 'Films HD,second'], { env })).code).toBe(0);
      expect(String((await rawTorrent(id))!['tags']).split(', ').sort()).toEqual(['Films HD', 'second']);
      const comma = await runSeedbox([...base, 'label', id, '--set', 'a\\,b'], { env });
      expect(comma.code).toBe(2);
      expect(comma.stderr).toMatch(/no commas/);

      expect((await runSeedbox([...base, 'priority', id, '--file', '1', '--set', 'skip'], { env })).code).toBe(0);
      expect((await api.get<{ priority: number }[]>(`torrents/files?hash=${id}`)).map((file) => file.priority)).toEqual([1, 0]);

      const limits = await runSeedbox([...base, 'limits', '--down', '1M', '--up', '256K', '--json'], { env });
      expect(JSON.parse(limits.stdout)).toEqual({ downBytesPerSecond: 1048576, upBytesPerSecond: 262144 });
      expect(await api.get('app/preferences')).toMatchObject({ dl_limit: 1048576, up_limit: 262144 });
      expect((await runSeedbox([...base, 'limits', id, '--down', '100K', '--up', '0'], { env })).code).toBe(0);
      expect(await api.get(`torrents/downloadLimit?hashes=${id}`)).toEqual({ [id]: 102400 });

      expect((await runSeedbox([...base, 'altspeed', 'on'], { env })).code).toBe(0);
      expect(await api.text('transfer/speedLimitsMode')).toBe('1');
      const stats = JSON.parse((await runSeedbox([...base, 'stats', '--json'], { env })).stdout);
      expect(stats).toMatchObject({ alternativeSpeedEnabled: true });
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      expect((await runSeedbox([...base, 'altspeed', 'off'], { env })).code).toBe(0);
      expect(await api.text('transfer/speedLimitsMode')).toBe('0');

      const queued = makeTorrent({ dataParent: data, name: 'cli queued', files: [{ path: '', content: filler('q', 500) }], writeData: false });
      writeFileSync(join(data, 'queued.torrent'), queued.bytes);
      await runSeedbox([...base, 'add', join(data, 'queued.torrent'), '--path', join(data, 'nowhere'), '--paused'], { env });
      expect(Number((await rawTorrent(queued.infoHash))!['priority'])).toBeGreaterThan(1);
      expect((await runSeedbox([...base, 'queue', queued.infoHash, '--move', 'top'], { env })).code).toBe(0);
      await waitFor('the queue move', async () => Number((await rawTorrent(queued.infoHash))!['priority']) === 1);
    });

    it('moves and removes with data, touching only the torrent’s own files', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli remove', files: [{ path: 'r.bin', content: filler('r', 500) }] });
      writeFileSync(join(data, 'remove.torrent'), made.bytes);
      await runSeedbox([...base, 'add', join(data, 'remove.torrent'), '--path', data, '--paused'], { env });
      await runSeedbox([...base, 'recheck', made.infoHash], { env });
      await waitFor('the recheck to finish', async () => (await rawTorrent(made.infoHash))!['progress'] === 1);

      const target = join(qb.dir, 'cli-moved');
      expect((await runSeedbox([...base, 'move', made.infoHash, '--to', target], { env })).code).toBe(0);
      await waitFor('the data to move', () => existsSync(join(target, 'cli remove', 'r.bin')));

      const run = await runSeedbox([...base, 'remove', made.infoHash, '--delete-data'], { env });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      await waitFor('the data to go', () => !existsSync(join(target, 'cli remove')));
      expect(await rawTorrent(made.infoHash)).toBeUndefined();
      expect(readdirSync(data)).toContain('remove.torrent');
      expect(existsSync(join(data, 'cli one ü'))).toBe(true);
    });

    it('gives one clear line and a distinct exit code per kind of failure, never a stack trace', async () => {
      const cases: [string[], number, RegExp][] = [
        [[...base, 'info', '0'.repeat(40)], 6, /No torrent 0{40}/],
        [[...base, 'start', '0'.repeat(40)], 6, /No torrent 0{40}/],
        [[...base, 'priority', '0'.repeat(40), '--file', '0', '--set', 'low'], 7, /skip, normal and high/],
        [['--client', 'qbittorrent', '--url', `http://127.0.0.1:${qb.port}/wrong/base`, '--user', 'admin', '--password-env', 'QB_PASS', 'list'], 3, /path in the address is probably wrong/],
      ];
      for (const [args, code, message] of cases) {
        const run = await runSeedbox(args, { env });
        expect({ args, code: run.code }).toEqual({ args, code });
        expect(run.stderr).toMatch(message);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
      }
    });
  });

  describe('the seedbox command against qbittorrent-nox over HTTPS', () => {
    let secure: QbittorrentInstance;

    beforeAll(async () => {
      secure = await startQbittorrent({ generation, https: true });
    });

    afterAll(async () => {
      await secure?.stop();
    });

    it('refuses the self-signed certificate until it is pinned', async () => {
      const args = ['--client', 'qbittorrent', '--url', secure.url, '--user', secure.username, '--password-env', 'QB_PASS'];
      const untrusted = await runSeedbox([...args, 'version'], { env: { QB_PASS: secure.password } });
      expect(untrusted.code).toBe(5);
      const pin = untrusted.stderr.match(/--pin ([0-9A-F:]+)/i)![1]!;
      expect(pin.replaceAll(':', '').toLowerCase()).toBe(secure.certificate!.sha256);
      const pinned = await runSeedbox([...args, '--pin', pin, 'version'], { env: { QB_PASS: secure.password } });
      expect(pinned).toMatchObject({ code: 0, stdout: `qbittorrent ${release.version} (${release.protocol})\n` });
    });
  });
});
