import { spawn } from 'node:child_process';
import type { EntryOptions } from '@napi-rs/keyring';

// The keychain probe's other half: what runs in the separate process, and how that process is
// started. A separate process, because the library connects to D-Bus synchronously (in the
// entry constructor) and a session bus that accepts but never answers blocks that call forever;
// a worker thread cannot be stopped while inside native code and keeps the process from exiting.
//
// In Electron the process is a utilityProcess (electron/main/keychain-probe.ts): the packaged
// app's RunAsNode fuse is off, so the app can no longer be re-run as Node with
// ELECTRON_RUN_AS_NODE. Everywhere else (CLI, browser harness, tests) it is a Node child.

export interface KeychainProbeRequest {
  /** Where @napi-rs/keyring is, resolved by the parent (the child may start from elsewhere). */
  modulePath: string;
  service: string;
  account: string;
  options: EntryOptions;
}

export type KeychainProbeAnswer = { ok: true } | { ok: false; message: string };

/** A started probe: its one answer (rejected when it ends without one), and its stop. */
export interface KeychainProbeProcess {
  answer: Promise<unknown>;
  kill(): void;
}

export type KeychainProbeLauncher = (request: KeychainProbeRequest, env: NodeJS.ProcessEnv) => KeychainProbeProcess;

interface KeyringModule {
  Entry: new (
    service: string,
    account: string,
    options: EntryOptions,
  ) => { setPassword(value: string): void; getPassword(): string | null | undefined; deletePassword(): boolean };
}

/**
 * Writes, reads back and deletes one throw-away entry. It also runs as source text in a Node
 * child (launchNodeProbe), so it must use nothing from outside its own body.
 */
export function checkKeychainOnce(keyring: KeyringModule, request: KeychainProbeRequest): KeychainProbeAnswer {
  try {
    const entry = new keyring.Entry(request.service, request.account, request.options);
    const value = 'probe ' + request.account;
    entry.setPassword(value);
    const read = entry.getPassword();
    const deleted = entry.deletePassword();
    if (read !== value) return { ok: false, message: 'the keychain returned something else than was written' };
    if (!deleted) return { ok: false, message: 'the keychain did not delete the entry it had just written' };
    return { ok: true };
  } catch (error) {
    return { ok: false, message: String((error instanceof Error && error.message) || error) };
  }
}

/** The probe in a Node child: the request as its argument, the answer as JSON on stdout. */
export function launchNodeProbe(request: KeychainProbeRequest, env: NodeJS.ProcessEnv): KeychainProbeProcess {
  const script = `
const request = JSON.parse(process.argv[1]);
const check = ${checkKeychainOnce.toString()};
process.stdout.write(JSON.stringify(check(require(request.modulePath), request)), () => process.exit(0));
`;
  const child = spawn(process.execPath, ['-e', script, JSON.stringify(request)], { env, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
  const answer = new Promise<unknown>((resolve, reject) => {
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (output.length < 10_000) output += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(output));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  return { answer, kill: () => child.kill('SIGKILL') };
}
