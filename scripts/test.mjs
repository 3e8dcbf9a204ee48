#!/usr/bin/env node
// `npm test`: every test, unit and live, in one vitest run inside a private network namespace
// (scripts/in-netns.mjs). Live tests start real daemons, so missing ones fail the run here
// with one clear line instead of being skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const required = {
  rtorrent: 'rtorrent',
  deluged: 'deluged',
  'transmission-daemon': 'transmission-daemon',
  'qbittorrent-nox': 'qbittorrent-nox',
  nginx: 'nginx',
  '/usr/sbin/sshd': 'openssh-server',
  'ssh-keygen': 'openssh-client',
  microsocks: 'microsocks',
  tinyproxy: 'tinyproxy',
  'gnome-keyring-daemon': 'gnome-keyring',
  'dbus-run-session': 'dbus',
  chromium: 'chromium',
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

// The CLI tests run the built `seedbox` command and the browser tests the built window, as
// users do: build everything first (SEEDBOX_SKIP_BUILD=1 reuses an existing build).
if (process.env.SEEDBOX_SKIP_BUILD !== '1' || !existsSync('out/cli/seedbox.mjs')) {
  run('npm', ['run', '--silent', 'build']);
}
run('node', ['scripts/in-netns.mjs', 'npx', 'vitest', 'run', ...process.argv.slice(2)]);

function onPath(bin) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { stdio: 'ignore' }).status === 0;
}

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
