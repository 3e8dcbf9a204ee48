import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../electron/core/config/registry';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-store';
import type { SecretStore } from '../../../electron/core/secrets/secret-store';
import { fakeKeychain } from '../../helpers/keychain';
import { tempDir } from '../../helpers/processes';

const PIN = 'cd'.repeat(32);

let config: string;
let keychain: ReturnType<typeof fakeKeychain>;

beforeEach(() => {
  config = join(tempDir('boxes'), 'seedboxes.json');
  keychain = fakeKeychain();
});

async function run(argv: string[], options: { stdin?: string; env?: Record<string, string>; store?: SecretStore | null } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
    ...(options.store === null ? {} : { openSecretStore: async () => options.store ?? keychain }),
  };
  const code = await runCli(['--config', config, ...argv], io);
  return { code, stdout, stderr };
}

/** An HTTP daemon that always answers 401 and remembers the credentials it was sent. */
let daemon: Server;
let daemonUrl: string;
const seenAuthorization: (string | undefined)[] = [];

beforeAll(async () => {
  daemon = createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization);
    response.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
  });
  await new Promise<void>((resolve) => daemon.listen(0, '127.0.0.1', resolve));
  daemonUrl = `http://127.0.0.1:${(daemon.address() as AddressInfo).port}/RPC2`;
});

