// Connectors that reach an endpoint through a SOCKS5 or HTTP CONNECT proxy. Transports stay
// unaware: they ask the connector for their endpoint and get back a stream already tunnelled
// to it. Errors name the proxy and the destination, never the proxy's credentials.

import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SocksClient, type SocksClientOptions } from 'socks';
import { SeedboxError, type ErrorCode } from '../../shared/errors';
import { ProxySchema, type ProxySettings } from '../../shared/seedbox';
import { connectDirect, describeEndpoint, toTransportError } from '../transports/connect';
import { DEFAULT_TIMEOUT_MS, type Connector, type Endpoint } from '../transports/types';

export type ProxyCredentials = ProxySettings & { password?: string };

export interface ProxyConnectorOptions {
  /** Deadline for reaching the proxy and having it open the connection onward. */
  timeoutMs?: number;
}

type TcpEndpoint = Extract<Endpoint, { kind: 'tcp' }>;

/** "SOCKS5 proxy 127.0.0.1:1080" or "HTTP proxy proxy.example:3128", for messages. */
export function describeProxy(proxy: Pick<ProxySettings, 'kind' | 'host' | 'port'>): string {
  const label = proxy.kind === 'socks5' ? 'SOCKS5' : 'HTTP';
  return `${label} proxy ${describeEndpoint({ kind: 'tcp', host: proxy.host, port: proxy.port })}`;
}

/**
 * A Connector that dials every TCP endpoint through `proxy`. Local Unix sockets cannot be
 * proxied: asking for one fails with 'invalid-argument'.
 */
export function createProxyConnector(proxy: ProxyCredentials, options: ProxyConnectorOptions = {}): Connector {
  const settings = validateProxySettings(proxy);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SeedboxError('invalid-argument', `The proxy timeout must be a positive number of milliseconds (got ${timeoutMs}).`);
  }
  const description = describeProxy(settings);
  const dial = settings.kind === 'socks5' ? connectThroughSocks5 : connectThroughHttp;

  return async (endpoint, signal) => {
    if (endpoint.kind === 'unix') {
      throw new SeedboxError('invalid-argument', 'A local Unix socket cannot be reached through a proxy.', {
        endpoint: endpoint.path,
        proxy: description,
      });
    }
    const deadline = handshakeDeadline(signal, timeoutMs, description, endpoint);
    try {
      const socket = await dialProxy(settings, deadline.signal, description);
      return await dial({ proxy: settings, socket, endpoint, signal: deadline.signal, description });
    } finally {
      deadline.dispose();
    }
  };
}

/** Checks the settings against the stored schema, so a connector is never built from nonsense. */
export function validateProxySettings(proxy: ProxyCredentials): ProxyCredentials {
  const parsed = ProxySchema.safeParse(proxy);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'settings';
    throw new SeedboxError('invalid-argument', `The proxy ${field} is not valid: ${issue?.message ?? 'unknown problem'}.`, { field });
  }
  return { ...parsed.data, ...(proxy.password === undefined ? {} : { password: proxy.password }) };
}

/** "Basic dXNlcjpwYXNz" for a Proxy-Authorization header (RFC 7617, UTF-8). */
export function basicProxyAuthorization(username: string, password = ''): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

async function dialProxy(proxy: ProxyCredentials, signal: AbortSignal, description: string): Promise<Duplex> {
  try {
    return await connectDirect({ kind: 'tcp', host: proxy.host, port: proxy.port }, signal);
  } catch (error) {
    // An abort rejects with the signal's reason, unchanged, as connectDirect does.
    if (signal.aborted) throw signal.reason;
    throw toTransportError(error, description);
  }
}

interface Handshake {
  proxy: ProxyCredentials;
  /** Already connected to the proxy. */
  socket: Duplex;
  endpoint: TcpEndpoint;
  signal: AbortSignal;
  description: string;
}

