// Magnet links with a BitTorrent v1 info-hash, read one way everywhere: the window reads them to
// show a name and info-hash before anything is sent, core reads them again before adding, so
// what the window accepts is exactly what core will add.

import { SeedboxError } from './errors';

export interface MagnetLink {
  /** Lowercase hex v1 info-hash. */
  infoHash: string;
  /** The dn parameter, '' when there is none. */
  displayName: string;
  /** Every non-empty tr parameter, in order. */
  trackers: string[];
}

export type MagnetReading = { ok: true; magnet: MagnetLink } | { ok: false; message: string };

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Reads a magnet URI with a v1 (btih) info-hash, hex or base32; says why not otherwise. */
export function readMagnet(uri: string): MagnetReading {
  const refuse = (why: string): MagnetReading => ({ ok: false, message: `Not a usable magnet link: ${why}.` });
  if (!/^magnet:\?/i.test(uri)) return refuse('it does not start with "magnet:?"');

  const params = queryParameters(uri.slice(uri.indexOf('?') + 1));
  const getAll = (name: string): string[] => params.filter(([key]) => key === name).map(([, value]) => value);
  const topics = getAll('xt');
  // The first btih decides: a hybrid link may name its v2 hash (btmh) first.
  const btih = topics.map((topic) => /^urn:btih:([0-9a-z]+)$/i.exec(topic)?.[1]).find((value) => value !== undefined);
  if (btih === undefined) {
    if (topics.some((topic) => /^urn:btmh:/i.test(topic))) {
      return refuse('it has only a BitTorrent v2 (btmh) info-hash, and only BitTorrent v1 magnets are supported');
    }
    return refuse('it has no info-hash ("xt=urn:btih:…"; only BitTorrent v1 magnets are supported)');
  }
  const infoHash = btihToHex(btih);
  if (infoHash === null) return refuse('its btih info-hash is neither 40 hex digits nor 32 base32 characters');
  const trackers = getAll('tr').filter((tracker) => tracker !== '');
  return { ok: true, magnet: { infoHash, displayName: getAll('dn')[0] ?? '', trackers } };
}

/** readMagnet for code that adds: a link it cannot use is 'invalid-torrent'. */
export function parseMagnet(uri: string): MagnetLink {
  const reading = readMagnet(uri);
  if (!reading.ok) throw new SeedboxError('invalid-torrent', reading.message, { magnet: uri.slice(0, 200) });
  return reading.magnet;
}

/**
 * The name=value pairs of a query, decoded as URLSearchParams decodes them ('+' is a space,
 * %XX a byte of UTF-8), except that an escape that does not decode stays as written. URL and
 * URLSearchParams are not part of this layer's pure TypeScript.
 */
function queryParameters(query: string): [string, string][] {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? [decodeComponent(pair), ''] : [decodeComponent(pair.slice(0, equals)), decodeComponent(pair.slice(equals + 1))];
    });
}

function decodeComponent(text: string): string {
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
}

/** A btih value as lowercase hex: 40 hex digits, or the 32-character base32 form; null otherwise. */
function btihToHex(value: string): string | null {
  if (/^[0-9a-f]{40}$/i.test(value)) return value.toLowerCase();
  if (value.length === 32) return base32ToHex(value);
  return null;
}

/** RFC 4648 base32 (no padding, either case) to lowercase hex; null when a character is not base32. */
export function base32ToHex(text: string): string | null {
  let bits = 0;
  let value = 0;
  let hex = '';
  for (const character of text.toUpperCase()) {
    const digit = BASE32_ALPHABET.indexOf(character);
    if (digit === -1) return null;
    value = ((value << 5) | digit) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      hex += ((value >>> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}
