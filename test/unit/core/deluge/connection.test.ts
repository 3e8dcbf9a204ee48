import zlib from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelugeConnection, mapDelugeException, type DelugeConnectionOptions } from '../../../../electron/core/clients/deluge/connection';
import type { RencodeValue } from '../../../../electron/core/codecs/rencode';
import type { SeedboxError } from '../../../../electron/shared/errors';
import { rejectionOf } from '../../../helpers/errors';
import { closeAllServers, closedPort, makeCertificates, type TestCertificates } from '../transports/fixtures';
import { frame, startFakeDaemon, type FakeDaemon, type FakeRequest, type FakeSession } from './fake-daemon';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});

const connections: DelugeConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) connection.close();
  await closeAllServers();
});

async function connect(daemon: FakeDaemon, options: Partial<DelugeConnectionOptions> = {}): Promise<DelugeConnection> {
  const connection = await DelugeConnection.open({
    host: '127.0.0.1',
    port: daemon.port,
    tls: { pinnedSha256: certs.selfSigned.fingerprint },
    timeoutMs: 5_000,
    ...options,
  });
  connections.push(connection);
  return connection;
}

async function fakeWith(handle: (request: FakeRequest, session: FakeSession) => void): Promise<FakeDaemon> {
  return startFakeDaemon(certs.selfSigned, handle);
}

/** A frame around an arbitrary body. */
function frameOf(body: Buffer): Buffer {
  const header = Buffer.from([1, 0, 0, 0, 0]);
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - started };
}

