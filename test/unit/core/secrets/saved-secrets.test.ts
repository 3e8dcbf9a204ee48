// Saved secrets go only to the endpoint they were saved for: the real service, registry and
// transports against recording listeners on loopback (a web server that records every
// Authorization header, raw TCP listeners standing for a changed proxy or SSH server).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../../electron/core/config/registry';
import { secretEndpoint } from '../../../../electron/core/secrets/secret-endpoint';
import { MemorySecretStore } from '../../../../electron/core/secrets/memory-store';
import { createSeedboxService } from '../../../../electron/core/service/seedbox-service';
import type { SeedboxServiceApi } from '../../../../electron/core/service/types';
import { SeedboxSchema, type NewSeedbox, type SecretPurpose, type Seedbox } from '../../../../electron/shared/seedbox';
import { tempDir } from '../../../helpers/processes';
import { closeAllServers, listen, makeCertificates, type KeyPair, type TestCertificates } from '../transports/fixtures';

const SAVED_PASSWORD = 'saved-Pa55!';
const SSH_SECRET = 'ssh-Pa55!';
const PROXY_SECRET = 'proxy-Pa55!';

/** A web server that answers 401 and records every request's Authorization header (or a CONNECT's Proxy-Authorization). */
async function recordingWebServer(tlsPair?: KeyPair): Promise<{ port: number; seen: (string | undefined)[] }> {
  const seen: (string | undefined)[] = [];
  const onRequest = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    seen.push(request.headers.authorization);
    request.resume();
    response.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
  };
  const server = tlsPair ? https.createServer({ key: tlsPair.key, cert: tlsPair.cert }, onRequest) : http.createServer(onRequest);
  // As an HTTP proxy: CONNECT carries the proxy's credentials.
  server.on('connect', (request: http.IncomingMessage, socket: net.Socket) => {
    seen.push(request.headers['proxy-authorization']);
    socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
  });
  const running = await listen(server);
  return { port: running.port, seen };
}

/** A TCP listener that records every byte it is sent (a changed proxy or SSH server). */
async function recordingListener(): Promise<{ port: number; bytes: () => string }> {
  const chunks: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
  });
  const running = await listen(server);
  return { port: running.port, bytes: () => Buffer.concat(chunks).toString('latin1') };
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** No saved secret in any form a wire could carry it. */
function expectNoSecret(text: string): void {
  for (const secret of [SAVED_PASSWORD, SSH_SECRET, PROXY_SECRET]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(`ann:${secret}`).toString('base64'));
  }
}

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});

let registry: SeedboxRegistry;
let service: SeedboxServiceApi;

beforeEach(() => {
  const config = new ConfigFile({ path: join(tempDir('saved-secrets'), 'seedbox-remote.json') });
  const secretStore = new MemorySecretStore({ unavailableReason: 'tests' });
  registry = new SeedboxRegistry({ config, secrets: secretStore });
  service = createSeedboxService({ registry, config, secretStore, version: 'test', platform: 'linux' });
});
afterEach(closeAllServers);

/** Saves a box with its daemon password, and returns its settings as the editor would send them. */
async function saveBox(box: NewSeedbox, secrets: Partial<Record<SecretPurpose, string>> = { 'daemon-password': SAVED_PASSWORD }): Promise<Seedbox> {
  const view = await registry.add(box, secrets);
  return SeedboxSchema.parse(view);
}

async function test(saved: Seedbox, edited: Partial<Seedbox>, secrets: Record<string, string> = {}) {
  const { id, ...rest } = { ...saved, ...edited };
  return service.handlers['seedboxes:test']({ id, seedbox: rest, secrets } as never);
}

