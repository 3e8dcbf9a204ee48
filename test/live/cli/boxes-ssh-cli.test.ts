// `seedbox boxes add/edit` with an SSH tunnel, SSH for files only, a SOCKS5 proxy and an SFTP
// path mapping, run as the built command against a real OpenSSH sshd, a real rTorrent and a
// real SOCKS5 server (microsocks) on loopback, with the real keychain of the tests' private
// D-Bus session. The daemon's URL points where nothing listens (port 9) whenever the route
// should carry the connection, so a command that works went through it.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { openSeedboxConnection } from '../../../electron/core/connections/open';
import { probeKeychain } from '../../../electron/core/secrets/open-secret-store';
import { testConnection } from '../../../electron/core/service/seedboxes/test-connection';
import { SeedboxSchema } from '../../../electron/shared/seedbox';
import { expectCliBuilt, runSeedbox, type CliOptions, type CliRun } from '../../helpers/cli';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startSocks5Proxy, type ProxyInstance } from '../../helpers/socks';
import { startSshd, type SshdInstance } from '../../helpers/sshd';
import { filler, makeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';

const keychain = (await probeKeychain({ timeoutMs: 10_000, env: process.env })).ok;
const NOWHERE = 'scgi://127.0.0.1:9';
const CONTENT = filler('mapped', 300 * 1024 + 7);

let sshd: SshdInstance;
let rt: RtorrentInstance;
let socks: ProxyInstance;
let config: string;
let base: string;
let torrentId: string;
const names: string[] = [];

/** The command on this test's config file, with what a desktop session gives it (its keychain). */
function seedbox(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const passThrough = ['HOME', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].filter((name) => process.env[name] !== undefined);
  const env = { ...Object.fromEntries(passThrough.map((name) => [name, process.env[name]!])), ...options.env };
  return runSeedbox(['--config', config, ...args], { ...options, env });
}

async function add(name: string, args: string[], stdin?: string): Promise<CliRun> {
  names.push(name);
  return seedbox(['boxes', 'add', name, ...args], stdin !== undefined ? { stdin } : {});
}

async function savedView(name: string): Promise<Record<string, unknown>> {
  const list = JSON.parse((await seedbox(['boxes', 'list', '--json'])).stdout) as Record<string, unknown>[];
  return list.find((view) => view['name'] === name)!;
}

const rootSsh = (): string[] => ['--ssh', `root@127.0.0.1:${sshd.port}`, '--ssh-key', sshd.rootKey.privateKeyPath];

beforeAll(async () => {
  expectCliBuilt();
  expect(keychain, 'npm test starts a Secret Service in its private D-Bus session').toBe(true);
  [sshd, rt, socks] = await Promise.all([startSshd({ sftp: true, passwordUser: 'seedbox-sshcli' }), startRtorrent({ scgi: 'tcp' }), startSocks5Proxy({ username: 'socks-user', password: 'socks-pass' })]);
  config = join(tempDir('boxes-ssh-cli'), 'Seedbox Remote', 'seedbox-remote.json');
  // rTorrent saves into daemon-view; then the folder moves to sftp-view, as a chroot or a home
  // folder shows the daemon's folders elsewhere over SFTP: the daemon still reports daemon-view.
  base = tempDir('boxes-ssh-data');
  const client = new RtorrentClient({ kind: 'rtorrent', url: rt.url });
  try {
    const made = makeTorrent({ dataParent: join(base, 'daemon-view'), name: 'mapped.bin', files: [{ path: '', content: CONTENT }] });
    torrentId = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: join(base, 'daemon-view') });
    await waitForTorrent(client, torrentId, (torrent) => torrent.progress === 1 && torrent.state !== 'checking');
    await client.stop([torrentId]);
  } finally {
    await client.close();
  }
  renameSync(join(base, 'daemon-view'), join(base, 'sftp-view'));
}, 60_000);

afterAll(async () => {
  // Leave no entries in the real keychain, whatever happened above.
  for (const name of names) await seedbox(['boxes', 'remove', name]);
  await Promise.all([sshd?.stop(), rt?.stop(), socks?.stop()]);
});