describe('DelugeConnection requests and replies', () => {
  it('sends the exact frame Deluge expects and reads the reply', async () => {
    const daemon = await fakeWith((request, session) => session.reply(request.id, '2.0.3'));
    const connection = await connect(daemon);
    expect(await connection.info()).toBe('2.0.3');
    // daemons.md: ((1, "daemon.info", [], {}),) rencodes to c1c4018b6461656d6f6e2e696e666fc066.
    const [sent] = daemon.frames;
    expect(sent?.[0]).toBe(1);
    expect(sent!.readUInt32BE(1)).toBe(sent!.length - 5);
    expect(zlib.inflateSync(sent!.subarray(5)).toString('hex')).toBe('c1c4018b6461656d6f6e2e696e666fc066');
  });

  it('logs in with a client_version and returns the auth level', async () => {
    const daemon = await fakeWith((request, session) => {
      const [user, password] = request.args;
      if (request.kwargs['client_version'] === undefined) session.error(request.id, 'IncompatibleClient', ['2.0.3']);
      else if (user === 'seeder' && password === 'pw') session.reply(request.id, 10);
      else session.error(request.id, 'BadLoginError', ['Password does not match', user!]);
    });
    const connection = await connect(daemon, { clientVersion: 'seedbox-remote 9.9.9' });
    expect(await connection.login('seeder', 'pw')).toBe(10);
    expect(daemon.requests[0]).toMatchObject({ method: 'daemon.login', args: ['seeder', 'pw'], kwargs: { client_version: 'seedbox-remote 9.9.9' } });
    const error = await rejectionOf(connection.login('seeder', 'wrong secret'));
    expect(error.code).toBe('auth-failed');
    expect(error.message).toContain('Password does not match');
    expect(error.message).not.toContain('wrong secret');
    expect(error.message).not.toContain('Traceback');
    expect(error.details).toMatchObject({ exception: 'BadLoginError', method: 'daemon.login' });
  });

  it('matches many calls in flight answered out of order', async () => {
    const held: FakeRequest[] = [];
    const daemon = await fakeWith((request, s) => {
      held.push(request);
      if (held.length === 50) for (const r of [...held].reverse()) s.reply(r.id, [r.method, r.args[0]!]);
    });
    const connection = await connect(daemon);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => connection.call(`test.m${i}`, [i])));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => [`test.m${i}`, i]));
    expect(new Set(daemon.requests.map((r) => r.id)).size).toBe(50);
  });

  it('reassembles replies split into single bytes and several packed in one chunk', async () => {
    const daemon = await fakeWith((request, session) => {
      const bytes = frame([1, request.id, `split ${'x'.repeat(100)}`]);
      if (request.method === 'split') {
        void (async () => {
          for (let i = 0; i < bytes.length; i++) {
            session.socket.write(bytes.subarray(i, i + 1));
            if (i % 8 === 0) await sleep(1);
          }
        })();
      }
    });
    const connection = await connect(daemon);
    expect(await connection.call('split')).toBe(`split ${'x'.repeat(100)}`);

    const packed = await fakeWith(() => {});
    const second = await connect(packed);
    const calls = [second.call('a'), second.call('b'), second.call('c')];
    await sleep(50);
    const ids = packed.requests.map((r) => r.id);
    packed.sessions[0]!.socket.write(Buffer.concat([frame([3, 'SomeEvent', []]), ...ids.map((id, i) => frame([1, id, i]))]));
    expect(await Promise.all(calls)).toEqual([0, 1, 2]);
  });

  it('sends a batch in one frame and returns each result, failures included', async () => {
    const daemon = await fakeWith((request, session) => {
      if (request.method === 'core.bad') session.error(request.id, 'InvalidTorrentError', ['Torrent not found']);
      else session.reply(request.id, request.method);
    });
    const connection = await connect(daemon);
    const results = await connection.callBatch([
      { method: 'core.one' },
      { method: 'core.bad', args: ['abc'] },
      { method: 'core.three', args: [1], kwargs: { k: true } },
    ]);
    expect(daemon.frameSizes).toEqual([3]);
    expect(daemon.requests[2]).toMatchObject({ args: [1], kwargs: { k: true } });
    expect(results[0]).toEqual({ ok: true, value: 'core.one' });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'invalid-torrent' } });
    expect(results[2]).toEqual({ ok: true, value: 'core.three' });
    expect(await connection.callBatch([])).toEqual([]);
  });

  it('delivers events and asks for them with daemon.set_event_interest', async () => {
    const daemon = await fakeWith((request, session) => {
      session.reply(request.id, true);
      session.event('TorrentAddedEvent', ['0123456789abcdef0123456789abcdef01234567', false]);
    });
    const connection = await connect(daemon);
    const events: Array<[string, RencodeValue[]]> = [];
    const stop = connection.onEvent((name, args) => events.push([name, args]));
    connection.onEvent(() => {
      throw new Error('a broken listener must not matter');
    });
    await connection.setEventInterest(['TorrentAddedEvent', 'TorrentRemovedEvent']);
    expect(daemon.requests[0]).toMatchObject({ method: 'daemon.set_event_interest', args: [['TorrentAddedEvent', 'TorrentRemovedEvent']] });
    await sleep(20);
    expect(events).toEqual([['TorrentAddedEvent', ['0123456789abcdef0123456789abcdef01234567', false]]]);
    stop();
    await connection.call('again');
    await sleep(20);
    expect(events).toHaveLength(1);
  });
});

