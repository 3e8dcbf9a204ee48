import type { SecretStore } from '../../secrets/secret-store';
import type { HandlerPart } from '../handlers';

export function appHandlers(deps: { version: string; platform: string; systemLanguages: readonly string[]; secretStore: Pick<SecretStore, 'kind' | 'unavailable'> }): HandlerPart<'app:info'> {
  return {
    'app:info': async () => ({
      version: deps.version,
      platform: deps.platform,
      systemLanguages: [...deps.systemLanguages],
      secretStore: { kind: deps.secretStore.kind, unavailable: deps.secretStore.unavailable ?? null },
    }),
  };
}
