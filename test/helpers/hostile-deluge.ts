// A hostile Deluge daemon for the tests: a real TLS server (a self-signed certificate made by
// openssl) speaking Deluge 2's real framing (version byte, length, zlib(rencode)), honest about
// everything but one method, which it answers with the wrong shape, a bomb, garbage, a reset,
// a truncated frame or nothing at all. HOSTILE_DELUGE_CASES lists the cases; the core tests
// (test/unit/core/deluge/hostile.test.ts) and the CLI tests (test/live/cli/hostile-deluge-cli.test.ts)
// run every one of them.
import zlib from 'node:zlib';
import type { DelugeClient } from '../../electron/core/clients/deluge/client';
import { encodeRencode, type RencodeValue } from '../../electron/core/codecs/rencode';
import type { ErrorCode } from '../../electron/shared/errors';
import { frame, startFakeDaemon, type FakeDaemon, type FakeRequest, type FakeSession } from '../unit/core/deluge/fake-daemon';
import type { KeyPair } from '../unit/core/transports/fixtures';
import { rencodeDistinctKeys, rencodeList } from './rencode-bombs';

export const HOSTILE_USER = 'seeder';
export const HOSTILE_PASSWORD = 'hostile-test-password';
/** The one torrent the honest answers know. */
export const TORRENT_ID = '6e3ac10792fb8bd2819ea62d560404c3ed3796a7';
const MAGNET = `magnet:?xt=urn:btih:${'ab'.repeat(20)}&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa`;

/** A whole list row, as deluged 2.0.3 answers it (test/fixtures/deluge/list.json). */
export function honestRow(): Record<string, RencodeValue> {
  return {
    hash: TORRENT_ID,
    name: 'honest torrent',
    state: 'Paused',
    total_wanted: 30_000,
    total_remaining: 30_000,
    total_uploaded: 0,
    all_time_download: 0,
    ratio: -1,
    download_payload_rate: 0,
    upload_payload_rate: 0,
    eta: 0,
    num_peers: 0,
    total_peers: -1,
    num_seeds: 0,
    total_seeds: -1,
    save_path: '/srv/data',
    time_added: 1_795_241_242,
    completed_time: 0,
    tracker_host: '127.0.0.1',
    message: 'OK',
    queue: 0,
    num_pieces: 2,
    is_finished: false,
    seeding_time: 0,
    time_since_transfer: -1,
    private: true,
    tracker_status: '',
    label: 'movies',
  };
}

function honestDetails(): Record<string, RencodeValue> {
  return {
    files: [{ index: 0, path: 'honest torrent', size: 30_000, offset: 0 }],
    file_progress: [0],
    file_priorities: [4],
    peers: [{ client: 'Deluge/2.0.3', country: '', down_speed: 0, ip: '127.0.0.1:6881', progress: 0.5, seed: false, up_speed: 0 }],
    trackers: [{ url: 'http://127.0.0.1:9/announce', tier: 0 }],
    tracker: '',
    tracker_status: '',
  };
}

/** What deluged answers when nothing is broken. */
function honestAnswer(request: FakeRequest): RencodeValue | undefined {
  switch (request.method) {
    case 'daemon.info':
      return '2.0.3';
    case 'daemon.login':
      return 10;
    case 'daemon.set_event_interest':
      return true;
    case 'core.get_enabled_plugins':
      return ['Label'];
    case 'core.get_torrents_status': {
      const [filter, keys] = request.args as [Record<string, RencodeValue>, string[]];
      const ids = Array.isArray(filter['id']) ? (filter['id'] as string[]) : [TORRENT_ID];
      if (!ids.includes(TORRENT_ID)) return {};
      // The list asks for `trackers` (its hosts) apart from the row.
      const row: Record<string, RencodeValue> = { ...honestRow(), trackers: honestDetails()['trackers']! };
      return { [TORRENT_ID]: Object.fromEntries(keys.filter((key) => key in row).map((key) => [key, row[key]!])) };
    }
    case 'core.get_torrent_status': {
      const [, keys] = request.args as [string, string[]];
      const details = honestDetails();
      return Object.fromEntries(keys.map((key) => [key, details[key]!]));
    }
    case 'core.remove_torrents':
    case 'label.get_labels':
      return [];
    case 'core.get_config_values':
      return { max_download_speed: -1, max_upload_speed: 97.65625 };
    case 'core.get_session_status':
      return { payload_download_rate: 1024, payload_upload_rate: 0 };
    case 'core.get_free_space':
      return 1_000_000_000;
    case 'core.add_torrent_magnet':
      return 'ab'.repeat(20);
    default:
      // The torrent actions, set_config, set_torrent_options, label.add, label.set_torrent.
      return null;
  }
}