describe('DelugeConnection errors from the daemon', () => {
  const cases: Array<[name: string, args: RencodeValue[], code: SeedboxError['code'], fragment: string]> = [
    ['BadLoginError', ['Username does not exist', 'nobody'], 'auth-failed', 'Username does not exist'],
    ['AuthenticationRequired', ['Password is required', 'seeder'], 'auth-failed', 'Password is required'],
    ['NotAuthorizedError', [1, 5], 'forbidden', "account's level is too low (1; it needs 5)"],
    ['NotAuthorizedError', [0, 5], 'forbidden', 'not logged in'],
    ['InvalidTorrentError', ['Torrent not found'], 'invalid-torrent', 'Torrent not found'],
    ['AddTorrentError', ['Torrent already in session (0123).'], 'already-exists', 'already in session'],
    ['AddTorrentError', ['Torrent already being added (0123).'], 'already-exists', 'already being added'],
    ['AddTorrentError', ['Unable to add torrent to session: x'], 'rpc-fault', 'Unable to add torrent'],
    ['IncompatibleClient', ['2.0.3'], 'unsupported', 'daemon version 2.0.3'],
    ['WrappedException', ["'abc'", 'KeyError', 'Traceback...'], 'rpc-fault', "KeyError: 'abc'"],
    ['WrappedException', ['RPC call on invalid function: label.get_labels', 'AttributeError', 'tb'], 'unsupported', 'is the plugin'],
    ['InvalidPathError', ['Path does not exist'], 'rpc-fault', 'InvalidPathError: Path does not exist'],
  ];

  it.each(cases)('%s %j becomes %s', async (name, args, code, fragment) => {
    const daemon = await fakeWith((request, session) => session.error(request.id, name, args, 'Traceback: SECRET internals'));
    const connection = await connect(daemon);
    const error = await rejectionOf(connection.call('core.something'));
    expect(error.code).toBe(code);
    expect(error.message).toContain(fragment);
    expect(error.message).not.toContain('SECRET');
    expect(error.details).toMatchObject({ exception: name, method: 'core.something' });
  });

  it('maps odd error replies without throwing', () => {
    const error = mapDelugeException({ name: null, args: null, method: 'x', description: 'the Deluge daemon at h:1' });
    expect(error.code).toBe('rpc-fault');
    expect(error.message).toBe('The Deluge daemon at h:1 failed in x: unknown.');
    const long = mapDelugeException({ name: 'X', args: ['y'.repeat(10_000)], method: 'x', description: 'd' });
    expect(long.message.length).toBeLessThan(600);
  });
});

describe('DelugeConnection failures', () => {
  it('times out one call, naming the method, and stays usable', async () => {
    let lateSession: FakeSession | undefined;
    let lateId = 0;
    const daemon = await fakeWith((request, session) => {
      if (request.method === 'core.slow') {
        lateSession = session;
        lateId = request.id;
      } else session.reply(request.id, 'fine');
    });
    const connection = await connect(daemon);
    const { value: error, ms } = await timed(rejectionOf(connection.call('core.slow', [], {}, { timeoutMs: 150 })));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('core.slow');
    expect(error.details).toMatchObject({ method: 'core.slow', timeoutMs: 150 });
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1_000);
    lateSession!.reply(lateId, 'too late'); // ignored
    expect(await connection.call('core.fast')).toBe('fine');
    expect(connection.closed).toBe(false);
  });

  it('rejects every pending call promptly when the daemon drops the connection, and fails later calls fast', async () => {
    const daemon = await fakeWith((request, session) => {
      if (request.method === 'core.drop') setTimeout(() => session.socket.destroy(), 50);
    });
    const connection = await connect(daemon, { timeoutMs: 30_000 });
    const closed: SeedboxError[] = [];
    connection.onClose((error) => closed.push(error));
    const pending = ['core.a', 'core.b', 'core.c'].map((method) => rejectionOf(connection.call(method)));
    const { value: errors, ms } = await timed(Promise.all([...pending, rejectionOf(connection.call('core.drop'))]));
    expect(ms).toBeLessThan(2_000);
    expect(errors.map((e) => e.code)).toEqual(['connection-lost', 'connection-lost', 'connection-lost', 'connection-lost']);
    expect(errors[1]!.message).toContain('core.b');
    expect(errors[1]!.details).toMatchObject({ method: 'core.b' });
    expect(closed).toHaveLength(1);
    expect(connection.closed).toBe(true);
    const { value: later, ms: laterMs } = await timed(rejectionOf(connection.call('core.later')));
    expect(later.code).toBe('connection-lost');
    expect(later.message).toContain('core.later');
    expect(laterMs).toBeLessThan(50);
    const batch = await connection.callBatch([{ method: 'core.x' }]);
    expect(batch[0]).toMatchObject({ ok: false, error: { code: 'connection-lost' } });
  });

  it('close() rejects pending calls and tells onClose', async () => {
    const daemon = await fakeWith(() => {});
    const connection = await connect(daemon);
    const reasons: string[] = [];
    connection.onClose((error) => reasons.push(error.code));
    const pending = rejectionOf(connection.call('core.pending'));
    connection.close();
    expect((await pending).code).toBe('connection-lost');
    expect(reasons).toEqual(['connection-lost']);
  });

  it('refuses a frame larger than the limit without reading it', async () => {
    const daemon = await fakeWith((_request, session) => {
      const header = Buffer.from([1, 0, 0, 0, 0]);
      header.writeUInt32BE(100 * 1024 * 1024, 1);
      session.socket.write(header);
    });
    const connection = await connect(daemon);
    const error = await rejectionOf(connection.call('core.huge'));
    expect(error.code).toBe('response-too-large');
    expect(error.message).toContain('100 MiB');
    expect(error.details).toMatchObject({ method: 'core.huge' });
    expect(connection.closed).toBe(true);
  });

  it('refuses a message that inflates beyond maxResponseBytes', async () => {
    const daemon = await fakeWith((request, session) => session.reply(request.id, 'z'.repeat(200_000)));
    const connection = await connect(daemon, { maxResponseBytes: 100_000 });
    const error = await rejectionOf(connection.call('core.bomb'));
    expect(error.code).toBe('response-too-large');
    expect(error.message).toContain('decompressed');
  });

  it('recognises a Deluge 1.3 daemon', async () => {
    const daemon = await fakeWith((request, session) => session.socket.write(zlib.deflateSync(Buffer.from('anything'))));
    const connection = await connect(daemon);
    const error = await rejectionOf(connection.info());
    expect(error.code).toBe('unsupported');
    expect(error.message).toContain('This is a Deluge 1.x daemon; Seedbox Remote needs Deluge 2.0 or newer.');
  });

  it.each([
    ['an HTTP answer', Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), 'starts with byte 0x48'],
    ['a body that is not zlib', Buffer.from([1, 0, 0, 0, 3, 1, 2, 3]), 'does not decompress'],
    ['zlib that is not rencode', frameOf(zlib.deflateSync(Buffer.from([0x7f]))), 'rencode'],
    ['a reply that is not a list', frame('hello'), 'not a (type, ...) list'],
    ['an unknown message type', frame([9, 1, 2]), 'unknown message type 9'],
  ])('fails with a protocol error on %s', async (_what, bytes, fragment) => {
    const daemon = await fakeWith((_request, session) => session.socket.write(bytes));
    const connection = await connect(daemon);
    const error = await rejectionOf(connection.call('core.any'));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain(fragment);
    expect((await rejectionOf(connection.call('core.after'))).code).toBe('protocol');
  });

  it('reports a refused connection', async () => {
    const error = await rejectionOf(DelugeConnection.open({ host: '127.0.0.1', port: await closedPort(), timeoutMs: 2_000 }));
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain('Deluge daemon');
  });
});

