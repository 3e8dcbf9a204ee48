import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import type { ErrorCode } from '../../../electron/shared/errors';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { rejectionOf } from '../../helpers/errors';
import { ACCEPTED_HOSTILE_CODES, hostileCliArgs, runHostileAction, type HostileAction } from '../../helpers/hostile/actions';
import { startFakeRtorrent, type FakeRtorrent, type Override, type RpcCallSeen } from '../../helpers/hostile/rtorrent';
import { deepJson, deepXmlValue } from '../../helpers/hostile/server';

// rTorrent servers that answer the wrong thing, over real loopback SCGI, in both dialects: the
// client must end every call in a typed error naming what was wrong (never a TypeError, a
// RangeError or a list of empty rows), and the CLI must exit 3 with one line saying so.

const HASH = 'A'.repeat(40);
const MAGNET = `magnet:?xt=urn:btih:${'D'.repeat(40)}&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa`;
const TIMEOUT_MS = 2000;


interface Case {
  name: string;
  action: HostileAction;
  /** The override for the one call this case is about. */
  on: string;
  override: Override;
  /** Only for this dialect (both by default). */
  dialect?: 'xmlrpc' | 'jsonrpc';
  code?: ErrorCode;
  message: RegExp;
}

const LIST_ROW_LENGTH = 25;
/** A healthy list row with one field replaced (index 1 is the name, 0 the hash). */
function row(index: number, value: unknown): unknown[] {
  const cells: unknown[] = [HASH, 'name', ...Array.from({ length: LIST_ROW_LENGTH - 2 }, () => 0)];
  for (const at of [17, 18, 20, 23, 24]) cells[at] = ''; // custom1, directory, addtime, message, trackers
  cells[index] = value;
  return cells;
}

const CASES: Case[] = [
  { name: 'a list row whose name is an object', action: 'list', on: 'd.multicall2', override: { value: [row(1, { evil: 1 })] }, message: /rTorrent answered d\.multicall2 row 0 field d\.name with an object, expected a string/ },
  { name: 'a list row whose hash is empty', action: 'list', on: 'd.multicall2', override: { value: [row(0, '')] }, message: /d\.multicall2 row 0 field d\.hash with an empty string, expected a torrent id \(40 hexadecimal digits\)/ },
  { name: 'a list row whose size is a string', action: 'list', on: 'd.multicall2', override: { value: [row(7, 'big')] }, message: /row 0 field d\.size_bytes with a string, expected an integer/ },
  { name: 'a list row with fields missing', action: 'list', on: 'd.multicall2', override: { value: [[HASH, 'name', 0]] }, message: /d\.multicall2 row 0 with 3 fields, expected 25/ },
  { name: 'a list row that is null', action: 'list', on: 'd.multicall2', override: { value: [null] }, message: /d\.multicall2 row 0 .*null/ },
  { name: 'a list row that is a struct', action: 'list', on: 'd.multicall2', override: { value: [{ hash: HASH }] }, message: /d\.multicall2 row 0/ },
  { name: 'a list that is a struct', action: 'list', on: 'd.multicall2', override: { value: { torrents: [] } }, message: /list of rows|d\.multicall2 with an object/ },
  { name: 'a list that is a string', action: 'list', on: 'd.multicall2', override: { value: 'no' }, message: /list of rows|d\.multicall2 with a string/ },
  { name: 'a list nested 100 000 deep', action: 'list', on: 'd.multicall2', override: { raw: '' }, message: /nested deeper|maximum nested/i },
  { name: 'a version that is a list', action: 'version', on: 'system.client_version', override: { value: ['0.9.8'] }, message: /system\.client_version with a list of 1 item, expected a string/ },
  { name: 'a size limit that is a huge string', action: 'version', on: 'network.xmlrpc.size_limit', override: { value: 'x'.repeat(1_000_000) }, message: /network\.xmlrpc\.size_limit with a string of 1000000 characters, expected an integer/ },
  { name: 'a method list of integers', action: 'version', on: 'system.listMethods', override: { value: [1, 2, 3] }, message: /system\.listMethods field \[0\] with an integer, expected a string/ },
  { name: 'a method list that is a struct', action: 'version', on: 'system.listMethods', override: { value: { methods: [] } }, dialect: 'xmlrpc', message: /system\.listMethods with an object, expected a list/ },
  { name: 'a version nested 100 000 deep', action: 'version', on: 'system.client_version', override: { raw: '' }, message: /nested deeper|maximum nested/i },
  { name: 'a file row whose path is a list', action: 'details', on: 'f.multicall', override: { value: [[['a'], 1, 0, 1, 1]] }, message: /f\.multicall row 0 field f\.path with a list of 1 item, expected a string/ },
  { name: 'peers that are a string', action: 'details', on: 'p.multicall', override: { value: 'none' }, message: /p\.multicall with a string, expected a list of rows/ },
  { name: 'a tracker row of null', action: 'details', on: 't.multicall', override: { value: [null] }, message: /t\.multicall row 0 with null/ },
  { name: 'a chunk size that is a struct', action: 'details', on: 'd.chunk_size', override: { value: { size: 1 } }, message: /d\.chunk_size with an object, expected an integer/ },
  { name: 'a rate that is a string', action: 'stats', on: 'throttle.global_down.rate', override: { value: 'fast' }, message: /throttle\.global_down\.rate with a string, expected an integer/ },
  { name: 'a rate nested 100 000 deep', action: 'stats', on: 'throttle.global_up.rate', override: { raw: '' }, message: /nested deeper|maximum nested/i },
  { name: 'a limit that is null', action: 'limits', on: 'throttle.global_up.max_rate', override: { value: null }, message: /throttle\.global_up\.max_rate with null, expected an integer/ },
  { name: 'a start answered with a list', action: 'start', on: 'd.start', override: { value: [1, 2] }, message: /d\.start with a list of 2 items, expected an integer or a string/ },
  { name: 'an id check answered with an integer', action: 'start', on: 'd.hash', override: { value: 7 }, message: /d\.hash with an integer, expected a string/ },
  { name: 'a load answered with a struct', action: 'add', on: 'load.normal', override: { value: { ok: true } }, message: /load\.normal with an object/ },
  { name: 'garbage bytes instead of an answer', action: 'list', on: 'd.multicall2', override: { whole: { kind: 'bytes', bytes: Buffer.from([0xff, 0x00, 0x13, 0x37, 0xfe, 0x0a, 0x0d, 0x0a]) } }, message: /./ },
  { name: 'a body cut off half way', action: 'list', on: 'd.multicall2', override: { whole: { kind: 'truncated', body: 'x'.repeat(4000), sendBytes: 1000 } }, code: 'connection-lost', message: /./ },
  { name: 'a reset in the middle of the answer', action: 'stats', on: 'throttle.global_down.rate', override: { whole: { kind: 'reset', after: 'Status: 200 OK\r\nContent-Length: 900\r\n\r\n<?xml' } }, code: 'connection-lost', message: /./ },
  { name: 'no answer at all', action: 'list', on: 'd.multicall2', override: { whole: { kind: 'silent' } }, code: 'timeout', message: /./ },
];

