// Transmission's JSON RPC over our own HTTP client (so proxies, SSH tunnels and pinned TLS
// apply to it like to every other daemon): basic auth, the X-Transmission-Session-Id
// handshake, the host-whitelist and IP-whitelist refusals, and the two naming styles.
// Spec: https://github.com/transmission/transmission/blob/main/docs/rpc-spec.md
import { SeedboxError } from '../../../shared/errors';
import { MAX_JSON_DEPTH, tooDeep } from '../../codecs/json';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../transports/http';
import type { TransportOptions } from '../../transports/types';
import type { ConnectionSettings } from '../factory';
import { ANSWER_KEYS } from './raw';

export const DEFAULT_TRANSMISSION_PATH = '/transmission/rpc';
const SESSION_ID_HEADER = 'X-Transmission-Session-Id';

/**
 * Names on the wire. Up to rpc-version 17 (Transmission 4.0) they are a mix of kebab-case
 * (methods, session keys) and camelCase (torrent fields); 4.1 (rpc-version 18) renamed every
 * one to snake_case and keeps the old ones only until 5.0. The code always speaks the old
 * (3.00) names; `wireName` and `canonicalKeys` translate at the edge.
 */
export type NamingStyle = 'legacy' | 'snake';

/** The first rpc-version that uses snake_case names. */
export const SNAKE_CASE_RPC_VERSION = 18;

export function namingStyleFor(rpcVersion: number): NamingStyle {
  return rpcVersion >= SNAKE_CASE_RPC_VERSION ? 'snake' : 'legacy';
}

