import { existsSync, rmSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecretStore, probeKeychain } from '../../../electron/core/secrets/open-secret-store';
import { utilityProcessProbeLauncher } from '../../../electron/main/keychain-probe-process';
import { fakeUtilityProcess } from '../../fakes/electron';
import { tempDir } from '../../helpers/processes';

// The keychain probe as the packaged app runs it: the built utility-process entry
// (out/main/keychain-probe.js) started through the utilityProcess launcher, with the real
// Secret Service that scripts/test.mjs starts. The packaged app's RunAsNode fuse is off, so
// the old way (the app re-run with ELECTRON_RUN_AS_NODE) no longer exists there.
const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'out/main/keychain-probe.js');
const MEMORY_ONLY = "passwords are kept in memory for this run only; you'll be asked again next time.";
const launch = utilityProcessProbeLauncher(fakeUtilityProcess, ENTRY);

describe('the keychain probe in a utility process', () => {
  it('is built as its own entry point', () => {
    expect(existsSync(ENTRY), 'npm test builds the app first').toBe(true);
  });

  it('writes, reads back and deletes its entry in the real keychain', async () => {
    expect(await probeKeychain({ timeoutMs: 10_000, env: process.env, launch })).toEqual({ ok: true });
    expect(fakeUtilityProcess.forked.at(-1)?.modulePath).toBe(ENTRY);
  });

  it('falls back to memory, saying why, when there is no session bus', async () => {
    const store = await openSecretStore({ launchProbe: launch, probeEnv: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/seedbox-bus' } });
    expect(store.kind).toBe('memory');
    expect(store.unavailableReason).toBe(`No keychain is available (no Secret Service on this Linux session): ${MEMORY_ONLY}`);
  });

  it('falls back to memory when the entry point is missing (the process ends without an answer)', async () => {
    const store = await openSecretStore({ launchProbe: utilityProcessProbeLauncher(fakeUtilityProcess, join(tempDir('no-entry'), 'keychain-probe.js')) });
    expect(store.kind).toBe('memory');
    expect(store.unavailableReason).toBe(`The keychain check stopped unexpectedly: ${MEMORY_ONLY}`);
  });

  it('gives up on a bus that never answers within the bound, and stops the process', async () => {
    const dir = tempDir('silent-bus-utility');
    const path = join(dir, 'bus');
    const connections: net.Socket[] = [];
    let closed = 0;
    const silent = net.createServer((socket) => {
      connections.push(socket);
      socket.resume();
      socket.on('close', () => closed++);
    });
    await new Promise<void>((done) => silent.listen(path, done));
    try {
      const started = performance.now();
      const store = await openSecretStore({ launchProbe: launch, probeTimeoutMs: 1_500, probeEnv: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path}` } });
      const elapsed = performance.now() - started;
      expect(store.kind).toBe('memory');
      expect(store.unavailableReason).toBe(`The keychain did not answer within 1.5 s: ${MEMORY_ONLY}`);
      expect(elapsed).toBeLessThan(3_000);
      expect(connections.length).toBeGreaterThan(0);
      await expect.poll(() => closed, { timeout: 2_000 }).toBe(connections.length);
    } finally {
      for (const socket of connections) socket.destroy();
      silent.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
