// Real local servers and certificates for the transport tests.

import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningServer {
  /** TCP port, or 0 for a Unix socket server. */
  port: number;
  close(): Promise<void>;
}

const openServers = new Set<RunningServer>();

/** Starts a server on 127.0.0.1 (random port) or on a Unix socket path, tracking its sockets. */
export async function listen(server: net.Server, where: { path: string } | { host: string } = { host: '127.0.0.1' }): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // 'secureConnection' servers still see 'connection' for the raw socket, so the set is complete.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in where) server.listen(where.path, resolve);
    else server.listen(0, where.host, resolve);
  });
  const address = server.address();
  const running: RunningServer = {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        openServers.delete(running);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  openServers.add(running);
  return running;
}

/** For afterEach: closes every server a test started. */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...openServers].map((server) => server.close()));
}

/** A TCP port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = await listen(net.createServer());
  await server.close();
  return server.port;
}

export function makeTempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'seedbox-transport-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface KeyPair {
  key: string;
  cert: string;
  /** As X509Certificate shows it: "AA:BB:…". */
  fingerprint: string;
}

export interface TestCertificates {
  /** Self-signed for CN=localhost, SAN localhost and 127.0.0.1. */
  selfSigned: KeyPair;
  /** A tiny private CA... */
  ca: KeyPair;
  /** ...and a leaf it signed, SAN localhost and 127.0.0.1. */
  leaf: KeyPair;
}

/** Generates fresh certificates with the openssl command line (argv arrays, no shell). */
export function makeCertificates(): TestCertificates {
  const dir = makeTempDir();
  const file = (name: string): string => join(dir.path, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const read = (keyName: string, certName: string): KeyPair => {
    const cert = readFileSync(file(certName), 'utf8');
    return { key: readFileSync(file(keyName), 'utf8'), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
  };
  try {
    openssl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', file('self.key'), '-out', file('self.crt'),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    );
    openssl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', file('ca.key'), '-out', file('ca.crt'),
      '-subj', '/CN=Seedbox Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl(
      'req', '-new', '-newkey', 'rsa:2048', '-nodes',
      '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=localhost',
    );
    writeFileSync(file('leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
    openssl(
      'x509', '-req', '-in', file('leaf.csr'), '-days', '2',
      '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
      '-extfile', file('leaf.ext'), '-out', file('leaf.crt'),
    );
    return { selfSigned: read('self.key', 'self.crt'), ca: read('ca.key', 'ca.crt'), leaf: read('leaf.key', 'leaf.crt') };
  } finally {
    dir.remove();
  }
}
