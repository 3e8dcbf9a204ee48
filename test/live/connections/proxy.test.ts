import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { createProxyConnector, type ProxyCredentials } from '../../../electron/core/connections/proxy';
import type { Connector } from '../../../electron/core/transports/types';
import { rejectionOf } from '../../helpers/errors';
import { startNginxScgiFront, type NginxFront } from '../../helpers/nginx';
import { freePort } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startHttpProxy, startSocks5Proxy, type ProxyInstance } from '../../helpers/socks';
import { expectListAndAdd } from './support';

// tinyproxy's BasicAuth takes letters, digits, '-', '_' and '.' only.
const PROXY_USER = 'proxy-user';
const PROXY_PASSWORD = 'proxy-pass_1.x';

let rtTcp: RtorrentInstance;
let rtUnix: RtorrentInstance;
let nginx: NginxFront;
let socksOpen: ProxyInstance;
let socksAuth: ProxyInstance;
let httpOpen: ProxyInstance;
let httpAuth: ProxyInstance;
let httpPort443Only: ProxyInstance;

beforeAll(async () => {
  [rtTcp, rtUnix, socksOpen, socksAuth, httpOpen, httpAuth, httpPort443Only] = await Promise.all([
    startRtorrent({ scgi: 'tcp' }),
    startRtorrent(),
    startSocks5Proxy(),
    startSocks5Proxy({ username: PROXY_USER, password: PROXY_PASSWORD }),
    startHttpProxy(),
    startHttpProxy({ username: PROXY_USER, password: PROXY_PASSWORD }),
    startHttpProxy({ connectPorts: [443] }),
  ]);
  nginx = await startNginxScgiFront({ scgiSocket: rtUnix.socketPath! });
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all([rtTcp, rtUnix, socksOpen, socksAuth, httpOpen, httpAuth, httpPort443Only].map((started) => started?.stop()));
});

function proxySettings(kind: 'socks5' | 'http', proxy: ProxyInstance, login: { username?: string; password?: string } = {}): ProxyCredentials {
  return { kind, host: proxy.host, port: proxy.port, username: login.username ?? '', ...(login.password === undefined ? {} : { password: login.password }) };
}

function scgiClient(connector: Connector): RtorrentClient {
  return new RtorrentClient({ kind: 'rtorrent', url: rtTcp.url, transport: { connector, timeoutMs: 10_000 } });
}

/** rtorrent behind nginx over HTTPS with basic auth, the certificate pinned. */
function httpsClient(connector: Connector): RtorrentClient {
  return new RtorrentClient({
    kind: 'rtorrent',
    url: nginx.url,
    username: nginx.username,
    password: nginx.password,
    transport: { tls: { pinnedSha256: nginx.certificate.sha256 }, connector, timeoutMs: 10_000 },
  });
}

describe('SOCKS5 (microsocks) to the SCGI TCP port', () => {
  it('without a login: lists and adds', async () => {
    await expectListAndAdd(scgiClient(createProxyConnector(proxySettings('socks5', socksOpen))), rtTcp);
  });

  it('with a user name and password: lists and adds', async () => {
    const connector = createProxyConnector(proxySettings('socks5', socksAuth, { username: PROXY_USER, password: PROXY_PASSWORD }));
    await expectListAndAdd(scgiClient(connector), rtTcp);
  });

  it('a wrong password is auth-failed naming the proxy, not the password', async () => {
    const connector = createProxyConnector(proxySettings('socks5', socksAuth, { username: PROXY_USER, password: 'wrong-secret' }));
    const error = await rejectionOf(scgiClient(connector).list());
    expect(error.code).toBe('auth-failed');
    expect(error.message).toBe(`The SOCKS5 proxy 127.0.0.1:${socksAuth.port} refused the credentials.`);
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-secret');
  });

  it('no login where the proxy needs one is auth-failed', async () => {
    const error = await rejectionOf(scgiClient(createProxyConnector(proxySettings('socks5', socksAuth))).list());
    expect(error.code).toBe('auth-failed');
    expect(error.message).toBe(`The SOCKS5 proxy 127.0.0.1:${socksAuth.port} requires a user name and password.`);
  });

  it('a closed destination port is connection-refused, as the proxy reports it', async () => {
    const closed = await freePort();
    const client = new RtorrentClient({ kind: 'rtorrent', url: `scgi://127.0.0.1:${closed}`, transport: { connector: createProxyConnector(proxySettings('socks5', socksOpen)) } });
    const error = await rejectionOf(client.list());
    expect(error.code).toBe('connection-refused');
    expect(error.message).toBe(`The SOCKS5 proxy 127.0.0.1:${socksOpen.port} could not connect to 127.0.0.1:${closed}: connection refused.`);
  });

  it('a server that answers like an HTTP server is a protocol error', async () => {
    // tinyproxy would wait for a request line forever; an HTTP server answers at once.
    const server = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await rejectionOf(scgiClient(createProxyConnector({ kind: 'socks5', host: '127.0.0.1', port, username: '' })).list());
      expect(error.code).toBe('protocol');
      expect(error.message).toBe(`The SOCKS5 proxy 127.0.0.1:${port} does not speak SOCKS5 (is it an HTTP proxy?).`);
    } finally {
      server.close();
    }
  });
});