describe('seedboxes:test with a saved id', () => {
  it('sends the saved password to the saved address, and to no other address, port, path or user', async () => {
    const saved = await recordingWebServer();
    const other = await recordingWebServer();
    const box = await saveBox({ name: 'Box', kind: 'rtorrent', url: `http://127.0.0.1:${saved.port}/RPC2`, username: 'ann' });

    const same = await test(box, {});
    expect(same.error).toMatchObject({ code: 'auth-failed' });
    expect(saved.seen).toEqual([basic('ann', SAVED_PASSWORD)]);

    for (const edited of [
      { url: `http://127.0.0.1:${other.port}/RPC2` }, // another port
      { url: `http://localhost:${saved.port}/RPC2` }, // another host name, even for the same listener
      { url: `http://127.0.0.1:${saved.port}/other/RPC2` }, // another path
      { username: 'bob' }, // another user
      { kind: 'transmission' as const, url: `http://127.0.0.1:${saved.port}/RPC2` }, // another client
    ]) {
      const report = await test(box, edited);
      expect(report.ok).toBe(false);
      expect(report.error).toMatchObject({ code: 'auth-failed', details: { reason: 'endpoint-changed', purpose: 'daemon-password' } });
      expect(report.error?.message).toMatch(/type the password again/);
    }
    expect(saved.seen).toEqual([basic('ann', SAVED_PASSWORD)]);
    expect(other.seen).toEqual([]);
  });

  it('sends a password typed for the new address there, and never the saved one', async () => {
    const saved = await recordingWebServer();
    const other = await recordingWebServer();
    const box = await saveBox({ name: 'Box', kind: 'rtorrent', url: `http://127.0.0.1:${saved.port}/RPC2`, username: 'ann' });
    await test(box, { url: `http://127.0.0.1:${other.port}/RPC2` }, { 'daemon-password': 'typed-now' });
    expect(other.seen).toEqual([basic('ann', 'typed-now')]);
    expect(saved.seen).toEqual([]);
  });

  it('never sends a password saved for https over http', async () => {
    const secure = await recordingWebServer(certs.selfSigned);
    const plain = await recordingWebServer();
    const pin = certs.selfSigned.fingerprint.replaceAll(':', '').toLowerCase();
    const box = await saveBox({ name: 'TLS', kind: 'rtorrent', url: `https://127.0.0.1:${secure.port}/RPC2`, username: 'ann', tlsPinSha256: pin });
    await test(box, {});
    expect(secure.seen).toEqual([basic('ann', SAVED_PASSWORD)]);
    const report = await test(box, { url: `http://127.0.0.1:${plain.port}/RPC2` });
    expect(report.error).toMatchObject({ code: 'auth-failed', details: { reason: 'endpoint-changed' } });
    // Nor with another certificate pin for the same address.
    const repinned = await test(box, { tlsPinSha256: 'ab'.repeat(32) });
    expect(repinned.error).toMatchObject({ details: { reason: 'endpoint-changed' } });
    expect(plain.seen).toEqual([]);
    expect(secure.seen).toHaveLength(1);
  });

  it('sends no saved secret through a proxy or SSH server the caller changed', async () => {
    const daemon = await recordingWebServer();
    const proxy = await recordingListener();
    const ssh = await recordingListener();
    const box = await saveBox(
      { name: 'Box', kind: 'rtorrent', url: `http://127.0.0.1:${daemon.port}/RPC2`, username: 'ann' },
      { 'daemon-password': SAVED_PASSWORD },
    );
    const viaProxy = await test(box, { proxy: { kind: 'http', host: '127.0.0.1', port: proxy.port, username: '' } });
    expect(viaProxy.error).toMatchObject({ details: { reason: 'endpoint-changed', purpose: 'daemon-password' } });
    const viaSsh = await test(box, {
      sshTunnel: { host: '127.0.0.1', port: ssh.port, username: 'ann', auth: 'agent', privateKeyPath: null, hostKeySha256: null, remote: { kind: 'tcp', host: '127.0.0.1', port: daemon.port } },
    });
    expect(viaSsh.error).toMatchObject({ details: { reason: 'endpoint-changed', purpose: 'daemon-password' } });
    expectNoSecret(proxy.bytes());
    expectNoSecret(ssh.bytes());
    // Refused before anything connects: not even a handshake reached them.
    expect(proxy.bytes() + ssh.bytes()).toBe('');
    expect(daemon.seen).toEqual([]);
  });

  it('judges the proxy password against the proxy, and the SSH secret against the SSH server', async () => {
    const savedProxy = await recordingWebServer();
    const otherProxy = await recordingListener();
    const otherSsh = await recordingListener();
    const box = await saveBox(
      {
        name: 'Routed',
        kind: 'rtorrent',
        url: 'scgi://127.0.0.1:5000',
        proxy: { kind: 'http', host: '127.0.0.1', port: savedProxy.port, username: 'ann' },
        sshTunnel: { host: '127.0.0.1', port: 22, username: 'ann', auth: 'password', remote: { kind: 'tcp', host: '127.0.0.1', port: 5000 } },
      },
      { 'proxy-password': PROXY_SECRET, 'ssh-secret': SSH_SECRET },
    );
    const proxyMoved = await test(box, { proxy: { kind: 'http', host: '127.0.0.1', port: otherProxy.port, username: 'ann' } });
    expect(proxyMoved.error).toMatchObject({ details: { reason: 'endpoint-changed', purpose: 'proxy-password' } });
    const sshMoved = await test(box, { sshTunnel: { ...box.sshTunnel!, port: otherSsh.port } });
    expect(sshMoved.error).toMatchObject({ details: { reason: 'endpoint-changed', purpose: 'ssh-secret' } });
    expect([proxyMoved.steps.at(-1)?.step, sshMoved.steps.at(-1)?.step]).toEqual(['proxy', 'ssh']);
    expectNoSecret(otherProxy.bytes());
    expectNoSecret(otherSsh.bytes());
    expect(otherProxy.bytes() + otherSsh.bytes()).toBe('');
    // The saved proxy still gets its password (in the CONNECT that opens the way to the SSH server).
    await test(box, {});
    expect(savedProxy.seen).toContain(basic('ann', PROXY_SECRET));
  });
});