describe('DelugeConnection TLS', () => {
  it('refuses the self-signed certificate without a pin, reporting its fingerprint', async () => {
    const daemon = await startFakeDaemon(certs.selfSigned);
    const error = await rejectionOf(DelugeConnection.open({ host: '127.0.0.1', port: daemon.port }));
    expect(error.code).toBe('tls-untrusted');
    expect(error.details['presented']).toBe(certs.selfSigned.fingerprint);
    expect(error.details['subject']).toContain('CN=localhost');
    expect(error.details['validTo']).toBeTruthy();
    expect(daemon.requests).toHaveLength(0);
  });

  it('accepts the pinned certificate and refuses a changed one', async () => {
    const daemon = await startFakeDaemon(certs.selfSigned);
    const pinned = await connect(daemon, { tls: { pinnedSha256: certs.selfSigned.fingerprint.toLowerCase() } });
    expect(await pinned.info()).toBe('2.0.3');
    const error = await rejectionOf(DelugeConnection.open({ host: '127.0.0.1', port: daemon.port, tls: { pinnedSha256: certs.leaf.fingerprint } }));
    expect(error.code).toBe('tls-pin-mismatch');
    expect(error.details['presented']).toBe(certs.selfSigned.fingerprint);
    expect(daemon.requests).toHaveLength(1);
  });

  it('accepts a certificate from a trusted CA without a pin', async () => {
    const daemon = await startFakeDaemon(certs.leaf);
    const connection = await connect(daemon, { tls: { ca: certs.ca.cert } });
    expect(await connection.info()).toBe('2.0.3');
  });
});
