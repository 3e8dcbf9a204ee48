// `boxes add` and `boxes edit` with the route options (--ssh..., --proxy, --sftp-path): what
// lands in the settings file and the keychain, and one clear line per mistake. The live tests
// (test/live/cli/boxes-ssh-cli.test.ts) take these settings to a real sshd and SOCKS server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { fakeKeychain } from '../../helpers/keychain';
import { tempDir } from '../../helpers/processes';

const HOST_KEY_HEX = 'ab'.repeat(32);
const HOST_KEY_OPENSSH = `SHA256:${Buffer.from(HOST_KEY_HEX, 'hex').toString('base64').replace(/=+$/, '')}`;

let dir: string;
let config: string;
let keyFile: string;
let keychain: ReturnType<typeof fakeKeychain>;

beforeEach(() => {
  dir = tempDir('boxes-routes');
  config = join(dir, 'seedboxes.json');
  keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, 'not read until a connection\n');
  keychain = fakeKeychain();
});

async function run(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: {},
    readStdin: async () => stdin,
    openSecretStore: async () => keychain,
  };
  const code = await runCli(['--config', config, ...argv], io);
  return { code, stdout, stderr };
}

async function saved(name: string): Promise<Record<string, unknown>> {
  const list = JSON.parse((await run(['boxes', 'list', '--json'])).stdout) as Record<string, unknown>[];
  return list.find((view) => view['name'] === name)!;
}

describe('boxes add with an SSH tunnel, a proxy and a path mapping', () => {
  it('saves the tunnel to the address of --url, the key file as an absolute path, the passphrase in the keychain only', async () => {
    const added = await run(
      ['boxes', 'add', 'Tunnelled', '--url', 'scgi:///home/me/.rtorrent.sock', '--ssh', 'me@box.example:2222', '--ssh-key', keyFile, '--ssh-host-key', HOST_KEY_OPENSSH, '--ssh-password-stdin', '--sftp-path', '/home/me/downloads=downloads'],
      'key passphrase\n',
    );
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const view = await saved('Tunnelled');
    expect(view['sshTunnel']).toEqual({
      host: 'box.example',
      port: 2222,
      username: 'me',
      auth: 'key',
      privateKeyPath: keyFile,
      hostKeySha256: HOST_KEY_HEX,
      remote: { kind: 'unix', path: '/home/me/.rtorrent.sock' },
    });
    expect(view['sftpPathMapping']).toEqual([{ daemon: '/home/me/downloads', sftp: 'downloads' }]);
    expect(view['secrets']).toMatchObject({ 'ssh-secret': true, 'daemon-password': false });
    expect(await keychain.get(view['id'] as string, 'ssh-secret')).toBe('key passphrase');
  });

  it('takes the SSH password without a key, a SOCKS5 proxy with its user, and SSH for files only', async () => {
    expect((await run(['boxes', 'add', 'Files', '--client', 'transmission', '--url', 'http://box.example:9091', '--ssh', 'me@[::1]', '--ssh-password-stdin', '--ssh-files-only', '--proxy', 'socks5://alice@127.0.0.1:1080'], 'ssh-pw')).code).toBe(0);
    const table = (await run(['boxes', 'list'])).stdout.split('\n');
    expect(table[1]).toMatch(/ socks5 127\.0\.0\.1:1080, ssh me@\[::1\]:22 \(files only\) +files-/);
    const view = await saved('Files');
    expect(view['sshTunnel']).toMatchObject({ host: '::1', port: 22, auth: 'password', privateKeyPath: null, hostKeySha256: null, remote: null });
    expect(view['proxy']).toEqual({ kind: 'socks5', host: '127.0.0.1', port: 1080, username: 'alice' });
  });

  it.each([
    [['--ssh', 'box.example'], /--ssh takes USER@HOST\[:PORT\], not "box.example"/],
    [['--ssh', 'me@box:70000'], /--ssh takes USER@HOST\[:PORT\]/],
    [['--ssh-key', '/nowhere'], /--ssh-key needs --ssh USER@HOST\[:PORT\]: this seedbox has no SSH settings/],
    [['--ssh', 'me@box', '--ssh-key', '/no/such/key'], /--ssh-key: cannot use \/no\/such\/key \(no such file\)/],
    [['--ssh', 'me@box', '--ssh-host-key', 'SHA256:short'], /--ssh-host-key: A host key fingerprint is "SHA256:"/],
    [['--ssh', 'me@box', '--ssh-remote', 'nohost'], /--ssh-remote takes HOST:PORT/],
    [['--ssh', 'me@box', '--ssh-remote', '127.0.0.1:5000', '--ssh-files-only'], /give one/],
    [['--proxy', 'ftp://h:1'], /the proxy's scheme is socks5:\/\/ or http:\/\//],
    [['--proxy', 'socks5://u:secret@h:1080'], /leave the password out of the URL/],
    [['--proxy', 'http://h'], /give the proxy's port/],
    [['--proxy-password-stdin'], /--proxy-password-stdin is the password of a proxy: give --proxy URL too/],
    [['--ssh', 'me@box', '--ssh-password-stdin', '--password-stdin'], /standard input holds one secret/],
    [['--sftp-path', 'downloads'], /--sftp-path: "downloads" is not DAEMON-PATH=SFTP-PATH/],
    [['--sftp-path', 'rel=downloads'], /--sftp-path: "rel=downloads": A daemon path starts with "\/"/],
    [['--no-ssh'], /"boxes add" does not take --no-ssh/],
  ])('refuses %j with one line and saves nothing', async (extra, message) => {
    const result = await run(['boxes', 'add', 'Bad', '--url', 'scgi://127.0.0.1:5000', ...extra], 'secret');
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run(['boxes', 'list', '--json'])).stdout.trim()).toBe('[]');
  });
});

