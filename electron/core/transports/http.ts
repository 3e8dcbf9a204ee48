// XML-RPC / JSON-RPC over HTTP(S): rTorrent behind a web server (nginx `scgi_pass`, ruTorrent
// setups). One request per connection: calls are rare enough that keep-alive buys nothing,
// and a fresh connection means every call goes through the same pinned-TLS path.

import { DAEMONS, SCHEMES } from '../../shared/daemons/catalogue';
import { redactUrl } from '../../shared/redact-url';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { SeedboxError } from '../../shared/errors';
import { BoundedCollector, resolveTransportOptions, settleOnce, withDeadline } from './connect';
import { connectTls } from './tls';
import type { Endpoint, RpcTransport, TransportOptions } from './types';

export interface HttpClientOptions extends TransportOptions {
  /** "https://host[:port][/base]"; may carry "user:password@" (percent-encoded). */
  url: string;
  /** Wins over the user name in the URL. */
  username?: string;
  /** Wins over the password in the URL. */
  password?: string;
  /** The path used when the URL has none (rTorrent's "/RPC2", Transmission's RPC path). */
  defaultPath?: string;
  /** Added to the "wrong path" message of a 404, e.g. where the daemon usually answers. */
  notFoundHint?: string;
}

export type HttpTransportOptions = HttpClientOptions;

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** Appended to the URL's path ("/api/v2/auth/login"); '' for the URL itself. */
  path?: string;
  /** Query string without '?', already encoded. */
  query?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses the caller handles itself (Transmission's 409, qBittorrent's 403); others become errors. */
  acceptStatus?: (status: number) => boolean;
  /** Receives a successful answer's body as it arrives (see RpcTransport.request). */
  onBody?: (chunk: Buffer) => void;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", " (but see setCookies). */
  headers: Record<string, string>;
  /** Every Set-Cookie header, unjoined (cookie values may contain commas). */
  setCookies: string[];
  body: Buffer;
}

export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /** The URL without credentials, for messages. */
  readonly description: string;
}

/**
 * HTTP(S) requests to one daemon: basic auth, a deadline, a bound on the answer's size, and TLS
 * verified or pinned on every connection before a byte is sent. One request per connection.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { timeoutMs, maxResponseBytes, connector, tls } = resolveTransportOptions(options);
  const target = parseHttpUrl(options.url, options.defaultPath ?? '');
  const username = options.username ?? target.username;
  const password = options.password ?? target.password;
  const authorization =
    username || password ? `Basic ${Buffer.from(`${username ?? ''}:${password ?? ''}`, 'utf8').toString('base64')}` : undefined;
  const { description } = target;

  return {
    description,
    async request(request) {
      const path = joinPath(target.path, request.path ?? '') + (request.query ? `?${request.query}` : target.search);
      const body = request.body ?? new Uint8Array();
      return withDeadline(timeoutMs, description, async (signal) => {
        const socket = target.secure
          ? await connectTls(target.endpoint, target.hostname, tls, connector, signal, description)
          : await connector(target.endpoint, signal);
        const headers: http.OutgoingHttpHeaders = {
          Host: target.hostHeader,
          ...(request.method === 'GET' ? {} : { 'Content-Length': body.byteLength }),
          Connection: 'close',
          ...(authorization === undefined ? {} : { Authorization: authorization }),
          ...request.headers,
        };
        return send(socket, { method: request.method ?? 'POST', path, headers, body }, signal, {
          collector: new BoundedCollector(maxResponseBytes, description),
          description,
          sentCredentials: authorization !== undefined || 'Cookie' in (request.headers ?? {}),
          baseUrl: target.safeUrl,
          acceptStatus: request.acceptStatus ?? (() => false),
          ...(request.onBody && { onBody: request.onBody }),
          notFoundHint: options.notFoundHint ?? '',
        });
      });
    },
  };
}

/** XML-RPC / JSON-RPC over HTTP(S): rTorrent behind a web server. */
export function createHttpTransport(options: HttpTransportOptions): RpcTransport {
  const client = createHttpClient({
    defaultPath: DAEMONS.rtorrent.defaultHttpPath,
    notFoundHint: ` (rTorrent behind a web server is usually at ${DAEMONS.rtorrent.defaultHttpPath})`,
    ...options,
  });
  return {
    description: client.description,
    async request(body, contentType, onBody) {
      const response = await client.request({ body, headers: { 'Content-Type': contentType }, ...(onBody ? { onBody } : {}) });
      return { body: response.body, headers: response.headers, status: response.status };
    },
  };
}

