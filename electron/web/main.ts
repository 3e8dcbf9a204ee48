// `npm run web`: the real window in any browser on this machine, against the real core, for
// development and tests where Electron cannot run. Uses the same settings file and keychain
// as the app (or `--config FILE`; SEEDBOX_SECRET_STORE=memory keeps secrets in memory).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfigPath } from '../core/config/paths';
import { composeCore } from '../core/service/compose';
import { startHarness } from './harness';

const { values } = parseArgs({
  options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  strict: true,
});
const root = resolve(import.meta.dirname, '../..');
const core = await composeCore({
  configPath: values.config ?? defaultConfigPath(),
  version: process.env['npm_package_version'] ?? 'dev',
  platform: process.platform,
  ...(process.env['SEEDBOX_SECRET_STORE'] === 'memory' ? { memorySecrets: 'SEEDBOX_SECRET_STORE=memory: secrets are kept for this run only.' } : {}),
});
if (core.configProblem) console.warn(core.configProblem);
if (core.secretStore.kind === 'memory') console.warn(core.secretStore.unavailableReason);
await core.service.start();
const harness = await startHarness({
  service: core.service,
  rendererDir: resolve(root, 'out/renderer'),
  bridgeScript: resolve(root, 'out/web/seedbox-bridge.js'),
  ...(values.host ? { host: values.host } : {}),
  ...(values.port ? { port: Number(values.port) } : {}),
});
console.log(`Seedbox Remote (browser harness): ${harness.url}`);
const shutdown = async (): Promise<void> => {
  await harness.close();
  await core.service.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
