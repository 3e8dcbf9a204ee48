import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32ToHex, parseMagnet, readMagnet } from '../../../electron/shared/magnet';
import { SeedboxError } from '../../../electron/shared/errors';

const HEX = '89abcdef0123456789abcdef0123456789abcdef';
const BASE32 = 'RGV433YBENCWPCNLZXXQCI2FM6E2XTPP';
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function invalidMagnet(uri: string): SeedboxError {
  try {
    parseMagnet(uri);
  } catch (error) {
    expect(error).toBeInstanceOf(SeedboxError);
    expect((error as SeedboxError).code).toBe('invalid-torrent');
    return error as SeedboxError;
  }
  throw new Error(`expected ${uri} to be refused`);
}

/** RFC 4648 base32 without padding, written independently of the module under test. */
function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

describe('parseMagnet', () => {
  it('reads a lowercase hex info-hash', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}`)).toEqual({ infoHash: HEX, displayName: '', trackers: [] });
  });

  it('lowercases an uppercase or mixed-case hex info-hash', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX.toUpperCase()}`).infoHash).toBe(HEX);
    expect(parseMagnet('magnet:?xt=urn:btih:89ABcdEF0123456789abcdef0123456789ABCDEF').infoHash).toBe(HEX);
  });

  it('converts a base32 info-hash to hex (known vector)', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${BASE32}`).infoHash).toBe(HEX);
  });

  it('accepts a lowercase base32 info-hash', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${BASE32.toLowerCase()}`).infoHash).toBe(HEX);
  });

  it('converts the extreme base32 values', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${'A'.repeat(32)}`).infoHash).toBe('0'.repeat(40));
    expect(parseMagnet(`magnet:?xt=urn:btih:${'7'.repeat(32)}`).infoHash).toBe('f'.repeat(40));
  });

  it('base32 of any 20 bytes gives their hex (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), fc.boolean(), (bytes, lower) => {
        const encoded = toBase32(bytes);
        expect(encoded).toHaveLength(32);
        const uri = `magnet:?xt=urn:btih:${lower ? encoded.toLowerCase() : encoded}`;
        expect(parseMagnet(uri).infoHash).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes dn (percent-encoding and "+" as a space) and every tr in order', () => {
    const magnet = parseMagnet(
      `magnet:?xt=urn:btih:${HEX}&dn=Big+Buck%20Bunny%20%E2%80%93%20%F0%9F%90%B0` +
        '&tr=http%3A%2F%2Ftracker.example%2Fannounce%3Fpasskey%3Dabc%26x%3D1' +
        '&tr=udp://open.example:6969/announce',
    );
    expect(magnet).toEqual({
      infoHash: HEX,
      displayName: 'Big Buck Bunny – 🐰',
      trackers: ['http://tracker.example/announce?passkey=abc&x=1', 'udp://open.example:6969/announce'],
    });
  });

  it('accepts parameters in any order and an uppercase scheme', () => {
    const magnet = parseMagnet(`MAGNET:?dn=name&tr=udp%3A%2F%2Ft%3A1&xt=urn:btih:${HEX}`);
    expect(magnet).toEqual({ infoHash: HEX, displayName: 'name', trackers: ['udp://t:1'] });
  });

  it('accepts an uppercase URN prefix', () => {
    expect(parseMagnet(`magnet:?xt=URN:BTIH:${HEX}`).infoHash).toBe(HEX);
  });

  it('skips xt topics that are not btih and takes the first btih', () => {
    const btmh = `urn:btmh:1220${'ab'.repeat(32)}`;
    const other = '0123456789abcdef0123456789abcdef01234567';
    const magnet = parseMagnet(`magnet:?xt=${btmh}&xt=urn:sha1:XYZ&xt=urn:btih:${HEX}&xt=urn:btih:${other}`);
    expect(magnet.infoHash).toBe(HEX);
  });

  it('accepts a hybrid magnet whose btih comes after btmh (v2 first)', () => {
    expect(parseMagnet(`magnet:?xt=urn:btmh:1220${'cd'.repeat(32)}&xt=urn:btih:${BASE32}&dn=hybrid`)).toEqual({
      infoHash: HEX,
      displayName: 'hybrid',
      trackers: [],
    });
  });

  const invalid: [string, string, RegExp][] = [
    ['not a magnet at all', 'http://example.com/file.torrent', /does not start with "magnet:\?"/],
    ['the empty string', '', /does not start with "magnet:\?"/],
    ['magnet: without ?', `magnet:xt=urn:btih:${HEX}`, /does not start with "magnet:\?"/],
    ['leading whitespace', ` magnet:?xt=urn:btih:${HEX}`, /does not start with "magnet:\?"/],
    ['no parameters', 'magnet:?', /no info-hash \("xt=urn:btih:…"/],
    ['only dn and tr', 'magnet:?dn=x&tr=udp%3A%2F%2Ft%3A1', /no info-hash \("xt=urn:btih:…"/],
    ['only a v2 (btmh) hash', `magnet:?xt=urn:btmh:1220${'ab'.repeat(32)}`, /only BitTorrent v1 magnets/],
    ['an empty btih', 'magnet:?xt=urn:btih:', /no info-hash \("xt=urn:btih:…"/],
    ['a 39-digit hex hash', `magnet:?xt=urn:btih:${HEX.slice(1)}`, /neither 40 hex digits nor 32 base32/],
    ['a 41-digit hex hash', `magnet:?xt=urn:btih:${HEX}0`, /neither 40 hex digits nor 32 base32/],
    ['a 31-character base32 hash', `magnet:?xt=urn:btih:${BASE32.slice(1)}`, /neither 40 hex digits nor 32 base32/],
    ['base32 with a digit outside 2-7', `magnet:?xt=urn:btih:${BASE32.slice(0, 31)}1`, /neither 40 hex digits nor 32 base32/],
    ['40 characters with a non-hex letter', `magnet:?xt=urn:btih:${HEX.slice(0, 39)}g`, /neither 40 hex digits nor 32 base32/],
    ['a hash with trailing junk', `magnet:?xt=urn:btih:${HEX}-x`, /no info-hash \("xt=urn:btih:…"/],
  ];
  it.each(invalid)('refuses %s', (_label, uri, message) => {
    const error = invalidMagnet(uri);
    expect(error.message).toMatch(/^Not a usable magnet link: .+\.$/);
    expect(error.message).toMatch(message);
  });

  it('refuses a malformed first btih even when a good one follows', () => {
    expect(invalidMagnet(`magnet:?xt=urn:btih:abc&xt=urn:btih:${HEX}`).message).toMatch(/neither 40 hex digits/);
  });

  it('keeps only the first 200 characters of the magnet in the details', () => {
    const long = `magnet:?dn=${'x'.repeat(500)}`;
    const error = invalidMagnet(long);
    expect(error.details['magnet']).toBe(long.slice(0, 200));
  });

  it('never throws anything but invalid-torrent on arbitrary input (property)', () => {
    const anyMagnet = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ maxLength: 80, unit: 'binary' }).map((rest) => `magnet:?${rest}`),
      fc.array(fc.constantFrom('xt=urn:btih:', HEX, BASE32, '&', '=', '%', '%zz', 'dn=', 'tr=', 'urn:btmh:', '+', '#'), { maxLength: 8 })
        .map((parts) => `magnet:?${parts.join('')}`),
    );
    fc.assert(
      fc.property(anyMagnet, (uri) => {
        try {
          const magnet = parseMagnet(uri);
          expect(magnet.infoHash).toMatch(/^[0-9a-f]{40}$/);
        } catch (error) {
          if (!(error instanceof SeedboxError) || error.code !== 'invalid-torrent') throw error;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('readMagnet (what the window shows before sending)', () => {
  it('gives what parseMagnet gives, or the same message without throwing', () => {
    const uri = `magnet:?xt=urn:btih:${BASE32.toLowerCase()}&dn=Debian+12%20netinst&tr=udp%3A%2F%2Ftracker.example%3A1337&tr=`;
    expect(readMagnet(uri)).toEqual({ ok: true, magnet: parseMagnet(uri) });
    expect(parseMagnet(uri)).toEqual({ infoHash: HEX, displayName: 'Debian 12 netinst', trackers: ['udp://tracker.example:1337'] });
    const bad = 'magnet:?dn=nothing';
    expect(readMagnet(bad)).toEqual({ ok: false, message: invalidMagnet(bad).message });
  });

  it('decodes any name as URLSearchParams does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (name) => {
        const encoded = encodeURIComponent(name).replace(/%20/g, '+');
        const uri = `magnet:?xt=urn:btih:${HEX}&dn=${encoded}`;
        expect(parseMagnet(uri).displayName).toBe(new URLSearchParams(uri.slice('magnet:?'.length)).get('dn'));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a broken percent escape in the name as written', () => {
    expect(parseMagnet(`magnet:?xt=urn:btih:${HEX}&dn=100%`).displayName).toBe('100%');
  });
});

describe('base32ToHex', () => {
  it('decodes RFC 4648 base32 in either case, and refuses other characters', () => {
    expect(base32ToHex(BASE32)).toBe(HEX);
    expect(base32ToHex(BASE32.toLowerCase())).toBe(HEX);
    expect(base32ToHex('not base32!')).toBeNull();
    expect(base32ToHex(`${BASE32.slice(0, 31)}1`)).toBeNull();
  });
});
