import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { freePort, waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, transmissionRpc, transmissionTorrent, type TransmissionInstance } from '../../helpers/transmission';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].transmission;

  let tr: TransmissionInstance;
  let data: string;
  let base: string[];
  let env: Record<string, string>;

  beforeAll(async () => {
    expectCliBuilt();
    tr = await startTransmission({ generation });
    data = join(tr.dir, 'cli-data');
    mkdirSync(data);
    base = ['--client', 'transmission', '--url', tr.url, '--user', tr.username, '--password-env', 'TR_PASS'];
    env = { TR_PASS: tr.password };
  });

  afterAll(async () => {
    await tr?.stop();
  });

  const run = (args: string[]): Promise<CliRun> => runSeedbox([...base, ...args], { env });

  describe('the seedbox command against transmission-daemon', () => {
    it('prints the version and RPC version', async () => {
      expect(await run(['version'])).toMatchObject({ code: 0, stderr: '', stdout: `transmission ${release.version} (${release.protocol})\n` });
    });

    it('adds files and a magnet, prints their ids, and lists them as JSON with the model’s field names', async () => {
      const one = makeTorrent({ dataParent: data, name: 'cli one ü', files: [{ path: '', content: filler('c1', 3000) }] });
      const two = makeTorrent({ dataParent: data, name: 'cli two', files: [{ path: 'f/a.txt', content: 'aaa' }, { path: 'b.txt', content: 'bb' }] });
      writeFileSync(join(data, 'one.torrent'), one.bytes);
      writeFileSync(join(data, 'two.torrent'), two.bytes);
      const magnet = 'magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa';
      const added = await run(['add', join(data, 'one.torrent'), join(data, 'two.torrent'), magnet, '--path', data, '--label', 'cli label', '--label', 'ünï', '--paused', '--json']);
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(JSON.parse(added.stdout)).toEqual([one.infoHash, two.infoHash, 'abcdef0123456789abcdef0123456789abcdef01']);
      expect((await transmissionTorrent(tr, one.infoHash, ['labels', 'downloadDir']))).toEqual({ labels: ['cli label', 'ünï'], downloadDir: data });

      const list = await run(['list', '--json']);
      expect(list.code).toBe(0);
      const torrents = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(torrents).toHaveLength(3);
      for (const torrent of torrents) expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrents.find((torrent) => torrent['id'] === one.infoHash)).toMatchObject({ name: 'cli one ü', labels: ['cli label', 'ünï'], savePath: data, sizeBytes: 3000 });
      const table = await run(['list']);
      expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+DONE\s+SIZE/);
      expect(table.stdout).toContain('cli one ü');
    });

    it('shows details, rechecks, starts, stops, labels, sets priorities, limits and queue positions', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli ops', files: [{ path: 'x.bin', content: filler('x', 20_000) }, { path: 'y.bin', content: filler('y', 100) }] });
      writeFileSync(join(data, 'ops.torrent'), made.bytes);
      const id = made.infoHash;
      expect((await run(['add', join(data, 'ops.torrent'), '--path', data, '--paused'])).stdout).toBe(`${id}\n`);

      const details = JSON.parse((await run(['info', id, '--json'])).stdout);
      expect(details.files.map((file: { path: string }) => file.path)).toEqual(['x.bin', 'y.bin']);
      expect(details.trackers[0].url).toBe('http://127.0.0.1:9/announce');
      expect((await run(['info', id])).stdout).toMatch(/Files \(2\):/);

      expect((await run(['recheck', id])).code).toBe(0);
      await waitFor('the recheck', async () => (await transmissionTorrent(tr, id, ['percentDone', 'status']))!['percentDone'] === 1);
      expect((await run(['start', id])).code).toBe(0);
      await waitFor('seeding', async () => (await transmissionTorrent(tr, id, ['status']))!['status'] === 6);
      expect((await run(['reannounce', id])).code).toBe(0);
      expect((await run(['stop', id])).code).toBe(0);
      await waitFor('stopped', async () => (await transmissionTorrent(tr, id, ['status']))!['status'] === 0);

      expect((await run(['label', id, '--set', 'Films HD,ünï'])).code).toBe(0);
      expect((await transmissionTorrent(tr, id, ['labels']))!['labels']).toEqual(['Films HD', 'ünï']);
      expect((await run(['priority', id, '--file', '1', '--set', 'skip'])).code).toBe(0);
      expect((await run(['priority', id, '--file', '0', '--set', 'low'])).code).toBe(0);
      expect(await transmissionTorrent(tr, id, ['wanted', 'priorities'])).toEqual({ wanted: [1, 0], priorities: [-1, 0] });

      // The CLI's K and M are binary; Transmission's limits are whole kB (1000 bytes), rounded up.
      const limits = await run(['limits', '--down', '1M', '--up', '250K', '--json']);
      expect(JSON.parse(limits.stdout)).toEqual({ downBytesPerSecond: 1_049_000, upBytesPerSecond: 256_000 });
      expect(await transmissionRpc(tr, 'session-get', {})).toMatchObject({ 'speed-limit-down': 1049, 'speed-limit-up': 256, 'speed-limit-up-enabled': true });
      expect((await run(['limits', id, '--down', '100K', '--up', '0'])).code).toBe(0);
      expect(await transmissionTorrent(tr, id, ['downloadLimit', 'downloadLimited', 'uploadLimited'])).toEqual({ downloadLimit: 103, downloadLimited: true, uploadLimited: false });

      expect((await run(['queue', id, '--move', 'top'])).code).toBe(0);
      expect((await transmissionTorrent(tr, id, ['queuePosition']))!['queuePosition']).toBe(0);
      expect((await run(['queue', id, '--move', 'bottom'])).code).toBe(0);
      expect((await transmissionTorrent(tr, id, ['queuePosition']))!['queuePosition']).toBe(3);
    });

    it('reports session stats with free space, and switches the alternative speed', async () => {
      expect((await run(['altspeed', 'on'])).code).toBe(0);
      expect((await transmissionRpc(tr, 'session-get', {}))['alt-speed-enabled']).toBe(true);
      const stats = JSON.parse((await run(['stats', '--json'])).stdout);
      expect(stats).toMatchObject({ alternativeSpeedEnabled: true, downRate: 0 });
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      expect((await run(['altspeed', 'off'])).code).toBe(0);
      expect((await transmissionRpc(tr, 'session-get', {}))['alt-speed-enabled']).toBe(false);
    });

    it('moves and removes with data, touching only the torrent’s own files', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli remove', files: [{ path: 'r.bin', content: filler('r', 500) }] });
      writeFileSync(join(data, 'remove.torrent'), made.bytes);
      await run(['add', join(data, 'remove.torrent'), '--path', data]);
      await waitFor('seeding', async () => (await transmissionTorrent(tr, made.infoHash, ['status']))!['status'] === 6);
      const target = join(data, 'moved here');
      expect((await run(['move', made.infoHash, '--to', target])).code).toBe(0);
      await waitFor('the move', () => existsSync(join(target, 'cli remove', 'r.bin')));
      const removed = await run(['remove', made.infoHash, '--delete-data']);
      expect(removed).toMatchObject({ code: 0, stderr: '' });
      await waitFor('the deletion', () => !existsSync(join(target, 'cli remove')));
      expect(existsSync(join(data, 'remove.torrent'))).toBe(true);
      expect(await transmissionTorrent(tr, made.infoHash, ['id'])).toBeUndefined();
    });

    it('gives one clear line and a distinct exit code per kind of failure, never a stack trace', async () => {
      const cases: [string[], Record<string, string>, number, RegExp][] = [
        [[...base, 'info', '0'.repeat(40)], env, 6, /No torrent 0{40}/],
        [[...base, 'version'], { TR_PASS: 'wrong' }, 4, /Wrong user name or password/],
        [['--client', 'transmission', '--url', `http://127.0.0.1:${await freePort()}/transmission/rpc`, 'list'], {}, 3, /refused/i],
        [['--client', 'transmission', '--url', `http://127.0.0.1:${tr.port}/elsewhere`, '--user', tr.username, '--password-env', 'TR_PASS', 'list'], env, 3, /\/transmission\/rpc/],
        [[...base, 'label', '0'.repeat(40), '--set', 'a\\,b'], env, 2, /comma/],
        [[...base, 'move', '0'.repeat(40), '--to', 'relative'], env, 2, /absolute/],
      ];
      for (const [args, environment, code, message] of cases) {
        const result = await runSeedbox(args, { env: environment });
        expect({ args, code: result.code }).toEqual({ args, code });
        expect(result.stderr).toMatch(message);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).not.toContain(tr.password);
      }
    });
  });
});
