import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeKeychain } from '../../../electron/core/secrets/open-secret-store';
import { expectCliBuilt, runSeedbox, type CliOptions, type CliRun } from '../../helpers/cli';
import { startNginxScgiFront, type NginxFront } from '../../helpers/nginx';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { makeTorrent } from '../../helpers/torrents';

/**
 * With a Secret Service reachable (scripts/test.mjs starts one in a private D-Bus session), the
 * saved password goes to the real keychain and later commands need nothing else. Without one,
 * the commands run with SEEDBOX_SECRET_STORE=memory and the password comes from --password-env,
 * which is what a headless machine does.
 */
const keychain = (await probeKeychain({ timeoutMs: 10_000, env: process.env })).ok;
let rt: RtorrentInstance;
let nginx: NginxFront;
let config: string;
let data: string;

/** The command on this test's config file, with the environment a desktop session gives it. */
function seedbox(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const passThrough = ['HOME', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'].filter((name) => process.env[name] !== undefined);
  const env = {
    ...Object.fromEntries(passThrough.map((name) => [name, process.env[name]!])),
    ...(keychain ? {} : { SEEDBOX_SECRET_STORE: 'memory' }),
    ...options.env,
  };
  return runSeedbox(['--config', config, ...args], { ...options, env });
}

/** What the HTTPS front needs beyond its saved settings: nothing with a keychain. */
function passwordArgs(): { args: string[]; env: Record<string, string> } {
  return keychain ? { args: [], env: {} } : { args: ['--password-env', 'RT_PASS'], env: { RT_PASS: nginx.password } };
}

beforeAll(async () => {
  expectCliBuilt();
  rt = await startRtorrent();
  nginx = await startNginxScgiFront({ scgiSocket: rt.socketPath! });
  config = join(tempDir('boxes-cli'), 'Seedbox Remote', 'seedbox-remote.json');
  data = rt.downloadDir;
});

afterAll(async () => {
  // Leave no entries in a real keychain, whatever happened above.
  if (keychain && existsSync(config)) for (const name of ['Local RT', 'Web Front', 'Unpinned']) await seedbox(['boxes', 'remove', name]);
  await nginx?.stop();
  await rt?.stop();
});

describe(`seedbox boxes against rtorrent and an nginx HTTPS front (${keychain ? 'real keychain' : 'SEEDBOX_SECRET_STORE=memory'})`, () => {
  it('saves an SCGI box and an HTTPS box with a pin and a password from stdin', async () => {
    const local = await seedbox(['boxes', 'add', 'Local RT', '--url', rt.url]);
    expect(local).toMatchObject({ code: 0, stderr: '' });
    expect(local.stdout).toMatch(/^Added "Local RT" \(local-rt-[a-z0-9]{6}\)\.\n$/);

    // The user name in the URL, as providers print it; the password on stdin.
    const withUser = nginx.url.replace('https://', `https://${nginx.username}@`);
    const web = await seedbox(['boxes', 'add', 'Web Front', '--client', 'rtorrent', '--url', withUser, '--pin', nginx.certificate.sha256, '--password-stdin'], {
      stdin: `${nginx.password}\n`,
    });
    expect(web.code).toBe(0);
    expect(web.stdout).toMatch(/^Added "Web Front"/);
    if (keychain) expect(web.stderr).toBe('');
    else expect(web.stderr).toMatch(/^seedbox: warning: the password was not saved\. SEEDBOX_SECRET_STORE=memory is set .*--password-env VAR when you use "Web Front"\.\n$/);
  });

  it('lists the boxes without any secret, in a 0600 file', async () => {
    const list = await seedbox(['boxes', 'list', '--json']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const views = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(views.map((view) => view['name'])).toEqual(['Local RT', 'Web Front']);
    expect(views[1]).toMatchObject({
      kind: 'rtorrent',
      url: nginx.url,
      username: nginx.username,
      tlsPinSha256: nginx.certificate.sha256,
      secrets: { 'daemon-password': keychain, 'ssh-secret': false, 'proxy-password': false },
    });
    const file = readFileSync(config, 'utf8');
    for (const text of [list.stdout, file, (await seedbox(['boxes', 'list'])).stdout]) {
      expect(text).not.toContain(nginx.password);
      expect(text).not.toContain(encodeURIComponent(nginx.password));
    }
    if (process.platform !== 'win32') expect(statSync(config).mode & 0o777).toBe(0o600);
  });

  it('runs torrent commands with --seedbox NAME over both routes to the same daemon', async () => {
    const made = makeTorrent({ dataParent: data, name: 'boxes cli', files: [{ path: '', content: 'hello boxes' }] });
    const file = join(data, 'boxes.torrent');
    writeFileSync(file, made.bytes);
    const added = await seedbox(['--seedbox', 'local rt', 'add', file, '--path', data, '--paused']);
    expect(added).toMatchObject({ code: 0, stdout: `${made.infoHash}\n`, stderr: '' });

    const { args, env } = passwordArgs();
    const list = await seedbox(['--seedbox', 'Web Front', ...args, 'list', '--json'], { env });
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: made.infoHash, name: 'boxes cli', state: 'paused' })]);
  });

  it('boxes test prints the version and torrent count, or the error with its exit status', async () => {
    expect(await seedbox(['boxes', 'test', 'Local RT'])).toMatchObject({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 torrent\n', stderr: '' });
    const { args, env } = passwordArgs();
    expect(await seedbox(['boxes', 'test', 'Web Front', ...args], { env })).toMatchObject({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 torrent\n' });

    const wrong = await seedbox(['boxes', 'test', 'Web Front', '--password-env', 'RT_PASS'], { env: { RT_PASS: 'wrong' } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/^seedbox: Wrong user name or password/);
    expect(wrong.stderr).not.toContain('wrong');
  });

  it('uses the saved password, or without a keychain says to give one with --password-env', async () => {
    if (keychain) {
      // With a keychain the saved password is used: no environment needed.
      expect((await seedbox(['--seedbox', 'Web Front', 'version'])).code).toBe(0);
      return;
    }
    const result = await seedbox(['--seedbox', 'Web Front', 'version']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\nSEEDBOX_SECRET_STORE=memory is set .*No password is saved for "Web Front": give it with --password-env VAR\.\n$/);
  });

  it('explains an unpinned self-signed certificate and pins it with boxes pin', async () => {
    expect((await seedbox(['boxes', 'add', 'Unpinned', '--client', 'rtorrent', '--url', nginx.url, '--user', nginx.username])).code).toBe(0);
    const untrusted = await seedbox(['boxes', 'test', 'Unpinned', '--password-env', 'RT_PASS'], { env: { RT_PASS: nginx.password } });
    expect(untrusted.code).toBe(5);
    const pin = /seedbox boxes pin Unpinned --pin ([0-9A-F:]+)\n$/i.exec(untrusted.stderr)?.[1];
    expect(pin?.replaceAll(':', '').toLowerCase()).toBe(nginx.certificate.sha256);
    expect((await seedbox(['boxes', 'pin', 'Unpinned', '--pin', pin!])).code).toBe(0);
    expect(await seedbox(['boxes', 'test', 'Unpinned', '--password-env', 'RT_PASS'], { env: { RT_PASS: nginx.password } })).toMatchObject({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 torrent\n' });
  });

  it('removes the boxes (and their keychain entries)', async () => {
    const webId = (JSON.parse((await seedbox(['boxes', 'list', '--json'])).stdout) as { id: string; name: string }[]).find((view) => view.name === 'Web Front')!.id;
    // What another Secret Service client sees under the box's account.
    const inKeychain = (): string | null => {
      const result = spawnSync('secret-tool', ['lookup', 'service', 'Seedbox Remote', 'username', `${webId}:daemon-password`], { encoding: 'utf8' });
      return result.status === 0 ? result.stdout : null;
    };
    if (keychain) expect(inKeychain()).toBe(nginx.password);
    for (const name of ['Local RT', 'Web Front', 'Unpinned']) {
      expect(await seedbox(['boxes', 'remove', name])).toMatchObject({ code: 0, stdout: `Removed "${name}".\n`, stderr: '' });
    }
    expect((await seedbox(['boxes', 'list', '--json'])).stdout).toBe('[]\n');
    expect(await seedbox(['--seedbox', 'Web Front', 'list'])).toMatchObject({ code: 6, stderr: 'seedbox: No seedbox named "Web Front".\n' });
    if (keychain) expect(inKeychain()).toBeNull();
  });
});
