// A hostile qBittorrent WebUI for the tests: a real HTTP server on loopback with the login
// cookie, sync/maindata and the other endpoints the client calls, honest about everything but
// one endpoint, which it answers with the wrong shape, deep nesting, huge strings, garbage, a
// reset, a truncated body or nothing at all. HOSTILE_QB_CASES lists the cases; the core tests
// (test/unit/core/qbittorrent/hostile.test.ts) and the CLI tests
// (test/live/cli/hostile-qbittorrent-cli.test.ts) run every one of them.
import http from 'node:http';
import type { QbittorrentClient } from '../../electron/core/clients/qbittorrent/client';
import type { ErrorCode } from '../../electron/shared/errors';
import { listen } from '../unit/core/transports/fixtures';

export const QB_USER = 'admin';
export const QB_PASSWORD = 'hostile-test-password';
export const QB_TORRENT = '193295cb906ab435c00f9b6472b3b1b50ac17aad';
const COOKIE = 'SID=hostile-session';

/** One torrent of sync/maindata as qbittorrent-nox 4.5.2 answers it (test/fixtures/qbittorrent). */
export function honestTorrent(): Record<string, unknown> {
  return {
    added_on: 1_795_240_343,
    completed: 0,
    completion_on: 0,
    dlspeed: 0,
    downloaded: 0,
    eta: 8_640_000,
    name: 'honest torrent',
    num_complete: 0,
    num_incomplete: 0,
    num_leechs: 0,
    num_seeds: 0,
    priority: 1,
    progress: 0,
    ratio: 0,
    save_path: '/srv/data',
    size: 30_000,
    state: 'pausedDL',
    tags: 'music',
    tracker: '',
    uploaded: 0,
    upspeed: 0,
  };
}

export function honestMainData(torrent: Record<string, unknown> = honestTorrent()): Record<string, unknown> {
  return {
    rid: 1,
    full_update: true,
    torrents: { [QB_TORRENT]: torrent },
    trackers: { 'http://127.0.0.1:9/announce': [QB_TORRENT] },
    server_state: { dl_info_speed: 1024, up_info_speed: 0, free_space_on_disk: 1_000_000_000, use_alt_speed_limits: false, queueing: false },
  };
}

/** What qBittorrent answers when nothing is broken, by endpoint (the path after /api/v2/). */
function honestAnswer(endpoint: string): string | undefined {
  switch (endpoint) {
    case 'app/version':
      return 'v4.5.2';
    case 'app/webapiVersion':
      return '2.8.19';
    case 'app/preferences':
      return JSON.stringify({ dl_limit: 0, up_limit: 102_400, queueing_enabled: false, save_path: '/srv/data' });
    case 'sync/maindata':
      return JSON.stringify(honestMainData());
    case 'torrents/files':
      return JSON.stringify([{ index: 0, name: 'honest torrent', size: 30_000, progress: 0, priority: 1, is_seed: false }]);
    case 'torrents/trackers':
      return JSON.stringify([{ url: 'http://127.0.0.1:9/announce', status: 4, tier: 0, num_peers: -1, num_seeds: -1, num_leeches: -1, num_downloaded: -1, msg: 'Connection refused' }]);
    case 'torrents/properties':
      return JSON.stringify({ is_private: true, save_path: '/srv/data' });
    case 'sync/torrentPeers':
      return JSON.stringify({ rid: 1, full_update: true, peers: { '127.0.0.1:6881': { ip: '127.0.0.1', port: 6881, client: 'qBittorrent/4.5.2', progress: 0.5, dl_speed: 0, up_speed: 0 } } });
    case 'transfer/speedLimitsMode':
      return '0';
    default:
      return undefined;
  }
}

export type QbMisbehaviour = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** An answer of 200 with this body; a function makes it when first needed (big bodies). */
export function body(text: string | (() => string)): QbMisbehaviour {
  let made: string | undefined;
  return (_request, response) => {
    made ??= typeof text === 'string' ? text : text();
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
    response.end(made);
  };
}

export const json = (value: unknown): QbMisbehaviour => body(JSON.stringify(value));

/** Headers promising 100 000 bytes, half of them, then the connection torn down. */
export const resetMidAnswer: QbMisbehaviour = (_request, response) => {
  const text = JSON.stringify(honestMainData()).padEnd(100_000, ' ');
  response.writeHead(200, { 'Content-Length': String(text.length) });
  response.write(text.slice(0, 50_000), () => response.socket?.destroy());
};

