import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigFile } from '../config/config-file';
import { SeedboxRegistry } from '../config/registry';
import { openSecretStore } from '../secrets/open-secret-store';
import type { KeychainProbeLauncher } from '../secrets/keychain-probe';
import type { KeychainUnavailable } from '../../shared/keychain';
import type { SecretStore } from '../secrets/secret-store';
import { fetchQueuePath } from '../fetch/queue';
import { createSeedboxService } from './seedbox-service';
import type { SeedboxServiceApi } from './types';

export interface ComposedCore {
  service: SeedboxServiceApi;
  registry: SeedboxRegistry;
  config: ConfigFile;
  secretStore: SecretStore;
  /** What went wrong reading the settings file, for the user (null when nothing did). */
  configProblem: string | null;
}

/**
 * Everything behind the window, wired the same way for the Electron app and the browser
 * harness: the settings file, the keychain (or this run's memory when there is none), the
 * registry, and the service that polls every seedbox.
 */
export async function composeCore(options: {
  configPath: string;
  version: string;
  platform: string;
  /** The OS's preferred languages (Electron's app.getPreferredSystemLanguages()). */
  systemLanguages?: readonly string[];
  /** Skip the keychain (headless runs, tests), for this reason: secrets live in memory for this run. */
  memorySecrets?: KeychainUnavailable | string;
  /** How the keychain probe's process starts (the Electron shell uses a utilityProcess). */
  launchKeychainProbe?: KeychainProbeLauncher;
  /** The OS's Downloads folder (Electron's app.getPath('downloads')); ~/Downloads otherwise. */
  downloadsFolder?: string;
  /** The native folder dialog for a fetch's destination (the Electron shell's). */
  chooseFolder?: () => Promise<string | null>;
}): Promise<ComposedCore> {
  const problems: string[] = [];
  const config = new ConfigFile({ path: options.configPath, onProblem: (problem) => problems.push(problem) });
  const loaded = await config.load();
  const secretStore = await openSecretStore({
    ...(options.memorySecrets !== undefined ? { forceMemory: options.memorySecrets } : {}),
    ...(options.launchKeychainProbe ? { launchProbe: options.launchKeychainProbe } : {}),
  });
  const registry = new SeedboxRegistry({ config, secrets: secretStore });
  const service = createSeedboxService({
    registry,
    config,
    secretStore,
    version: options.version,
    platform: options.platform,
    ...(options.systemLanguages ? { systemLanguages: options.systemLanguages } : {}),
    fetch: {
      queueFile: fetchQueuePath(options.configPath),
      downloadsFolder: options.downloadsFolder ?? join(homedir(), 'Downloads'),
      ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
      onCompleteRules: async () => (await config.load()).config.fetchOnComplete,
    },
  });
  return { service, registry, config, secretStore, configProblem: loaded.problem ?? problems[0] ?? null };
}
