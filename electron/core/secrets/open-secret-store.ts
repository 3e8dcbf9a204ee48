import { randomUUID } from 'node:crypto';
import {
  KEYCHAIN_ENTRY_OPTIONS,
  KEYCHAIN_SERVICE,
  KeyringSecretStore,
  classifyKeychainFailure,
  keyringModulePath,
} from './keyring-store';
import { launchNodeProbe, type KeychainProbeLauncher, type KeychainProbeProcess, type KeychainProbeRequest } from './keychain-probe';
import { MemorySecretStore } from './memory-store';
import type { SecretStore } from './secret-store';

export const DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS = 10_000;

const MEMORY_ONLY = "passwords are kept in memory for this run only; you'll be asked again next time.";

export type KeychainProbeResult = { ok: true } | { ok: false; reason: string };

export interface OpenSecretStoreOptions {
  /** Use the memory store with this reason for the user (a --no-keychain flag, tests). */
  forceMemory?: string;
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
  if (options.forceMemory !== undefined) return new MemorySecretStore({ unavailableReason: options.forceMemory });
  const probe = await probeKeychain({
    timeoutMs: options.probeTimeoutMs ?? DEFAULT_KEYCHAIN_PROBE_TIMEOUT_MS,
    env: options.probeEnv ?? process.env,
    ...(options.launchProbe ? { launch: options.launchProbe } : {}),
  });
  if (!probe.ok) return new MemorySecretStore({ unavailableReason: probe.reason });
  try {
    return new KeyringSecretStore();
  } catch {
    return new MemorySecretStore({ unavailableReason: `The keychain support could not be loaded: ${MEMORY_ONLY}` });
  }
}

/** Probes the keychain once in a separate process, killed if it has not answered by timeoutMs. */
export async function probeKeychain(options: { timeoutMs: number; env: NodeJS.ProcessEnv; launch?: KeychainProbeLauncher }): Promise<KeychainProbeResult> {
  let modulePath: string;
  try {
    modulePath = keyringModulePath();
  } catch {
    return { ok: false, reason: `The keychain support is not installed: ${MEMORY_ONLY}` };
  }
  // A fresh account per probe, so two instances starting together cannot delete each other's.
  const request: KeychainProbeRequest = { modulePath, service: KEYCHAIN_SERVICE, account: `probe:${randomUUID()}`, options: KEYCHAIN_ENTRY_OPTIONS };
  let probe: KeychainProbeProcess;
  try {
    probe = (options.launch ?? launchNodeProbe)(request, options.env);
  } catch {
    return { ok: false, reason: `The keychain could not be checked: ${MEMORY_ONLY}` };
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainProbeResult>((resolve) => {
    timer = setTimeout(() => {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      resolve({ ok: false, reason: `The keychain did not answer within ${seconds} s: ${MEMORY_ONLY}` });
    }, options.timeoutMs);
  });
  const answered = probe.answer.then(probeResult, () => ({ ok: false, reason: `The keychain check stopped unexpectedly: ${MEMORY_ONLY}` }) as const);
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
  if (typeof parsed.message !== 'string') return { ok: false, reason: `The keychain check stopped unexpectedly: ${MEMORY_ONLY}` };
  return { ok: false, reason: unavailableReason(parsed.message) };
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
