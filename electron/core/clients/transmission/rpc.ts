// Transmission's JSON RPC over our own HTTP client (so proxies, SSH tunnels and pinned TLS
// apply to it like to every other daemon): basic auth, the X-Transmission-Session-Id
// handshake, the host-whitelist and IP-whitelist refusals, and the two naming styles.
// Spec: https://github.com/transmission/transmission/blob/main/docs/rpc-spec.md
import { parseDaemonUrl } from '../../../shared/daemons/address';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import { MAX_VALUE_DEPTH } from '../../codecs/depth';
import { tooDeep } from '../../codecs/json';
import { answerMismatch, isAnswerObject } from '../answers';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../transports/http';
import type { TransmissionConnectionSettings } from '../types';
import { ANSWER_KEYS } from './raw';

const DEFAULT_PATH = DAEMONS.transmission.defaultHttpPath;
const SESSION_ID_HEADER = 'X-Transmission-Session-Id';

/**
 * Names on the wire. The legacy request form speaks the names of rpc-version 16 and 17, a mix of
 * kebab-case (methods, session keys) and camelCase (torrent fields). Transmission 4.1.0 final
 * (rpc-version 18, rpc-version-semver 6.0.0) added the JSON-RPC 2.0 form, whose names are all
 * snake_case, and still accepts the legacy form with the legacy names (deprecated, to be removed
 * in a later release). The code always speaks the legacy names; `Names` translates at the edge.
 */
export type NamingStyle = 'legacy' | 'snake';

/**
 * The request form (rpc-spec.md, "Message format"). `jsonrpc`: {jsonrpc: "2.0", method, params,
 * id}, answered with `result` (an object) or `error` {code, message, data}; snake_case names.
 * `legacy`: {method, arguments}, answered with `result` ("success" or the error text) and
 * `arguments`; legacy names. Which one a daemon speaks is probed, not guessed from its version:
 * Debian 13's 4.1.0~beta2 says rpc-version 18 like 4.1.0 final, yet knows only the legacy form.
 */
export type RequestForm = 'jsonrpc' | 'legacy';

/** "hashString" → "hash_string", "speed-limit-down" → "speed_limit_down", "torrent-get" → "torrent_get". */
export function toSnakeCase(name: string): string {
  return name.replace(/-/g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Where an answer's names come from. One snake_case name has two legacy spellings:
 * download_dir is `downloadDir` among torrent fields (torrent-get) and `download-dir` everywhere
 * else (session-get), as Transmission's own compatibility table has it.
 */
export type NameScope = 'torrent' | 'session';
const TORRENT_SPELLINGS: ReadonlyMap<string, string> = new Map([['download_dir', 'downloadDir']]);

/** Translates legacy names to the wire and back; knows every key an answer may carry (raw.ts). */
export class Names {
  private readonly bySnake = new Map<string, string>();

  constructor(readonly style: NamingStyle) {
    if (style !== 'snake') return;
    for (const name of ANSWER_KEYS) {
      const snake = toSnakeCase(name);
      // The session spelling where two legacy names share one snake_case name.
      if (!(TORRENT_SPELLINGS.get(snake) === name)) this.bySnake.set(snake, name);
    }
  }

  /** The wire form of a legacy name. */
  out(name: string): string {
    return this.style === 'legacy' ? name : toSnakeCase(name);
  }

  /** The legacy name for a name read off the wire (unknown names stay as they are). */
  in(name: string, scope: NameScope = 'session'): string {
    if (this.style === 'legacy') return name;
    return (scope === 'torrent' ? TORRENT_SPELLINGS.get(name) : undefined) ?? this.bySnake.get(name) ?? name;
  }

  /** Renames an argument object's keys (not its values) to the wire form, one level deep. */
  outArguments(args: Record<string, unknown>): Record<string, unknown> {
    if (this.style === 'legacy') return args;
    return Object.fromEntries(Object.entries(args).map(([key, value]) => [this.out(key), value]));
  }

  /** Renames every object key in an answer back to legacy names, recursively (a server chooses the depth: bounded). */
  inValue(value: unknown, scope: NameScope = 'session', depth = 0): unknown {
    if (this.style === 'legacy' || value === null || typeof value !== 'object') return value;
    if (depth > MAX_VALUE_DEPTH) throw tooDeep(DAEMONS.transmission.name);
    if (Array.isArray(value)) return value.map((item) => this.inValue(item, scope, depth + 1));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.in(key, scope), this.inValue(item, scope, depth + 1)]));
  }
}

/** One call's answer: the `arguments` object, keys in legacy names. */
export type RpcArguments = Record<string, unknown>;

/** What the probe sends: the smallest session_get of the JSON-RPC form. */
const PROBE_METHOD = 'session_get';

export class TransmissionRpc {
  private readonly http: HttpClient;
  private sessionId: string | undefined;
  /** The request form this connection speaks, once probed (shared by concurrent first calls). */
  private form: Promise<RequestForm> | undefined;
  private nextId = 1;
  names = new Names('legacy');

  constructor(settings: TransmissionConnectionSettings) {
    // The catalogue decides which addresses are accepted; the HTTP client only reads them.
    parseDaemonUrl('transmission', settings.url);
    this.http = createHttpClient({
      url: settings.url.trim(),
      ...(settings.username !== undefined ? { username: settings.username } : {}),
      ...(settings.password !== undefined ? { password: settings.password } : {}),
      defaultPath: DEFAULT_PATH,
      notFoundHint: ` (Transmission usually answers at ${DEFAULT_PATH})`,
      ...settings.transport,
    });
  }

