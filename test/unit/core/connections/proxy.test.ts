import { describe, expect, it } from 'vitest';
import {
  basicProxyAuthorization,
  createProxyConnector,
  describeProxy,
  httpConnectError,
  socksError,
  validateProxySettings,
} from '../../../../electron/core/connections/proxy';
import { errorOf, rejectionOf } from '../../../helpers/errors';

const about = { description: 'SOCKS5 proxy 10.0.0.1:1080', destination: 'seedbox.example:5000', withAuth: true };

describe('proxy settings', () => {
  it('describes the proxy, bracketing IPv6 hosts', () => {
    expect(describeProxy({ kind: 'socks5', host: '10.0.0.1', port: 1080 })).toBe('SOCKS5 proxy 10.0.0.1:1080');
    expect(describeProxy({ kind: 'http', host: '::1', port: 3128 })).toBe('HTTP proxy [::1]:3128');
  });

  it('refuses settings the schema refuses, naming the field', () => {
    expect(errorOf(() => validateProxySettings({ kind: 'socks5', host: 'p', port: 70_000, username: '' })).details.field).toBe('port');
    expect(errorOf(() => validateProxySettings({ kind: 'socks4' as 'socks5', host: 'p', port: 1080, username: '' })).details.field).toBe('kind');
    expect(errorOf(() => createProxyConnector({ kind: 'http', host: ' ', port: 3128, username: '' })).details.field).toBe('host');
    expect(errorOf(() => createProxyConnector({ kind: 'http', host: 'p', port: 3128, username: '' }, { timeoutMs: -1 })).code).toBe(
      'invalid-argument',
    );
  });

  it('keeps the password through validation', () => {
    expect(validateProxySettings({ kind: 'http', host: 'p', port: 3128, username: 'u', password: 's' }).password).toBe('s');
  });

  it('refuses a Unix socket endpoint without dialling', async () => {
    const connector = createProxyConnector({ kind: 'socks5', host: '192.0.2.1', port: 1080, username: '' });
    const error = await rejectionOf(connector({ kind: 'unix', path: '/tmp/rt.sock' }, new AbortController().signal));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('A local Unix socket cannot be reached through a proxy.');
  });
});

describe('basicProxyAuthorization', () => {
  it('encodes user:password as UTF-8 base64', () => {
    expect(basicProxyAuthorization('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(basicProxyAuthorization('ü', 'é')).toBe(`Basic ${Buffer.from('ü:é').toString('base64')}`);
  });
});

describe('socksError', () => {
  it.each([
    ['Socks5 Authentication failed', 'auth-failed', 'The SOCKS5 proxy 10.0.0.1:1080 refused the credentials.'],
    ['Socks5 proxy rejected connection - ConnectionRefused', 'connection-refused', 'The SOCKS5 proxy 10.0.0.1:1080 could not connect to seedbox.example:5000: connection refused.'],
    ['Socks5 proxy rejected connection - HostUnreachable', 'host-unreachable', 'The SOCKS5 proxy 10.0.0.1:1080 could not connect to seedbox.example:5000: the host is unreachable.'],
    ['Socks5 proxy rejected connection - NotAllowed', 'forbidden', 'The SOCKS5 proxy 10.0.0.1:1080 could not connect to seedbox.example:5000: the connection is not allowed by its rules.'],
    ['Socket closed', 'connection-lost', 'The SOCKS5 proxy 10.0.0.1:1080 closed the connection during the SOCKS5 handshake.'],
    ['Received invalid Socks5 initial handshake (invalid socks version)', 'protocol', 'The SOCKS5 proxy 10.0.0.1:1080 does not speak SOCKS5 (is it an HTTP proxy?).'],
    ['Proxy connection timed out', 'timeout', 'The SOCKS5 proxy 10.0.0.1:1080 did not complete the SOCKS5 handshake in time.'],
  ])('%s → %s', (message, code, text) => {
    const error = socksError(message, about);
    expect(error.code).toBe(code);
    expect(error.message).toBe(text);
  });

  it('tells "needs a login" from "refused the offered login"', () => {
    const message = 'Received invalid Socks5 initial handshake (no accepted authentication type)';
    expect(socksError(message, { ...about, withAuth: false }).message).toBe('The SOCKS5 proxy 10.0.0.1:1080 requires a user name and password.');
    expect(socksError(message, about).code).toBe('auth-failed');
  });
});

describe('httpConnectError', () => {
  const http = { description: 'HTTP proxy 10.0.0.1:3128', destination: 'seedbox.example:443', withAuth: false };

  it.each([
    [407, 'Proxy Authentication Required', 'auth-failed', 'The HTTP proxy 10.0.0.1:3128 requires a user name and password (407 Proxy Authentication Required).'],
    [403, 'Forbidden', 'forbidden', 'The HTTP proxy 10.0.0.1:3128 does not allow connections to seedbox.example:443 (403 Forbidden; many proxies only allow port 443).'],
    [502, 'Bad Gateway', 'connection-refused', 'The HTTP proxy 10.0.0.1:3128 could not connect to seedbox.example:443 (502 Bad Gateway).'],
    [504, 'Gateway Timeout', 'timeout', 'The HTTP proxy 10.0.0.1:3128 timed out connecting to seedbox.example:443 (504 Gateway Timeout).'],
    [400, '', 'protocol', 'The HTTP proxy 10.0.0.1:3128 refused to connect to seedbox.example:443 (400).'],
  ])('%i → %s', (status, text, code, message) => {
    const error = httpConnectError(status, text, http);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.details).toEqual({ endpoint: 'HTTP proxy 10.0.0.1:3128', destination: 'seedbox.example:443', status });
  });

  it('with credentials sent, 407 and 401 mean they were refused', () => {
    expect(httpConnectError(407, 'Proxy Authentication Required', { ...http, withAuth: true }).message).toBe(
      'The HTTP proxy 10.0.0.1:3128 refused the credentials (407 Proxy Authentication Required).',
    );
    expect(httpConnectError(401, 'Unauthorized', { ...http, withAuth: true }).code).toBe('auth-failed');
  });
});
