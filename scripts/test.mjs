#!/usr/bin/env node
// `npm test`: every test, unit and live, in one vitest run inside a private network namespace
// (scripts/in-netns.mjs). Live tests start real daemons, so missing ones fail the run here
// with one clear line instead of being skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const required = {
  rtorrent: 'rtorrent',
  nginx: 'nginx',
  openssl: 'openssl',
  unshare: 'util-linux',
  ip: 'iproute2',
};
const missing = Object.entries(required).filter(([bin]) => !onPath(bin));
if (missing.length > 0) {
  console.error(`Missing programs the live tests need: ${missing.map(([bin]) => bin).join(', ')}.`);
  console.error(`On Debian: apt-get install ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}`);
  process.exit(1);
}

// The CLI tests run the built `seedbox` command, as users do.
if (!existsSync('out/cli/seedbox.mjs') || process.env.SEEDBOX_REBUILD_CLI !== '0') {
  run('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'warn']);
}
run('node', ['scripts/in-netns.mjs', 'npx', 'vitest', 'run', ...process.argv.slice(2)]);

function onPath(bin) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
