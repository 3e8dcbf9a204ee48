import { request } from 'node:http';
import type { QbittorrentInstance } from '../../helpers/qbittorrent';

/**
 * Reads qBittorrent's state back through an independent path: its WebUI API over plain
 * node:http with a session of its own, not our HTTP client or our qBittorrent client.
 */
export class QbittorrentApi {
  private cookie = '';

  constructor(private readonly qb: QbittorrentInstance) {}

  async raw(path: string, form?: Record<string, string>, cookie = this.cookie): Promise<{ status: number; body: string; setCookies: string[] }> {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    return this.send(path, body === undefined ? undefined : { body, contentType: 'application/x-www-form-urlencoded' }, cookie);
  }

  /** POSTs a multipart form (torrents/add with files), encoded by Node's own FormData. */
  async multipart(path: string, form: FormData): Promise<string> {
    if (!this.cookie) await this.login();
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    const response = await this.send(path, { body, contentType: encoded.headers.get('content-type')! });
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} ${response.body}`);
    return response.body;
  }

  private send(path: string, payload: { body: string | Buffer; contentType: string } | undefined, cookie = this.cookie): Promise<{ status: number; body: string; setCookies: string[] }> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.qb.port,
          path: `/api/v2/${path}`,
          method: payload ? 'POST' : 'GET',
          headers: { ...(cookie ? { Cookie: cookie } : {}), ...(payload ? { 'Content-Type': payload.contentType } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookies: res.headers['set-cookie'] ?? [] }));
        },
      );
      req.on('error', reject);
      req.end(payload?.body);
    });
  }

  async login(): Promise<void> {
    const response = await this.raw('auth/login', { username: this.qb.username, password: this.qb.password }, '');
    if (response.body !== 'Ok.') throw new Error(`login answered ${response.status} ${response.body}`);
    this.cookie = response.setCookies[0]!.split(';')[0]!;
  }

  private async ok(path: string, form?: Record<string, string>): Promise<string> {
    if (!this.cookie) await this.login();
    let response = await this.raw(path, form);
    if (response.status === 403) {
      await this.login();
      response = await this.raw(path, form);
    }
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} ${response.body}`);
    return response.body;
  }

  async get<T = unknown>(path: string): Promise<T> {
    return JSON.parse(await this.ok(path)) as T;
  }

  async text(path: string): Promise<string> {
    return this.ok(path);
  }

  async post(path: string, form: Record<string, string>): Promise<string> {
    return this.ok(path, form);
  }

  /** One torrent's row from torrents/info (undefined when qBittorrent does not have it). */
  async torrent(id: string): Promise<Record<string, unknown> | undefined> {
    const rows = await this.get<Record<string, unknown>[]>(`torrents/info?hashes=${id}`);
    return rows[0];
  }
}