/** get_torrents_status answered honestly, except when it asks for the trackers (for the list's hosts). */
export const trackersAnswer =
  (value: RencodeValue): Misbehaviour =>
  (request, session) =>
    session.reply(request.id, (request.args[1] as string[]).includes('trackers') ? value : (honestAnswer(request) ?? null));

/** How the broken method is answered; `prepare` builds (and keeps) its bytes ahead of time. */
export type Misbehaviour = ((request: FakeRequest, session: FakeSession) => void) & { prepare?: () => void };

export const answer =
  (value: RencodeValue): Misbehaviour =>
  (request, session) =>
    session.reply(request.id, value);

/** A frame whose body is zlib(`rencode`), for rencode no JavaScript value encodes to. */
export const rawRencode = (rencode: () => Buffer): Misbehaviour => rawBytes(() => frameAround(zlib.deflateSync(rencode())));

/** These exact bytes on the wire. */
export function rawBytes(bytes: () => Buffer): Misbehaviour {
  const made = once(bytes);
  return Object.assign((_request: FakeRequest, session: FakeSession) => void session.socket.write(made()), { prepare: () => void made() });
}

/** Half of an honest reply, then the connection torn down (no TLS close_notify). */
export const resetMidAnswer: Misbehaviour = (request, session) => {
  const whole = frame([1, request.id, { [TORRENT_ID]: honestRow() }]);
  session.socket.write(whole.subarray(0, whole.length >> 1), () => session.socket.destroy());
};

/** A header announcing 1 000 bytes, ten of them, and the end of the connection. */
export const truncatedFrame: Misbehaviour = (_request, session) => {
  const header = Buffer.from([1, 0, 0, 0x03, 0xe8]);
  session.socket.end(Buffer.concat([header, Buffer.alloc(10, 0x78)]));
};

export const silence: Misbehaviour = () => undefined;

