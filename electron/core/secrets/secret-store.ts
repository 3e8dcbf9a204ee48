import type { KeychainUnavailable } from '../../shared/keychain';
import type { SecretPurpose } from '../../shared/seedbox';

/**
 * Where passwords live: the OS keychain (macOS Keychain, Windows Credential Manager, the Linux
 * Secret Service), one entry per seedbox and purpose. Secrets never go to the config file, the
 * log or the renderer; the renderer may only set, replace, clear, and ask `has`.
 */
export interface SecretStore {
  /** 'keychain' persists across runs; 'memory' only lasts this run (no keychain available). */
  readonly kind: 'keychain' | 'memory';
  /** Why there is no keychain (only when kind is 'memory'): said to the user in their language. */
  readonly unavailable?: KeychainUnavailable;
  /** The same in English, for logs. */
  readonly unavailableReason?: string;
  get(seedboxId: string, purpose: SecretPurpose): Promise<string | undefined>;
  set(seedboxId: string, purpose: SecretPurpose, secret: string): Promise<void>;
  delete(seedboxId: string, purpose: SecretPurpose): Promise<void>;
  has(seedboxId: string, purpose: SecretPurpose): Promise<boolean>;
  /** Removes every secret of a seedbox (when the seedbox is removed). */
  deleteAll(seedboxId: string): Promise<void>;
}
