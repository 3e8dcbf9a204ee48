import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonCommand, type Generation } from './generations';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import { assertIsolated } from './rtorrent';

/** One line of deluged's auth file. Levels: 10 admin, 5 normal, 1 read-only. */
export interface DelugeUser {
  name: string;
  password: string;
  level: number;
}

/** A real deluged (2.0.3 or Debian 13's 2.2.0), hardened to stay on loopback, with its own config dir. */
export interface DelugeInstance {
  generation: Generation;
  /** The daemon's RPC port on 127.0.0.1. */
  port: number;
  /** The BitTorrent listen port on 127.0.0.1 (a test's own peer connects there). */
  peerPort: number;
  /** The config dir (-c): auth, core.conf, ssl/daemon.cert, state/. */
  dir: string;
  /** Where new torrents' data goes by default. */
  downloadDir: string;
  /** SHA-256 of the daemon's self-signed certificate, 64 lower-case hex digits. */
  certificateSha256: string;
  /** The first user (an admin unless `users` says otherwise). */
  username: string;
  password: string;
  users: DelugeUser[];
  daemon: Daemon;
  /** Stops the daemon (it saves its state) and starts it again on the same config dir and ports. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_DELUGE_USERS: DelugeUser[] = [
  { name: 'seeder', password: 'pa ss wörd', level: 10 },
  { name: 'reader', password: 'read only pw', level: 1 },
];

/**
 * Starts deluged in the foreground on a free loopback port. Deluge 2.0.3 opens its libtorrent
 * session with libtorrent's defaults (DHT, UPnP, NAT-PMP) before it reads core.conf, so this
 * must run inside the tests' private network namespace (scripts/in-netns.mjs); core.conf
 * still turns all of that off and binds everything to 127.0.0.1.
 */
export async function startDeluged(
  options: { plugins?: string[]; users?: DelugeUser[]; generation?: Generation; settings?: Record<string, unknown> } = {},
): Promise<DelugeInstance> {
  assertIsolated();
  const users = options.users ?? DEFAULT_DELUGE_USERS;
  for (const user of users) {
    // The auth file is "name:password:level" lines.
    if (/[:\r\n]/.test(user.name + user.password)) throw new Error(`Deluge user ${user.name}: no ':' or newline allowed`);
  }
  const dir = tempDir('deluge');
  const downloadDir = join(dir, 'download');
  mkdirSync(downloadDir, { recursive: true });
  const port = await freePort();
  const peerPort = await freePort();

  const authFile = join(dir, 'auth');
  writeFileSync(authFile, users.map((u) => `${u.name}:${u.password}:${u.level}\n`).join(''), { mode: 0o600 });
  chmodSync(authFile, 0o600);
  const settings = {
    send_info: false,
    allow_remote: false,
    daemon_port: port,
    listen_interface: '127.0.0.1',
    outgoing_interface: '127.0.0.1',
    listen_ports: [peerPort, peerPort],
    random_port: false,
    random_outgoing_ports: true,
    dht: false,
    upnp: false,
    natpmp: false,
    lsd: false,
    utpex: false,
    new_release_check: false,
    geoip_db_location: join(dir, 'no-geoip.dat'),
    download_location: downloadDir,
    move_completed_path: downloadDir,
    torrentfiles_location: downloadDir,
    plugins_location: join(dir, 'plugins'),
    enabled_plugins: options.plugins ?? [],
    ...options.settings,
  };
  // Deluge's config files are a version header object followed by the settings object.
  writeFileSync(join(dir, 'core.conf'), `${JSON.stringify({ file: 1, format: 1 })}${JSON.stringify(settings, null, 2)}\n`);

  const generation = options.generation ?? 'debian12';
  const certFile = join(dir, 'ssl', 'daemon.cert');
  const launch = async (): Promise<Daemon> => {
    const started = new Daemon('deluged', spawnDeluged({ generation, dir, port }));
    try {
      await waitFor(`deluged's RPC listener (${started.describe()})`, () =>
        started.running ? canConnect({ port }).then((up) => up && existsSync(certFile)) : Promise.reject(new Error(started.describe())),
      );
    } catch (error) {
      await started.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    // After a crash of the daemon itself (see CRASH_SIGNALS), the same config dir and port come
    // back up, so one crash fails (and retries) the test it hit rather than every later one.
    started.relaunchAfterCrash = async () => {
      instance.daemon = await launch();
    };
    return started;
  };
  const daemon = await launch();
  const fingerprint = execFileSync('openssl', ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  const certificateSha256 = fingerprint.split('=')[1]!.trim().replaceAll(':', '').toLowerCase();
  const first = users[0]!;
  const instance: DelugeInstance = {
    generation,
    port,
    peerPort,
    dir,
    downloadDir,
    certificateSha256,
    username: first.name,
    password: first.password,
    users,
    daemon,
    async restart() {
      await instance.daemon.stop();
      instance.daemon = await launch();
    },
    async stop() {
      await instance.daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}

/** Starts deluged in the foreground on `dir` and `port` (again, after a stop, for restarts). */
export function spawnDeluged(instance: Pick<DelugeInstance, 'generation' | 'dir' | 'port'>): ChildProcess {
  const run = daemonCommand(instance.generation, 'deluged', ['-d', '-L', 'error', '-c', instance.dir, '-u', '127.0.0.1', '-p', String(instance.port)]);
  // HOME inside the temp dir: nothing (caches, default download dir) lands in the real home.
  return spawn(run.command, run.args, {
    cwd: instance.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: instance.dir, XDG_CONFIG_HOME: join(instance.dir, 'xdg') },
  });
}
