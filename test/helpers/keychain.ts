import { MemorySecretStore } from '../../electron/core/secrets/memory-store';
import type { SecretStore } from '../../electron/core/secrets/secret-store';

/** A keychain that lasts across runCli calls of one test, like the real one across commands. */
export function fakeKeychain(): SecretStore & { memory: MemorySecretStore } {
  const memory = new MemorySecretStore({ unavailableReason: 'unused' });
  return {
    kind: 'keychain',
    memory,
    get: (id, purpose) => memory.get(id, purpose),
    set: (id, purpose, secret) => memory.set(id, purpose, secret),
    delete: (id, purpose) => memory.delete(id, purpose),
    has: (id, purpose) => memory.has(id, purpose),
    deleteAll: (id) => memory.deleteAll(id),
  };
}