describe('seedboxes:update', () => {
  it('drops a saved secret whose endpoint the update moves, and keeps the others', async () => {
    const saved = await recordingWebServer();
    const other = await recordingWebServer();
    const box = await saveBox(
      { name: 'Box', kind: 'rtorrent', url: `http://127.0.0.1:${saved.port}/RPC2`, username: 'ann', proxy: null },
      { 'daemon-password': SAVED_PASSWORD, 'proxy-password': PROXY_SECRET },
    );
    const view = await service.handlers['seedboxes:update']({ id: box.id, changes: { url: `http://127.0.0.1:${other.port}/RPC2` } });
    expect(view.secrets).toEqual({ 'daemon-password': false, 'ssh-secret': false, 'proxy-password': true });
    await test(SeedboxSchema.parse(view), {});
    expect(other.seen).toHaveLength(1);
    expectNoSecret(other.seen.join(' '));
    // A change that moves nothing keeps the secrets.
    const renamed = await service.handlers['seedboxes:update']({ id: box.id, changes: { name: 'Renamed', pollIntervalMs: 2000 } });
    expect(renamed.secrets['proxy-password']).toBe(true);
  });
});

describe('secretEndpoint', () => {
  const base = SeedboxSchema.parse({ id: 'b', name: 'B', kind: 'qbittorrent', url: 'https://Host.example:443/base', username: 'ann' });
  it('reads addresses as the client does: case, default port and user info do not make another endpoint', () => {
    const key = secretEndpoint('daemon-password', base);
    expect(secretEndpoint('daemon-password', { ...base, url: 'HTTPS://host.EXAMPLE/base' })).toBe(key);
    expect(secretEndpoint('daemon-password', { ...base, url: 'https://ann@host.example/base', username: '' })).toBe(key);
    expect(secretEndpoint('daemon-password', { ...base, url: 'https://evil.example\\@host.example/base' })).not.toBe(key);
    expect(secretEndpoint('daemon-password', { ...base, url: 'http://host.example:443/base' })).not.toBe(key);
  });
  const full = SeedboxSchema.parse({
    id: 'f', name: 'F', kind: 'transmission', url: 'https://host:9091/transmission/rpc', username: 'ann', tlsPinSha256: 'ab'.repeat(32),
    proxy: { kind: 'socks5', host: 'proxy', port: 1080, username: 'p' },
    sshTunnel: { host: 'ssh', port: 22, username: 'ann', auth: 'key', privateKeyPath: '/k', hostKeySha256: 'cd'.repeat(32), remote: { kind: 'tcp', host: '127.0.0.1', port: 9091 } },
  });
  const proxy = full.proxy!;
  const ssh = full.sshTunnel!;
  const changes: Record<string, Partial<Seedbox>> = {
    client: { kind: 'qbittorrent' },
    scheme: { url: 'http://host:9091/transmission/rpc' },
    host: { url: 'https://other:9091/transmission/rpc' },
    port: { url: 'https://host:9092/transmission/rpc' },
    path: { url: 'https://host:9091/rpc' },
    user: { username: 'bob' },
    'user in the URL': { url: 'https://bob@host:9091/transmission/rpc' },
    'TLS pin': { tlsPinSha256: 'ef'.repeat(32) },
    'no TLS pin': { tlsPinSha256: null },
    'proxy type': { proxy: { ...proxy, kind: 'http' } },
    'proxy host': { proxy: { ...proxy, host: 'other' } },
    'proxy port': { proxy: { ...proxy, port: 1081 } },
    'proxy user': { proxy: { ...proxy, username: 'q' } },
    'no proxy': { proxy: null },
    'SSH host': { sshTunnel: { ...ssh, host: 'other' } },
    'SSH port': { sshTunnel: { ...ssh, port: 2222 } },
    'SSH user': { sshTunnel: { ...ssh, username: 'bob' } },
    'SSH auth': { sshTunnel: { ...ssh, auth: 'password', privateKeyPath: null } },
    'SSH key file': { sshTunnel: { ...ssh, privateKeyPath: '/other' } },
    'SSH host-key pin': { sshTunnel: { ...ssh, hostKeySha256: 'ef'.repeat(32) } },
    'SSH far end': { sshTunnel: { ...ssh, remote: { kind: 'unix', path: '/rt.sock' } } },
    'no SSH tunnel': { sshTunnel: null },
    // The daemon is then reached at its URL, no longer through SSH; the SSH login is the same.
    'SSH for files only': { sshTunnel: { ...ssh, remote: null } },
    'SFTP path mapping': { sftpPathMapping: [{ daemon: '/a', sftp: 'b' }] },
    'name, refresh, labels and path mapping': { name: 'G', pollIntervalMs: 9000, labelStyle: 'flood', pathMapping: [{ remote: '/a', local: '/b' }] },
  };
  /** Which secrets each change must hold back (the rest still go). */
  const heldBack: Record<string, string[]> = {
    client: ['daemon-password'], scheme: ['daemon-password'], host: ['daemon-password'], port: ['daemon-password'], path: ['daemon-password'],
    user: ['daemon-password'], 'user in the URL': ['daemon-password'], 'TLS pin': ['daemon-password'], 'no TLS pin': ['daemon-password'],
    'proxy type': ['daemon-password', 'ssh-secret', 'proxy-password'], 'proxy host': ['daemon-password', 'ssh-secret', 'proxy-password'],
    'proxy port': ['daemon-password', 'ssh-secret', 'proxy-password'], 'proxy user': ['daemon-password', 'ssh-secret', 'proxy-password'],
    'no proxy': ['daemon-password', 'ssh-secret', 'proxy-password'],
    'SSH host': ['daemon-password', 'ssh-secret'], 'SSH port': ['daemon-password', 'ssh-secret'], 'SSH user': ['daemon-password', 'ssh-secret'],
    'SSH auth': ['ssh-secret'], 'SSH key file': ['ssh-secret'], 'SSH host-key pin': ['daemon-password', 'ssh-secret'],
    'SSH far end': ['daemon-password'], 'no SSH tunnel': ['daemon-password', 'ssh-secret'],
    'SSH for files only': ['daemon-password'], 'SFTP path mapping': [],
    'name, refresh, labels and path mapping': [],
  };
  it.each(Object.keys(changes))('another %s: exactly the secrets that belong to it are held back', (change) => {
    const moved = (['daemon-password', 'ssh-secret', 'proxy-password'] as const).filter(
      (purpose) => secretEndpoint(purpose, full) !== secretEndpoint(purpose, { ...full, ...changes[change] }),
    );
    expect(moved).toEqual(heldBack[change]);
  });

  it('keeps each secret to its own part: a proxy change does not move the SSH-less daemon password of another purpose', () => {
    const proxied = { ...base, proxy: { kind: 'socks5' as const, host: 'p', port: 1080, username: '' } };
    expect(secretEndpoint('proxy-password', proxied)).not.toBe(secretEndpoint('proxy-password', base));
    expect(secretEndpoint('daemon-password', proxied)).not.toBe(secretEndpoint('daemon-password', base));
    expect(secretEndpoint('ssh-secret', { ...base, url: 'https://elsewhere/' })).toBe(secretEndpoint('ssh-secret', base));
    expect(secretEndpoint('proxy-password', { ...base, tlsPinSha256: 'ab'.repeat(32) })).toBe(secretEndpoint('proxy-password', base));
  });
});

