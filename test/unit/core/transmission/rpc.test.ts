import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { TransmissionClient } from '../../../../electron/core/clients/transmission/client';
import { Names, toSnakeCase } from '../../../../electron/core/clients/transmission/rpc';
import { rejectionOf } from '../../../helpers/errors';

describe('kebab/camel to snake_case naming', () => {
  it('converts every style Transmission used before 4.1', () => {
    expect(['torrent-get', 'hashString', 'speed-limit-down-enabled', 'peersGettingFromUs', 'recently-active', 'rpc-version', 'seedRatioLimited', 'size-bytes'].map(toSnakeCase)).toEqual([
      'torrent_get',
      'hash_string',
      'speed_limit_down_enabled',
      'peers_getting_from_us',
      'recently_active',
      'rpc_version',
      'seed_ratio_limited',
      'size_bytes',
    ]);
  });

  it('leaves legacy names alone in the legacy style', () => {
    const legacy = new Names('legacy');
    expect(legacy.out('hashString')).toBe('hashString');
    expect(legacy.inValue({ hashString: 'x' })).toEqual({ hashString: 'x' });
  });

  it('maps snake_case answers back to the legacy names, nested objects included, and leaves values alone', () => {
    const names = new Names('snake');
    expect(names.outArguments({ 'delete-local-data': true, ids: ['a'] })).toEqual({ delete_local_data: true, ids: ['a'] });
    expect(names.inValue({ torrents: [{ hash_string: 'abc', tracker_stats: [{ seeder_count: 3, last_announce_result: 'hash_string' }] }], size_bytes: 5, unknown_key: 1 })).toEqual({
      torrents: [{ hashString: 'abc', trackerStats: [{ seederCount: 3, lastAnnounceResult: 'hash_string' }] }],
      'size-bytes': 5,
      unknown_key: 1,
    });
  });
});