function connectThroughSocks5({ proxy, socket, endpoint, signal, description }: Handshake): Promise<Duplex> {
  const destination = describeEndpoint(endpoint);
  const withAuth = proxy.username !== '';
  const socksOptions: SocksClientOptions = {
    proxy: {
      host: proxy.host,
      port: proxy.port,
      type: 5,
      ...(withAuth ? { userId: proxy.username, password: proxy.password ?? '' } : {}),
    },
    command: 'connect',
    destination: { host: endpoint.host, port: endpoint.port },
    existing_socket: socket,
    // Our own deadline (the signal) governs; this only keeps `socks` from giving up first.
    timeout: 2 ** 31 - 1,
  };
  return new Promise<Duplex>((resolve, reject) => {
    const client = new SocksClient(socksOptions);
    const finish = (outcome: () => void): void => {
      signal.removeEventListener('abort', onAbort);
      client.removeAllListeners();
      // `socks` may still emit 'error' as the socket goes away; an unheard 'error' would throw.
      client.on('error', () => {});
      outcome();
    };
    const onAbort = (): void =>
      finish(() => {
        socket.destroy();
        reject(signal.reason);
      });
    client.once('established', (info: { socket: Duplex }) => finish(() => resolve(info.socket)));
    // The SocksClientError carries the options, password included: keep only its message.
    client.once('error', (error: Error) =>
      finish(() => {
        socket.destroy();
        reject(socksError(error.message, { description, destination, withAuth }));
      }),
    );
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    client.connect(socket);
  });
}

/** What the SOCKS5 reply codes (RFC 1928 §6) mean for the user. */
const SOCKS5_REPLIES: Record<string, { code: ErrorCode; says: string }> = {
  Failure: { code: 'connection-refused', says: 'a general failure' },
  NotAllowed: { code: 'forbidden', says: 'the connection is not allowed by its rules' },
  NetworkUnreachable: { code: 'host-unreachable', says: 'the network is unreachable' },
  HostUnreachable: { code: 'host-unreachable', says: 'the host is unreachable' },
  ConnectionRefused: { code: 'connection-refused', says: 'connection refused' },
  TTLExpired: { code: 'timeout', says: 'the connection timed out' },
  CommandNotSupported: { code: 'protocol', says: 'it does not support CONNECT' },
  AddressNotSupported: { code: 'protocol', says: 'it does not support this kind of address' },
};

/** Turns a `socks` error message into a SeedboxError naming the proxy and the destination. */
export function socksError(
  message: string,
  { description, destination, withAuth }: { description: string; destination: string; withAuth: boolean },
): SeedboxError {
  const details = { endpoint: description, destination };
  if (message.startsWith('Socks5 Authentication failed')) {
    return new SeedboxError('auth-failed', `The ${description} refused the credentials.`, details);
  }
  if (message.includes('no accepted authentication type')) {
    return withAuth
      ? new SeedboxError('auth-failed', `The ${description} accepts none of the offered login methods (user name and password, or none).`, details)
      : new SeedboxError('auth-failed', `The ${description} requires a user name and password.`, details);
  }
  const rejected = /^Socks5 proxy rejected connection - (\w+)/.exec(message);
  if (rejected) {
    const reply = SOCKS5_REPLIES[rejected[1] ?? ''] ?? { code: 'connection-refused' as const, says: rejected[1] ?? 'unknown reason' };
    return new SeedboxError(reply.code, `The ${description} could not connect to ${destination}: ${reply.says}.`, {
      ...details,
      reply: rejected[1],
    });
  }
  if (message.startsWith('Socket closed')) {
    return new SeedboxError('connection-lost', `The ${description} closed the connection during the SOCKS5 handshake.`, details);
  }
  if (message.startsWith('Proxy connection timed out')) {
    return new SeedboxError('timeout', `The ${description} did not complete the SOCKS5 handshake in time.`, details);
  }
  if (message.startsWith('Received invalid Socks5') || message.startsWith('Negotiation error')) {
    return new SeedboxError('protocol', `The ${description} does not speak SOCKS5 (is it an HTTP proxy?).`, details);
  }
  return new SeedboxError('connection-lost', `The ${description} failed to connect to ${destination}: ${message}.`, details);
}

