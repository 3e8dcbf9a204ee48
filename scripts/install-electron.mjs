#!/usr/bin/env node
// `npm start` and `npm run dev` fetch Electron's binary first (Electron 44's package no longer
// downloads it at install time). Where its download host cannot be reached, Electron's
// installer prints a raw stack ("TypeError: fetch failed ..."): this runs it and, when it fails,
// says in one line what failed and what works without it, and exits non-zero.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const installer = require.resolve('electron/install.js');
const { version } = require('electron/package.json');

const result = spawnSync(process.execPath, [installer], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (result.status === 0) process.exit(0);

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const oldNode = major < 22 || (major === 22 && minor < 12) ? ` (this is Node ${process.versions.node}; Electron's installer needs 22.12 or newer)` : '';
console.error(
  `Could not download Electron ${version} from ${downloadHost()} (${reasonOf(result)})${oldNode}. ` +
    'Without it the desktop window cannot start; `npm run web` runs the same window in a browser, and `npm run seedbox` is the command line.',
);
process.exit(1);

/** The cause in a few words: the installer's error message without its stack. */
function reasonOf(run) {
  if (run.error) return run.error.message;
  const first = (run.stderr ?? '').split('\n').map((line) => line.trim()).find((line) => line !== '' && !line.startsWith('at '));
  return first?.replace(/^[A-Za-z]*Error: /, '') ?? `exit code ${run.status}`;
}

/** Where @electron/get downloads from: a mirror when one is configured, else GitHub. */
function downloadHost() {
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror ?? process.env.electron_config_mirror;
  try {
    return new URL(mirror ?? 'https://github.com/electron/electron/releases/').host;
  } catch {
    return mirror;
  }
}