export function frameAround(body: Buffer): Buffer {
  const header = Buffer.from([1, 0, 0, 0, 0]);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Bombs: little on the wire, gigabytes for a decoder without bounds. */
export const BOMBS = {
  /** A list of twelve million one-character strings (24 MB of rencode). */
  manyStrings: once(() => rencodeList([0x81, 0x61], 12_000_000)),
  /** A dict of three million distinct keys. */
  manyKeys: once(() => rencodeDistinctKeys(3_000_000)),
  /** A list of three million empty dicts (about 200 bytes of heap each, one byte of rencode). */
  emptyDicts: once(() => rencodeList([0x66], 3_000_000)),
  /** 200 MB of zeros: about 200 KB once compressed. */
  zeros: once(() => zlib.deflateSync(Buffer.alloc(200 * 1024 * 1024), { level: 9 })),
};

function once(make: () => Buffer): () => Buffer {
  let made: Buffer | undefined;
  return () => (made ??= make());
}

export interface HostileDelugeCase {
  name: string;
  /** The method answered badly; every other method is answered honestly. */
  method: string;
  misbehave: Misbehaviour;
  /** The `seedbox` command that reaches it (after the connection options). */
  command: string[];
  /** The same through the core. */
  call: (client: DelugeClient) => Promise<unknown>;
  /** The typed error it must end in; `field` names the field for a wrong shape. */
  code: ErrorCode;
  field?: string;
  message?: RegExp;
}

const list = { command: ['list'], call: (client: DelugeClient) => client.list() };
const info = { command: ['info', TORRENT_ID], call: (client: DelugeClient) => client.details(TORRENT_ID) };
const version = { command: ['version'], call: (client: DelugeClient) => client.connect() };
const stats = { command: ['stats'], call: (client: DelugeClient) => client.sessionStats() };
const torrentsStatus = 'core.get_torrents_status';
const row = (change: Record<string, RencodeValue>): RencodeValue => ({ [TORRENT_ID]: { ...honestRow(), ...change } });
const withoutKey = (key: string): RencodeValue => {
  const whole = honestRow();
  delete whole[key];
  return { [TORRENT_ID]: whole };
};
const nested = (depth: number): Buffer => Buffer.concat([Buffer.alloc(depth, 0xc1), Buffer.from([0x00])]);

export const HOSTILE_DELUGE_CASES: HostileDelugeCase[] = [
  // Wrong shapes, at every method the client calls.
  { name: 'daemon.info answered with a number', method: 'daemon.info', misbehave: answer(203), ...version, code: 'protocol', field: '(answer)' },
  { name: 'daemon.info answered with a 1 MB string', method: 'daemon.info', misbehave: answer('2'.repeat(1_000_000)), ...version, code: 'protocol', field: '(answer)' },
  { name: 'daemon.login answered with a string', method: 'daemon.login', misbehave: answer('admin'), ...version, code: 'protocol', field: '(answer)' },
  { name: 'core.get_enabled_plugins answered with a dict', method: 'core.get_enabled_plugins', misbehave: answer({ Label: true }), ...version, code: 'protocol', field: '(answer)' },
  { name: 'the torrent list answered as a list', method: torrentsStatus, misbehave: answer([honestRow()]), ...list, code: 'protocol', field: '(answer)', message: /with a list of 1 item, expected an object\./ },
  { name: 'the torrent list answered with None', method: torrentsStatus, misbehave: answer(null), ...list, code: 'protocol', field: '(answer)' },
  { name: 'a row that is a list', method: torrentsStatus, misbehave: answer({ [TORRENT_ID]: [1, 2] }), ...list, code: 'protocol', field: `["${TORRENT_ID}"]` },
  { name: 'a row without its state', method: torrentsStatus, misbehave: answer(withoutKey('state')), ...list, code: 'protocol', field: `["${TORRENT_ID}"].state`, message: /\.state with nothing, expected a string\./ },
  { name: 'a name that is a number', method: torrentsStatus, misbehave: answer(row({ name: 42 })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].name` },
  { name: 'a name that is a dict', method: torrentsStatus, misbehave: answer(row({ name: { toString: 'x' } })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].name` },
  { name: 'a name that is not UTF-8', method: torrentsStatus, misbehave: answer(row({ name: new Uint8Array([0xff, 0xfe, 0x41]) })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].name`, message: /bytes that are not UTF-8/ },
  { name: 'a name of 200 000 characters', method: torrentsStatus, misbehave: answer(row({ name: 'n'.repeat(200_000) })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].name` },
  { name: 'a size that is a string', method: torrentsStatus, misbehave: answer(row({ total_wanted: '30000' })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].total_wanted` },
  { name: 'a size beyond 2^53', method: torrentsStatus, misbehave: answer(row({ total_wanted: 2n ** 62n })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].total_wanted`, message: /integer beyond 2\^53/ },
  { name: 'is_finished that is None', method: torrentsStatus, misbehave: answer(row({ is_finished: null })), ...list, code: 'protocol', field: `["${TORRENT_ID}"].is_finished` },
  { name: 'a key that is not a torrent id', method: torrentsStatus, misbehave: answer({ '\u001b[31mred': honestRow() }), ...list, code: 'protocol', field: '["\\u001b[31mred"]' },
  { name: 'the list’s trackers with a URL that is a number', method: torrentsStatus, misbehave: trackersAnswer({ [TORRENT_ID]: { trackers: [{ url: 9, tier: 0 }] } }), ...list, code: 'protocol', field: `["${TORRENT_ID}"].trackers[0].url` },
  { name: 'the list’s trackers answered as a list', method: torrentsStatus, misbehave: trackersAnswer([]), ...list, code: 'protocol', field: '(answer)' },
  { name: 'a row filed under another id', method: torrentsStatus, misbehave: answer({ ['0'.repeat(40)]: honestRow() }), ...list, code: 'protocol', field: `["${'0'.repeat(40)}"].hash` },
  { name: 'details: files that are a dict', method: 'core.get_torrent_status', misbehave: answer({ ...honestDetails(), files: { 0: 'a' } }), ...info, code: 'protocol', field: 'files' },
  { name: 'details: a peer without its address', method: 'core.get_torrent_status', misbehave: answer({ ...honestDetails(), peers: [{ client: 'x', progress: 0, down_speed: 0, up_speed: 0 }] }), ...info, code: 'protocol', field: 'peers[0].ip' },
  { name: 'details: a tracker whose tier is a string', method: 'core.get_torrent_status', misbehave: answer({ ...honestDetails(), trackers: [{ url: 'http://a/', tier: 'first' }] }), ...info, code: 'protocol', field: 'trackers[0].tier' },
  { name: 'remove answered with a dict', method: 'core.remove_torrents', misbehave: answer({ [TORRENT_ID]: 'removed' }), command: ['remove', TORRENT_ID], call: (client) => client.remove([TORRENT_ID], { deleteData: false }), code: 'protocol', field: '(answer)' },
  { name: 'remove answered with errors of the wrong shape', method: 'core.remove_torrents', misbehave: answer([[TORRENT_ID]]), command: ['remove', TORRENT_ID], call: (client) => client.remove([TORRENT_ID], { deleteData: false }), code: 'protocol', field: '[0]' },
  { name: 'pause answered with True', method: 'core.pause_torrents', misbehave: answer(true), command: ['stop', TORRENT_ID], call: (client) => client.stop([TORRENT_ID]), code: 'protocol', field: '(answer)' },
  { name: 'add answered with a number', method: 'core.add_torrent_magnet', misbehave: answer(12), command: ['add', MAGNET], call: (client) => client.add({ kind: 'magnet', uri: MAGNET }), code: 'protocol', field: '(answer)' },
  { name: 'limits answered with strings', method: 'core.get_config_values', misbehave: answer({ max_download_speed: 'fast', max_upload_speed: 1 }), command: ['limits'], call: (client) => client.getGlobalSpeedLimits(), code: 'protocol', field: 'max_download_speed' },
  { name: 'session status answered as a list', method: 'core.get_session_status', misbehave: answer([1, 2]), ...stats, code: 'protocol', field: '(answer)' },
  { name: 'free space answered with a string', method: 'core.get_free_space', misbehave: answer('lots'), ...stats, code: 'protocol', field: '(answer)' },
  { name: 'label.get_labels answered with None', method: 'label.get_labels', misbehave: answer(null), command: ['label', TORRENT_ID, '--set', 'music'], call: (client) => client.setLabels([TORRENT_ID], ['music']), code: 'protocol', field: '(answer)' },
  // Bombs: refused within bounds, whatever they would grow to.
  { name: 'a list of twelve million short strings', method: torrentsStatus, misbehave: rawRencode(BOMBS.manyStrings), ...list, code: 'response-too-large', message: /MiB of memory|more than 4194304 values/ },
  { name: 'a dict of three million keys', method: torrentsStatus, misbehave: rawRencode(BOMBS.manyKeys), ...list, code: 'response-too-large', message: /MiB of memory|more than 4194304 values/ },
  { name: 'three million empty dicts', method: torrentsStatus, misbehave: rawRencode(BOMBS.emptyDicts), ...list, code: 'response-too-large', message: /MiB of memory|more than 4194304 values/ },
  { name: 'a run of zeros after inflating', method: torrentsStatus, misbehave: rawBytes(() => frameAround(BOMBS.zeros())), ...list, code: 'response-too-large', message: /once decompressed/ },
  { name: 'nesting a hundred thousand deep', method: torrentsStatus, misbehave: rawRencode(() => nested(100_000)), ...list, code: 'protocol', message: /deeper than 64/ },
  { name: 'a frame announcing 4 GB', method: torrentsStatus, misbehave: rawBytes(() => Buffer.from([1, 0xff, 0xff, 0xff, 0xff])), ...list, code: 'response-too-large' },
  // Garbage, truncation, resets and silence.
  { name: 'garbage instead of a frame', method: torrentsStatus, misbehave: rawBytes(() => Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')), ...list, code: 'protocol', message: /not a Deluge 2 message/ },
  { name: 'a body that is not zlib', method: torrentsStatus, misbehave: rawBytes(() => frameAround(Buffer.from('not zlib at all'))), ...list, code: 'protocol', message: /does not decompress/ },
  { name: 'a body that is not rencode', method: torrentsStatus, misbehave: rawBytes(() => frameAround(zlib.deflateSync(Buffer.from([0x3b, 0x01, 0x02])))), ...list, code: 'protocol', message: /malformed rencode/ },
  { name: 'a reply that is not a (type, id, value) list', method: torrentsStatus, misbehave: rawBytes(() => frameAround(zlib.deflateSync(encodeRencode({ 1: 2 })))), ...list, code: 'protocol', message: /malformed message/ },
  { name: 'a truncated frame, then the end', method: torrentsStatus, misbehave: truncatedFrame, ...list, code: 'connection-lost' },
  { name: 'a reset in the middle of the answer', method: torrentsStatus, misbehave: resetMidAnswer, ...list, code: 'connection-lost' },
  { name: 'no answer at all', method: torrentsStatus, misbehave: silence, ...list, code: 'timeout' },
];

export interface HostileDeluge {
  port: number;
  daemon: FakeDaemon;
}

/** Starts the daemon, honest except for `broken.method`. */
export async function startHostileDeluge(pair: KeyPair, broken?: Pick<HostileDelugeCase, 'method' | 'misbehave'>): Promise<HostileDeluge> {
  const daemon = await startFakeDaemon(pair, (request, session) => {
    if (request.method === broken?.method) broken.misbehave(request, session);
    else session.reply(request.id, honestAnswer(request) ?? null);
  });
  return { port: daemon.port, daemon };
}