/** Headers promising 1 000 bytes, ten of them, and the end of the connection. */
export const truncatedBody: QbMisbehaviour = (_request, response) => {
  const socket = response.socket!;
  response.detachSocket(socket);
  socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"rid": 1,');
};

/** Not HTTP at all. */
export const garbage: QbMisbehaviour = (_request, response) => {
  const socket = response.socket!;
  response.detachSocket(socket);
  socket.end('\u0000\u0001 this is not HTTP \u00ff\r\n\r\n');
};

export const silence: QbMisbehaviour = () => undefined;

/** `[[[[…]]]]`, `depth` deep: JSON.parse takes it, anything recursive on it overflows the stack. */
const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

export interface HostileQbCase {
  name: string;
  /** The endpoint answered badly (the path after /api/v2/). */
  endpoint: string;
  misbehave: QbMisbehaviour;
  command: string[];
  call: (client: QbittorrentClient) => Promise<unknown>;
  code: ErrorCode;
  field?: string;
  message?: RegExp;
}

const list = { command: ['list'], call: (client: QbittorrentClient) => client.list() };
const info = { command: ['info', QB_TORRENT], call: (client: QbittorrentClient) => client.details(QB_TORRENT) };
const version = { command: ['version'], call: (client: QbittorrentClient) => client.connect() };
const maindata = 'sync/maindata';
const torrentWith = (change: Record<string, unknown>): QbMisbehaviour => json(honestMainData({ ...honestTorrent(), ...change }));

