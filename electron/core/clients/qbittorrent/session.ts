// qBittorrent's WebUI session, on our own HTTP client so the injected connector (proxy, SSH
// tunnel) and the TLS pin apply to every request.
//
// POST auth/login answers "Ok." or "Fails." and sets a session cookie whose name the server
// chooses (SID in 4.x, configurable in 5.x), so the name is read from Set-Cookie. A 403 on any
// call means the session is gone (timeout, daemon restart, logout): log in once more and retry.
// A 403 on login itself means qBittorrent banned this address after failed logins. No Origin or
// Referer header is ever sent, so qBittorrent's CSRF check passes.

import { parseDaemonUrl } from '../../../shared/daemons/address';
import { examplesText } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import { createHttpClient, type HttpClient, type HttpResponse } from '../../transports/http';
import type { QbittorrentConnectionSettings } from '../types';

const API = '/api/v2';
const FORM = 'application/x-www-form-urlencoded';
/** Statuses qBittorrent answers with a plain-text reason ("Save path cannot be empty"). */
const REASON_STATUSES = new Set([400, 409, 415]);

export interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  form?: Record<string, string>;
  multipart?: FormData;
  /** Statuses handed back to the caller instead of becoming errors. */
  accept?: number[];
}

export class QbittorrentSession {
  private readonly http: HttpClient;
  private readonly username: string;
  private readonly password: string;
  /** "NAME=value" of the session cookie; undefined before login or when the server sets none (auth bypass). */
  private cookie: string | undefined;
  private loggedIn = false;
  private loggingIn: Promise<void> | undefined;

  /** `onLogin` runs after each successful login: a new session has no sync history. */
  constructor(
    settings: QbittorrentConnectionSettings,
    private readonly onLogin: () => void = () => undefined,
  ) {
    const url = settings.url.trim();
    const address = parseDaemonUrl('qbittorrent', url);
    // Credentials go to auth/login only, never as Basic auth on every request ('' disables it).
    this.http = createHttpClient({
      url,
      username: '',
      password: '',
      notFoundHint: ` (qBittorrent's address is that of its WebUI, e.g. ${examplesText('qbittorrent')}; the API is under /api/v2)`,
      ...settings.transport,
    });
    this.username = settings.username ?? address.username ?? '';
    this.password = settings.password ?? address.password ?? '';
  }

  /** For messages: the WebUI's address without credentials. */
  get description(): string {
    return this.http.description;
  }

  /** Logs out, freeing the server's session now rather than at its timeout; failing to is harmless. */
  async close(): Promise<void> {
    const cookie = this.loggedIn ? this.cookie : undefined;
    this.loggedIn = false;
    this.cookie = undefined;
    if (cookie !== undefined) {
      await this.http.request({ path: `${API}/auth/logout`, headers: { Cookie: cookie }, acceptStatus: () => true }).catch(() => undefined);
    }
  }

  ensureLoggedIn(): Promise<void> {
    if (this.loggedIn) return Promise.resolve();
    this.loggingIn ??= this.login().finally(() => (this.loggingIn = undefined));
    return this.loggingIn;
  }

  /** One API call with the session cookie; on 403 logs in again once and retries. */
  async call(endpoint: string, options: CallOptions = {}): Promise<HttpResponse> {
    await this.ensureLoggedIn();
    const { body, contentType } = await encodeBody(options);
    const accept = new Set(options.accept ?? []);
    const send = (): Promise<HttpResponse> =>
      this.http.request({
        method: options.method ?? 'POST',
        path: `${API}/${endpoint}`,
        ...(options.query ? { query: formEncode(options.query) } : {}),
        headers: {
          ...(this.cookie ? { Cookie: this.cookie } : {}),
          ...(contentType ? { 'Content-Type': contentType } : {}),
        },
        ...(body ? { body } : {}),
        acceptStatus: (status) => status === 403 || REASON_STATUSES.has(status) || accept.has(status),
      });
    const cookieUsed = this.cookie;
    let response = await send();
    if (response.status === 403) {
      // Another call may have logged in again meanwhile: then its cookie is simply used.
      if (this.cookie === cookieUsed) {
        this.loggedIn = false;
        await this.ensureLoggedIn();
      }
      response = await send();
      if (response.status === 403) {
        throw new SeedboxError('forbidden', `${this.http.description} refused ${endpoint} even right after logging in (HTTP 403).`, {
          endpoint: this.http.description,
          status: 403,
        });
      }
    }
    if (accept.has(response.status)) return response;
    if (REASON_STATUSES.has(response.status)) {
      const reason = response.body.toString('utf8').trim().slice(0, 300);
      throw new SeedboxError('rpc-fault', `qBittorrent refused ${endpoint}: ${reason || `HTTP ${response.status}`}.`, {
        endpoint: this.http.description,
        status: response.status,
      });
    }
    return response;
  }

  private async login(): Promise<void> {
    const response = await this.http.request({
      path: `${API}/auth/login`,
      headers: { 'Content-Type': FORM },
      body: Buffer.from(formEncode({ username: this.username, password: this.password })),
      acceptStatus: (status) => status === 403,
    });
    const description = this.http.description;
    if (response.status === 403) {
      throw new SeedboxError(
        'forbidden',
        `${description} has banned this IP address for too many failed logins; wait for the ban to end (an hour by default) or restart qBittorrent, and check the user name and password.`,
        { endpoint: description, status: 403 },
      );
    }
    const text = response.body.toString('utf8').trim();
    if (text === 'Fails.') {
      throw new SeedboxError('auth-failed', `Wrong user name or password for ${description}.`, { endpoint: description });
    }
    if (text !== 'Ok.') {
      throw new SeedboxError('protocol', `${description} did not answer the login as qBittorrent's WebUI does: is this the WebUI's address?`, {
        endpoint: description,
      });
    }
    this.cookie = sessionCookie(response.setCookies);
    this.loggedIn = true;
    this.onLogin();
  }
}

/** "NAME=value" of the session cookie among the Set-Cookie headers; its name is the server's choice. */
export function sessionCookie(setCookies: string[]): string | undefined {
  const pairs = setCookies.map((header) => header.split(';')[0]!.trim()).filter((pair) => /^[^=\s]+=/.test(pair));
  // Prefer what looks like qBittorrent's own (SID, QBT_SID_<port>) should a proxy add cookies of its own.
  return pairs.find((pair) => /^(?:SID|QBT_SID\w*)=/i.test(pair)) ?? pairs[0];
}

function formEncode(fields: Record<string, string>): string {
  // encodeURIComponent (spaces as %20, not '+'): unambiguous for Qt's form parser.
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

async function encodeBody(options: CallOptions): Promise<{ body?: Uint8Array; contentType?: string }> {
  if (options.multipart) {
    // Node's own FormData encoder, through Response, gives the multipart body and its boundary.
    const response = new Response(options.multipart);
    return { body: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? undefined };
  }
  if (options.form) return { body: Buffer.from(formEncode(options.form)), contentType: FORM };
  return {};
}
