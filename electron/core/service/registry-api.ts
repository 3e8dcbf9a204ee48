import type { z } from 'zod';
import type { Preferences, SeedboxViewSchema } from '../../shared/contract';
import type { EndpointSettings, SecretReader } from '../secrets/secret-endpoint';
import type { NewSeedbox, Seedbox, SecretPurpose } from '../../shared/seedbox';

export type SeedboxView = z.infer<typeof SeedboxViewSchema>;

/** What the service needs from the seedbox registry and its config file. */
export interface RegistryApi {
  list(): Promise<SeedboxView[]>;
  /** Throws 'not-found' for an unknown id. */
  get(id: string): Promise<Seedbox>;
  add(seedbox: NewSeedbox): Promise<SeedboxView>;
  update(id: string, changes: Partial<NewSeedbox>): Promise<SeedboxView>;
  remove(id: string): Promise<void>;
  reorder(ids: string[]): Promise<void>;
  setSecret(id: string, purpose: SecretPurpose, secret: string): Promise<void>;
  clearSecret(id: string, purpose: SecretPurpose): Promise<void>;
  /** Reads the box's secrets for a connection to `target`; see SeedboxRegistry.secretReader. */
  secretReader(
    id: string,
    target: EndpointSettings,
    options?: { supplied?: Partial<Record<SecretPurpose, string>>; remembered?: (purpose: SecretPurpose) => string | undefined },
  ): Promise<SecretReader>;
  pinCertificate(id: string, sha256: string): Promise<SeedboxView>;
  pinHostKey(id: string, sha256: string): Promise<SeedboxView>;
  preferences(): Promise<Preferences>;
  updatePreferences(changes: Partial<Preferences>): Promise<Preferences>;
}
