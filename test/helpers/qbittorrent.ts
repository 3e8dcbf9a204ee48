import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from './nginx';
import { daemonCommand, type Generation } from './generations';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import { assertIsolated } from './rtorrent';

/** A real qbittorrent-nox (4.5.2 or Debian 13's 5.1.0), hardened to stay on loopback, with its own profile. */
export interface QbittorrentInstance {
  /** http(s)://127.0.0.1:PORT (the WebUI API lives under /api/v2). */
  url: string;
  /** With `https: true`: the WebUI's self-signed certificate. */
  certificate?: SelfSignedCertificate;
  port: number;
  /** The BitTorrent listen port on 127.0.0.1 (a test's own peer connects there). */
  peerPort: number;
  username: string;
  password: string;
  /** The profile directory; downloads go to `downloadDir` inside it. */
  dir: string;
  downloadDir: string;
  daemon: Daemon;
  /** Stops the daemon and starts it again on the same profile and port (sessions are lost). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface QbittorrentOptions {
  /** Debian 12's qbittorrent-nox 4.5.2 (the default) or Debian 13's 5.1.0. */
  generation?: Generation;
  /** Failed logins before the address is banned; 0 (the default here) never bans. */
  maxAuthFailures?: number;
  /** qBittorrent's download queue (Session\QueueingSystemEnabled). */
  queueing?: boolean;
  /** Serve the WebUI over HTTPS with a fresh self-signed certificate. */
  https?: boolean;
  /** Extra `key=value` lines for the [BitTorrent] section. */
  extraBitTorrent?: string[];
}

/** WebUI\Password_PBKDF2 as qBittorrent 4.2+ stores it: PBKDF2-HMAC-SHA512, 100 000 rounds. */
export function qbittorrentPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(password, salt, 100_000, 64, 'sha512');
  return `@ByteArray(${salt.toString('base64')}:${key.toString('base64')})`;
}

/**
 * Starts qbittorrent-nox on a fresh profile. Must run inside the tests' private network
 * namespace (scripts/in-netns.mjs); the config keeps it on loopback regardless: no DHT, LSD,
 * PeX, UPnP/NAT-PMP or GeoIP, peers bound to lo / 127.0.0.1.
 */
export async function startQbittorrent(options: QbittorrentOptions = {}): Promise<QbittorrentInstance> {
  assertIsolated();
  const dir = tempDir('qbittorrent');
  const downloadDir = join(dir, 'download');
  const configDir = join(dir, 'qBittorrent', 'config');
  mkdirSync(downloadDir, { recursive: true });
  mkdirSync(configDir, { recursive: true });
  const port = await freePort();
  const peerPort = await freePort();
  const username = 'admin';
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const queueing = options.queueing ?? false;
  const certificate = options.https ? makeSelfSignedCertificate(dir, 'webui') : undefined;
  const config = [
    '[LegalNotice]',
    'Accepted=true',
    '',
    '[BitTorrent]',
    `Session\\DefaultSavePath=${downloadDir}`,
    `Session\\Port=${peerPort}`,
    'Session\\Interface=lo',
    'Session\\InterfaceName=lo',
    'Session\\InterfaceAddress=127.0.0.1',
    'Session\\DHTEnabled=false',
    'Session\\LSDEnabled=false',
    'Session\\PeXEnabled=false',
    'Session\\AddTrackersEnabled=false',
    'Session\\TempPathEnabled=false',
    `Session\\QueueingSystemEnabled=${queueing}`,
    'Session\\MaxActiveDownloads=2',
    'Session\\MaxActiveUploads=2',
    'Session\\MaxActiveTorrents=4',
    ...(options.extraBitTorrent ?? []),
    '',
    '[Network]',
    'PortForwardingEnabled=false',
    '',
    '[Preferences]',
    'WebUI\\Address=127.0.0.1',
    `WebUI\\Port=${port}`,
    `WebUI\\Username=${username}`,
    `WebUI\\Password_PBKDF2="${qbittorrentPasswordHash(password)}"`,
    `WebUI\\MaxAuthenticationFailCount=${options.maxAuthFailures ?? 0}`,
    'WebUI\\UseUPnP=false',
    'WebUI\\LocalHostAuth=true',
    ...(certificate
      ? ['WebUI\\HTTPS\\Enabled=true', `WebUI\\HTTPS\\CertificatePath=${certificate.certFile}`, `WebUI\\HTTPS\\KeyPath=${certificate.keyFile}`]
      : []),
    'Connection\\ResolvePeerCountries=false',
    'Connection\\UPnP=false',
    'General\\UseRandomPort=false',
    '',
  ];
  writeFileSync(join(configDir, 'qBittorrent.conf'), config.join('\n'));

  let daemon!: Daemon;
  const launch = async (): Promise<void> => {
    const run = daemonCommand(options.generation ?? 'debian12', 'qbittorrent-nox', [`--profile=${dir}`]);
    daemon = Daemon.start('qbittorrent-nox', run.command, run.args, { cwd: dir });
    // After a crash of the daemon itself, the same profile and port come back (as deluge.ts does).
    daemon.relaunchAfterCrash = launch;
    await waitFor(`qbittorrent-nox's WebUI (${daemon.describe()})`, () =>
      daemon.running ? canConnect({ port }) : Promise.reject(new Error(daemon.describe())),
    );
  };
  await launch();

  const instance: QbittorrentInstance = {
    url: `${certificate ? 'https' : 'http'}://127.0.0.1:${port}`,
    ...(certificate ? { certificate } : {}),
    port,
    peerPort,
    username,
    password,
    dir,
    downloadDir,
    get daemon() {
      return daemon;
    },
    async restart() {
      await daemon.stop();
      await launch();
    },
    async stop() {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}
