// JSON with bytes: the browser harness carries contract calls over a WebSocket as JSON, and a
// .torrent's bytes (Uint8Array) must survive the trip. Bytes travel as {"$bytes": base64}.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((char, index) => [char, index]));

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const [a, b, c] = [bytes[index]!, bytes[index + 1], bytes[index + 2]];
    out += ALPHABET[a >> 2]! + ALPHABET[((a & 3) << 4) | ((b ?? 0) >> 4)]!;
    out += b === undefined ? '=' : ALPHABET[((b & 15) << 2) | ((c ?? 0) >> 6)]!;
    out += c === undefined ? '=' : ALPHABET[c & 63]!;
  }
  return out;
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let position = 0;
  for (const char of clean) {
    const digit = LOOKUP.get(char);
    if (digit === undefined) throw new Error('invalid base64');
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[position++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * `mayHoldBytes` false skips the replacer, which runs for every value: torrent lists (most of
 * the traffic) never hold bytes, only calls that add torrents and 'app:addRequest' do.
 */
export function toWire(value: unknown, mayHoldBytes = true): string {
  if (!mayHoldBytes) return JSON.stringify(value);
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Uint8Array ? { $bytes: bytesToBase64(item) } : item));
}

export function fromWire(text: string): unknown {
  // Same for the reviver: a 13 MB snapshot has a million values and no bytes.
  if (!text.includes('"$bytes"')) return JSON.parse(text);
  return JSON.parse(text, (_key, item: unknown) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const keys = Object.keys(item);
      if (keys.length === 1 && keys[0] === '$bytes' && typeof (item as { $bytes: unknown }).$bytes === 'string') {
        return base64ToBytes((item as { $bytes: string }).$bytes);
      }
    }
    return item;
  });
}
