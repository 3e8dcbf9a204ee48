// `npm run web`: the real window in any browser on this machine, against the real core, for
// development and tests where Electron cannot run. Uses the same settings file and keychain
// as the app (or `--config FILE`; SEEDBOX_SECRET_STORE=memory keeps secrets in memory).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultConfigPath } from '../core/config/paths';
import { startWebApp } from './start';

const { values } = parseArgs({
  options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
  strict: true,
});
const root = resolve(import.meta.dirname, '../..');
const app = await startWebApp({
  configPath: values.config ?? defaultConfigPath(),
  version: process.env['npm_package_version'] ?? 'dev',
  rendererDir: resolve(root, 'out/renderer'),
  bridgeScript: resolve(root, 'out/web/seedbox-bridge.js'),
  ...(process.env['SEEDBOX_SECRET_STORE'] === 'memory' ? { memorySecrets: { code: 'switched-off' } as const } : {}),
  ...(values.host ? { host: values.host } : {}),
  ...(values.port ? { port: Number(values.port) } : {}),
  log: (message) => console.warn(message),
});
console.log(`Seedbox Remote (browser harness): ${app.harness.url}`);
const shutdown = async (): Promise<void> => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
