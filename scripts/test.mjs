#!/usr/bin/env node
// `npm test`: every test, unit and live, in one vitest run inside a private network namespace
// (scripts/in-netns.mjs) and, inside it, a private D-Bus session with an unlocked gnome-keyring:
// the real Secret Service the keychain tests use. Live tests start real daemons, so missing
// ones fail the run here with one clear line instead of being skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  'dbus-run-session': 'dbus-daemon',
  'gnome-keyring-daemon': 'gnome-keyring',
  'secret-tool': 'libsecret-tools',
  gio: 'libglib2.0-bin',
  chromium: 'chromium',
  // electron-builder's archives (tar.gz, zip) in the packaging tests, instead of its download.
  '7zz': '7zip',
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

// Debian 13's daemons (transmission-daemon 4.1, qbittorrent-nox 5.1, deluged 2.2) run from a
// trixie root that scripts/trixie-root.sh builds (.ci/run does); without it the run fails here.
const trixieRoot = process.env.SEEDBOX_TRIXIE_ROOT ?? '/var/cache/seedbox-remote/trixie';
if (!existsSync(join(trixieRoot, '.seedbox-trixie-root'))) {
  console.error(`Missing the Debian 13 root the live tests start Debian 13's daemons from: ${trixieRoot}.`);
  console.error('Build it as root (debootstrap, about 450 MB): scripts/trixie-root.sh');
  process.exit(1);
}

// The CLI tests run the built `seedbox` command and the browser tests the built window, as
// users do: build everything first (SEEDBOX_SKIP_BUILD=1 reuses an existing build).
if (process.env.SEEDBOX_SKIP_BUILD !== '1' || !existsSync('out/web/seedbox-bridge.js')) {
  const build = run('npm', ['run', '--silent', 'build']);
  if (build !== 0) process.exit(build);
}

// The keyring lives in a throw-away directory: its own data dir (never the user's login
// keyring) and its own runtime dir for the whole run (so --unlock cannot reach a desktop's
// running daemon, and what the session bus starts for other tests keeps its files there too).
// The daemon exits with the session bus when vitest ends. If it cannot start, vitest still
// runs and the keychain tests fail, saying why.
const keyringHome = mkdtempSync(join(tmpdir(), 'seedbox-keyring-'));
const startKeyringThenRun = `
  mkdir -p "$SEEDBOX_KEYRING_HOME/data" "$SEEDBOX_KEYRING_HOME/run"
  chmod 700 "$SEEDBOX_KEYRING_HOME/run"
  export XDG_RUNTIME_DIR="$SEEDBOX_KEYRING_HOME/run"
  printf pw | XDG_DATA_HOME="$SEEDBOX_KEYRING_HOME/data" gnome-keyring-daemon --unlock --components=secrets >/dev/null \\
    || echo "gnome-keyring-daemon could not start: the keychain tests will fail." >&2
  exec "$@"`;
const status = run(
  'node',
  ['scripts/in-netns.mjs', 'dbus-run-session', '--', 'sh', '-c', startKeyringThenRun, 'sh', 'npx', 'vitest', 'run', ...process.argv.slice(2)],
  { SEEDBOX_KEYRING_HOME: keyringHome },
);
rmSync(keyringHome, { recursive: true, force: true });
process.exit(status);

function onPath(bin) {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', bin], { stdio: 'ignore' }).status === 0;
}

function run(command, args, env = {}) {
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
}
