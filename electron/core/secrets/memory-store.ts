import { SeedboxError } from '../../shared/errors';
import { createTranslator } from '../../shared/i18n';
import { keychainUnavailableText, type KeychainUnavailable } from '../../shared/keychain';
import { SECRET_PURPOSES, type SecretPurpose } from '../../shared/seedbox';
import type { SecretStore } from './secret-store';

/**
 * The name of one secret: `${seedboxId}:${purpose}` (the keychain account, the memory key).
 * Purposes contain no ':', so the last ':' always separates the two even if an id had one.
 * Checked at run time because ids and purposes arrive over IPC.
 */
export function secretAccount(seedboxId: string, purpose: SecretPurpose): string {
  if (typeof seedboxId !== 'string' || seedboxId.length === 0 || seedboxId.length > 200) {
    throw new SeedboxError('invalid-argument', 'A secret needs the id of its seedbox (1 to 200 characters).');
  }
  if (!(SECRET_PURPOSES as readonly string[]).includes(purpose)) {
    throw new SeedboxError('invalid-argument', `Unknown kind of secret "${String(purpose)}".`, {
      expected: SECRET_PURPOSES.join(', '),
    });
  }
  return `${seedboxId}:${purpose}`;
}

export function checkSecretValue(secret: string): void {
  if (typeof secret !== 'string') throw new SeedboxError('invalid-argument', 'A secret must be text.');
}

/**
 * Secrets for this run only, when there is no keychain: kept in a Map, never written anywhere,
 * gone when the app quits (the user is asked again next time).
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly unavailable: KeychainUnavailable;
  readonly #secrets = new Map<string, string>();

  /** Why there is no keychain: a code, or the caller's own words (tests, a command-line switch). */
  constructor(options: { unavailable: KeychainUnavailable } | { unavailableReason: string }) {
    this.unavailable = 'unavailable' in options ? options.unavailable : { code: 'given', detail: options.unavailableReason };
  }

  /** The reason in English, for logs. */
  get unavailableReason(): string {
    return keychainUnavailableText(this.unavailable, createTranslator('en'), 'en');
  }

  async get(seedboxId: string, purpose: SecretPurpose): Promise<string | undefined> {
    return this.#secrets.get(secretAccount(seedboxId, purpose));
  }

  async set(seedboxId: string, purpose: SecretPurpose, secret: string): Promise<void> {
    const account = secretAccount(seedboxId, purpose);
    checkSecretValue(secret);
    this.#secrets.set(account, secret);
  }

  async delete(seedboxId: string, purpose: SecretPurpose): Promise<void> {
    this.#secrets.delete(secretAccount(seedboxId, purpose));
  }

  async has(seedboxId: string, purpose: SecretPurpose): Promise<boolean> {
    return this.#secrets.has(secretAccount(seedboxId, purpose));
  }

  async deleteAll(seedboxId: string): Promise<void> {
    for (const purpose of SECRET_PURPOSES) this.#secrets.delete(secretAccount(seedboxId, purpose));
  }
}
