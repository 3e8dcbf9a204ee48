import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import { assertIsolated } from './rtorrent';

/** A real proxy on a loopback port, started for one test file. */
export interface ProxyInstance {
  host: '127.0.0.1';
  port: number;
  /** '' when the proxy needs no login. */
  username: string;
  password: string;
  daemon: Daemon;
  stop(): Promise<void>;
}

interface ProxyLogin {
  username?: string;
  password?: string;
}

/**
 * A real SOCKS5 server: microsocks (Debian package `microsocks`), listening on 127.0.0.1
 * only and binding its outgoing connections to 127.0.0.1 too. With a username, it accepts
 * only RFC 1929 user/password logins (and never `-1`, its "remember this IP" mode).
 */
export async function startSocks5Proxy(login: ProxyLogin = {}): Promise<ProxyInstance> {
  assertIsolated();
  const port = await freePort();
  const username = login.username ?? '';
  const password = login.password ?? '';
  const auth = username ? ['-u', username, '-P', password] : [];
  const daemon = Daemon.start('microsocks', 'microsocks', ['-i', '127.0.0.1', '-p', String(port), '-b', '127.0.0.1', ...auth]);
  await waitFor(`microsocks on port ${port}`, () => (daemon.running ? canConnect({ port }) : Promise.reject(new Error(daemon.describe()))));
  return { host: '127.0.0.1', port, username, password, daemon, stop: () => daemon.stop() };
}

/**
 * A real HTTP CONNECT proxy: tinyproxy (Debian package `tinyproxy`) in the foreground with
 * its own config, listening on 127.0.0.1 only and accepting clients from 127.0.0.1 only.
 * The Debian package's system service is never started (policy-rc.d or not, we never touch
 * it). `connectPorts` restricts CONNECT like tinyproxy's stock config does (443, 563);
 * without it every port is allowed. With a username, BasicAuth is required.
 */
export async function startHttpProxy(options: ProxyLogin & { connectPorts?: number[] } = {}): Promise<ProxyInstance> {
  assertIsolated();
  const dir = tempDir('tinyproxy');
  const port = await freePort();
  const username = options.username ?? '';
  const password = options.password ?? '';
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Allow 127.0.0.1',
    // tinyproxy will not keep running as root; the test's files are not needed after start.
    ...(process.getuid?.() === 0 ? ['User nobody', 'Group nogroup'] : []),
    'Timeout 30',
    'MaxClients 32',
    'LogLevel Info',
    'DisableViaHeader Yes',
    ...(options.connectPorts ?? []).map((allowed) => `ConnectPort ${allowed}`),
    ...(username ? [`BasicAuth ${username} ${password}`] : []),
  ];
  const configFile = join(dir, 'tinyproxy.conf');
  writeFileSync(configFile, config.join('\n') + '\n');
  const daemon = Daemon.start('tinyproxy', 'tinyproxy', ['-d', '-c', configFile]);
  await waitFor(`tinyproxy on port ${port}`, () => (daemon.running ? canConnect({ port }) : Promise.reject(new Error(daemon.describe()))));
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    daemon,
    async stop() {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