export const HOSTILE_QB_CASES: HostileQbCase[] = [
  { name: 'maindata that is a list', endpoint: maindata, misbehave: json([honestMainData()]), ...list, code: 'protocol', field: '(answer)', message: /with a list of 1 item, expected an object\./ },
  { name: 'maindata that is a string', endpoint: maindata, misbehave: json('torrents'), ...list, code: 'protocol', field: '(answer)' },
  { name: 'maindata that is null', endpoint: maindata, misbehave: body('null'), ...list, code: 'protocol', field: '(answer)' },
  { name: 'maindata whose torrents are a list', endpoint: maindata, misbehave: json({ ...honestMainData(), torrents: [honestTorrent()] }), ...list, code: 'protocol', field: 'torrents' },
  { name: 'maindata without its rid', endpoint: maindata, misbehave: json({ ...honestMainData(), rid: undefined }), ...list, code: 'protocol', field: 'rid' },
  { name: 'maindata with a rid that is a string', endpoint: maindata, misbehave: json({ ...honestMainData(), rid: '1' }), ...list, code: 'protocol', field: 'rid' },
  { name: 'a torrent that is null', endpoint: maindata, misbehave: json({ ...honestMainData(), torrents: { [QB_TORRENT]: null } }), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"]` },
  { name: 'a name that is a number', endpoint: maindata, misbehave: torrentWith({ name: 42 }), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"].name` },
  { name: 'a name nested a million lists deep', endpoint: maindata, misbehave: body(() => JSON.stringify(honestMainData({ ...honestTorrent(), name: 0 })).replace('"name":0', `"name":${deep(1_000_000)}`)), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"].name` },
  { name: 'maindata nested a million lists deep', endpoint: maindata, misbehave: body(() => deep(1_000_000)), ...list, code: 'protocol', field: '(answer)' },
  { name: 'a name of 200 000 characters', endpoint: maindata, misbehave: torrentWith({ name: 'n'.repeat(200_000) }), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"].name` },
  { name: 'a size that is a string', endpoint: maindata, misbehave: torrentWith({ size: '30000' }), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"].size` },
  { name: 'a state that is a list', endpoint: maindata, misbehave: torrentWith({ state: ['pausedDL'] }), ...list, code: 'protocol', field: `torrents["${QB_TORRENT}"].state` },
  { name: 'a key that is not a torrent id', endpoint: maindata, misbehave: json({ ...honestMainData(), torrents: { '\u001b]0;pwned\u0007': honestTorrent() } }), ...list, code: 'protocol', field: 'torrents["\\u001b]0;pwned\\u0007"]' },
  { name: 'removed ids that are numbers', endpoint: maindata, misbehave: json({ ...honestMainData(), torrents_removed: [1, 2] }), ...list, code: 'protocol', field: 'torrents_removed[0]' },
  { name: 'tracker users that are a string', endpoint: maindata, misbehave: json({ ...honestMainData(), trackers: { 'http://a/': QB_TORRENT } }), ...list, code: 'protocol', field: 'trackers["http://a/"]' },
  { name: 'server_state that is a list', endpoint: maindata, misbehave: json({ ...honestMainData(), server_state: [] }), ...list, code: 'protocol', field: 'server_state' },
  { name: 'a hundred thousand torrents, all wrong', endpoint: maindata, misbehave: body(() => `{"rid":1,"torrents":{${Array.from({ length: 100_000 }, (_, index) => `"${index.toString(16).padStart(40, '0')}":0`).join(',')}}}`), ...list, code: 'protocol', field: `torrents["${'0'.repeat(40)}"]` },
  { name: 'preferences that are HTML', endpoint: 'app/preferences', misbehave: body('<html><body>Unauthorized</body></html>'), ...version, code: 'protocol', message: /did not answer app\/preferences with JSON/ },
  { name: 'preferences with a limit that is a string', endpoint: 'app/preferences', misbehave: json({ dl_limit: 'none', up_limit: 0, queueing_enabled: false }), ...version, code: 'protocol', field: 'dl_limit' },
  { name: 'a version that is HTML', endpoint: 'app/version', misbehave: body('<!doctype html><title>nginx</title>'), ...version, code: 'protocol', field: '(answer)' },
  { name: 'a WebAPI version that is not one', endpoint: 'app/webapiVersion', misbehave: body('two point eight'), ...version, code: 'protocol', field: '(answer)' },
  { name: 'files that are an object', endpoint: 'torrents/files', misbehave: json({ 0: { name: 'a' } }), ...info, code: 'protocol', field: '(answer)' },
  { name: 'a file without its size', endpoint: 'torrents/files', misbehave: json([{ index: 0, name: 'a', progress: 0, priority: 1 }]), ...info, code: 'protocol', field: '[0].size' },
  { name: 'a tracker whose url is null', endpoint: 'torrents/trackers', misbehave: json([{ url: null, status: 2, tier: 0, num_seeds: 0, num_leeches: 0, msg: '' }]), ...info, code: 'protocol', field: '[0].url' },
  { name: 'peers that are a list', endpoint: 'sync/torrentPeers', misbehave: json({ rid: 1, peers: [] }), ...info, code: 'protocol', field: 'peers' },
  { name: 'a speed limits mode of 2', endpoint: 'transfer/speedLimitsMode', misbehave: body('2'), command: ['altspeed', 'on'], call: (client) => client.setAlternativeSpeed(true), code: 'protocol', field: '(answer)' },
  { name: 'an action answered with text', endpoint: 'torrents/pause', misbehave: body('Paused, probably.'), command: ['stop', QB_TORRENT], call: (client) => client.stop([QB_TORRENT]), code: 'protocol', field: '(answer)' },
  { name: 'a reset in the middle of the answer', endpoint: maindata, misbehave: resetMidAnswer, ...list, code: 'connection-lost' },
  { name: 'a truncated body, then the end', endpoint: maindata, misbehave: truncatedBody, ...list, code: 'connection-lost' },
  { name: 'garbage instead of HTTP', endpoint: maindata, misbehave: garbage, ...list, code: 'protocol' },
  { name: 'no answer at all', endpoint: maindata, misbehave: silence, ...list, code: 'timeout' },
];

export interface HostileQb {
  port: number;
  url: string;
  /** Endpoints requested, in order. */
  requests: string[];
}

/** Starts the WebUI, honest except for `broken.endpoint`. */
export async function startHostileQbittorrent(broken?: Pick<HostileQbCase, 'endpoint' | 'misbehave'>): Promise<HostileQb> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const endpoint = new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/api\/v2\//, '');
      requests.push(endpoint);
      if (endpoint === 'auth/login') {
        response.writeHead(200, { 'Set-Cookie': `${COOKIE}; HttpOnly; path=/` });
        response.end('Ok.');
        return;
      }
      if (request.headers.cookie !== COOKIE) {
        response.writeHead(403);
        response.end('Forbidden');
        return;
      }
      if (endpoint === broken?.endpoint) {
        broken.misbehave(request, response);
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' });
      response.end(honestAnswer(endpoint) ?? '');
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  const running = await listen(server);
  return { port: running.port, url: `http://127.0.0.1:${running.port}`, requests };
}
