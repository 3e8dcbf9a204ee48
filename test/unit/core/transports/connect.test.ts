import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BoundedCollector,
  connectDirect,
  describeEndpoint,
  resolveTransportOptions,
  toTransportError,
  withDeadline,
} from '../../../../electron/core/transports/connect';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS } from '../../../../electron/core/transports/types';
import { SeedboxError } from '../../../../electron/shared/errors';
import { closeAllServers, closedPort, listen, makeTempDir } from './fixtures';

afterEach(closeAllServers);

const errno = (code: string, message = code): NodeJS.ErrnoException => Object.assign(new Error(message), { code });

describe('toTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connection-refused'],
    ['ENOENT', 'connection-refused'],
    ['ECONNRESET', 'connection-lost'],
    ['EPIPE', 'connection-lost'],
    ['ENOTFOUND', 'host-unreachable'],
    ['EHOSTUNREACH', 'host-unreachable'],
    ['ENETUNREACH', 'host-unreachable'],
    ['ETIMEDOUT', 'timeout'],
    ['HPE_INVALID_CONSTANT', 'protocol'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls-failed'],
    ['ESOMETHINGELSE', 'connection-lost'],
  ])('maps %s to %s, naming the endpoint', (code, expected) => {
    const error = toTransportError(errno(code), 'scgi://seedbox:5000');
    expect(error.code).toBe(expected);
    expect(error.message).toContain('scgi://seedbox:5000');
    expect(error.details).toMatchObject({ endpoint: 'scgi://seedbox:5000', errno: code });
  });

  it('keeps a SeedboxError as it is and calls anything else internal', () => {
    const original = new SeedboxError('auth-failed', 'no');
    expect(toTransportError(original, 'x')).toBe(original);
    expect(toTransportError(new Error('bug'), 'x').code).toBe('internal');
    expect(toTransportError('weird', 'x').code).toBe('internal');
  });
});

describe('withDeadline', () => {
  it('returns what the call returns', async () => {
    await expect(withDeadline(1000, 'x', async () => 42)).resolves.toBe(42);
  });

  it('aborts the call with a timeout error naming the endpoint', async () => {
    let seenReason: unknown;
    const started = Date.now();
    const error = await withDeadline(100, 'scgi://slow:1', (signal) => {
      signal.addEventListener('abort', () => (seenReason = signal.reason));
      return new Promise(() => {});
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(error).toBeInstanceOf(SeedboxError);
    expect((error as SeedboxError).code).toBe('timeout');
    expect((error as SeedboxError).message).toContain('scgi://slow:1');
    expect(seenReason).toBe(error);
  });

  it('maps what the call throws', async () => {
    await expect(withDeadline(1000, 'x', () => Promise.reject(errno('ECONNRESET')))).rejects.toMatchObject({
      code: 'connection-lost',
    });
  });
});

describe('BoundedCollector', () => {
  it('keeps bytes up to the bound and refuses the chunk that crosses it', () => {
    const collector = new BoundedCollector(10, 'https://host/RPC2');
    collector.append(Buffer.from('12345'));
    collector.append(new Uint8Array([54, 55, 56, 57, 48]));
    expect(collector.toBuffer().toString()).toBe('1234567890');
    let error: unknown;
    try {
      collector.append(Buffer.from('!'));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'response-too-large', details: { limit: 10 } });
    expect((error as Error).message).toContain('https://host/RPC2');
  });
});

describe('resolveTransportOptions', () => {
  it('fills in defaults', () => {
    expect(resolveTransportOptions()).toMatchObject({
      timeoutMs: DEFAULT_TIMEOUT_MS,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      connector: connectDirect,
      tls: {},
    });
  });

  it.each([{ timeoutMs: 0 }, { timeoutMs: Number.NaN }, { maxResponseBytes: -1 }, { maxResponseBytes: 1.5 }])(
    'refuses %j',
    (options) => {
      expect(() => resolveTransportOptions(options)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    },
  );
});

describe('connectDirect', () => {
  it('describes endpoints', () => {
    expect(describeEndpoint({ kind: 'tcp', host: '127.0.0.1', port: 5000 })).toBe('127.0.0.1:5000');
    expect(describeEndpoint({ kind: 'tcp', host: '::1', port: 5000 })).toBe('[::1]:5000');
    expect(describeEndpoint({ kind: 'unix', path: '/run/rt.sock' })).toBe('/run/rt.sock');
  });

  it('connects over TCP and over a Unix socket', async () => {
    const tcp = await listen(net.createServer());
    const socket = await connectDirect({ kind: 'tcp', host: '127.0.0.1', port: tcp.port }, new AbortController().signal);
    socket.destroy();

    const dir = makeTempDir();
    try {
      const path = join(dir.path, 'rt.sock');
      await listen(net.createServer(), { path });
      const unix = await connectDirect({ kind: 'unix', path }, new AbortController().signal);
      unix.destroy();
    } finally {
      dir.remove();
    }
  });

  it('rejects with the Node error when nothing listens', async () => {
    const port = await closedPort();
    await expect(connectDirect({ kind: 'tcp', host: '127.0.0.1', port }, new AbortController().signal)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(
      connectDirect({ kind: 'unix', path: '/nonexistent/seedbox.sock' }, new AbortController().signal),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives up when aborted', async () => {
    const server = await listen(net.createServer());
    const controller = new AbortController();
    const reason = new SeedboxError('timeout', 'too slow');
    const connecting = connectDirect({ kind: 'tcp', host: '127.0.0.1', port: server.port }, controller.signal);
    controller.abort(reason);
    await expect(connecting).rejects.toBe(reason);
    await expect(connectDirect({ kind: 'tcp', host: '127.0.0.1', port: server.port }, controller.signal)).rejects.toBe(reason);
  });
});