/** "hashString" → "hash_string", "speed-limit-down" → "speed_limit_down", "torrent-get" → "torrent_get". */
export function toSnakeCase(name: string): string {
  return name.replace(/-/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function wireName(name: string, style: NamingStyle): string {
  return style === 'legacy' ? name : toSnakeCase(name);
}

/** Translates legacy names to the wire and back; knows every key an answer may carry (raw.ts). */
export class Names {
  private readonly bySnake = new Map<string, string>();

  constructor(readonly style: NamingStyle) {
    if (style === 'snake') for (const name of ANSWER_KEYS) this.bySnake.set(toSnakeCase(name), name);
  }

  /** The wire form of a legacy name; remembers it so the answer's keys map back. */
  out(name: string): string {
    if (this.style === 'legacy') return name;
    const snake = toSnakeCase(name);
    this.bySnake.set(snake, name);
    return snake;
  }

  /** The legacy name for a name read off the wire (unknown names stay as they are). */
  in(name: string): string {
    return this.style === 'legacy' ? name : (this.bySnake.get(name) ?? name);
  }

  /** Renames an argument object's keys (not its values) to the wire form, one level deep. */
  outArguments(args: Record<string, unknown>): Record<string, unknown> {
    if (this.style === 'legacy') return args;
    return Object.fromEntries(Object.entries(args).map(([key, value]) => [this.out(key), value]));
  }

  /** Renames every object key in an answer back to legacy names, recursively (a server chooses the depth: bounded). */
  inValue(value: unknown, depth = 0): unknown {
    if (this.style === 'legacy' || value === null || typeof value !== 'object') return value;
    if (depth > MAX_JSON_DEPTH) throw tooDeep('Transmission');
    if (Array.isArray(value)) return value.map((item) => this.inValue(item, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.in(key), this.inValue(item, depth + 1)]));
  }
}

/** One call's answer: the `arguments` object, keys in legacy names. */
export type RpcArguments = Record<string, unknown>;

export class TransmissionRpc {
  private readonly http: HttpClient;
  private sessionId: string | undefined;
  names = new Names('legacy');

  constructor(settings: ConnectionSettings) {
    const transport: TransportOptions = {
      ...(settings.timeoutMs !== undefined ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.connector ? { connector: settings.connector } : {}),
      ...(settings.tls ? { tls: settings.tls } : {}),
    };
    this.http = createHttpClient({
      url: settings.url.trim(),
      ...(settings.username !== undefined ? { username: settings.username } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      defaultPath: DEFAULT_TRANSMISSION_PATH,
      notFoundHint: ` (Transmission usually answers at ${DEFAULT_TRANSMISSION_PATH})`,
      ...transport,
    });
  }

  get description(): string {
    return this.http.description;
  }

  /** Switches names once the daemon's rpc-version is known. */
  useStyle(style: NamingStyle): void {
    if (style !== this.names.style) this.names = new Names(style);
  }

  /**
   * Calls one method (legacy name) with arguments (legacy keys; values are sent as given, so
   * callers translate names inside values themselves, e.g. torrent-get's `fields`).
   */
  async call(method: string, args: RpcArguments = {}): Promise<RpcArguments> {
    const names = this.names;
    const body = Buffer.from(JSON.stringify({ method: names.out(method), arguments: names.outArguments(args) }), 'utf8');
    const response = await this.post(body);
    return this.parse(method, response, names);
  }

  /** The handshake: a 409 carries the session id to use; resend once with it, never more. */
  private async post(body: Uint8Array): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.http.request({
        body,
        headers: {
          'Content-Type': 'application/json',
          ...(this.sessionId !== undefined ? { [SESSION_ID_HEADER]: this.sessionId } : {}),
        },
        acceptStatus: (status) => status === 409 || status === 421 || status === 403 || status === 301,
      });
      if (response.status === 409) {
        const id = response.headers[SESSION_ID_HEADER.toLowerCase()];
        if (attempt > 0 || !id) {
          throw new SeedboxError(
            'protocol',
            `${this.description} keeps refusing the session id (HTTP 409 Conflict${id ? ' again' : ' without an X-Transmission-Session-Id header'}); a proxy in between may be dropping the header.`,
            { endpoint: this.description, status: 409 },
          );
        }
        this.sessionId = id;
        continue;
      }
      if (response.status === 421) throw this.hostNotWhitelisted();
      if (response.status === 403) throw this.forbidden(response);
      if (response.status === 301) throw this.wrongPath(response);
      return response;
    }
  }

  private hostNotWhitelisted(): SeedboxError {
    const host = hostOf(this.description);
    return new SeedboxError(
      'forbidden',
      `Transmission at ${this.description} does not accept the host name "${host}" (HTTP 421, DNS-rebinding protection): ` +
        `add "${host}" to rpc-host-whitelist in its settings.json (or set rpc-host-whitelist-enabled to false, or turn on rpc-authentication-required), ` +
        `or connect using its IP address instead.`,
      { endpoint: this.description, status: 421, host },
    );
  }

  /** Transmission sends every path outside its rpc-url to "<rpc-url>web/": its RPC is "<rpc-url>rpc". */
  private wrongPath(response: HttpResponse): SeedboxError {
    const location = response.headers['location'] ?? '';
    let suggestion = '';
    if (/\/web\/?$/.test(location)) {
      const url = new URL(location.replace(/web\/?$/, 'rpc'), this.description);
      suggestion = `: Transmission's RPC is at ${url.href}`;
    }
    return new SeedboxError(
      'protocol',
      `Nothing answers at ${this.description} (HTTP 301, the path is probably wrong)${suggestion || `; Transmission usually answers at ${DEFAULT_TRANSMISSION_PATH}`}.`,
      { endpoint: this.description, status: 301 },
    );
  }

  private forbidden(response: HttpResponse): SeedboxError {
    const text = response.body.toString('utf8');
    const details = { endpoint: this.description, status: 403 };
    if (/too many unsuccessful login attempts/i.test(text)) {
      return new SeedboxError(
        'forbidden',
        `Transmission at ${this.description} locked its RPC after too many failed logins; it accepts logins again only after transmission-daemon is restarted.`,
        details,
      );
    }
    return new SeedboxError(
      'forbidden',
      `Transmission at ${this.description} refuses connections from this computer's address (HTTP 403): ` +
        `add the address it sees (for an SSH tunnel, 127.0.0.1) to rpc-whitelist in its settings.json, or set rpc-whitelist-enabled to false.`,
      details,
    );
  }

  private parse(method: string, response: HttpResponse, names: Names): RpcArguments {
    let decoded: unknown;
    try {
      decoded = JSON.parse(response.body.toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (decoded === null || typeof decoded !== 'object' || typeof (decoded as { result?: unknown }).result !== 'string') {
      throw new SeedboxError(
        'protocol',
        `${this.description} did not answer with Transmission's JSON (HTTP ${response.status}); is this the address of a Transmission RPC?`,
        { endpoint: this.description, status: response.status },
      );
    }
    const { result, arguments: args } = decoded as { result: string; arguments?: unknown };
    if (result !== 'success') {
      throw new SeedboxError('rpc-fault', `Transmission refused ${method}: ${result}`, { method, result });
    }
    if (args === undefined) return {};
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new SeedboxError('protocol', `Transmission answered ${method} with arguments that are not an object.`, { method, field: 'arguments' });
    }
    return names.inValue(args) as RpcArguments;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return url;
  }
}