type Request = { method: string; arguments?: Record<string, unknown>; jsonrpc?: string; params?: Record<string, unknown>; id?: number };
type Handler = (body: Request, req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;

async function fakeDaemon(handler: Handler): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handler(JSON.parse(Buffer.concat(chunks).toString('utf8')), req, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/transmission/rpc`;
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

function reply(res: ServerResponse, args: Record<string, unknown>): void {
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ result: 'success', arguments: args }));
}

describe('the Transmission RPC handshake and refusals', () => {
  it('retries once on 409 with the new session id, and gives up with protocol on a second 409', async () => {
    const seen: (string | undefined)[] = [];
    const url = await fakeDaemon((_body, req, res) => {
      seen.push(req.headers['x-transmission-session-id'] as string | undefined);
      res.writeHead(409, { 'X-Transmission-Session-Id': `id-${seen.length}` }).end('<p>Your request had an invalid session-id header.</p>');
    });
    const error = await rejectionOf(new TransmissionClient({ kind: 'transmission', url }).connect());
    expect(error.code).toBe('protocol');
    expect(error.message).toMatch(/session id/);
    expect(seen).toEqual([undefined, 'id-1']);
  });

  it('turns 421 into a forbidden error that names the host and the setting', async () => {
    const url = await fakeDaemon((_body, _req, res) => res.writeHead(421, 'Misdirected Request').end('<p>Transmission received your request, but the hostname was unrecognized.</p>'));
    const error = await rejectionOf(new TransmissionClient({ kind: 'transmission', url }).connect());
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/host name "127\.0\.0\.1".*rpc-host-whitelist/);
  });

  it('points a wrong path at the RPC, not at the web UI Transmission redirects to', async () => {
    const url = await fakeDaemon((_body, _req, res) => res.writeHead(301, { Location: '/transmission/web/' }).end());
    const error = await rejectionOf(new TransmissionClient({ kind: 'transmission', url: url.replace('/transmission/rpc', '/other') }).connect());
    expect(error.code).toBe('protocol');
    expect(error.message).toMatch(/RPC is at http:\/\/127\.0\.0\.1:\d+\/transmission\/rpc\.$/);
  });

  it('tells the login lock-out from an address refusal (both 403)', async () => {
    const url = await fakeDaemon((_body, _req, res) => res.writeHead(403).end('<p>Too many unsuccessful login attempts. Please restart transmission-daemon.</p>'));
    const error = await rejectionOf(new TransmissionClient({ kind: 'transmission', url }).connect());
    expect(error.code).toBe('forbidden');
    expect(error.message).toMatch(/restarted/);
  });

  it('refuses an answer that is not Transmission JSON, and a daemon older than 3.00', async () => {
    let version = 0;
    const url = await fakeDaemon((body, _req, res) => {
      if (version === 0) res.writeHead(200).end('<html>hello</html>');
      else reply(res, { 'rpc-version': version, version: '2.94 (d8e60ee44f)' });
    });
    expect((await rejectionOf(new TransmissionClient({ kind: 'transmission', url }).connect())).code).toBe('protocol');
    version = 15;
    const old = await rejectionOf(new TransmissionClient({ kind: 'transmission', url }).connect());
    expect(old.code).toBe('unsupported');
    expect(old.message).toMatch(/2\.94.*3\.00/);
  });

  it('speaks JSON-RPC 2.0 with snake_case names to a daemon that answers the probe in that form (4.1.0 final)', async () => {
    const requests: Request[] = [];
    const hash = 'ab'.repeat(20);
    const url = await fakeDaemon((body, _req, res) => {
      requests.push(body);
      const answer = (result: Record<string, unknown>): void => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', result, id: body.id }));
      };
      if (body.jsonrpc !== '2.0') return reply(res, {});
      if (body.method === 'session_get') return answer({ rpc_version: 18, rpc_version_semver: '6.0.0', version: '4.1.0 (abc)', units: { speed_bytes: 1000 }, download_dir: '/srv/dl', speed_limit_down: 0, speed_limit_down_enabled: false, speed_limit_up: 0, speed_limit_up_enabled: false, alt_speed_enabled: false });
      if (body.method === 'free_space') return answer({ path: body.params!['path'], size_bytes: 123, total_size: 456 });
      if (body.method === 'torrent_get') {
        const fields = body.params!['fields'] as string[];
        const tracker = { announce: 'http://t.example/a', tier: 0, announce_state: 0, has_announced: true, last_announce_succeeded: true, last_announce_timed_out: false, last_announce_result: 'Success', seeder_count: 5, leecher_count: 1, is_backup: false };
        const values: Record<string, unknown> = { hash_string: hash, id: 1, name: 'snake', status: 6, error: 0, error_string: '', percent_done: 1, size_when_done: 10, left_until_done: 0, uploaded_ever: 0, downloaded_ever: 10, upload_ratio: 0, rate_download: 0, rate_upload: 0, eta: -1, peers_connected: 0, peers_sending_to_us: 0, peers_getting_from_us: 0, labels: ['a'], download_dir: '/d', added_date: 1, done_date: 2, queue_position: 0, metadata_percent_complete: 1, is_private: true, seconds_seeding: 42, activity_date: 3, tracker_stats: [tracker] };
        const row = fields.map((field) => values[field]);
        return answer({ torrents: [fields, row] });
      }
      if (body.method === 'session_set') return answer({});
      if (body.method === 'torrent_set') {
        res.writeHead(200).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32602, message: 'Invalid params', data: { error_string: 'labels cannot contain comma (,) character' } }, id: body.id }));
        return;
      }
      res.writeHead(500).end();
    });
    const client = new TransmissionClient({ kind: 'transmission', url });
    expect(await client.connect()).toMatchObject({ version: '4.1.0', protocol: 'rpc-v18 json-rpc' });
    const [torrent] = await client.list();
    expect(torrent).toMatchObject({ id: hash, name: 'snake', state: 'seeding', progress: 1, sizeBytes: 10, labels: ['a'], savePath: '/d', seedsTotal: 5, trackerHosts: ['t.example'], private: true, seedingSeconds: 42, lastActivityAt: 3 });
    await client.setGlobalSpeedLimits({ downBytesPerSecond: 5000, upBytesPerSecond: 0 });
    // download_dir is downloadDir among torrent fields and download-dir in session-get.
    expect(await client.freeSpace()).toBe(123);
    const refused = await rejectionOf(client.setLabels([hash], ['x']));
    expect(refused.code).toBe('rpc-fault');
    expect(refused.message).toBe('Transmission refused torrent_set: Invalid params (labels cannot contain comma (,) character)');
    expect(requests.map((request) => request.method)).toEqual(['session_get', 'session_get', 'torrent_get', 'session_set', 'session_get', 'free_space', 'torrent_get', 'torrent_set']);
    expect(requests[5]!.params).toEqual({ path: '/srv/dl' });
    expect(requests.every((request) => request.jsonrpc === '2.0' && typeof request.id === 'number' && request.arguments === undefined)).toBe(true);
    expect(requests[2]!.params!['fields']).toContain('hash_string');
    expect(requests[2]!.params!['fields']).toContain('tracker_stats');
    expect(requests[3]!.params).toEqual({ speed_limit_down_enabled: true, speed_limit_down: 5, speed_limit_up_enabled: false });
  });

  it('falls back to the legacy form and names when the daemon refuses the JSON-RPC probe, whatever its rpc-version', async () => {
    const requests: Request[] = [];
    const url = await fakeDaemon((body, _req, res) => {
      requests.push(body);
      // 4.1.0~beta2 says rpc-version 18 and knows only the legacy form.
      if (body.method === 'session-get') return reply(res, { 'rpc-version': 18, version: '4.1.0-beta.2 (x)', units: { 'speed-bytes': 1000 } });
      res.writeHead(200).end(JSON.stringify({ arguments: 0, result: 'no method name' }));
    });
    const client = new TransmissionClient({ kind: 'transmission', url });
    expect(await client.connect()).toMatchObject({ version: '4.1.0-beta.2', protocol: 'rpc-v18' });
    expect(requests).toEqual([
      { jsonrpc: '2.0', method: 'session_get', params: { fields: ['version'] }, id: 1 },
      { method: 'session-get', arguments: {} },
    ]);
    // Probed once per connection: a reconnect probes again.
    await client.close();
    await client.connect();
    expect(requests.map((request) => request.method)).toEqual(['session_get', 'session-get', 'session_get', 'session-get']);
  });
});
