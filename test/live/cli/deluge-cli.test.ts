import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { DAEMONS, GENERATIONS } from '../../helpers/generations';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { delugePyCall } from '../deluge/support';

describe.each(GENERATIONS)('%s', (generation) => {
  const release = DAEMONS[generation].deluge;

  let deluge: DelugeInstance;
  let data: string;
  let base: string[];
  let env: Record<string, string>;

  /** The full command line of every test: client, URL, user, password from the environment, pin. */
  const run = (...args: string[]): Promise<CliRun> => runSeedbox([...base, ...args], { env });

  async function status(id: string, keys: string[]): Promise<Record<string, unknown>> {
    return (await delugePyCall(deluge, 'core.get_torrent_status', [id, keys])) as Record<string, unknown>;
  }

  beforeAll(async () => {
    expectCliBuilt();
    deluge = await startDeluged({ generation, plugins: ['Label'] });
    data = join(deluge.dir, 'cli-data');
    mkdirSync(data);
    base = ['--client', 'deluge', '--url', `deluge://127.0.0.1:${deluge.port}`, '--user', deluge.username, '--password-env', 'DELUGE_PASS', '--pin', deluge.certificateSha256];
    env = { DELUGE_PASS: deluge.password };
  });

  afterAll(async () => {
    await deluge?.stop();
  });

  describe('the seedbox command against deluged', () => {
    it('prints the version, and asks for a pin (printing it) without one', async () => {
      expect(await run('version')).toMatchObject({ code: 0, stdout: `deluge ${release.version} (rencode)\n`, stderr: '' });
      const unpinned = await runSeedbox(base.slice(0, -2).concat('version'), { env });
      expect(unpinned.code).toBe(5);
      const pin = unpinned.stderr.match(/--pin ([0-9A-F:]+)/i)![1]!;
      expect(pin.replaceAll(':', '').toLowerCase()).toBe(deluge.certificateSha256);
      const wrong = await runSeedbox([...base, 'version'], { env: { DELUGE_PASS: 'wrong' } });
      expect(wrong.code).toBe(4);
      expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
      expect(wrong.stderr).not.toContain('wrong');
    });

    it('adds files and a magnet with path, label and paused, and lists them', async () => {
      const one = makeTorrent({ dataParent: data, name: 'cli one ü', files: [{ path: '', content: filler('c1', 3000) }] });
      const two = makeTorrent({ dataParent: data, name: 'cli two', files: [{ path: 'f/a.txt', content: 'aaa' }, { path: 'b.txt', content: 'bb' }] });
      writeFileSync(join(data, 'one.torrent'), one.bytes);
      writeFileSync(join(data, 'two.torrent'), two.bytes);
      const magnet = 'magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa';
      const added = await run('add', join(data, 'one.torrent'), join(data, 'two.torrent'), magnet, '--path', data, '--label', 'cli-label', '--paused', '--json');
      expect(added.stderr).toBe('');
      expect(JSON.parse(added.stdout)).toEqual([one.infoHash, two.infoHash, 'abcdef0123456789abcdef0123456789abcdef01']);
      expect(await status(one.infoHash, ['label', 'save_path', 'paused'])).toEqual({ label: 'cli-label', save_path: data, paused: true });

      const list = await run('list', '--json');
      const torrents = JSON.parse(list.stdout) as Record<string, unknown>[];
      expect(torrents).toHaveLength(3);
      for (const torrent of torrents) expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrents.find((torrent) => torrent['id'] === one.infoHash)).toMatchObject({ name: 'cli one ü', state: 'paused', labels: ['cli-label'], savePath: data, sizeBytes: 3000 });
      const table = await run('list');
      expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+DONE\s+SIZE/);
      expect(table.stdout).toContain('cli one ü');

      const refused = await run('add', join(data, 'one.torrent'), '--label', 'Not Valid');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/lowercase letters/);
    });

    it('shows details, rechecks, starts, reannounces, stops, labels, sets priorities, limits and queue positions', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli ops', files: [{ path: 'x.bin', content: filler('x', 20_000) }, { path: 'y.bin', content: filler('y', 100) }] });
      writeFileSync(join(data, 'ops.torrent'), made.bytes);
      const id = made.infoHash;
      expect((await run('add', join(data, 'ops.torrent'), '--path', data, '--paused')).stdout).toBe(`${id}\n`);

      const details = JSON.parse((await run('info', id, '--json')).stdout);
      expect(details.files.map((file: { path: string }) => file.path)).toEqual(['x.bin', 'y.bin']);
      expect(details.trackers[0].url).toBe('http://127.0.0.1:9/announce');
      expect((await run('info', id)).stdout).toMatch(/Files \(2\):/);

      // Finished torrents leave Deluge's queue, so before the recheck.
      expect((await status(id, ['queue']))['queue']).toBeGreaterThan(0);
      expect((await run('queue', id, '--move', 'top')).code).toBe(0);
      await waitFor('the top of the queue', async () => (await status(id, ['queue']))['queue'] === 0);

      expect((await run('recheck', id)).code).toBe(0);
      await waitFor('the recheck', async () => {
        const row = await status(id, ['progress', 'state']);
        return row['progress'] === 100 && row['state'] === 'Paused';
      });
      expect((await run('start', id)).code).toBe(0);
      // Deluge may undo a start that lands just as its post-recheck pause does: start again then.
      await waitFor(
        'seeding',
        async () => {
          const state = (await status(id, ['state']))['state'];
          if (state === 'Paused') expect((await run('start', id)).code).toBe(0);
          return state === 'Seeding';
        },
        60_000,
      );
      expect((await run('reannounce', id)).code).toBe(0);
      expect((await run('stop', id)).code).toBe(0);
      await waitFor('paused', async () => (await status(id, ['state']))['state'] === 'Paused');

      expect((await run('label', id, '--set', 'films')).code).toBe(0);
      expect(await status(id, ['label'])).toEqual({ label: 'films' });
      const two = await run('label', id, '--set', 'a,b');
      expect(two.code).toBe(2);
      expect(two.stderr).toMatch(/one label/);

      expect((await run('priority', id, '--file', '1', '--set', 'skip')).code).toBe(0);
      expect((await run('priority', id, '--file', '0', '--set', 'low')).code).toBe(0);
      expect(await status(id, ['file_priorities'])).toEqual({ file_priorities: [1, 0] });

      const limits = await run('limits', '--down', '1M', '--up', '256K', '--json');
      expect(JSON.parse(limits.stdout)).toEqual({ downBytesPerSecond: 1048576, upBytesPerSecond: 262144 });
      expect(await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])).toEqual({ max_download_speed: 1024, max_upload_speed: 256 });
      expect((await run('limits', id, '--down', '500K', '--up', '0')).code).toBe(0);
      expect(await status(id, ['max_download_speed', 'max_upload_speed'])).toEqual({ max_download_speed: 500, max_upload_speed: -1 });

    });

    it('moves data, reports stats, refuses the alternative speed mode', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli move', files: [{ path: 'm.bin', content: filler('m', 500) }] });
      writeFileSync(join(data, 'move.torrent'), made.bytes);
      await run('add', join(data, 'move.torrent'), '--path', data, '--paused');
      const target = join(deluge.dir, 'cli moved');
      expect((await run('move', made.infoHash, '--to', target)).code).toBe(0);
      await waitFor('the move', async () => (await status(made.infoHash, ['save_path']))['save_path'] === target && existsSync(join(target, 'cli move', 'm.bin')));

      const stats = JSON.parse((await run('stats', '--json')).stdout);
      expect(stats.freeSpaceBytes).toBeGreaterThan(0);
      expect(stats.alternativeSpeedEnabled).toBeNull();
      const alt = await run('altspeed', 'on');
      expect(alt.code).toBe(7);
      expect(alt.stderr).toMatch(/no alternative speed/);
    });

    it('removes with data, touching only the torrent’s own files', async () => {
      const made = makeTorrent({ dataParent: data, name: 'cli remove', files: [{ path: 'r.bin', content: filler('r', 500) }] });
      writeFileSync(join(data, 'remove.torrent'), made.bytes);
      await run('add', join(data, 'remove.torrent'), '--path', data, '--paused');
      await run('recheck', made.infoHash);
      await waitFor('the recheck', async () => (await status(made.infoHash, ['progress']))['progress'] === 100);
      expect(await run('remove', made.infoHash, '--delete-data')).toMatchObject({ code: 0, stderr: '' });
      await waitFor('the data to go', () => !existsSync(join(data, 'cli remove')));
      expect(existsSync(join(data, 'remove.torrent'))).toBe(true);
      expect(existsSync(join(data, 'cli one ü'))).toBe(true);
      expect(await delugePyCall(deluge, 'core.get_torrents_status', [{ id: [made.infoHash] }, ['name']])).toEqual({});
    });

    it('gives one clear line and a distinct exit code per failure', async () => {
      const cases: [string[], number, RegExp][] = [
        [['info', '0'.repeat(40)], 6, /No torrent 0{40}/],
        [['start', 'xyz'], 2, /not a torrent id/],
        [['stop', '0'.repeat(40)], 6, /No torrent 0{40}/],
      ];
      for (const [args, code, message] of cases) {
        const result = await run(...args);
        expect({ args, code: result.code }).toEqual({ args, code });
        expect(result.stderr).toMatch(message);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      }
      const reader = await runSeedbox(['--client', 'deluge', '--url', `deluge://127.0.0.1:${deluge.port}`, '--user', 'reader', '--password-env', 'P', '--pin', deluge.certificateSha256, 'stop', '0'.repeat(40)], { env: { P: 'read only pw' } });
      expect(reader.code).toBe(4);
      expect(reader.stderr).toMatch(/level is too low/);
    });
  });
});