/** The deep-nesting cases' raw text, per dialect (too large to keep in the table above). */
function withDeepNesting(test: Case, dialect: 'xmlrpc' | 'jsonrpc'): Override {
  if (!('raw' in test.override)) return test.override;
  return { raw: dialect === 'xmlrpc' ? deepXmlValue(100_000) : deepJson(100_000) };
}

for (const dialect of ['xmlrpc', 'jsonrpc'] as const) {
  describe(`a hostile rTorrent speaking ${dialect}`, () => {
    let fake: FakeRtorrent;
    let current: { on: string; override: Override } | undefined;

    beforeAll(async () => {
      fake = await startFakeRtorrent({
        dialect,
        hostile: (call: RpcCallSeen) => (current && call.method === current.on ? current.override : undefined),
      });
    });
    afterAll(async () => fake?.close());

    it('answers healthily when nothing is hostile (the cases below differ only in their one call)', async () => {
      current = undefined;
      const client = new RtorrentClient({ kind: 'rtorrent', url: fake.url, transport: { timeoutMs: TIMEOUT_MS } });
      expect((await client.connect()).protocol).toBe(dialect);
      expect((await client.list()).map((torrent) => torrent.id)).toEqual([HASH.toLowerCase()]);
      expect((await client.details(HASH)).files).toEqual([]);
      expect(await client.sessionStats()).toMatchObject({ downRate: 0, upRate: 0 });
      await client.start([HASH]);
    });

    for (const test of CASES.filter((each) => each.dialect === undefined || each.dialect === dialect)) {
      it(`ends "${test.name}" in a typed error, in the core`, async () => {
        current = { on: test.on, override: withDeepNesting(test, dialect) };
        const client = new RtorrentClient({ kind: 'rtorrent', url: fake.url, transport: { timeoutMs: TIMEOUT_MS } });
        const error = await rejectionOf(runHostileAction(client, test.action, HASH, MAGNET));
        expect(ACCEPTED_HOSTILE_CODES, `${error.code}: ${error.message}`).toContain(error.code);
        if (test.code) expect(error.code).toBe(test.code);
        expect(error.message).toMatch(test.message);
        expect(error.message.length).toBeLessThan(400);
      });
    }
  });
}

describe('the seedbox command against hostile rTorrents', () => {
  let fakes: Record<'xmlrpc' | 'jsonrpc', FakeRtorrent>;
  let current: { on: string; override: Override } | undefined;

  beforeAll(async () => {
    expectCliBuilt();
    const hostile = (call: RpcCallSeen): Override | undefined => (current && call.method === current.on ? current.override : undefined);
    fakes = { xmlrpc: await startFakeRtorrent({ dialect: 'xmlrpc', hostile }), jsonrpc: await startFakeRtorrent({ dialect: 'jsonrpc', hostile }) };
  });
  afterAll(async () => Promise.all(Object.values(fakes ?? {}).map((fake) => fake.close())));

  for (const dialect of ['xmlrpc', 'jsonrpc'] as const) {
    for (const test of CASES.filter((each) => each.dialect === undefined || each.dialect === dialect)) {
      it(`exits 3 with one line for "${test.name}" (${dialect})`, async () => {
        current = { on: test.on, override: withDeepNesting(test, dialect) };
        const run = await runSeedbox(['--url', fakes[dialect].url, '--timeout', String(TIMEOUT_MS / 1000), ...hostileCliArgs(test.action, HASH, MAGNET)]);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^seedbox: [^\n]+\n$/);
        expect(run.stderr).toMatch(test.message);
        expect(run.code, run.stderr).toBe(3);
      });
    }
  }
});
