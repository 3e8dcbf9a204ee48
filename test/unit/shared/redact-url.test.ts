import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../electron/core/clients/deluge/client';
import { createRtorrentTransport } from '../../../electron/core/clients/rtorrent/client';
import { parseDaemonUrl } from '../../../electron/shared/daemons/address';
import { createHttpTransport } from '../../../electron/core/transports/http';
import { CLIENT_KINDS } from '../../../electron/shared/model';
import { redactUrl } from '../../../electron/shared/redact-url';

const HOST_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789.-';
const hostArb = fc.string({ unit: fc.constantFrom(...HOST_CHARS), minLength: 1, maxLength: 30 });
const pathArb = fc.string({ unit: fc.constantFrom(...`${HOST_CHARS}/_`), maxLength: 30 }).map((path) => (path ? `/${path}` : ''));
const schemeArb = fc.constantFrom('http://', 'https://', 'HTTPS://', 'deluge://', 'scgi://', '', 'ftp://');
/** Anything a user may type in a password, "/", "?", "#", "@" and ":" included, raw or %-escaped. */
const passwordArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'/?#@:%&=+ab1 \\'), minLength: 1, maxLength: 20 }),
  fc.string({ minLength: 1, maxLength: 20 }).map((text) => encodeURIComponent(text)),
);
const userArb = fc.string({ unit: fc.constantFrom(...'abcdefxyz09._-'), maxLength: 12 });

describe('redactUrl', () => {
  it.each([
    ['https://user:pa/ss@host', 'https://***@host'],
    ['https://user:pa?ss@host/RPC2', 'https://***@host/RPC2'],
    ['https://user:pa#ss@host:8443/RPC2', 'https://***@host:8443/RPC2'],
    ['https://user:p@ss@host/', 'https://***@host/'],
    ['deluge://me:s3cret@box:58846', 'deluge://***@box:58846'],
    ['  user:secret@host  ', '***@host'],
    ['https://host/RPC2', 'https://host/RPC2'],
    ['https://tracker/announce?passkey=abc#x', 'https://tracker/announce?…'],
    ['scgi:///home/me/.rtorrent.sock', 'scgi:///home/me/.rtorrent.sock'],
  ])('%s → %s', (given, shown) => {
    expect(redactUrl(given)).toBe(shown);
  });

  it('never shows a password, whatever it holds and however the address is written', () => {
    fc.assert(
      fc.property(schemeArb, userArb, passwordArb, hostArb, fc.option(fc.integer({ min: 1, max: 65535 })), pathArb, (scheme, user, password, host, port, path) => {
        const tail = `${host}${port === null ? '' : `:${port}`}${path}`;
        const typed = `${scheme}${user}:${password}@${tail}`;
        const shown = redactUrl(typed);
        // Only what follows the password may be shown; a password that happens to be part of
        // the host or path cannot be told apart from it.
        const visible = `${scheme}***@${tail}?…`;
        fc.pre(!visible.toLowerCase().includes(password.toLowerCase()));
        expect(shown).not.toContain(password);
        if (scheme) expect(shown.startsWith(`${scheme}***@`)).toBe(true);
        // Decoded too: "%2F" in the text is "/" in the password.
        let decoded: string | undefined;
        try {
          decoded = decodeURIComponent(password);
        } catch {
          decoded = undefined;
        }
        if (decoded && !visible.includes(decoded)) expect(shown).not.toContain(decoded);
      }),
      { numRuns: 3000 },
    );
  });

  it('never shows a query or fragment, and stays short', () => {
    fc.assert(
      fc.property(schemeArb, hostArb, pathArb, fc.string({ minLength: 1, maxLength: 300 }), fc.constantFrom('?', '#'), (scheme, host, path, token, mark) => {
        fc.pre(!token.includes('@'));
        const shown = redactUrl(`${scheme}${host}${path}${mark}${token}`);
        fc.pre(!`${scheme}${host}${path}?…`.includes(token));
        expect(shown).not.toContain(token);
        expect(shown.length).toBeLessThanOrEqual(200);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the scheme, host and path of an address without credentials', () => {
    fc.assert(
      fc.property(fc.constantFrom('http://', 'https://', 'deluge://'), hostArb, pathArb, (scheme, host, path) => {
        expect(redactUrl(`${scheme}${host}${path}`)).toBe(`${scheme}${host}${path}`);
      }),
    );
  });
});

describe('every place that echoes an address', () => {
  const typed = ['user:12/ss', 'user:pa?ss', 'user:pa#ss', 'user:p@ss'].flatMap((userInfo) => [
    `deluge://${userInfo}@box:58846/x`,
    `scgi://${userInfo}@box:5000`,
    `https://${userInfo}@box:99999/RPC2`,
    `ftp://${userInfo}@box`,
  ]);
  const password = (text: string): string => text.slice(text.indexOf('user:') + 'user:'.length, text.lastIndexOf('@'));
  const messageOf = (run: () => unknown): string => {
    try {
      const value = run() as { description?: string } | undefined;
      return value?.description ?? '';
    } catch (error) {
      return `${(error as Error).message} ${JSON.stringify((error as { details?: unknown }).details ?? {})}`;
    }
  };

  it.each(typed)('%s', (text) => {
    const shown = [
      messageOf(() => new DelugeClient({ kind: 'deluge', url: text })),
      messageOf(() => createRtorrentTransport({ kind: 'rtorrent', url: text })),
      messageOf(() => createHttpTransport({ url: text.replace(/^\w+:/, 'http:').replace(':99999', ':1') })),
      ...CLIENT_KINDS.map((kind) => messageOf(() => parseDaemonUrl(kind, text))),
    ];
    for (const message of shown) expect(message).not.toContain(password(text));
  });
});
