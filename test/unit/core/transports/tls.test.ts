import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectDirect } from '../../../../electron/core/transports/connect';
import {
  connectTls,
  formatFingerprint,
  normalizeFingerprint,
  sha256Fingerprint,
} from '../../../../electron/core/transports/tls';
import type { Endpoint, TlsOptions } from '../../../../electron/core/transports/types';
import { SeedboxError } from '../../../../electron/shared/errors';
import { closeAllServers, listen, makeCertificates, type KeyPair, type TestCertificates } from './fixtures';

afterEach(closeAllServers);

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});

interface TlsServer {
  endpoint: Endpoint;
  /** Application bytes the server received, over all connections. */
  received: () => number;
}

async function tlsServer(pair: KeyPair): Promise<TlsServer> {
  let received = 0;
  const server = tls.createServer({ key: pair.key, cert: pair.cert }, (socket) => {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => (received += chunk.byteLength));
  });
  server.on('tlsClientError', () => {});
  const running = await listen(server);
  return { endpoint: { kind: 'tcp', host: '127.0.0.1', port: running.port }, received: () => received };
}

const open = (endpoint: Endpoint, host: string, options: TlsOptions): Promise<tls.TLSSocket> =>
  connectTls(endpoint, host, options, connectDirect, new AbortController().signal);

async function failure(promise: Promise<unknown>): Promise<SeedboxError> {
  const error = await promise.then(
    (socket) => {
      (socket as tls.TLSSocket).destroy();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SeedboxError);
  return error as SeedboxError;
}

describe('fingerprints', () => {
  it('computes the SHA-256 of the DER certificate, as openssl shows it', () => {
    const x509 = new X509Certificate(certs.selfSigned.cert);
    const fingerprint = sha256Fingerprint(x509);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(formatFingerprint(fingerprint)).toBe(x509.fingerprint256);
  });

  it('normalizes pins and refuses what is not one', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeFingerprint(formatFingerprint(hex))).toBe(hex);
    expect(normalizeFingerprint(` ${hex.toUpperCase()} `)).toBe(hex);
    expect(() => normalizeFingerprint('abcd')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => normalizeFingerprint('zz'.repeat(32))).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

describe('connectTls', () => {
  it('accepts a self-signed certificate that matches the pin, however the pin is written', async () => {
    const server = await tlsServer(certs.selfSigned);
    for (const pin of [certs.selfSigned.fingerprint, certs.selfSigned.fingerprint.replace(/:/g, '').toLowerCase()]) {
      const socket = await open(server.endpoint, 'localhost', { pinnedSha256: pin });
      expect(socket.encrypted).toBe(true);
      socket.write('ping');
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    expect(server.received()).toBe(8);
  });

  it('refuses a certificate that does not match the pin, before writing anything', async () => {
    const server = await tlsServer(certs.selfSigned);
    const pinned = formatFingerprint('00'.repeat(32));
    const error = await failure(open(server.endpoint, 'localhost', { pinnedSha256: pinned }));
    expect(error.code).toBe('tls-pin-mismatch');
    expect(error.details).toMatchObject({
      expected: pinned,
      presented: certs.selfSigned.fingerprint,
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
    });
    expect(error.details.validFrom).toBeTypeOf('string');
    expect(error.details.validTo).toBeTypeOf('string');
    expect(error.message).toContain(certs.selfSigned.fingerprint);
    expect(error.message).toContain(`127.0.0.1:${server.endpoint.kind === 'tcp' ? server.endpoint.port : 0}`);
    expect(server.received()).toBe(0);
  });

  it('pins even a CA-valid certificate: another CA-valid one is refused', async () => {
    const server = await tlsServer(certs.leaf);
    const error = await failure(
      open(server.endpoint, 'localhost', { ca: certs.ca.cert, pinnedSha256: certs.selfSigned.fingerprint }),
    );
    expect(error.code).toBe('tls-pin-mismatch');
  });

  it('calls an unpinned self-signed certificate untrusted and offers its fingerprint', async () => {
    const server = await tlsServer(certs.selfSigned);
    const error = await failure(open(server.endpoint, 'localhost', {}));
    expect(error.code).toBe('tls-untrusted');
    expect(error.details).toMatchObject({
      presented: certs.selfSigned.fingerprint,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      subject: 'CN=localhost',
    });
    expect(error.message).toContain('self-signed');
    expect(error.message).toContain(`pin its SHA-256 fingerprint: ${certs.selfSigned.fingerprint}`);
    expect(server.received()).toBe(0);
  });

  it('trusts a certificate signed by a given CA, by name and by IP address', async () => {
    const server = await tlsServer(certs.leaf);
    for (const host of ['localhost', '127.0.0.1']) {
      const socket = await open(server.endpoint, host, { ca: certs.ca.cert });
      expect(socket.authorized).toBe(true);
      socket.destroy();
    }
  });

  it('refuses a CA-valid certificate issued for another name', async () => {
    const server = await tlsServer(certs.leaf);
    const error = await failure(open(server.endpoint, 'seedbox.example', { ca: certs.ca.cert }));
    expect(error.code).toBe('tls-untrusted');
    expect(error.details).toMatchObject({ reason: 'ERR_TLS_CERT_ALTNAME_INVALID', presented: certs.leaf.fingerprint });
    expect(error.message).toContain('another host name');
  });

  it('checks the serverName option rather than the host dialled', async () => {
    const server = await tlsServer(certs.leaf);
    const error = await failure(open(server.endpoint, 'localhost', { ca: certs.ca.cert, serverName: 'other.example' }));
    expect(error.details.reason).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('does not trust a private CA it was not given', async () => {
    const server = await tlsServer(certs.leaf);
    const error = await failure(open(server.endpoint, 'localhost', {}));
    expect(error.code).toBe('tls-untrusted');
    expect(error.details.presented).toBe(certs.leaf.fingerprint);
  });

  it('fails cleanly against a server that does not speak TLS', async () => {
    const server = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      }),
    );
    const error = await failure(open({ kind: 'tcp', host: '127.0.0.1', port: server.port }, 'localhost', {}));
    expect(error.code).toBe('tls-failed');
    expect(error.message).toContain('does not speak TLS');
    expect(error.message).not.toContain('SSL routines');
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
  });

  it('gives up when aborted during the handshake', async () => {
    // Accepts the TCP connection but never answers the ClientHello.
    const server = await listen(net.createServer((socket) => socket.on('error', () => {})));
    const controller = new AbortController();
    const reason = new SeedboxError('timeout', 'too slow');
    setTimeout(() => controller.abort(reason), 100);
    await expect(
      connectTls({ kind: 'tcp', host: '127.0.0.1', port: server.port }, 'localhost', {}, connectDirect, controller.signal),
    ).rejects.toBe(reason);
  });

  it('refuses a malformed pin before dialling', async () => {
    let dialled = false;
    const error = await failure(
      connectTls(
        { kind: 'tcp', host: '127.0.0.1', port: 1 },
        'localhost',
        { pinnedSha256: 'not-a-fingerprint' },
        (endpoint, signal) => {
          dialled = true;
          return connectDirect(endpoint, signal);
        },
        new AbortController().signal,
      ),
    );
    expect(error.code).toBe('invalid-argument');
    expect(dialled).toBe(false);
  });
});