  get description(): string {
    return this.http.description;
  }

  /** The request form probed for this connection (probing it if no call has yet). */
  requestForm(): Promise<RequestForm> {
    this.form ??= this.probe().catch((error: unknown) => {
      this.form = undefined;
      throw error;
    });
    return this.form;
  }

  /** Forgets the probed form: a reconnect may reach another (upgraded) daemon. */
  reset(): void {
    this.form = undefined;
    this.names = new Names('legacy');
  }

  /**
   * Calls one method (legacy name) with arguments (legacy keys; values are sent as given, so
   * callers translate names inside values themselves, e.g. torrent-get's `fields`).
   */
  async call(method: string, args: RpcArguments = {}): Promise<RpcArguments> {
    const form = await this.requestForm();
    const names = this.names;
    const wireMethod = names.out(method);
    const params = names.outArguments(args);
    const scope: NameScope = method === 'torrent-get' ? 'torrent' : 'session';
    if (form === 'legacy') {
      const response = await this.post(jsonBody({ method: wireMethod, arguments: params }));
      return names.inValue(this.legacyAnswer(wireMethod, this.decode(response)), scope) as RpcArguments;
    }
    const id = this.nextId++;
    const response = await this.post(jsonBody({ jsonrpc: '2.0', method: wireMethod, params, id }));
    return names.inValue(this.jsonRpcAnswer(wireMethod, id, this.decode(response)), scope) as RpcArguments;
  }

  /**
   * One JSON-RPC 2.0 session_get, the form the current rpc-spec describes. A daemon that
   * answers in that form speaks it (with snake_case names); one that answers in the legacy
   * form has refused it (3.00 and 4.0: "method name not recognized"; 4.1.0~beta2: "no method
   * name") and is spoken to in the legacy form with the legacy names. Anything else is not a
   * Transmission RPC.
   */
  private async probe(): Promise<RequestForm> {
    const id = this.nextId++;
    const response = await this.post(jsonBody({ jsonrpc: '2.0', method: PROBE_METHOD, params: { fields: ['version'] }, id }));
    const decoded = this.decode(response);
    if (isLegacyAnswer(decoded)) {
      this.names = new Names('legacy');
      return 'legacy';
    }
    this.jsonRpcAnswer(PROBE_METHOD, id, decoded);
    this.names = new Names('snake');
    return 'jsonrpc';
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
      `Nothing answers at ${this.description} (HTTP 301, the path is probably wrong)${suggestion || `; Transmission usually answers at ${DEFAULT_PATH}`}.`,
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

  private decode(response: HttpResponse): Record<string, unknown> {
    let decoded: unknown;
    try {
      decoded = JSON.parse(response.body.toString('utf8'));
    } catch {
      decoded = undefined;
    }
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded) || !('result' in decoded || 'error' in decoded)) {
      throw this.notTransmission(response.status);
    }
    return decoded as Record<string, unknown>;
  }

  private notTransmission(status?: number): SeedboxError {
    return new SeedboxError(
      'protocol',
      `${this.description} did not answer with Transmission's JSON${status !== undefined ? ` (HTTP ${status})` : ''}; is this the address of a Transmission RPC?`,
      { endpoint: this.description, ...(status !== undefined ? { status } : {}) },
    );
  }

  /** {result: "success" | error text, arguments}. */
  private legacyAnswer(method: string, decoded: Record<string, unknown>): unknown {
    if (!isLegacyAnswer(decoded)) throw this.notTransmission();
    if (decoded.result !== 'success') {
      throw new SeedboxError('rpc-fault', `Transmission refused ${method}: ${decoded.result}`, { method, result: decoded.result });
    }
    const args = decoded['arguments'];
    if (args === undefined) return {};
    if (!isAnswerObject(args)) {
      throw answerMismatch({ source: DAEMONS.transmission.name, call: method }, { field: 'arguments' }, args, 'an object');
    }
    return args;
  }

  /** {jsonrpc: "2.0", id, result: {...}} or {jsonrpc: "2.0", id, error: {code, message, data: {error_string, result}}}. */
  private jsonRpcAnswer(method: string, id: number, decoded: Record<string, unknown>): unknown {
    if (decoded['jsonrpc'] !== '2.0' || decoded['id'] !== id) throw this.notTransmission();
    const error = decoded['error'];
    if (isAnswerObject(error)) {
      const code = typeof error['code'] === 'number' ? error['code'] : undefined;
      const message = typeof error['message'] === 'string' ? error['message'] : 'an error';
      const data = isAnswerObject(error['data']) ? error['data'] : {};
      // 4.1.0's spec spells it errorString, the code and later specs error_string.
      const detail = data['error_string'] ?? data['errorString'];
      const text = typeof detail === 'string' && detail !== '' && detail !== message ? `${message} (${detail})` : message;
      throw new SeedboxError('rpc-fault', `Transmission refused ${method}: ${text}`, { method, result: text, ...(code !== undefined ? { code } : {}) });
    }
    if (!isAnswerObject(decoded['result'])) throw this.notTransmission();
    return decoded['result'];
  }
}

function jsonBody(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The legacy form's answer: `result` is a string, and there is no `jsonrpc` member. */
function isLegacyAnswer(decoded: Record<string, unknown>): decoded is Record<string, unknown> & { result: string } {
  return typeof decoded['result'] === 'string' && !('jsonrpc' in decoded);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return url;
  }
}
