import { randomUUID } from 'node:crypto';
import {
  KEYCHAIN_ENTRY_OPTIONS,
  KEYCHAIN_SERVICE,
  KeyringSecretStore,
  classifyKeychainFailure,
  keyringModulePath,
} from './keyring-store';
import { launchNodeProbe, type KeychainProbeLauncher, type KeychainProbeProcess, type KeychainProbeRequest } from './keychain-probe';
import type { KeychainUnavailable } from '../../shared/keychain';
import { MemorySecretStore } from './memory-store';
import type { SecretStore } from './secret-store';

export const DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS = 10_000;

export type KeychainProbeResult = { ok: true } | { ok: false; reason: KeychainUnavailable };

export interface OpenSecretStoreOptions {
  /** Use the memory store, for this reason (a code, or a caller's own words: a --no-keychain flag, tests). */
  forceMemory?: KeychainUnavailable | string;
  /** How long the startup probe may take before the keychain counts as unavailable. */
  probeTimeoutMs?: number;
  /** Environment of the probe (tests point DBUS_SESSION_BUS_ADDRESS elsewhere). */
  probeEnv?: NodeJS.ProcessEnv;
  /** How the probe's process is started (Electron: a utilityProcess); a Node child by default. */
  launchProbe?: KeychainProbeLauncher;
}

/**
 * The secret store for this run: the OS keychain when a harmless probe entry can be written,
 * read and deleted in time, otherwise memory only, with the reason the user is shown.
 */
export async function openSecretStore(options: OpenSecretStoreOptions = {}): Promise<SecretStore> {
  if (options.forceMemory !== undefined) {
    const forced = options.forceMemory;
    return new MemorySecretStore(typeof forced === 'string' ? { unavailableReason: forced } : { unavailable: forced });
  }
  const probe = await probeKeychain({
    timeoutMs: options.probeTimeoutMs ?? DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS,
    env: options.probeEnv ?? process.env,
    ...(options.launchProbe ? { launch: options.launchProbe } : {}),
  });
  if (!probe.ok) return new MemorySecretStore({ unavailable: probe.reason });
  try {
    return new KeyringSecretStore();
  } catch {
    return new MemorySecretStore({ unavailable: { code: 'not-loaded' } });
  }
}

/** Probes the keychain once in a separate process, killed if it has not answered by timeoutMs. */
export async function probeKeychain(options: { timeoutMs: number; env: NodeJS.ProcessEnv; launch?: KeychainProbeLauncher }): Promise<KeychainProbeResult> {
  let modulePath: string;
  try {
    modulePath = keyringModulePath();
  } catch {
    return { ok: false, reason: { code: 'not-installed' } };
  }
  // A fresh account per probe, so two instances starting together cannot delete each other's.
  const request: KeychainProbeRequest = { modulePath, service: KEYCHAIN_SERVICE, account: `probe:${randomUUID()}`, options: KEYCHAIN_ENTRY_OPTIONS };
  let probe: KeychainProbeProcess;
  try {
    probe = (options.launch ?? launchNodeProbe)(request, options.env);
  } catch {
    return { ok: false, reason: { code: 'not-checked' } };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainProbeResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, reason: { code: 'timeout', seconds: Math.round(options.timeoutMs / 100) / 10 } });
    }, options.timeoutMs);
  });
  const answered = probe.answer.then(probeResult, (): KeychainProbeResult => ({ ok: false, reason: { code: 'check-stopped' } }));
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
    probe.kill();
  }
}

function probeResult(answer: unknown): KeychainProbeResult {
  const parsed = (typeof answer === 'object' && answer !== null ? answer : {}) as { ok?: unknown; message?: unknown };
  if (parsed.ok === true) return { ok: true };
  if (typeof parsed.message !== 'string') return { ok: false, reason: { code: 'check-stopped' } };
  return { ok: false, reason: unavailableReason(parsed.message) };
}

/** The probe's failure, as a code the user is shown in their language. */
export function unavailableReason(message: string): KeychainUnavailable {
  switch (classifyKeychainFailure(message)) {
    case 'absent':
      return { code: process.platform === 'linux' ? 'absent-linux' : 'absent' };
    case 'locked':
      return { code: 'locked' };
    default:
      return { code: 'failed', detail: message };
  }
}
