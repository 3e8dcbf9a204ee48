import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransmissionClient } from '../../../electron/core/clients/transmission/client';
import type { ErrorCode } from '../../../electron/shared/errors';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { rejectionOf } from '../../helpers/errors';
import { ACCEPTED_HOSTILE_CODES, hostileCliArgs, runHostileAction, type HostileAction } from '../../helpers/hostile/actions';
import { deepJson } from '../../helpers/hostile/server';
import { HEALTHY_SESSION, healthyField, startFakeTransmission, type FakeTransmission, type TransmissionCallSeen, type TransmissionOverride } from '../../helpers/hostile/transmission';

// Transmission RPC servers (with the real 409 session-id handshake) that answer the wrong
// thing: the client ends every call in a typed error naming what was wrong, never a TypeError
// or "No torrents.", and the CLI exits 3 with one line saying so.

const HASH = 'b'.repeat(40);
const TORRENT = { hashString: HASH, name: 'fake two' };
const MAGNET = `magnet:?xt=urn:btih:${'d'.repeat(40)}`;
const TIMEOUT_MS = 2000;


/** Filled in per call (the answer depends on the fields asked for). */
type Dynamic = (call: TransmissionCallSeen) => TransmissionOverride;

interface Case {
  name: string;
  action: HostileAction;
  /** The method (as sent on the wire) whose answer is hostile. */
  on: string;
  override: TransmissionOverride | Dynamic;
  /** Speak to it as Transmission 4.1.0 final (JSON-RPC 2.0, rpc-version 18, snake_case names). */
  snake?: boolean;
  code?: ErrorCode;
  message: RegExp;
}

/** A torrent-get answer for `fields` whose one torrent has `field` replaced by `value`. */
function torrentsWith(fields: readonly string[], field: string, value: unknown): unknown {
  return { torrents: [fields, fields.map((name) => (name === field ? value : healthyField(name, TORRENT, 0)))] };
}

const withTorrentField = (field: string, value: unknown): Dynamic => (call) => ({ arguments: torrentsWith(call.arguments['fields'] as string[], field, value) });