describe('boxes edit', () => {
  beforeEach(async () => {
    await run(['boxes', 'add', 'Box', '--url', 'scgi://127.0.0.1:5000', '--ssh', 'me@box.example', '--ssh-password-stdin', '--ssh-host-key', HOST_KEY_HEX], 'ssh-pw');
  });

  it('changes one setting and keeps the others, with the SSH password', async () => {
    expect(await run(['boxes', 'edit', 'box', '--ssh-remote', '/home/me/.rtorrent.sock', '--sftp-path', '/srv=/data', '--sftp-path', '/srv/x=/x'])).toMatchObject({ code: 0, stdout: 'Changed "Box".\n', stderr: '' });
    const view = await saved('Box');
    expect(view['sshTunnel']).toMatchObject({ host: 'box.example', auth: 'password', hostKeySha256: HOST_KEY_HEX, remote: { kind: 'unix', path: '/home/me/.rtorrent.sock' } });
    expect(view['sftpPathMapping']).toEqual([{ daemon: '/srv', sftp: '/data' }, { daemon: '/srv/x', sftp: '/x' }]);
    expect(view['secrets']).toMatchObject({ 'ssh-secret': true });
  });

  it('moving to another SSH server drops the host key pin and the SSH password, and says how to give it again', async () => {
    const moved = await run(['boxes', 'edit', 'Box', '--ssh', 'me@other.example']);
    expect(moved.code).toBe(0);
    expect(moved.stderr).toBe('seedbox: warning: the saved SSH password or key passphrase was forgotten: it belonged to the old settings and goes nowhere else. Give it again with --ssh-password-stdin.\n');
    const view = await saved('Box');
    expect(view['sshTunnel']).toMatchObject({ host: 'other.example', hostKeySha256: null, auth: 'password' });
    expect(view['secrets']).toMatchObject({ 'ssh-secret': false });
    expect((await run(['boxes', 'edit', 'Box', '--ssh-password-stdin'], 'new-pw')).code).toBe(0);
    expect(await keychain.get(view['id'] as string, 'ssh-secret')).toBe('new-pw');
  });

  it('clears the tunnel, the proxy and the mapping', async () => {
    await run(['boxes', 'edit', 'Box', '--proxy', 'http://127.0.0.1:3128', '--sftp-path', '/a=/b']);
    expect((await saved('Box'))['proxy']).toMatchObject({ kind: 'http', port: 3128 });
    // The SSH password goes with the tunnel, without a warning to give it again.
    expect(await run(['boxes', 'edit', 'Box', '--no-ssh', '--no-proxy', '--sftp-path', ''])).toMatchObject({ code: 0, stderr: '' });
    const view = await saved('Box');
    expect(view).toMatchObject({ sshTunnel: null, proxy: null, sftpPathMapping: [] });
    expect(view['secrets']).toMatchObject({ 'ssh-secret': false });
  });

  it.each([
    [[], /"boxes edit" needs something to change/],
    [['--no-ssh', '--ssh-key', '/k'], /--no-ssh clears the SSH settings: leave out --ssh-key/],
    [['--no-proxy', '--proxy', 'socks5://h:1'], /--no-proxy clears the proxy/],
    [['--rename', ' '], /--rename takes the new name; it is empty/],
    [['--ssh-key', '/k', '--ssh-agent'], /--ssh-key and --ssh-agent are two ways to log in: give one/],
  ])('refuses %j with one line and changes nothing', async (extra, message) => {
    const before = await saved('Box');
    const result = await run(['boxes', 'edit', 'Box', ...extra]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await saved('Box')).toEqual(before);
  });

  it('renames, and an unknown box is not found', async () => {
    expect((await run(['boxes', 'edit', 'Box', '--rename', 'Renamed'])).code).toBe(0);
    expect((await saved('Renamed'))['sshTunnel']).toMatchObject({ host: 'box.example' });
    expect(await run(['boxes', 'edit', 'Ghost', '--no-proxy'])).toMatchObject({ code: EXIT.notFound, stderr: 'seedbox: No seedbox named "Ghost".\n' });
  });
});