describe('seedbox boxes with SSH, a proxy and an SFTP path mapping', () => {
  it('saves a tunnel without a host key: the first command prints the fingerprint and refuses (exit 5); pinned as told, the command goes through the tunnel', async () => {
    const added = await add('Tunnel', ['--url', NOWHERE, ...rootSsh(), '--ssh-remote', `127.0.0.1:${rt.port!}`]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const refused = await seedbox(['--seedbox', 'Tunnel', 'list']);
    expect(refused.code).toBe(EXIT.tls);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`is not pinned yet: ${sshd.hostKey.openssh}`);
    const advice = `seedbox boxes edit Tunnel --ssh-host-key ${sshd.hostKey.openssh}`;
    expect(refused.stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`pin it: ${advice.replace(/[+/]/g, '\\$&')}$`));
    // What the hint says, word for word.
    expect(await seedbox(advice.split(' ').slice(1))).toMatchObject({ code: 0, stdout: 'Changed "Tunnel".\n', stderr: '' });
    const listed = await seedbox(['--seedbox', 'Tunnel', 'list', '--json']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((torrent) => torrent.id)).toEqual([torrentId]);
  });

  it('refuses a host key that is not the pinned one (exit 5), saying both', async () => {
    const wrong = 'ab'.repeat(32);
    expect((await seedbox(['boxes', 'edit', 'Tunnel', '--ssh-host-key', wrong])).code).toBe(0);
    const refused = await seedbox(['--seedbox', 'Tunnel', 'version']);
    expect(refused.code).toBe(EXIT.tls);
    expect(refused.stderr).toContain(`is not the one you pinned (pinned SHA256:${Buffer.from(wrong, 'hex').toString('base64').replace(/=+$/, '')}, presented ${sshd.hostKey.openssh}`);
  });

  it('logs in with the SSH password from --ssh-password-stdin, kept in the keychain only; edit clears the tunnel and its password', async () => {
    const login = sshd.passwordLogin!;
    const added = await add('Password', ['--url', NOWHERE, '--ssh', `${login.username}@127.0.0.1:${sshd.port}`, '--ssh-password-stdin', '--ssh-host-key', sshd.hostKey.openssh, '--ssh-remote', `127.0.0.1:${rt.port!}`], `${login.password}\n`);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(config, 'utf8')).not.toContain(login.password);
    expect((await savedView('Password'))['secrets']).toMatchObject({ 'ssh-secret': true });
    const version = await seedbox(['--seedbox', 'Password', 'version']);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^rtorrent 0\.9/);

    expect(await seedbox(['boxes', 'edit', 'Password', '--no-ssh'])).toMatchObject({ code: 0, stderr: '' });
    const view = await savedView('Password');
    expect(view).toMatchObject({ sshTunnel: null });
    expect(view['secrets']).toMatchObject({ 'ssh-secret': false });
    // Without the tunnel the address is where nothing listens.
    expect((await seedbox(['--seedbox', 'Password', 'version'])).code).toBe(EXIT.connection);
  });

  it('reaches the daemon through a SOCKS5 proxy with its password from the keychain, and directly after --no-proxy', async () => {
    const added = await add('Proxied', ['--url', rt.url, '--proxy', `socks5://${socks.username}@127.0.0.1:${socks.port}`, '--proxy-password-stdin'], socks.password);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(await seedbox(['--seedbox', 'Proxied', 'version'])).toMatchObject({ code: 0, stderr: '' });
    // The proxy down: the command fails at the proxy, never going around it.
    await socks.daemon.stop();
    const down = await seedbox(['--seedbox', 'Proxied', 'version']);
    expect(down.code).toBe(EXIT.connection);
    expect(down.stderr).toContain(`SOCKS5 proxy 127.0.0.1:${socks.port}`);
    expect(await seedbox(['boxes', 'edit', 'Proxied', '--no-proxy'])).toMatchObject({ code: 0, stderr: '' });
    expect((await savedView('Proxied'))['secrets']).toMatchObject({ 'proxy-password': false });
    expect((await seedbox(['--seedbox', 'Proxied', 'version'])).code).toBe(0);
  });

  it('fetches with SSH for files only through the path mapping, and not without it', async () => {
    const added = await add('Files', ['--url', rt.url, ...rootSsh(), '--ssh-host-key', sshd.hostKey.openssh, '--ssh-files-only']);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const unmapped = await seedbox(['--seedbox', 'Files', 'fetch', torrentId, '--to', tempDir('fetch-unmapped')]);
    expect(unmapped.code).toBe(EXIT.notFound);
    expect(unmapped.stderr).toContain(`${join(base, 'daemon-view', 'mapped.bin')} does not exist on the box (check the path mapping)`);

    expect((await seedbox(['boxes', 'edit', 'Files', '--sftp-path', `${join(base, 'daemon-view')}=${join(base, 'sftp-view')}`])).code).toBe(0);
    const home = tempDir('fetch-mapped');
    const fetched = await seedbox(['--seedbox', 'Files', 'fetch', torrentId, '--to', home]);
    expect(fetched).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(home, 'mapped.bin')).equals(CONTENT)).toBe(true);
  });

  it("the editor's Test looks the save path up over SFTP: a missing one fails the SFTP step (and the Test, for SSH for files only), the mapped one is found", async () => {
    const files = SeedboxSchema.parse({ ...(await savedView('Files')), sftpPathMapping: [] });
    const noSecrets = (): Promise<undefined> => Promise.resolve(undefined);
    const missing = await testConnection(openSeedboxConnection, files, noSecrets);
    expect(missing.ok).toBe(false);
    expect(missing.torrentCount).toBe(1);
    expect(missing.steps.map((step) => [step.step, step.ok])).toEqual([
      ['address', true],
      ['login', true],
      ['list', true],
      ['sftp', false],
    ]);
    expect(missing.steps.at(-1)!.message).toBe(`The save path ${join(base, 'daemon-view')} does not exist over SFTP: set the path mapping for fetching.`);
    expect(missing.error).toMatchObject({ code: 'not-found', details: { reason: 'sftp-path-missing' } });

    const mapped = await testConnection(openSeedboxConnection, SeedboxSchema.parse(await savedView('Files')), noSecrets);
    expect(mapped.ok).toBe(true);
    expect(mapped.steps.at(-1)).toEqual({ step: 'sftp', ok: true, message: `Save path found over SFTP: ${join(base, 'daemon-view')} (over SFTP ${join(base, 'sftp-view')}).` });

    // Behind a tunnel the daemon works either way: the Test passes, its SFTP step says what fetching will meet.
    const tunnel = SeedboxSchema.parse(await savedView('Tunnel'));
    const tunnelled = await testConnection(openSeedboxConnection, { ...tunnel, sshTunnel: { ...tunnel.sshTunnel!, hostKeySha256: sshd.hostKey.sha256 } }, noSecrets);
    expect(tunnelled).toMatchObject({ ok: true, error: null, torrentCount: 1 });
    expect(tunnelled.steps.at(-1)).toEqual({ step: 'sftp', ok: false, message: missing.steps.at(-1)!.message });
  });
});