const CASES: Case[] = [
  { name: 'torrents that are an object', action: 'list', on: 'torrent-get', override: { arguments: { torrents: { [HASH]: {} } } }, message: /Transmission answered torrent-get field torrents with an object, expected a list/ },
  { name: 'torrents that are a string', action: 'list', on: 'torrent-get', override: { arguments: { torrents: 'none' } }, message: /torrent-get field torrents with a string, expected a list/ },
  { name: 'no torrents at all', action: 'list', on: 'torrent-get', override: { arguments: {} }, message: /torrent-get field torrents with nothing, expected a list/ },
  { name: 'a name that is an object', action: 'list', on: 'torrent-get', override: withTorrentField('name', { evil: 1 }), message: /torrent-get torrent 0 field name with an object, expected a string/ },
  { name: 'an empty hash', action: 'list', on: 'torrent-get', override: withTorrentField('hashString', ''), message: /torrent 0 field hashString with an empty string, expected a torrent id \(40 hexadecimal digits\)/ },
  { name: 'a status that is null', action: 'list', on: 'torrent-get', override: withTorrentField('status', null), message: /torrent 0 field status with null, expected an integer/ },
  { name: 'a tracker whose announce is a number', action: 'list', on: 'torrent-get', override: withTorrentField('trackerStats', [{ ...(healthyField('trackerStats', TORRENT, 0) as object[])[0], announce: 5 }]), message: /torrent 0 field trackerStats\[0\]\.announce with an integer, expected a string/ },
  { name: 'labels nested 100 000 deep', action: 'list', on: 'torrent-get', override: { body: `{"arguments":{"torrents":[["labels"],[${deepJson(100_000)}]]},"result":"success"}` }, message: /without the field|labels\[0\] with a list of 1 item, expected a string/ },
  { name: 'a torrent row that is null', action: 'list', on: 'torrent-get', override: (call) => ({ arguments: { torrents: [call.arguments['fields'], null] } }), message: /torrent-get torrent 0 with null, expected a row of 25 fields/ },
  { name: 'a torrent row too short', action: 'list', on: 'torrent-get', override: (call) => ({ arguments: { torrents: [call.arguments['fields'], [1, HASH, 'x']] } }), message: /torrent-get torrent 0 with 3 fields, expected 25/ },
  { name: 'a column missing', action: 'list', on: 'torrent-get', override: (call) => ({ arguments: { torrents: [(call.arguments['fields'] as string[]).filter((field) => field !== 'eta')] } }), message: /torrent-get without the field eta/ },
  { name: 'removed ids that are strings', action: 'list', on: 'torrent-get', override: (call) => ({ arguments: { ...(torrentsWith(call.arguments['fields'] as string[], 'name', 'ok') as object), removed: ['x'] } }), message: /torrent-get field removed\[0\] with a string, expected an integer/ },
  { name: 'files that are an object', action: 'details', on: 'torrent-get', override: withTorrentField('files', { 0: {} }), message: /torrent 0 field files with an object, expected a list/ },
  { name: 'a peer port that is a string', action: 'details', on: 'torrent-get', override: withTorrentField('peers', [{ address: '1.2.3.4', port: '80', clientName: 'x', progress: 0, rateToClient: 0, rateToPeer: 0 }]), message: /field peers\[0\]\.port with a string, expected an integer/ },
  { name: 'an rpc-version that is a huge string', action: 'version', on: 'session-get', override: { arguments: { ...HEALTHY_SESSION, 'rpc-version': '1'.repeat(1_000_000) } }, message: /session-get field rpc-version with a string of 1000000 characters, expected an integer/ },
  { name: 'a session without a version', action: 'version', on: 'session-get', override: { arguments: { 'rpc-version': 16 } }, message: /session-get field version with nothing, expected a string/ },
  { name: 'a session without units', action: 'version', on: 'session-get', override: { arguments: { version: '3.00', 'rpc-version': 16 } }, message: /session-get field units with nothing, expected an object/ },
  { name: 'session arguments that are a list', action: 'version', on: 'session-get', override: { arguments: [HEALTHY_SESSION] }, message: /session-get field arguments with a list of 1 item, expected an object\./ },
  { name: 'a result that is a number', action: 'version', on: 'session-get', override: { body: '{"result":0,"arguments":{}}' }, message: /did not answer with Transmission's JSON/ },
  { name: 'a limit switch that is a string', action: 'limits', on: 'session-get', override: { arguments: { ...HEALTHY_SESSION, 'speed-limit-down-enabled': 'yes' } }, message: /session-get field speed-limit-down-enabled with a string, expected true or false/ },
  { name: 'a speed that is null', action: 'stats', on: 'session-stats', override: { arguments: { downloadSpeed: null, uploadSpeed: 0 } }, message: /session-stats field downloadSpeed with null, expected a number/ },
  { name: 'free space that is a string', action: 'stats', on: 'free-space', override: { arguments: { path: '/downloads', 'size-bytes': 'lots' } }, message: /free-space field size-bytes with a string, expected a number/ },
  { name: 'an add that says nothing', action: 'add', on: 'torrent-add', override: { arguments: {} }, message: /torrent-add with an object, expected an object with torrent-added or torrent-duplicate/ },
  { name: 'an added hash that is a number', action: 'add', on: 'torrent-add', override: { arguments: { 'torrent-added': { id: 1, hashString: 7, name: 'x' } } }, message: /torrent-add field torrent-added\.hashString with an integer, expected a string/ },
  { name: 'a start answered with a string', action: 'start', on: 'torrent-start', override: { arguments: 'started' }, message: /torrent-start field arguments with a string, expected an object/ },
  { name: 'a 4.1 answer nested 100 000 deep', action: 'list', on: 'torrent_get', snake: true, override: (call) => ({ body: `{"jsonrpc":"2.0","id":${JSON.stringify(call.id)},"result":{"torrents":${deepJson(100_000)}}}` }), message: /nested deeper than 64 levels/ },
  { name: 'a 4.1 torrent row of the wrong type', action: 'list', on: 'torrent_get', snake: true, override: (call) => ({ arguments: { torrents: [call.arguments['fields'], (call.arguments['fields'] as string[]).map((field) => (field === 'hash_string' ? 42 : 0))] } }), message: /torrent 0 field (hashString|id|name)/ },
  { name: 'garbage bytes as the body', action: 'list', on: 'torrent-get', override: { body: '\u0000\u00ff\u001b[2J garbage' }, message: /did not answer with Transmission's JSON/ },
  { name: 'a body cut off half way', action: 'list', on: 'torrent-get', override: { whole: { kind: 'truncated', body: '{"arguments":{"torrents":[]},"result":"success"}', sendBytes: 20, contentType: 'application/json' } }, code: 'connection-lost', message: /./ },
  { name: 'a reset in the middle of the answer', action: 'list', on: 'torrent-get', override: { whole: { kind: 'reset', after: 'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{"argu' } }, code: 'connection-lost', message: /./ },
  { name: 'a session id refused again and again', action: 'list', on: 'torrent-get', override: { whole: { kind: 'answer', status: 409, body: '', headers: { 'X-Transmission-Session-Id': 'another' } } }, message: /keeps refusing the session id/ },
  { name: 'no answer at all', action: 'list', on: 'torrent-get', override: { whole: { kind: 'silent' } }, code: 'timeout', message: /./ },
];

const SNAKE_SESSION = { version: '4.1.0 (fake)', rpc_version: 18, download_dir: '/downloads', units: { speed_bytes: 1000 } };

let fake: FakeTransmission;
let current: Case | undefined;

beforeAll(async () => {
  expectCliBuilt();
  fake = await startFakeTransmission({
    torrents: [TORRENT],
    jsonRpc: () => current?.snake === true,
    hostile: (call) => {
      if (current?.snake && call.method === 'session_get') return { arguments: SNAKE_SESSION };
      if (!current || call.method !== current.on) return undefined;
      return typeof current.override === 'function' ? current.override(call) : current.override;
    },
  });
});
afterAll(async () => fake?.close());

describe('a hostile Transmission', () => {
  it('answers healthily when nothing is hostile (the cases below differ only in their one answer)', async () => {
    current = undefined;
    const client = new TransmissionClient({ kind: 'transmission', url: fake.url, transport: { timeoutMs: TIMEOUT_MS } });
    expect((await client.connect()).protocol).toBe('rpc-v16');
    expect((await client.list()).map((torrent) => torrent.id)).toEqual([HASH]);
    expect((await client.details(HASH)).files).toHaveLength(1);
    expect(await client.sessionStats()).toMatchObject({ freeSpaceBytes: 5_000_000 });
    await client.start([HASH]);
    expect(await client.add({ kind: 'magnet', uri: MAGNET })).toBe('c'.repeat(40));
  });

  for (const test of CASES) {
    it(`ends "${test.name}" in a typed error, in the core`, async () => {
      current = test;
      const client = new TransmissionClient({ kind: 'transmission', url: fake.url, transport: { timeoutMs: TIMEOUT_MS } });
      const error = await rejectionOf(runHostileAction(client, test.action, HASH, MAGNET));
      expect(ACCEPTED_HOSTILE_CODES, `${error.code}: ${error.message}`).toContain(error.code);
      if (test.code) expect(error.code).toBe(test.code);
      expect(error.message).toMatch(test.message);
      expect(error.message.length).toBeLessThan(400);
    });
  }
});

describe('the seedbox command against a hostile Transmission', () => {
  for (const test of CASES) {
    it(`exits 3 with one line for "${test.name}"`, async () => {
      current = test;
      const run = await runSeedbox(['--client', 'transmission', '--url', fake.url, '--timeout', String(TIMEOUT_MS / 1000), ...hostileCliArgs(test.action, HASH, MAGNET)]);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^seedbox: [^\n]+\n$/);
      expect(run.stderr).toMatch(test.message);
      expect(run.code, run.stderr).toBe(3);
    });
  }
});
