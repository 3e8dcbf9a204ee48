import { describe, expect, it } from 'vitest';
import { base32ToHex, parseMagnetUri } from '../../../renderer/src/lib/magnet';

const HEX = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';

describe('parseMagnetUri', () => {
  it('reads a hex info-hash, the display name and trackers', () => {
    const parsed = parseMagnetUri(`magnet:?xt=urn:btih:${HEX.toUpperCase()}&dn=Debian+12%20netinst&tr=udp%3A%2F%2Ftracker.example%3A1337`);
    expect(parsed).toEqual({ ok: true, infoHash: HEX, name: 'Debian 12 netinst', trackers: ['udp://tracker.example:1337'] });
  });

  it('reads a base32 info-hash as the same hex', () => {
    // The base32 form of HEX (RFC 4648).
    const base32 = 'YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK';
    expect(base32ToHex(base32)).toBe(HEX);
    const parsed = parseMagnetUri(`magnet:?xt=urn:btih:${base32.toLowerCase()}`);
    expect(parsed).toMatchObject({ ok: true, infoHash: HEX, name: null });
  });

  it('takes the btih of a hybrid v1/v2 link and refuses a v2-only one', () => {
    const hybrid = parseMagnetUri(`magnet:?xt=urn:btmh:1220${'ab'.repeat(32)}&xt=urn:btih:${HEX}`);
    expect(hybrid).toMatchObject({ ok: true, infoHash: HEX });
    const v2 = parseMagnetUri(`magnet:?xt=urn:btmh:1220${'ab'.repeat(32)}`);
    expect(v2.ok).toBe(false);
    expect(!v2.ok && v2.message).toMatch(/v2/);
  });

  it('explains what is wrong with a bad link', () => {
    expect(parseMagnetUri('https://example.com/a.torrent')).toMatchObject({ ok: false, message: expect.stringMatching(/not a magnet/) });
    expect(parseMagnetUri('magnet:?dn=nothing')).toMatchObject({ ok: false, message: expect.stringMatching(/no info-hash/) });
    expect(parseMagnetUri('magnet:?xt=urn:btih:1234')).toMatchObject({ ok: false, message: expect.stringMatching(/malformed/) });
    expect(base32ToHex('not base32!')).toBeNull();
  });

  it('survives a malformed percent escape in the name', () => {
    expect(parseMagnetUri(`magnet:?xt=urn:btih:${HEX}&dn=100%`)).toMatchObject({ ok: true, name: '100%' });
  });
});
