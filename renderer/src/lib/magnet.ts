// Reads a magnet link in the window, before anything is sent: the add dialog shows its name and
// info-hash, flags it when the box already has it, and refuses one without a v1 info-hash. The
// main process validates it again (electron/core/torrent/magnet.ts); this is only for display.

export type MagnetParse =
  | { ok: true; infoHash: string; name: string | null; trackers: string[] }
  | { ok: false; message: string };

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding) to lowercase hex; null when a character is not base32. */
export function base32ToHex(text: string): string | null {
  let bits = 0;
  let value = 0;
  let hex = '';
  for (const character of text.toUpperCase()) {
    const digit = BASE32_ALPHABET.indexOf(character);
    if (digit === -1) return null;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      hex += ((value >>> bits) & 0xff).toString(16).padStart(2, '0');
    }
  }
  return hex;
}

/** The info-hash of a btih value: 40 hex digits, or the 32-character base32 form. */
function btihToHex(value: string): string | null {
  if (/^[0-9a-f]{40}$/i.test(value)) return value.toLowerCase();
  if (/^[a-z2-7]{32}$/i.test(value)) return base32ToHex(value);
  return null;
}

/** Decodes a query value like URLSearchParams would ('+' is a space), without throwing on bad escapes. */
function decodeValue(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

export function parseMagnetUri(uri: string): MagnetParse {
  const trimmed = uri.trim();
  if (!/^magnet:\?/i.test(trimmed)) return { ok: false, message: 'This is not a magnet link (it should start with "magnet:?").' };

  let infoHash: string | null = null;
  let sawBtih = false;
  let sawV2Only = false;
  let name: string | null = null;
  const trackers: string[] = [];
  for (const pair of trimmed.slice('magnet:?'.length).split('&')) {
    if (!pair) continue;
    const equals = pair.indexOf('=');
    const key = (equals === -1 ? pair : pair.slice(0, equals)).toLowerCase();
    const value = equals === -1 ? '' : decodeValue(pair.slice(equals + 1));
    // Some writers number repeated keys: xt.1, tr.2.
    const base = key.replace(/\.\d+$/, '');
    if (base === 'xt') {
      const match = /^urn:(btih|btmh):(.*)$/i.exec(value);
      if (!match) continue;
      if (match[1]!.toLowerCase() === 'btmh') {
        sawV2Only = true;
        continue;
      }
      sawBtih = true;
      infoHash ??= btihToHex(match[2]!);
    } else if (base === 'dn' && name === null && value.trim()) {
      name = value.trim();
    } else if (base === 'tr' && value) {
      trackers.push(value);
    }
  }

  if (infoHash) return { ok: true, infoHash, name, trackers };
  if (sawBtih) return { ok: false, message: 'The info-hash of this magnet link is malformed (expected 40 hex or 32 base32 characters).' };
  if (sawV2Only) return { ok: false, message: 'This magnet link only has a BitTorrent v2 hash, which is not supported.' };
  return { ok: false, message: 'This magnet link has no info-hash (no "xt=urn:btih:…").' };
}