describe('saving unchanged settings', () => {
  it('keeps every saved secret: the settings the editor sends back for an untouched form move no endpoint', async () => {
    const boxes: NewSeedbox[] = [
      { name: 'Web', kind: 'qbittorrent', url: 'https://me:pw@Box.Example:8443/base', tlsPinSha256: 'ab'.repeat(32) },
      { name: 'Deluge', kind: 'deluge', url: 'deluge://box', username: 'ann' },
      {
        name: 'Tunnel',
        kind: 'rtorrent',
        url: 'scgi://127.0.0.1:5000',
        proxy: { kind: 'socks5', host: 'proxy', port: 1080, username: 'p' },
        sshTunnel: { host: 'ssh.example', username: 'ann', auth: 'key', privateKeyPath: '/home/ann/.ssh/id', hostKeySha256: 'cd'.repeat(32), remote: { kind: 'unix', path: '/home/ann/rt.sock' } },
      },
    ];
    for (const box of boxes) {
      const view = await registry.add(box, { 'daemon-password': 'pw', 'ssh-secret': 's', 'proxy-password': 'p' });
      // What the editor sends (test/unit/renderer/editor.test.ts checks that its form gives back exactly this).
      const { id, secrets, ...settings } = view;
      const updated = await service.handlers['seedboxes:update']({ id, changes: settings });
      expect(updated.secrets).toEqual(secrets);
    }
  });
});
