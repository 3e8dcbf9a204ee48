import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The daemons the live suites run against: Debian 12's from this machine's packages
 * (transmission-daemon 3.00, qbittorrent-nox 4.5.2, deluged 2.0.3) and Debian 13's
 * (4.1.0~beta2, 5.1.0, 2.2.0) from the trixie root scripts/trixie-root.sh builds.
 */
export type Generation = 'debian12' | 'debian13';
export const GENERATIONS: readonly Generation[] = ['debian12', 'debian13'];

/** Where scripts/trixie-root.sh builds the root (the same default and variable). */
export function trixieRoot(): string {
  return process.env['SEEDBOX_TRIXIE_ROOT'] ?? '/var/cache/seedbox-remote/trixie';
}

/** The file scripts/trixie-root.sh writes last, once the root is complete. */
export const TRIXIE_ROOT_MARKER = '.seedbox-trixie-root';

/**
 * The command that runs `command args` as the given generation's daemon. Debian 13's run in the
 * trixie root, in a private mount namespace of their own (`unshare --mount`) that holds two
 * mounts and goes away with the daemon, so nothing is left mounted and parallel tests do not
 * meet: /proc (qBittorrent needs it) and the host's temporary directory at the same path
 * (every test directory is made there, so paths mean the same inside and outside the root).
 * The daemon keeps this machine's network namespace: the tests' loopback-only one.
 */
export function daemonCommand(generation: Generation, command: string, args: string[]): { command: string; args: string[] } {
  if (generation === 'debian12') return { command, args };
  const root = trixieRoot();
  if (!existsSync(join(root, TRIXIE_ROOT_MARKER))) {
    throw new Error(`The Debian 13 root is missing at ${root}: build it with scripts/trixie-root.sh (as root).`);
  }
  const script = `
    root=$1 shared=$2; shift 2
    mkdir -p "$root$shared"
    mount --rbind "$shared" "$root$shared"
    mount -t proc proc "$root/proc"
    exec chroot "$root" "$@"`;
  return {
    command: 'unshare',
    args: ['--mount', '--propagation', 'private', 'sh', '-ec', script, 'sh', root, tmpdir(), command, ...args],
  };
}

/** What each generation's daemons report, as the live suites expect it. */
export const DAEMONS = {
  debian12: {
    transmission: {
      version: '3.00',
      protocol: 'rpc-v16',
      // 3.00 does not know the JSON-RPC method name and answers in its own form.
      jsonRpcAnswer: { arguments: {}, result: 'method name not recognized' },
    },
    qbittorrent: {
      version: '4.5.2',
      protocol: 'webui-v2.8.19',
      stoppedDL: 'pausedDL',
      stoppedUP: 'pausedUP',
      // The endpoints this WebAPI has for stopping and starting, and the ones it lacks.
      stopStart: ['torrents/pause', 'torrents/resume'],
      missing: ['torrents/stop', 'torrents/start'],
    },
    deluge: { version: '2.0.3' },
  },
  debian13: {
    transmission: {
      version: '4.1.0-beta.2',
      protocol: 'rpc-v18',
      // rpc-version 18 like 4.1.0 final, but only the legacy form: the JSON-RPC probe is refused.
      jsonRpcAnswer: { arguments: 0, result: 'no method name' },
    },
    qbittorrent: {
      version: '5.1.0',
      protocol: 'webui-v2.11.4',
      stoppedDL: 'stoppedDL',
      stoppedUP: 'stoppedUP',
      // WebAPI 2.11 (5.0) renamed pause/resume to stop/start and removed the old names.
      stopStart: ['torrents/stop', 'torrents/start'],
      missing: ['torrents/pause', 'torrents/resume'],
    },
    deluge: { version: '2.2.0' },
  },
} as const satisfies Record<Generation, unknown>;
