import { createRequire } from 'node:module';
import { checkKeychainOnce, type KeychainProbeRequest } from '../core/secrets/keychain-probe';

// The keychain probe's entry point in a utilityProcess (built to out/main/keychain-probe.js):
// one request from the parent, one answer back, then exit. See keychain-probe-process.ts.

// Not `require`: electron-vite's CommonJS shim already declares that name in the bundle.
const requireModule = createRequire(import.meta.url);

process.parentPort.once('message', (event: { data: KeychainProbeRequest }) => {
  const request = event.data;
  let answer;
  try {
    answer = checkKeychainOnce(requireModule(request.modulePath) as Parameters<typeof checkKeychainOnce>[0], request);
  } catch (error) {
    answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.parentPort.postMessage(answer);
  process.exit(0);
});
