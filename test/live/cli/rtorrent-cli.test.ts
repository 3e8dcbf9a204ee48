import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox, SEEDBOX_CLI } from '../../helpers/cli';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startNginxScgiFront, type NginxFront } from '../../helpers/nginx';
import { freePort } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { rtorrentCall, rtorrentInt } from '../rtorrent/support';

let rt: RtorrentInstance;
let nginx: NginxFront;
let data: string;
let url: string;

beforeAll(async () => {
  expectCliBuilt();
  rt = await startRtorrent();
  nginx = await startNginxScgiFront({ scgiSocket: rt.socketPath! });
  url = rt.url;
  data = join(rt.dir, 'cli-data');
  mkdirSync(data);
});

afterAll(async () => {
  await nginx?.stop();
  await rt?.stop();
});

describe('the seedbox command against rtorrent', () => {
  it('infers rtorrent from scgi:// and prints the version', async () => {
    const run = await runSeedbox(['--url', url, 'version']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('rtorrent 0.9.8 (xmlrpc)\n');
  });

  it('adds files and a magnet, prints their ids, and lists them as JSON with the model’s field names', async () => {
    const one = makeTorrent({ dataParent: data, name: 'cli one ü', files: [{ path: '', content: filler('c1', 3000) }] });
    const two = makeTorrent({ dataParent: data, name: 'cli two', files: [{ path: 'f/a.txt', content: 'aaa' }, { path: 'b.txt', content: 'bb' }] });
    writeFileSync(join(data, 'one.torrent'), one.bytes);
    writeFileSync(join(data, 'two.torrent'), two.bytes);
    const magnet = 'magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa';
    const run = await runSeedbox(['--url', url, 'add', join(data, 'one.torrent'), join(data, 'two.torrent'), magnet, '--path', data, '--label', 'cli, label', '--paused', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([one.infoHash, two.infoHash, 'abcdef0123456789abcdef0123456789abcdef01']);

    const list = await runSeedbox(['--url', url, 'list', '--json']);
    expect(list.code).toBe(0);
    const torrents = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(torrents).toHaveLength(3);
    for (const torrent of torrents) expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
    const first = torrents.find((torrent) => torrent['id'] === one.infoHash)!;
    expect(first).toMatchObject({ name: 'cli one ü', state: 'paused', labels: ['cli, label'], savePath: data, sizeBytes: 3000 });

    const table = await runSeedbox(['--url', url, 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+DONE\s+SIZE/);
    expect(table.stdout).toContain('cli one ü');
  });

  it('shows details, starts, stops, rechecks, reannounces, labels and sets priorities', async () => {
    const made = makeTorrent({ dataParent: data, name: 'cli ops', files: [{ path: 'x.bin', content: filler('x', 20_000) }, { path: 'y.bin', content: filler('y', 100) }] });
    writeFileSync(join(data, 'ops.torrent'), made.bytes);
    const id = made.infoHash;
    expect((await runSeedbox(['--url', url, 'add', join(data, 'ops.torrent'), '--path', data, '--paused'])).stdout).toBe(`${id}\n`);

    const info = await runSeedbox(['--url', url, 'info', id, '--json']);
    const details = JSON.parse(info.stdout);
    expect(details.files.map((file: { path: string }) => file.path)).toEqual(['x.bin', 'y.bin']);
    expect(details.trackers[0].url).toBe('http://127.0.0.1:9/announce');
    expect((await runSeedbox(['--url', url, 'info', id])).stdout).toMatch(/Files \(2\):/);

    expect((await runSeedbox(['--url', url, 'recheck', id])).code).toBe(0);
    expect((await runSeedbox(['--url', url, 'start', id])).code).toBe(0);
    expect(await rtorrentInt(rt, 'd.state', [id])).toBe(1);
    expect((await runSeedbox(['--url', url, 'reannounce', id])).code).toBe(0);
    expect((await runSeedbox(['--url', url, 'stop', id])).code).toBe(0);
    expect(await rtorrentInt(rt, 'd.state', [id])).toBe(0);

    expect((await runSeedbox(['--url', url, 'label', id, '--set', 'Films\\, HD'])).code).toBe(0);
    expect(await rtorrentCall(rt, 'd.custom1', [id])).toBe('Films%2C%20HD');
    const several = await runSeedbox(['--url', url, '--label-style', 'flood', 'label', id, '--set', 'a b,c']);
    expect(several.code).toBe(0);
    expect(await rtorrentCall(rt, 'd.custom1', [id])).toBe('a%20b,c');

    expect((await runSeedbox(['--url', url, 'priority', id, '--file', '1', '--set', 'skip'])).code).toBe(0);
    expect(await rtorrentInt(rt, 'f.priority', [`${id.toUpperCase()}:f1`])).toBe(0);

    const limits = await runSeedbox(['--url', url, 'limits', '--down', '1M', '--up', '256K', '--json']);
    expect(JSON.parse(limits.stdout)).toEqual({ downBytesPerSecond: 1048576, upBytesPerSecond: 262144 });
    expect(await rtorrentInt(rt, 'throttle.global_up.max_rate', [''])).toBe(262144);
  });

  it('reports session stats, and says plainly what rTorrent cannot do', async () => {
    const stats = await runSeedbox(['--url', url, 'stats', '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ freeSpaceBytes: null, alternativeSpeedEnabled: null });
    expect(typeof JSON.parse(stats.stdout).downRate).toBe('number');
    const queue = await runSeedbox(['--url', url, 'queue', '0'.repeat(40), '--move', 'top']);
    expect(queue).toMatchObject({ code: 7, stderr: 'seedbox: rTorrent has no download queue.\n' });
    const alt = await runSeedbox(['--url', url, 'altspeed', 'on']);
    expect(alt.code).toBe(7);
    expect(alt.stderr).toMatch(/no alternative speed/);
  });

  it('removes with data, touching only the torrent’s own files', async () => {
    const made = makeTorrent({ dataParent: data, name: 'cli remove', files: [{ path: 'r.bin', content: filler('r', 500) }] });
    writeFileSync(join(data, 'remove.torrent'), made.bytes);
    await runSeedbox(['--url', url, 'add', join(data, 'remove.torrent'), '--path', data, '--paused']);
    const run = await runSeedbox(['--url', url, 'remove', made.infoHash, '--delete-data']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(join(data, 'cli remove'))).toBe(false);
    expect(existsSync(join(data, 'remove.torrent'))).toBe(true);
  });

  it('works over HTTPS with a pin and a password from the environment', async () => {
    const httpsUrl = nginx.url;
    const base = ['--client', 'rtorrent', '--url', httpsUrl, '--user', nginx.username, '--password-env', 'RT_PASS'];
    const untrusted = await runSeedbox([...base, 'version'], { env: { RT_PASS: nginx.password } });
    expect(untrusted.code).toBe(5);
    expect(untrusted.stderr).toContain('--pin');
    const pin = untrusted.stderr.match(/--pin ([0-9A-F:]+)/i)![1]!;
    expect(pin.replaceAll(':', '').toLowerCase()).toBe(nginx.certificate.sha256);

    const pinned = await runSeedbox([...base, '--pin', pin, 'version'], { env: { RT_PASS: nginx.password } });
    expect(pinned).toMatchObject({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc)\n' });
    const wrong = await runSeedbox([...base, '--pin', pin, 'version'], { env: { RT_PASS: 'wrong' } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('gives one clear line and a distinct exit code per kind of failure, never a stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--url', url, 'frobnicate'], 2, /unknown command "frobnicate"/],
      [['list'], 2, /--url/],
      [['--url', url, 'start', 'xyz'], 2, /not a torrent id/],
      [['--url', `scgi://127.0.0.1:${await freePort()}`, 'list'], 3, /refused/i],
      [['--url', url, 'info', '0'.repeat(40)], 6, /No torrent 0{40}/],
      [['--url', url, 'add', join(data, 'missing.torrent')], 2, /cannot read .*missing\.torrent: no such file/],
      [['--url', url, 'add', SEEDBOX_CLI], 8, /is not a torrent file\./],
      [['--url', url, 'priority', '0'.repeat(40), '--file', '0', '--set', 'sometimes'], 2, /--set must be one of/],
    ];
    for (const [args, code, message] of cases) {
      const run = await runSeedbox(args);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    const asJson = await runSeedbox(['--url', url, 'info', '0'.repeat(40), '--json']);
    expect(JSON.parse(asJson.stderr)).toMatchObject({ error: { code: 'not-found' } });
  });
});
