import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_PURPOSES, type SecretPurpose } from '../../../electron/shared/seedbox';
import { KEYCHAIN_SERVICE, KeyringSecretStore } from '../../../electron/core/secrets/keyring-store';
import {
  openSecretStore,
  probeKeychain,
  type KeychainProbeResult,
} from '../../../electron/core/secrets/open-secret-store';
import { rejectionOf } from '../../helpers/errors';
import { tempDir } from '../../helpers/processes';

const execFileAsync = promisify(execFile);

// Runs against the real Secret Service that scripts/test.mjs starts (gnome-keyring in a private
// D-Bus session). Without one this file fails, by design: it is never skipped.
const MEMORY_ONLY = "passwords are kept in memory for this run only; you'll be asked again next time.";

/** What another Secret Service client (libsecret's secret-tool) sees under that account. */
function lookup(account: string): string | undefined {
  const result = spawnSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', account], {
    encoding: 'utf8',
  });
  if (result.error) throw new Error(`secret-tool is needed (apt-get install libsecret-tools): ${result.error.message}`);
  return result.status === 0 ? result.stdout : undefined;
}

/** Writes an entry as another client would (secret-tool reads the secret from stdin). */
function storeWithSecretTool(account: string, secret: string): void {
  const result = spawnSync('secret-tool', ['store', '--label=test', 'service', KEYCHAIN_SERVICE, 'username', account], {
    input: secret,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

describe('the OS keychain (gnome-keyring Secret Service)', () => {
  let store: KeyringSecretStore;
  // A fresh seedbox id per run, so a leftover entry from an earlier run cannot fake a pass.
  const box = `live-${randomUUID()}`;
  const otherBox = `live-${randomUUID()}`;

  let probe: KeychainProbeResult;

  beforeAll(async () => {
    probe = await probeKeychain({ timeoutMs: 10_000, env: process.env });
    store = new KeyringSecretStore();
  });

  afterAll(async () => {
    if (!probe.ok) return;
    await store.deleteAll(box);
    await store.deleteAll(otherBox);
  });

  it('finds a Secret Service', () => {
    // Without one every test below fails too (none is skipped); this one says what to do.
    expect(
      probe,
      'No Secret Service is reachable: run the tests with `npm test` (it starts gnome-keyring in a private D-Bus session)',
    ).toEqual({ ok: true });
  });

  it('is what openSecretStore picks', async () => {
    const opened = await openSecretStore();
    expect(opened.kind).toBe('keychain');
    expect(opened.unavailableReason).toBeUndefined();
  });

  it('sets, reads, replaces and deletes, as another client sees it', async () => {
    const account = `${box}:daemon-password`;
    expect(await store.get(box, 'daemon-password')).toBeUndefined();
    expect(await store.has(box, 'daemon-password')).toBe(false);

    await store.set(box, 'daemon-password', 'first secret');
    expect(await store.get(box, 'daemon-password')).toBe('first secret');
    expect(await store.has(box, 'daemon-password')).toBe(true);
    expect(lookup(account)).toBe('first secret');

    await store.set(box, 'daemon-password', 'replaced secret');
    expect(await store.get(box, 'daemon-password')).toBe('replaced secret');
    expect(lookup(account)).toBe('replaced secret');

    await store.delete(box, 'daemon-password');
    expect(await store.get(box, 'daemon-password')).toBeUndefined();
    expect(await store.has(box, 'daemon-password')).toBe(false);
    expect(lookup(account)).toBeUndefined();
    await store.delete(box, 'daemon-password'); // nothing left to delete: still fine
  });

  it('reads an entry another client wrote under the same service and account', async () => {
    storeWithSecretTool(`${box}:proxy-password`, 'written by secret-tool');
    expect(await store.get(box, 'proxy-password')).toBe('written by secret-tool');
    await store.delete(box, 'proxy-password');
    expect(lookup(`${box}:proxy-password`)).toBeUndefined();
  });

  it('keeps unicode, long and empty secrets exactly', async () => {
    const secrets: Array<[SecretPurpose, string]> = [
      ['daemon-password', 'pässwörd 🔑 密码 ʕ•ᴥ•ʔ'],
      ['ssh-secret', `${'long passphrase '.repeat(6_250)}end`],
      ['proxy-password', ''],
    ];
    for (const [purpose, secret] of secrets) {
      await store.set(box, purpose, secret);
      expect(await store.get(box, purpose)).toBe(secret);
      expect(lookup(`${box}:${purpose}`)).toBe(secret);
    }
    expect(await store.has(box, 'proxy-password')).toBe(true); // empty is a secret, not none
    await store.deleteAll(box);
  });

  it('deleteAll removes every purpose of that seedbox only, and tolerates missing entries', async () => {
    for (const purpose of SECRET_PURPOSES) await store.set(box, purpose, `${purpose} of box`);
    await store.set(otherBox, 'daemon-password', 'other box');

    await store.deleteAll(box);
    for (const purpose of SECRET_PURPOSES) {
      expect(await store.has(box, purpose)).toBe(false);
      expect(lookup(`${box}:${purpose}`)).toBeUndefined();
    }
    expect(await store.get(otherBox, 'daemon-password')).toBe('other box');
    expect(lookup(`${otherBox}:daemon-password`)).toBe('other box');

    await store.set(otherBox, 'ssh-secret', 'only one more');
    await store.deleteAll(otherBox); // proxy-password was never set
    await store.deleteAll(otherBox); // nothing at all left
    for (const purpose of SECRET_PURPOSES) expect(lookup(`${otherBox}:${purpose}`)).toBeUndefined();
  });

  it('rejects bad ids and purposes before reaching the keychain', async () => {
    expect((await rejectionOf(store.set('', 'daemon-password', 'x'))).code).toBe('invalid-argument');
    expect((await rejectionOf(store.get(box, 'api-key' as SecretPurpose))).code).toBe('invalid-argument');
  });

  it('reports a missing keychain as unavailable, never with the secret', async () => {
    // In a child: the library keeps its D-Bus connection once made, so this process cannot lose it.
    const keyringStore = new URL('../../../electron/core/secrets/keyring-store.ts', import.meta.url).pathname;
    const script = `
      const { KeyringSecretStore } = await import(${JSON.stringify(keyringStore)});
      const store = new KeyringSecretStore();
      const errors = [];
      for (const call of [() => store.set('box', 'ssh-secret', 'do-not-show-me'), () => store.get('box', 'daemon-password')]) {
        try { await call(); errors.push(null); } catch (error) { errors.push(error.toJSON()); }
      }
      process.stdout.write(JSON.stringify(errors));`;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/seedbox-bus' },
    });
    expect(stdout).not.toContain('do-not-show-me');
    const [setError, getError] = JSON.parse(stdout) as Array<{ code: string; message: string; details: { cause: string } }>;
    expect(setError?.code).toBe('unavailable');
    expect(setError?.message).toBe(
      'Could not save the SSH password or passphrase of this seedbox: the keychain is not available.',
    );
    expect(setError?.details.cause).toContain('/nonexistent/seedbox-bus');
    expect(getError?.code).toBe('unavailable');
    expect(getError?.message).toBe('Could not read the daemon password of this seedbox: the keychain is not available.');
  });
});

describe('openSecretStore without a usable keychain', () => {
  it('falls back to memory, saying why, when there is no session bus', async () => {
    const store = await openSecretStore({
      probeEnv: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/seedbox-bus' },
    });
    expect(store.kind).toBe('memory');
    expect(store.unavailableReason).toBe(
      `No keychain is available (no Secret Service on this Linux session): ${MEMORY_ONLY}`,
    );
    await store.set('box', 'daemon-password', 'in memory');
    expect(await store.get('box', 'daemon-password')).toBe('in memory');
  });

  it('falls back to memory when the bus has no Secret Service on it', async () => {
    // A session bus of its own with nothing that could provide org.freedesktop.secrets.
    const dir = tempDir('empty-bus');
    const config = join(dir, 'session.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=${join(dir, 'bus')}</listen>
<policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/></policy>
</busconfig>`,
    );
    const daemon = execFile('dbus-daemon', ['--config-file', config, '--nofork', '--print-address']);
    try {
      const address = await new Promise<string>((resolve, reject) => {
        daemon.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
        daemon.once('error', reject);
      });
      const started = performance.now();
      const store = await openSecretStore({ probeEnv: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address } });
      expect(store.kind).toBe('memory');
      expect(store.unavailableReason).toBe(
        `No keychain is available (no Secret Service on this Linux session): ${MEMORY_ONLY}`,
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      daemon.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives up on a bus that never answers within the bound, and kills the probe', async () => {
    const dir = tempDir('silent-bus');
    const path = join(dir, 'bus');
    const connections: net.Socket[] = [];
    let closed = 0;
    // Accepts connections and never says a word: the probe's D-Bus handshake waits forever.
    const silent = net.createServer((socket) => {
      connections.push(socket);
      socket.resume(); // read, so the end of a killed probe's connection is seen
      socket.on('close', () => closed++);
    });
    await new Promise<void>((resolve) => silent.listen(path, resolve));
    try {
      const started = performance.now();
      const store = await openSecretStore({
        probeTimeoutMs: 1_500,
        probeEnv: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` },
      });
      const elapsed = performance.now() - started;
      expect(store.kind).toBe('memory');
      expect(store.unavailableReason).toBe(`The keychain did not answer within 1.5 s: ${MEMORY_ONLY}`);
      expect(elapsed).toBeGreaterThanOrEqual(1_400);
      expect(elapsed).toBeLessThan(3_000);
      expect(connections.length).toBeGreaterThan(0); // the probe did reach the silent bus
      // The killed probe's connection closes: no process is left hanging.
      await expect.poll(() => closed, { timeout: 2_000 }).toBe(connections.length);
    } finally {
      for (const socket of connections) socket.destroy();
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
