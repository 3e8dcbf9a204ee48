// A fake Transmission RPC on loopback HTTP, with the real handshake: a request without the
// current X-Transmission-Session-Id gets 409 and the id. It answers like a healthy 3.00 daemon
// (rpc-version 16) with a few torrents unless `hostile` gives something else for a method.
import { startFakeServer, type FakeServer, type Misbehaviour } from './server';

export interface FakeTransmissionTorrent {
  hashString: string;
  name: string;
}

export type TransmissionOverride =
  /** The `arguments` to answer (with result "success"). */
  | { arguments: unknown }
  /** The whole body (JSON text or anything else), status 200. */
  | { body: string }
  /** The whole answer, misbehaving. */
  | { whole: Misbehaviour };

export interface TransmissionCallSeen {
  method: string;
  arguments: Record<string, unknown>;
  /** The JSON-RPC 2.0 request's id (undefined in the legacy form). */
  id?: unknown;
}

export interface FakeTransmissionOptions {
  torrents?: FakeTransmissionTorrent[];
  hostile?(call: TransmissionCallSeen): TransmissionOverride | undefined;
  /**
   * Whether it speaks JSON-RPC 2.0 (4.1.0 final: snake_case names, `params`, `result` objects).
   * When not, it refuses a JSON-RPC request in its legacy form, as 3.00 does.
   */
  jsonRpc?(): boolean;
}

export interface FakeTransmission {
  url: string;
  server: FakeServer;
  calls: TransmissionCallSeen[];
  close(): Promise<void>;
}

const SESSION_ID = 'fake-session-id-1';

export const HEALTHY_SESSION = {
  version: '3.00 (bb6b5a062e)',
  'rpc-version': 16,
  'config-dir': '/var/lib/transmission',
  'download-dir': '/downloads',
  'speed-limit-down': 100,
  'speed-limit-down-enabled': false,
  'speed-limit-up': 100,
  'speed-limit-up-enabled': false,
  'alt-speed-enabled': false,
  units: { 'speed-bytes': 1000 },
};

const TRACKER = {
  announce: 'http://tracker.example/announce',
  tier: 0,
  announceState: 1,
  hasAnnounced: true,
  lastAnnounceSucceeded: true,
  lastAnnounceTimedOut: false,
  lastAnnounceResult: 'Success',
  seederCount: 3,
  leecherCount: 1,
  isBackup: false,
};

/** A healthy torrent-get value for one field of one torrent. */
export function healthyField(field: string, torrent: FakeTransmissionTorrent, index: number): unknown {
  const values: Record<string, unknown> = {
    id: index + 1,
    hashString: torrent.hashString,
    name: torrent.name,
    status: 0,
    error: 0,
    errorString: '',
    percentDone: 0,
    metadataPercentComplete: 1,
    sizeWhenDone: 1000,
    leftUntilDone: 1000,
    uploadedEver: 0,
    downloadedEver: 0,
    uploadRatio: -1,
    rateDownload: 0,
    rateUpload: 0,
    eta: -1,
    peersConnected: 0,
    peersSendingToUs: 0,
    peersGettingFromUs: 0,
    labels: [],
    downloadDir: '/downloads',
    addedDate: 1_700_000_000,
    doneDate: 0,
    queuePosition: index,
    isPrivate: true,
    secondsSeeding: 0,
    activityDate: 0,
    trackerStats: [TRACKER],
    files: [{ name: torrent.name, length: 1000, bytesCompleted: 0 }],
    fileStats: [{ bytesCompleted: 0, wanted: true, priority: 0 }],
    peers: [],
    priorities: [0],
  };
  return values[field];
}

export async function startFakeTransmission(options: FakeTransmissionOptions = {}): Promise<FakeTransmission> {
  const torrents = options.torrents ?? [{ hashString: 'b'.repeat(40), name: 'fake two' }];
  const calls: TransmissionCallSeen[] = [];

  const healthy = (call: TransmissionCallSeen): unknown => {
    switch (call.method) {
      case 'session-get':
        return HEALTHY_SESSION;
      case 'session-stats':
        return { downloadSpeed: 0, uploadSpeed: 0, activeTorrentCount: 0 };
      case 'free-space':
        return { path: call.arguments['path'], 'size-bytes': 5_000_000 };
      case 'torrent-get': {
        const fields = (call.arguments['fields'] as string[] | undefined) ?? [];
        const ids = call.arguments['ids'];
        const wanted = Array.isArray(ids) ? torrents.filter((torrent) => ids.includes(torrent.hashString)) : torrents;
        return { torrents: [fields, ...wanted.map((torrent) => fields.map((field) => healthyField(field, torrent, torrents.indexOf(torrent))))], removed: [] };
      }
      case 'torrent-add':
        return { 'torrent-added': { id: 9, hashString: 'c'.repeat(40), name: 'added' } };
      default:
        return {};
    }
  };

  const server = await startFakeServer({
    framing: 'http',
    respond: (request): Misbehaviour => {
      if (request.headers['x-transmission-session-id'] !== SESSION_ID) {
        return { kind: 'answer', status: 409, body: '<h1>409: Conflict</h1>', contentType: 'text/html', headers: { 'X-Transmission-Session-Id': SESSION_ID } };
      }
      const parsed = JSON.parse(request.body.toString('utf8')) as { jsonrpc?: string; id?: unknown; method: string; arguments?: Record<string, unknown>; params?: Record<string, unknown> };
      const jsonRpc = parsed.jsonrpc === '2.0';
      if (jsonRpc && !options.jsonRpc?.()) {
        return { kind: 'answer', body: JSON.stringify({ arguments: {}, result: 'method name not recognized' }), contentType: 'application/json' };
      }
      const call: TransmissionCallSeen = jsonRpc ? { method: parsed.method, arguments: parsed.params ?? {}, id: parsed.id } : { method: parsed.method, arguments: parsed.arguments ?? {} };
      calls.push(call);
      const override = options.hostile?.(call);
      if (override && 'whole' in override) return override.whole;
      const args = override && 'arguments' in override ? override.arguments : healthy(call);
      const answer = jsonRpc ? { jsonrpc: '2.0', id: parsed.id, result: args } : { arguments: args, result: 'success' };
      const body = override && 'body' in override ? override.body : JSON.stringify(answer);
      return { kind: 'answer', body, contentType: 'application/json' };
    },
  });
  return { url: `http://${server.host}:${server.port}/transmission/rpc`, server, calls, close: () => server.close() };
}
