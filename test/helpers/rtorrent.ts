import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import type { SessionPaths } from './rtorrent-session';

/** A real rtorrent 0.9.8, hardened to stay on loopback, with its own session and socket. */
export interface RtorrentInstance {
  dir: string;
  /** Where new torrents' data goes by default. */
  downloadDir: string;
  /** scgi:///abs/path.sock or scgi://127.0.0.1:PORT */
  url: string;
  socketPath?: string;
  port?: number;
  /** The BitTorrent listen port on 127.0.0.1 (a test's own peer connects there). */
  peerPort: number;
  daemon: Daemon;
  /** Stops rtorrent (as a crash or reboot would) and starts it again on the same session and socket. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Stops it without cleaning up, for "the box went down". */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts rtorrent headless. rtorrent offers only one SCGI listener per instance, so choose a
 * Unix socket (default) or a loopback TCP port. Must run inside the tests' private network
 * namespace (scripts/in-netns.mjs); the config keeps it on 127.0.0.1 regardless.
 */
export async function startRtorrent(
  options: {
    scgi?: 'unix' | 'tcp';
    extraConfig?: string[];
    /** Fills the session directory before rtorrent first starts (see rtorrent-session.ts). */
    prepareSession?: (paths: SessionPaths) => void;
    /**
     * Runs rtorrent in this (empty) directory, in a session of its own with its output in
     * rtorrent.log there, so that it outlives the process that started it (benches keep a loaded
     * one between runs; its Unix socket reaches it from any network namespace).
     */
    detachedIn?: string;
  } = {},
): Promise<RtorrentInstance> {
  assertIsolated();
  const dir = options.detachedIn ?? tempDir('rtorrent');
  const downloadDir = join(dir, 'download');
  const session = join(dir, 'session');
  mkdirSync(downloadDir, { recursive: true });
  mkdirSync(session, { recursive: true });
  options.prepareSession?.({ session, downloadDir });
  const peerPort = await freePort();
  const socketPath = join(dir, 'rt.sock');
  const scgiPort = options.scgi === 'tcp' ? await freePort() : undefined;
  const rc = [
    'system.daemon.set = true',
    `session.path.set = ${session}`,
    `directory.default.set = ${downloadDir}`,
    scgiPort ? `network.scgi.open_port = 127.0.0.1:${scgiPort}` : `network.scgi.open_local = ${socketPath}`,
    'network.bind_address.set = 127.0.0.1',
    `network.port_range.set = ${peerPort}-${peerPort}`,
    'network.port_random.set = no',
    'dht.mode.set = disable',
    'protocol.pex.set = no',
    'trackers.use_udp.set = no',
    'network.xmlrpc.size_limit.set = 67108863',
    ...(options.extraConfig ?? []),
  ];
  const rcFile = join(dir, 'rtorrent.rc');
  writeFileSync(rcFile, rc.join('\n') + '\n');
  const launch = async (): Promise<Daemon> => {
    const started = options.detachedIn ? startDetached(dir, ['-n', '-o', `import=${rcFile}`]) : Daemon.start('rtorrent', 'rtorrent', ['-n', '-o', `import=${rcFile}`], { cwd: dir });
    // After a crash of rtorrent itself, the same session and socket come back (as deluge.ts does);
    // a crash leaves the socket file and the session lock behind.
    started.relaunchAfterCrash = async () => {
      rmSync(socketPath, { force: true });
      rmSync(join(session, 'rtorrent.lock'), { force: true });
      instance.daemon = await launch();
    };
    await waitFor(`rtorrent's SCGI listener (${started.describe()})`, () =>
      started.running ? canConnect(scgiPort ? { port: scgiPort } : { path: socketPath }) : Promise.reject(new Error(started.describe())),
    );
    return started;
  };
  const instance: RtorrentInstance = {
    dir,
    downloadDir,
    url: scgiPort ? `scgi://127.0.0.1:${scgiPort}` : `scgi://${socketPath}`,
    ...(scgiPort ? { port: scgiPort } : { socketPath }),
    peerPort,
    daemon: await launch(),
    async kill() {
      await instance.daemon.stop();
      rmSync(socketPath, { force: true });
      rmSync(join(session, 'rtorrent.lock'), { force: true });
    },
    async restart(restartOptions = {}) {
      await instance.kill();
      await new Promise((resolve) => setTimeout(resolve, restartOptions.downMs ?? 0));
      instance.daemon = await launch();
    },
    async stop() {
      await instance.daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}

/** rtorrent in a session of its own, writing to DIR/rtorrent.log rather than to pipes that die with us. */
function startDetached(dir: string, args: string[]): Daemon {
  const log = openSync(join(dir, 'rtorrent.log'), 'a');
  try {
    const child = spawn('rtorrent', args, { cwd: dir, detached: true, stdio: ['ignore', log, log] });
    child.unref();
    return new Daemon('rtorrent', child);
  } finally {
    closeSync(log);
  }
}

/** Refuses to start daemons outside the private network namespace the test runner makes. */
export function assertIsolated(): void {
  if (process.env['SEEDBOX_NETNS'] !== '1') {
    throw new Error('Live tests must run inside a private network namespace: use `npm test` (scripts/in-netns.mjs).');
  }
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  const names = links.split('\n').filter(Boolean).map((line) => line.split(':')[1]?.trim());
  if (names.some((name) => name !== 'lo')) {
    throw new Error(`This network namespace has interfaces other than loopback (${names.join(', ')}); refusing to start daemons.`);
  }
}
