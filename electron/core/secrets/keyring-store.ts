import { createRequire } from 'node:module';
import type * as Keyring from '@napi-rs/keyring';
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { SeedboxError, type ErrorCode } from '../../shared/errors';
import { SECRET_PURPOSES, type SecretPurpose } from '../../shared/seedbox';
import { checkSecretValue, secretAccount } from './memory-store';
import type { SecretStore } from './secret-store';

/**
 * Every secret is one keychain entry: service "Seedbox Remote", account `${seedboxId}:${purpose}`
 * (on Linux the Secret Service item has the attributes service=… and username=…, so
 * `secret-tool lookup service 'Seedbox Remote' username 'ID:daemon-password'` finds it).
 */
export const KEYCHAIN_SERVICE = 'Seedbox Remote';

/**
 * On Linux the library silently falls back to the kernel keyring (memory only, lost at reboot)
 * when there is no Secret Service; pinning makes that an error, so the user is told instead.
 */
export const KEYCHAIN_ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

/** A keychain call that has not answered by then (an unlock prompt nobody answers) fails. */
export const DEFAULT_KEYCHAIN_CALL_TIMEOUT_MS = 60_000;

// Not named `require`: electron-vite's CommonJS shim declares that name in the main bundle,
// and a second declaration made out/main/index.js a SyntaxError (the app could not start).
const requireFromHere = createRequire(import.meta.url);

/** Where the native binding lives, for the startup probe that loads it in a child process. */
export function keyringModulePath(): string {
  return requireFromHere.resolve('@napi-rs/keyring');
}

/** Loaded on first use, so a platform without a prebuilt binary gets an error, not a crash. */
function loadKeyring(): typeof Keyring {
  try {
    return requireFromHere('@napi-rs/keyring') as typeof Keyring;
  } catch (error) {
    throw new SeedboxError('unavailable', 'The keychain support could not be loaded on this system.', {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}

export type KeychainFailure = 'absent' | 'locked' | 'too-long' | 'invalid' | 'ambiguous' | 'other';

/** Sorts the library's error text (keyring-rs errors only differ by message). */
export function classifyKeychainFailure(message: string): KeychainFailure {
  if (/prompt was dismissed|is locked|locked collection/i.test(message)) return 'locked';
  if (/longer than the platform limit|TooLong/i.test(message)) return 'too-long';
  if (/ambiguous|more than one/i.test(message)) return 'ambiguous';
  if (
    /DBus error|D-Bus|Failed to connect|autolaunch|ServiceUnknown|NameHasNoOwner|not provided by any|no result found|NoDefaultStore|default store|not supported/i.test(
      message,
    )
  ) {
    return 'absent';
  }
  if (/ is invalid: |Invalid/.test(message)) return 'invalid';
  return 'other';
}

const FAILURE_CODES: Record<KeychainFailure, ErrorCode> = {
  absent: 'unavailable',
  locked: 'unavailable',
  'too-long': 'invalid-argument',
  invalid: 'invalid-argument',
  ambiguous: 'refused',
  other: 'internal',
};

const FAILURE_HINTS: Record<KeychainFailure, string> = {
  absent: 'the keychain is not available',
  locked: 'the keychain is locked and was not unlocked',
  'too-long': 'the secret is longer than this keychain accepts',
  invalid: 'the keychain refused the entry',
  ambiguous: `several keychain entries match; remove the duplicates named "${KEYCHAIN_SERVICE}" in your keychain app`,
  other: 'the keychain reported an error',
};

const PURPOSE_NAMES: Record<SecretPurpose, string> = {
  'daemon-password': 'daemon password',
  'ssh-secret': 'SSH password or passphrase',
  'proxy-password': 'proxy password',
};

type Operation = 'read' | 'save' | 'remove';

export class KeyringSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly #AsyncEntry: typeof AsyncEntry;
  readonly #timeoutMs: number;

  constructor(options: { callTimeoutMs?: number } = {}) {
    this.#AsyncEntry = loadKeyring().AsyncEntry;
    this.#timeoutMs = options.callTimeoutMs ?? DEFAULT_KEYCHAIN_CALL_TIMEOUT_MS;
  }

  async get(seedboxId: string, purpose: SecretPurpose): Promise<string | undefined> {
    const value = await this.#call(seedboxId, purpose, 'read', undefined, (entry, signal) => entry.getPassword(signal));
    return value ?? undefined;
  }

  async set(seedboxId: string, purpose: SecretPurpose, secret: string): Promise<void> {
    checkSecretValue(secret);
    await this.#call(seedboxId, purpose, 'save', secret, (entry, signal) => entry.setPassword(secret, signal));
  }

  async delete(seedboxId: string, purpose: SecretPurpose): Promise<void> {
    // false only means there was nothing to delete, which is what the caller wants.
    await this.#call(seedboxId, purpose, 'remove', undefined, (entry, signal) => entry.deleteCredential(signal));
  }

  async has(seedboxId: string, purpose: SecretPurpose): Promise<boolean> {
    return (await this.get(seedboxId, purpose)) !== undefined;
  }

  async deleteAll(seedboxId: string): Promise<void> {
    // Every purpose is tried even if one fails, so one bad entry does not keep the others.
    const results = await Promise.allSettled(SECRET_PURPOSES.map((purpose) => this.delete(seedboxId, purpose)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async #call<T>(
    seedboxId: string,
    purpose: SecretPurpose,
    operation: Operation,
    secret: string | undefined,
    run: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const account = secretAccount(seedboxId, purpose);
    const what = `the ${PURPOSE_NAMES[purpose]} of this seedbox`;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      // The constructor connects to the keychain synchronously (a few ms on Linux); the
      // calls themselves run on libuv's thread pool, so a slow one only delays this promise.
      const entry = new this.#AsyncEntry(KEYCHAIN_SERVICE, account, KEYCHAIN_ENTRY_OPTIONS);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(
            new SeedboxError(
              'timeout',
              `The keychain did not answer within ${Math.round(this.#timeoutMs / 1000)} s while trying to ${operation} ${what} (is an unlock prompt waiting?).`,
              { seedboxId, purpose },
            ),
          );
        }, this.#timeoutMs);
      });
      return await Promise.race([run(entry, controller.signal), timedOut]);
    } catch (error) {
      if (error instanceof SeedboxError) throw error;
      throw keychainError({ error, operation, what, secret, seedboxId, purpose });
    } finally {
      clearTimeout(timer);
    }
  }
}

function keychainError(options: {
  error: unknown;
  operation: Operation;
  what: string;
  secret: string | undefined;
  seedboxId: string;
  purpose: SecretPurpose;
}): SeedboxError {
  const { error, operation, what, secret, seedboxId, purpose } = options;
  const failure = classifyKeychainFailure(error instanceof Error ? error.message : String(error));
  return new SeedboxError(FAILURE_CODES[failure], `Could not ${operation} ${what}: ${FAILURE_HINTS[failure]}.`, {
    seedboxId,
    purpose,
    cause: redact(error instanceof Error ? error.message : String(error), secret),
  });
}

/** The library's text goes into details for diagnosis, never with the secret in it. */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[secret]') : text;
}