describe('HTTP CONNECT (tinyproxy) to the nginx HTTPS front, certificate pinned', () => {
  it('without a proxy login: TLS through the tunnel, lists and adds', async () => {
    await expectListAndAdd(httpsClient(createProxyConnector(proxySettings('http', httpOpen))), rtUnix);
  });

  it('with Proxy-Authorization: lists and adds', async () => {
    const connector = createProxyConnector(proxySettings('http', httpAuth, { username: PROXY_USER, password: PROXY_PASSWORD }));
    await expectListAndAdd(httpsClient(connector), rtUnix);
  });

  it('the pin is still checked through the proxy', async () => {
    const client = new RtorrentClient({
      kind: 'rtorrent',
      url: nginx.url,
      username: nginx.username,
      password: nginx.password,
      transport: { tls: { pinnedSha256: 'ab'.repeat(32) }, connector: createProxyConnector(proxySettings('http', httpOpen)) },
    });
    const error = await rejectionOf(client.list());
    expect(error.code).toBe('tls-pin-mismatch');
  });

  it('a wrong proxy password is auth-failed naming the proxy', async () => {
    const connector = createProxyConnector(proxySettings('http', httpAuth, { username: PROXY_USER, password: 'wrong-secret' }));
    const error = await rejectionOf(httpsClient(connector).list());
    expect(error.code).toBe('auth-failed');
    // tinyproxy answers wrong credentials with 401 rather than 407.
    expect(error.message).toBe(`The HTTP proxy 127.0.0.1:${httpAuth.port} refused the credentials (401 Unauthorized).`);
    expect(error.details.status).toBe(401);
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-secret');
  });

  it('no login where the proxy needs one is auth-failed (407)', async () => {
    const error = await rejectionOf(httpsClient(createProxyConnector(proxySettings('http', httpAuth))).list());
    expect(error.code).toBe('auth-failed');
    expect(error.message).toContain('requires a user name and password (407');
  });

  it('a port the proxy does not allow is forbidden (403) naming the destination', async () => {
    const error = await rejectionOf(httpsClient(createProxyConnector(proxySettings('http', httpPort443Only))).list());
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(`does not allow connections to 127.0.0.1:${nginx.port} (403`);
  });

  it('a closed destination port is connection-refused with the status', async () => {
    const closed = await freePort();
    const client = new RtorrentClient({
      kind: 'rtorrent',
      url: `https://127.0.0.1:${closed}/RPC2`,
      transport: { connector: createProxyConnector(proxySettings('http', httpOpen)) },
    });
    const error = await rejectionOf(client.list());
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain(`The HTTP proxy 127.0.0.1:${httpOpen.port} could not connect to 127.0.0.1:${closed}`);
    expect(error.details.status).toBeGreaterThanOrEqual(500);
  });
});

describe('either kind', () => {
  it.each(['socks5', 'http'] as const)('%s: a proxy that is down is connection-refused naming the proxy', async (kind) => {
    const port = await freePort();
    const connector = createProxyConnector({ kind, host: '127.0.0.1', port, username: '' });
    const error = await rejectionOf(scgiClient(connector).list());
    expect(error.code).toBe('connection-refused');
    expect(error.message).toBe(`Could not connect to ${kind === 'socks5' ? 'SOCKS5' : 'HTTP'} proxy 127.0.0.1:${port}: nothing is listening there (connection refused).`);
  });

  it.each(['socks5', 'http'] as const)('%s: a local Unix socket cannot be proxied', async (kind) => {
    const client = new RtorrentClient({ kind: 'rtorrent', url: rtUnix.url, transport: { connector: createProxyConnector(proxySettings(kind, socksOpen)) } });
    const error = await rejectionOf(client.list());
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('A local Unix socket cannot be reached through a proxy.');
  });

  it('the signal aborts a connection in progress', async () => {
    const connector = createProxyConnector(proxySettings('socks5', socksOpen));
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = connector({ kind: 'tcp', host: '127.0.0.1', port: rtTcp.port! }, controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