afterAll(() => new Promise<void>((resolve) => daemon.close(() => resolve())));

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('seedbox boxes add / list / remove', () => {
  it('adds a seedbox with the password from stdin, lists it without the password, and removes it', async () => {
    const added = await run(['boxes', 'add', 'Home Box', '--client', 'rtorrent', '--url', daemonUrl, '--user', 'ann', '--password-stdin', '--pin', PIN.toUpperCase(), '--label-style', 'flood'], {
      stdin: 's3cret pass\n',
    });
    expect(added).toEqual({ code: 0, stdout: expect.stringMatching(/^Added "Home Box" \(home-box-[a-z0-9]{6}\)\.\n$/), stderr: '' });
    const id = /\((home-box-[a-z0-9]{6})\)/.exec(added.stdout)![1]!;
    expect(await keychain.get(id, 'daemon-password')).toBe('s3cret pass');

    const list = await run(['boxes', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        id,
        name: 'Home Box',
        kind: 'rtorrent',
        url: daemonUrl,
        username: 'ann',
        tlsPinSha256: PIN,
        proxy: null,
        sshTunnel: null,
        pathMapping: [],
        sftpPathMapping: [],
        pollIntervalMs: null,
        labelStyle: 'flood',
        secrets: { 'daemon-password': true, 'ssh-secret': false, 'proxy-password': false },
      },
    ]);
    expect(list.stdout).not.toContain('s3cret');
    expect(readFileSync(config, 'utf8')).not.toContain('s3cret');

    const table = await run(['boxes', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+CLIENT\s+USER\s+PASSWORD\s+PIN\s+ROUTE\s+ID\s+URL$/);
    expect(table.stdout).toMatch(/^Home Box\s+rtorrent\s+ann\s+saved\s+cdcdcdcdcdcdcdcd…\s+-\s+home-box-/m);

    const removed = await run(['boxes', 'remove', 'home box']);
    expect(removed).toEqual({ code: 0, stdout: 'Removed "Home Box".\n', stderr: '' });
    expect(await keychain.has(id, 'daemon-password')).toBe(false);
    expect((await run(['boxes', 'list'])).stdout).toBe('No saved seedboxes. Add one with "seedbox boxes add".\n');
  });

  it('takes the password out of a URL with user info', async () => {
    const port = new URL(daemonUrl).port;
    const added = await run(['boxes', 'add', 'Provider', '--client', 'qbittorrent', '--url', `http://me:pa%3Ass@127.0.0.1:${port}/`, '--json']);
    expect(added.code).toBe(0);
    const view = JSON.parse(added.stdout);
    expect(view).toMatchObject({ url: `http://127.0.0.1:${port}/`, username: 'me', secrets: { 'daemon-password': true } });
    expect(await keychain.get(view.id, 'daemon-password')).toBe('pa:ss');
    expect(readFileSync(config, 'utf8')).not.toMatch(/pa%3Ass|pa:ss/);
  });

  it('infers rtorrent from an scgi:// URL and refuses a second box with the same name', async () => {
    expect((await run(['boxes', 'add', 'Local', '--url', 'scgi:///tmp/rt.sock'])).code).toBe(0);
    const again = await run(['boxes', 'add', 'LOCAL', '--url', 'scgi:///tmp/other.sock']);
    expect(again).toMatchObject({ code: EXIT.rpcFault, stdout: '', stderr: 'seedbox: There is already a seedbox named "Local"; names must differ (ignoring case).\n' });
  });

  it.each([
    [['boxes'], /"boxes" needs a subcommand: add, edit, list, test, pin, remove/],
    [['boxes', 'frob'], /unknown subcommand "boxes frob"/],
    // An inherited property of the command table names no subcommand.
    [['boxes', 'toString'], /unknown subcommand "boxes toString"/],
    [['boxes', 'add'], /"boxes add" takes the seedbox's name/],
    [['boxes', 'add', 'X'], /"boxes add" needs --url URL/],
    [['boxes', 'add', 'X', '--url', 'https://h/'], /say which daemon https:\/\/h\/ is: --client/],
    [['boxes', 'add', 'X', '--url', 'http://h:9091', '--client', 'deluge'], /Deluge addresses look like deluge:\/\/host:58846/],
    [['boxes', 'add', 'X', '--url', 'scgi://h:1', '--pin', 'nope'], /--pin takes a SHA-256 fingerprint/],
    [['boxes', 'add', 'X', '--url', 'scgi://h:1', '--paused'], /"boxes add" does not take --paused/],
    [['boxes', 'add', 'X', '--url', 'scgi://h:1', '--password-stdin'], /--password-stdin read an empty password/],
    [['boxes', 'list', 'extra'], /"boxes list" takes no arguments/],
    [['boxes', 'remove', 'Nope', 'Two'], /takes the seedbox's name/],
    [['boxes', 'pin', 'X'], /"boxes pin" needs --pin SHA256/],
  ])('%j is a usage error', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('says which name is unknown', async () => {
    expect(await run(['boxes', 'remove', 'Ghost'])).toMatchObject({ code: EXIT.notFound, stderr: 'seedbox: No seedbox named "Ghost".\n' });
    expect(await run(['--seedbox', 'Ghost', 'list'])).toMatchObject({ code: EXIT.notFound, stderr: 'seedbox: No seedbox named "Ghost".\n' });
  });

  it('pins a certificate for a saved seedbox', async () => {
    await run(['boxes', 'add', 'TLS', '--client', 'transmission', '--url', 'https://127.0.0.1:1/transmission/rpc']);
    const colons = PIN.match(/../g)!.join(':');
    expect(await run(['boxes', 'pin', 'tls', '--pin', colons])).toMatchObject({ code: 0, stdout: 'Pinned the certificate for "TLS".\n' });
    expect(JSON.parse((await run(['boxes', 'list', '--json'])).stdout)[0].tlsPinSha256).toBe(PIN);
  });
});

describe('--seedbox NAME for torrent commands', () => {
  beforeEach(async () => {
    seenAuthorization.length = 0;
    await run(['boxes', 'add', 'Box', '--client', 'rtorrent', '--url', daemonUrl, '--user', 'ann', '--password-stdin'], { stdin: 'from-keychain' });
  });

  it('connects with the saved settings and the keychain password', async () => {
    const result = await run(['--seedbox', 'box', 'list']);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toMatch(/^seedbox: Wrong user name or password for .*RPC2/);
    expect(seenAuthorization[0]).toBe(basic('ann', 'from-keychain'));
  });

  it('lets --password-env, --user and --timeout override the saved settings', async () => {
    const result = await run(['--seedbox', 'Box', '--user', 'bob', '--password-env', 'PW', '--timeout', '5', 'version'], { env: { PW: 'from-env' } });
    expect(result.code).toBe(EXIT.auth);
    expect(seenAuthorization[0]).toBe(basic('bob', 'from-env'));
  });

  it('reaches a seedbox through its saved proxy, never around it', async () => {
    const registry = new SeedboxRegistry({ config: new ConfigFile({ path: config }), secrets: keychain });
    // Nothing listens on port 9 here: the proxy is down, so the command must fail, saying so.
    await registry.add({ name: 'Hidden', kind: 'rtorrent', url: daemonUrl, proxy: { kind: 'socks5', host: '127.0.0.1', port: 9 } });
    const result = await run(['--seedbox', 'Hidden', 'list']);
    expect(result.code).toBe(EXIT.connection);
    expect(result.stderr).toMatch(/SOCKS5 proxy 127\.0\.0\.1:9/);
    expect(seenAuthorization).toEqual([]);
  });

  it.each([
    [['--user', 'bob'], 'another user'],
    [['--pin', PIN], 'another certificate pin'],
  ])('sends the saved password nowhere but its saved settings (%s: %s)', async (override) => {
    const result = await run(['--seedbox', 'Box', ...override, 'list']);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toMatch(/^seedbox: The password saved for "Box" was saved for http:\/\/127\.0\.0\.1:\d+\/RPC2, and .* changed since/);
    expect(result.stderr).toMatch(/leave out --user and --pin, or give the password with --password-env VAR/);
    expect(seenAuthorization).toEqual([]);
  });

  it('takes the address from the saved seedbox only, never from SEEDBOX_URL', async () => {
    const result = await run(['--seedbox', 'Box', 'list'], { env: { SEEDBOX_URL: 'http://127.0.0.1:9/RPC2', SEEDBOX_CLIENT: 'rtorrent' } });
    expect(result.code).toBe(EXIT.auth);
    expect(seenAuthorization).toEqual([basic('ann', 'from-keychain')]);
  });

  it('refuses --url or --client together with --seedbox', async () => {
    expect((await run(['--seedbox', 'Box', '--url', daemonUrl, 'list'])).stderr).toMatch(/--seedbox takes the address from the saved seedbox; leave out --url/);
    expect((await run(['--seedbox', 'Box', '--client', 'deluge', 'list'])).code).toBe(EXIT.usage);
  });

  it('boxes test reports the failure with its exit status', async () => {
    const result = await run(['boxes', 'test', 'Box']);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toMatch(/^seedbox: Wrong user name or password/);
    expect(seenAuthorization[0]).toBe(basic('ann', 'from-keychain'));
  });
});

describe('without a keychain', () => {
  const memoryEnv = { SEEDBOX_SECRET_STORE: 'memory' };

  it('SEEDBOX_SECRET_STORE=memory: adding warns that the password was not saved; later commands take --password-env', async () => {
    seenAuthorization.length = 0;
    const added = await run(['boxes', 'add', 'Box', '--client', 'rtorrent', '--url', daemonUrl, '--user', 'ann', '--password-stdin'], { stdin: 'pw', env: memoryEnv, store: null });
    expect(added.code).toBe(0);
    expect(added.stderr).toBe(
      'seedbox: warning: the password was not saved. SEEDBOX_SECRET_STORE=memory is set (for tests and headless use): passwords are kept for this command only. Give it with --password-env VAR when you use "Box".\n',
    );
    const list = await run(['boxes', 'list', '--json'], { env: memoryEnv, store: null });
    expect(JSON.parse(list.stdout)[0].secrets['daemon-password']).toBe(false);

    const withoutPassword = await run(['--seedbox', 'Box', 'list'], { env: memoryEnv, store: null });
    expect(withoutPassword.code).toBe(EXIT.auth);
    expect(withoutPassword.stderr).toMatch(/\nSEEDBOX_SECRET_STORE=memory is set .* No password is saved for "Box": give it with --password-env VAR\.\n$/);

    const withEnv = await run(['--seedbox', 'Box', '--password-env', 'PW', 'list'], { env: { ...memoryEnv, PW: 'pw' }, store: null });
    expect(withEnv.code).toBe(EXIT.auth);
    expect(withEnv.stderr).not.toMatch(/--password-env/);
    expect(seenAuthorization).toEqual([basic('ann', ''), basic('ann', 'pw')]);
  });

  it('uses the store main.ts opens when no override is set, and says when the keychain is unavailable', async () => {
    const store = new MemorySecretStore({ unavailableReason: 'No keychain is available (no Secret Service on this Linux session).' });
    await run(['boxes', 'add', 'Box', '--client', 'rtorrent', '--url', daemonUrl, '--user', 'ann'], { store });
    const result = await run(['--seedbox', 'Box', 'list'], { store });
    expect(result.stderr).toMatch(/No keychain is available \(no Secret Service on this Linux session\)\. No password is saved for "Box": give it with --password-env VAR\./);
  });
});

describe('the settings file', () => {
  it('sets a damaged file aside with a warning and goes on', async () => {
    writeFileSync(config, '{ not json');
    const result = await run(['boxes', 'list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^seedbox: warning: The settings file was damaged \(it is not valid JSON\) and has been set aside as .*seedboxes\.corrupt-.*\.json; starting with no seedboxes\.\n$/);
    expect(result.stdout).toMatch(/No saved seedboxes/);
  });

  it('refuses a file from a newer version', async () => {
    writeFileSync(config, JSON.stringify({ version: 99 }));
    const result = await run(['boxes', 'add', 'X', '--url', 'scgi://h:1']);
    expect(result.code).toBe(EXIT.rpcFault);
    expect(result.stderr).toMatch(/written by a newer version of Seedbox Remote \(format 99/);
    expect(readFileSync(config, 'utf8')).toBe(JSON.stringify({ version: 99 }));
  });

  it('plain --url commands never open the settings file or the keychain', async () => {
    writeFileSync(config, JSON.stringify({ version: 99 }));
    const result = await run(['--url', 'scgi:///nonexistent.sock', 'list'], { store: { kind: 'keychain' } as SecretStore });
    expect(result.code).toBe(EXIT.connection);
    expect(result.stderr).not.toMatch(/settings|newer/);
  });

  it('the help lists the boxes commands and --seedbox', async () => {
    const help = await run(['--help']);
    for (const name of ['add', 'list', 'test', 'pin', 'remove']) expect(help.stdout).toMatch(new RegExp(`^  boxes ${name}\\b`, 'm'));
    expect(help.stdout).toMatch(/--seedbox NAME/);
    expect(help.stdout).toMatch(/SEEDBOX_SECRET_STORE=memory/);
  });
});
