import { composeCore, type ComposedCore } from '../core/service/compose';
import type { KeychainUnavailable } from '../shared/keychain';
import { startHarness, type Harness } from './harness';

export interface WebApp {
  core: ComposedCore;
  harness: Harness;
  close(): Promise<void>;
}

/**
 * `npm run web` without its command line: the core on a settings file, the page served, then
 * the seedboxes started. The page first, as in the Electron shell: it never waits for a box
 * (one that accepts and never answers would otherwise hold it for the whole connect timeout);
 * every box's state reaches it as seedbox:status events.
 */
export async function startWebApp(options: {
  configPath: string;
  version: string;
  rendererDir: string;
  bridgeScript: string;
  /** Keep secrets in memory for this run, with this reason (SEEDBOX_SECRET_STORE=memory, tests). */
  memorySecrets?: KeychainUnavailable | string;
  host?: string;
  port?: number;
  log: (message: string) => void;
}): Promise<WebApp> {
  const core = await composeCore({
    configPath: options.configPath,
    version: options.version,
    platform: process.platform,
    ...(options.memorySecrets !== undefined ? { memorySecrets: options.memorySecrets } : {}),
  });
  if (core.configProblem) options.log(core.configProblem);
  if (core.secretStore.unavailableReason) options.log(core.secretStore.unavailableReason);
  const harness = await startHarness({
    service: core.service,
    rendererDir: options.rendererDir,
    bridgeScript: options.bridgeScript,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  await core.service.start();
  return {
    core,
    harness,
    async close() {
      await harness.close();
      await core.service.stop();
    },
  };
}