function joinPath(base: string, path: string): string {
  if (path === '') return base;
  return `${base.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

interface HttpUrl {
  secure: boolean;
  endpoint: Endpoint;
  /** Without IPv6 brackets: the name the certificate must carry. */
  hostname: string;
  hostHeader: string;
  path: string;
  search: string;
  username: string | undefined;
  password: string | undefined;
  /** The URL without credentials, for messages and for resolving redirects. */
  safeUrl: URL;
  description: string;
}

function parseHttpUrl(text: string, defaultPath: string): HttpUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password: do not echo it.
    throw new SeedboxError('invalid-argument', 'The address is not a valid URL (expected http(s)://host[:port]/path).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SeedboxError(
      'invalid-argument',
      `The address must start with http:// or https:// (got ${url.protocol}//).`,
    );
  }
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? SCHEMES[secure ? 'https' : 'http'].defaultPort : Number(url.port);
  const username = decodeUserInfo(url.username, 'user name');
  const password = decodeUserInfo(url.password, 'password');

  const safeUrl = new URL(url.href);
  safeUrl.username = '';
  safeUrl.password = '';
  safeUrl.hash = '';
  if ((safeUrl.pathname === '' || safeUrl.pathname === '/') && defaultPath) safeUrl.pathname = defaultPath;
  const basePath = safeUrl.pathname === '/' ? '' : safeUrl.pathname;

  return {
    secure,
    endpoint: { kind: 'tcp', host: hostname, port },
    hostname,
    hostHeader: url.host,
    path: basePath,
    search: safeUrl.search,
    username,
    password,
    safeUrl,
    // A password with "/" or "?" in it can end up in the parsed host or path: show it redacted.
    description: redactUrl(safeUrl.href),
  };
}

function decodeUserInfo(encoded: string, what: string): string | undefined {
  if (encoded === '') return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw new SeedboxError('invalid-argument', `The ${what} in the address has a malformed %-escape.`);
  }
}

interface SendContext {
  collector: BoundedCollector;
  description: string;
  sentCredentials: boolean;
  baseUrl: URL;
  acceptStatus: (status: number) => boolean;
  notFoundHint: string;
  onBody?: (chunk: Buffer) => void;
}

function send(
  socket: Duplex,
  request: { method: string; path: string; headers: http.OutgoingHttpHeaders; body: Uint8Array },
  signal: AbortSignal,
  context: SendContext,
): Promise<HttpResponse> {
  const { collector, description } = context;
  return new Promise<HttpResponse>((resolve, reject) => {
    let answered = false;
    const exchange = settleOnce(socket, signal, description, resolve, reject);
    const { settle, fail } = exchange;

    const req = http.request({
      method: request.method,
      path: request.path || '/',
      headers: request.headers,
      setHost: false,
      // The socket is already connected (and verified, for https): no agent, no dialling here.
      createConnection: () => socket,
    });

    req.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered && error.code === 'ECONNRESET') {
        fail(
          new SeedboxError(
            'connection-lost',
            `${description} closed the connection without answering (if this is rTorrent's SCGI port, use an scgi:// address).`,
            { endpoint: description },
            { cause: error },
          ),
        );
      } else {
        fail(error);
      }
    });

    req.on('response', (res) => {
      answered = true;
      res.on('error', fail);
      const status = res.statusCode ?? 0;
      if ((status < 200 || status >= 300) && !context.acceptStatus(status)) {
        fail(statusError(status, res, context));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        if (exchange.settled) return;
        try {
          collector.append(chunk);
          if (status >= 200 && status < 300) context.onBody?.(chunk);
        } catch (error) {
          fail(error);
        }
      });
      res.on('end', () => {
        if (!res.complete) {
          fail(new SeedboxError('connection-lost', `The connection to ${description} closed before the answer ended.`, { endpoint: description }));
          return;
        }
        settle(() => ({ body: collector.toBuffer(), headers: flattenHeaders(res.headers), setCookies: res.headers['set-cookie'] ?? [], status }));
      });
    });

    req.end(request.body);
  });
}

function statusError(status: number, res: http.IncomingMessage, context: SendContext): SeedboxError {
  const { description } = context;
  const details = { endpoint: description, status, statusText: res.statusMessage ?? '' };
  const statusLabel = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`;
  if (status === 401) {
    return context.sentCredentials
      ? new SeedboxError('auth-failed', `Wrong user name or password for ${description} (${statusLabel}).`, details)
      : new SeedboxError('auth-failed', `${description} requires credentials (${statusLabel}): set a user name and password.`, details);
  }
  if (status === 403) {
    return new SeedboxError(
      'forbidden',
      `${description} refused access (${statusLabel}): this account or address is not allowed to use it.`,
      details,
    );
  }
  if (status === 404) {
    return new SeedboxError(
      'protocol',
      `Nothing answers at ${description} (${statusLabel}): the path in the address is probably wrong${context.notFoundHint}.`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    const location = redirectTarget(res.headers.location, context.baseUrl);
    return new SeedboxError(
      'protocol',
      `${description} redirects to ${location ?? 'another address'} (${statusLabel}); redirects are not followed: use that address instead if it is the right one.`,
      { ...details, location },
    );
  }
  const gatewayHint =
    status === 502 || status === 503 || status === 504 ? ': the web server could not reach the daemon behind it (is it running?)' : '';
  return new SeedboxError('protocol', `${description} answered ${statusLabel}${gatewayHint}.`, details);
}

/** Where a redirect points, resolved and without any credentials it may carry. */
function redirectTarget(location: string | undefined, base: URL): string | undefined {
  if (location === undefined) return undefined;
  try {
    const url = new URL(location, base);
    url.username = '';
    url.password = '';
    // Still redacted: a password with "/" in it parses as a host and path.
    return redactUrl(url.href);
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