function connectThroughHttp({ proxy, socket, endpoint, signal, description }: Handshake): Promise<Duplex> {
  const destination = describeEndpoint(endpoint);
  const withAuth = proxy.username !== '';
  return new Promise<Duplex>((resolve, reject) => {
    const request = http.request({
      method: 'CONNECT',
      // The request target of CONNECT is the authority, host:port ([v6]:port).
      path: destination,
      headers: {
        host: destination,
        ...(withAuth ? { 'proxy-authorization': basicProxyAuthorization(proxy.username, proxy.password) } : {}),
      },
      // Node types this as returning a net.Socket, but any connected Duplex works.
      createConnection: () => socket as Socket,
    });
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: SeedboxError | unknown): void =>
      finish(() => {
        request.destroy();
        socket.destroy();
        reject(toTransportError(error, description));
      });
    const onAbort = (): void =>
      finish(() => {
        request.destroy();
        socket.destroy();
        reject(signal.reason);
      });
    request.once('connect', (response: http.IncomingMessage, tunnel: Duplex, head: Buffer) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        finish(() => {
          // Bytes the destination sent right after the proxy's answer belong to the caller.
          if (head.length > 0) tunnel.unshift(head);
          resolve(tunnel);
        });
        return;
      }
      tunnel.destroy();
      fail(httpConnectError(status, response.statusMessage ?? '', { description, destination, withAuth }));
    });
    // Only without a 'connect' listener would a CONNECT answer arrive here; kept for safety.
    request.once('response', (response: http.IncomingMessage) =>
      fail(httpConnectError(response.statusCode ?? 0, response.statusMessage ?? '', { description, destination, withAuth })),
    );
    request.once('error', fail);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    request.end();
  });
}

/** A proxy's refusal to CONNECT as a SeedboxError naming the proxy, the destination and the status. */
export function httpConnectError(
  status: number,
  statusText: string,
  { description, destination, withAuth }: { description: string; destination: string; withAuth: boolean },
): SeedboxError {
  const statusLabel = `${status}${statusText ? ` ${statusText}` : ''}`;
  const details = { endpoint: description, destination, status };
  // 407 is the standard answer; tinyproxy answers 401 when credentials were sent but are wrong.
  if (status === 407 || status === 401) {
    return withAuth
      ? new SeedboxError('auth-failed', `The ${description} refused the credentials (${statusLabel}).`, details)
      : new SeedboxError('auth-failed', `The ${description} requires a user name and password (${statusLabel}).`, details);
  }
  if (status === 403) {
    return new SeedboxError(
      'forbidden',
      `The ${description} does not allow connections to ${destination} (${statusLabel}; many proxies only allow port 443).`,
      details,
    );
  }
  if (status === 502 || status === 503 || status === 500) {
    return new SeedboxError('connection-refused', `The ${description} could not connect to ${destination} (${statusLabel}).`, details);
  }
  if (status === 504) {
    return new SeedboxError('timeout', `The ${description} timed out connecting to ${destination} (${statusLabel}).`, details);
  }
  return new SeedboxError('protocol', `The ${description} refused to connect to ${destination} (${statusLabel}).`, details);
}

/**
 * The caller's signal plus our own deadline for the proxy hand-shake, which aborts with a
 * 'timeout' naming the proxy. `dispose` stops the timer and the link to the caller's signal.
 */
function handshakeDeadline(
  outer: AbortSignal,
  timeoutMs: number,
  description: string,
  endpoint: TcpEndpoint,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(outer.reason);
  if (outer.aborted) onOuterAbort();
  else outer.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(
    () =>
      controller.abort(
        new SeedboxError('timeout', `The ${description} did not open the connection to ${describeEndpoint(endpoint)} in time.`, {
          endpoint: description,
          destination: describeEndpoint(endpoint),
          timeoutMs,
        }),
      ),
    Math.min(timeoutMs, 2 ** 31 - 1),
  );
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      outer.removeEventListener('abort', onOuterAbort);
    },
  };
}
