#!/usr/bin/env node
// Runs a command inside a private network namespace that has only loopback, so nothing a
// test or benchmark starts (rtorrent, nginx, sshd, ...) can send a packet anywhere else.
// Usage: node scripts/in-netns.mjs COMMAND [ARGS...]
import { spawnSync } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/in-netns.mjs COMMAND [ARGS...]');
  process.exit(2);
}

if (process.env.SEEDBOX_NETNS === '1') {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

// Root uses a plain new network namespace; anyone else maps themselves to root in a new user
// namespace first (allowed on most Linux systems). `ip link set lo up` needs no network.
const isRoot = process.getuid?.() === 0;
const unshareArgs = ['--net', '--fork', ...(isRoot ? [] : ['--map-root-user'])];
const inner = 'ip link set lo up && exec "$@"';
const result = spawnSync('unshare', [...unshareArgs, 'sh', '-c', inner, 'sh', command, ...args], {
  stdio: 'inherit',
  env: { ...process.env, SEEDBOX_NETNS: '1' },
});
if (result.error) {
  console.error(`Cannot create a private network namespace (${result.error.message}).`);
  console.error('Install util-linux and iproute2, and run as root or with user namespaces enabled.');
  process.exit(1);
}
process.exit(result.status ?? 1);
