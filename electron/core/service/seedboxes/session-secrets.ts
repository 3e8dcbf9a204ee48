import { SECRET_PURPOSES, type Seedbox, type SecretPurpose } from '../../../shared/seedbox';
import type { SecretReader } from '../../connections/open';
import { secretEndpoint, type EndpointSettings } from '../../secrets/secret-endpoint';
import type { RegistryApi } from '../registry-api';

/** Passwords typed for this run when there is no keychain: never written anywhere. */
export class SessionSecrets {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly registry: Pick<RegistryApi, 'secretReader'>) {}

  set(seedboxId: string, purpose: SecretPurpose, secret: string): void {
    this.secrets.set(key(seedboxId, purpose), secret);
  }

  forget(seedboxId: string, purpose: SecretPurpose): void {
    this.secrets.delete(key(seedboxId, purpose));
  }

  forgetBox(seedboxId: string): void {
    for (const purpose of SECRET_PURPOSES) this.forget(seedboxId, purpose);
  }

  /** Like the keychain's, a secret typed for this run stays with the endpoint it was typed for. */
  forgetMoved(seedboxId: string, before: EndpointSettings, after: EndpointSettings): void {
    for (const purpose of SECRET_PURPOSES) if (secretEndpoint(purpose, before) !== secretEndpoint(purpose, after)) this.forget(seedboxId, purpose);
  }

  /**
   * The secrets of saved box `seedboxId` for a connection to `target` (its own settings, or the
   * editor's when testing): what the caller supplies, then what was typed for this run, then the
   * keychain; saved ones only where `target` is the endpoint they were saved for.
   */
  readerFor(seedboxId: string, target: Seedbox, supplied: Partial<Record<SecretPurpose, string>> = {}): SecretReader {
    return async (purpose) => {
      const read = await this.registry.secretReader(seedboxId, target, { supplied, remembered: (which) => this.secrets.get(key(seedboxId, which)) });
      return read(purpose);
    };
  }
}

function key(seedboxId: string, purpose: SecretPurpose): string {
  return `${seedboxId}:${purpose}`;
}
