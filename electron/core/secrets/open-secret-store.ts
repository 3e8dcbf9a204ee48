import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  KEYCHAIN_ENTRY_OPTIONS,
  KEYCHAIN_SERVICE,
  KeyringSecretStore,
  classifyKeychainFailure,
  keyringModulePath,
} from './keyring-store';
import { MemorySecretStore } from './memory-store';
import type { SecretStore } from './secret-store';

export const DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS = 10_000;

const MEMORY_ONLY = "passwords are kept in memory for this run only; you'll be asked again next time.";

/**
 * Runs in a child process: writes, reads back and deletes one throw-away entry. A child,
 * because the library connects to D-Bus synchronously (in the entry constructor) and a session
 * bus that accepts but never answers blocks that call forever. A worker thread would not do:
 * it cannot be stopped while inside native code and keeps the process from exiting.
 * argv (after -e): module path, service, account, entry options as JSON.
 */
const PROBE_SCRIPT = `
const [modulePath, service, account, options] = process.argv.slice(1);
const done = (result) => process.stdout.write(JSON.stringify(result), () => process.exit(0));
try {
  const { Entry } = require(modulePath);
  const entry = new Entry(service, account, JSON.parse(options));
  const value = 'probe ' + account;
  entry.setPassword(value);
  const read = entry.getPassword();
  const deleted = entry.deletePassword();
  if (read !== value) done({ ok: false, message: 'the keychain returned something else than was written' });
  else if (!deleted) done({ ok: false, message: 'the keychain did not delete the entry it had just written' });
  else done({ ok: true });
} catch (error) {
  done({ ok: false, message: String((error && error.message) || error) });
}
`;

export type KeychainProbeResult = { ok: true } | { ok: false; reason: string };

export interface OpenSecretStoreOptions {
  /** Use the memory store with this reason for the user (a --no-keychain flag, tests). */
  forceMemory?: string;
  /** How long the startup probe may take before the keychain counts as unavailable. */
  probeTimeoutMs?: number;
  /** Environment of the probe (tests point DBUS_SESSION_BUS_ADDRESS elsewhere). */
  probeEnv?: NodeJS.ProcessEnv;
}

/**
 * The secret store for this run: the OS keychain when a harmless probe entry can be written,
 * read and deleted in time, otherwise memory only, with the reason the user is shown.
 */
export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  if (options.forceMemory !== undefined) return new MemorySecretStore({ unavailableReason: options.forceMemory });
  const probe = await probeKeychain({
    timeoutMs: options.probeTimeoutMs ?? DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS,
    env: options.probeEnv ?? process.env,
  });
  if (!probe.ok) return new MemorySecretStore({ unavailableReason: probe.reason });
  try {
    return new KeyringSecretStore();
  } catch {
    return new MemorySecretStore({ unavailableReason: `The keychain support could not be loaded: ${MEMORY_ONLY}` });
  }
}

/** Probes the keychain once in a child process, killed if it has not answered by timeoutMs. */
export function probeKeychain(options: { timeoutMs: number; env: NodeJS.ProcessEnv }): Promise<KeychainProbeResult> {
  let modulePath: string;
  try {
    modulePath = keyringModulePath();
  } catch {
    return Promise.resolve({ ok: false, reason: `The keychain support is not installed: ${MEMORY_ONLY}` });
  }
  // A fresh account per probe, so two instances starting together cannot delete each other's.
  const account = `probe:${randomUUID()}`;
  const args = ['-e', PROBE_SCRIPT, modulePath, KEYCHAIN_SERVICE, account, JSON.stringify(KEYCHAIN_ENTRY_OPTIONS)];
  return new Promise((resolve) => {
    // In Electron, process.execPath is the app itself: ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = spawn(process.execPath, args, {
      env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    let output = '';
    const finish = (result: KeychainProbeResult) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(result);
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      finish({ ok: false, reason: `The keychain did not answer within ${seconds} s: ${MEMORY_ONLY}` });
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (output.length < 10_000) output += chunk;
    });
    child.on('error', () => finish({ ok: false, reason: `The keychain could not be checked: ${MEMORY_ONLY}` }));
    child.on('close', () => finish(probeResult(output)));
  });
}

function probeResult(output: string): KeychainProbeResult {
  let parsed: { ok?: unknown; message?: unknown };
  try {
    parsed = JSON.parse(output) as typeof parsed;
  } catch {
    return { ok: false, reason: `The keychain check stopped unexpectedly: ${MEMORY_ONLY}` };
  }
  if (parsed.ok === true) return { ok: true };
  return { ok: false, reason: unavailableReason(String(parsed.message)) };
}

/** The probe's failure, in words for the user. */
export function unavailableReason(message: string): string {
  switch (classifyKeychainFailure(message)) {
    case 'absent':
      return process.platform === 'linux'
        ? `No keychain is available (no Secret Service on this Linux session): ${MEMORY_ONLY}`
        : `No keychain is available: ${MEMORY_ONLY}`;
    case 'locked':
      return `The keychain is locked and was not unlocked: ${MEMORY_ONLY}`;
    default:
      return `The keychain could not be used (${message}): ${MEMORY_ONLY}`;
  }
}
