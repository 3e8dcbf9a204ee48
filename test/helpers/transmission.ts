import { request } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertIsolated } from './rtorrent';
import { daemonCommand, type Generation } from './generations';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';

/** A real transmission-daemon (3.00 or Debian 13's 4.1.0~beta2), hardened to stay on loopback, with its own config dir. */
export interface TransmissionInstance {
  /** http://127.0.0.1:PORT/transmission/rpc */
  url: string;
  port: number;
  /** The BitTorrent listen port on 127.0.0.1 (a test's own peer connects there). */
  peerPort: number;
  username: string;
  password: string;
  /** The config dir (settings.json, resume/, torrents/, log). */
  dir: string;
  /** Where new torrents' data goes by default. */
  downloadDir: string;
  daemon: Daemon;
  /** Stops the daemon (it saves its resume files) and starts it again on the same config dir and ports. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface TransmissionOptions {
  /** Debian 12's transmission-daemon 3.00 (the default) or Debian 13's 4.1.0~beta2. */
  generation?: Generation;
  /** false starts it without rpc-authentication-required (the host whitelist only applies then). */
  authentication?: boolean;
  /** rpc-host-whitelist (default "localhost,127.0.0.1"). */
  hostWhitelist?: string;
  /** rpc-whitelist (default "127.0.0.1,::1"). */
  ipWhitelist?: string;
  /** Extra settings.json keys. */
  settings?: Record<string, unknown>;
}

/**
 * Starts transmission-daemon in the foreground on a loopback RPC port. Must run inside the
 * tests' private network namespace; the settings keep it on 127.0.0.1 regardless: no DHT,
 * LPD, PEX, uTP, UPnP/NAT-PMP or blocklist download, fixed peer port.
 */
export async function startTransmission(options: TransmissionOptions = {}): Promise<TransmissionInstance> {
  assertIsolated();
  const dir = tempDir('transmission');
  const downloadDir = join(dir, 'download');
  mkdirSync(downloadDir, { recursive: true });
  const port = await freePort();
  const peerPort = await freePort();
  const username = 'seedbox';
  const password = 'pä55 wörd:with colon';
  const authentication = options.authentication ?? true;
  const settings = {
    'rpc-enabled': true,
    'rpc-bind-address': '127.0.0.1',
    'rpc-port': port,
    'rpc-url': '/transmission/',
    'rpc-authentication-required': authentication,
    'rpc-username': username,
    'rpc-password': password,
    'rpc-whitelist-enabled': true,
    'rpc-whitelist': options.ipWhitelist ?? '127.0.0.1,::1',
    'rpc-host-whitelist-enabled': true,
    'rpc-host-whitelist': options.hostWhitelist ?? 'localhost,127.0.0.1',
    'bind-address-ipv4': '127.0.0.1',
    'bind-address-ipv6': '::1',
    'peer-port': peerPort,
    'peer-port-random-on-start': false,
    'dht-enabled': false,
    'lpd-enabled': false,
    'pex-enabled': false,
    'utp-enabled': false,
    'port-forwarding-enabled': false,
    'blocklist-enabled': false,
    'download-dir': downloadDir,
    'incomplete-dir-enabled': false,
    'start-added-torrents': true,
    'message-level': 2,
    ...options.settings,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  const run = daemonCommand(options.generation ?? 'debian12', 'transmission-daemon', ['-f', '-g', dir, '--logfile', join(dir, 'log')]);
  const launch = async (): Promise<Daemon> => {
    const started = Daemon.start('transmission-daemon', run.command, run.args, { cwd: dir });
    // After a crash of the daemon itself, the same config dir and port come back (as deluge.ts does).
    started.relaunchAfterCrash = async () => {
      instance.daemon = await launch();
    };
    await waitFor(`transmission-daemon's RPC port (${started.describe()})`, () =>
      started.running ? canConnect({ port }) : Promise.reject(new Error(started.describe())),
    );
    return started;
  };
  const instance: TransmissionInstance = {
    url: `http://127.0.0.1:${port}/transmission/rpc`,
    port,
    peerPort,
    username,
    password,
    dir,
    downloadDir,
    daemon: await launch(),
    async restart() {
      await instance.daemon.stop();
      instance.daemon = await launch();
    },
    async stop() {
      await instance.daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Nothing locks a config dir and the daemon keeps running when its RPC port is taken:
  // make sure the RPC that answers is this instance's (when the IP whitelist lets us in).
  if (!options.ipWhitelist) {
    const session = await transmissionRpc(instance, 'session-get', {});
    if (session['config-dir'] !== dir) {
      await instance.stop();
      throw new Error(`Port ${port} is answered by another Transmission (config-dir ${String(session['config-dir'])}, expected ${dir}).`);
    }
  }
  return instance;
}

export interface RawExchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One plain HTTP POST with node:http, independent of our transport. */
export function postRaw(
  target: { port: number },
  body: string,
  headers: Record<string, string> = {},
): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: target.port, path: '/transmission/rpc', method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const sessionIds = new Map<number, string>();

/**
 * Reads the daemon's state back independently of the client under test: plain node:http,
 * its own session-id handshake, JSON.parse. Returns `arguments`; throws on any other result.
 */
export async function transmissionRpc(
  instance: Pick<TransmissionInstance, 'port' | 'username' | 'password'>,
  method: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ method, arguments: args });
  const auth = `Basic ${Buffer.from(`${instance.username}:${instance.password}`).toString('base64')}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    const sessionId = sessionIds.get(instance.port);
    const response = await postRaw(instance, body, { Authorization: auth, ...(sessionId ? { 'X-Transmission-Session-Id': sessionId } : {}) });
    if (response.status === 409) {
      sessionIds.set(instance.port, String(response.headers['x-transmission-session-id']));
      continue;
    }
    if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
    const parsed = JSON.parse(response.body) as { result: string; arguments?: Record<string, unknown> };
    if (parsed.result !== 'success') throw new Error(`${method}: ${parsed.result}`);
    return parsed.arguments ?? {};
  }
  throw new Error(`${method}: 409 twice`);
}

/** One torrent's fields as the daemon reports them (undefined when it has no such torrent). */
export async function transmissionTorrent(
  instance: Pick<TransmissionInstance, 'port' | 'username' | 'password'>,
  hash: string,
  fields: string[],
): Promise<Record<string, unknown> | undefined> {
  const answer = await transmissionRpc(instance, 'torrent-get', { ids: [hash], fields });
  return (answer['torrents'] as Record<string, unknown>[])[0];
}
