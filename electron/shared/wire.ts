// JSON with bytes and tables: the browser harness carries contract calls over a WebSocket as
// JSON. A .torrent's bytes (Uint8Array) must survive the trip: they travel as {"$bytes": base64}.
// Torrent lists (most of the traffic: a box's snapshot is 25 000 objects with the same two dozen
// keys) would spend more than half their bytes repeating the keys, and the receiving page pays
// for every byte twice (decode, then parse): an array of objects travels as a table instead,
// {"$table": [shapes, rows]}: each shape a key list, each row [shape index, ...values].

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
 * Objects with exactly one key, one of these, are the encoding's own markers; an object of the
 * data that looks like one travels wrapped as {"$object": {...}}.
 */
const BYTES = '$bytes';
const TABLE = '$table';
const OBJECT = '$object';

type Record_ = Record<string, unknown>;
type Table = [shapes: string[][], rows: unknown[][], deep?: 1];

/** What JSON.stringify writes as an object: not an array, not bytes, no toJSON of its own. */
function isRecord(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** The keys JSON.stringify writes: it skips undefined, functions and symbols. */
function keysOf(record: Record_): string[] {
  const keys = Object.keys(record);
  for (const key of keys) {
    const type = typeof record[key];
    if (type === 'undefined' || type === 'function' || type === 'symbol') {
      return keys.filter((each) => !['undefined', 'function', 'symbol'].includes(typeof record[each]));
    }
  }
  return keys;
}

/** `target[key] = value`, except that "__proto__" must become an own key, not the prototype. */
function setOwn(target: Record_, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function isMarker(keys: string[]): boolean {
  return keys.length === 1 && (keys[0] === BYTES || keys[0] === TABLE || keys[0] === OBJECT);
}

function sameKeys(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** The value to stringify; the value itself (same reference) when it needs no encoding. */
function encode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) return { [BYTES]: bytesToBase64(value) };
  if (Array.isArray(value)) return encodeTable(value) ?? encodeItems(value);
  if (!isRecord(value)) return value;
  const keys = keysOf(value);
  let out: Record_ | undefined;
  for (const key of keys) {
    const item = value[key];
    const encoded = encode(item);
    if (encoded !== item) setOwn((out ??= { ...value }), key, encoded);
  }
  return isMarker(keys) ? { [OBJECT]: out ?? value } : (out ?? value);
}

function encodeItems(items: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const encoded = encode(item);
    if (encoded !== item) (out ??= items.slice())[index] = encoded;
  }
  return out ?? items;
}

/**
 * An array of objects as a table, when its objects share their key lists (at most one shape
 * per two objects, or the table would not be smaller); undefined otherwise. Objects whose
 * values needed no encoding (no bytes, no nested tables) let the receiver skip a walk over
 * every value: the flag `deep` says when it cannot.
 */
function encodeTable(items: unknown[]): { [TABLE]: Table } | undefined {
  if (items.length < 2) return undefined;
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  let last: string[] = [];
  let lastIndex = -1;
  let deep = false;
  const rows: unknown[][] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (!isRecord(item)) return undefined;
    const keys = keysOf(item);
    if (lastIndex < 0 || !sameKeys(keys, last)) {
      const signature = JSON.stringify(keys);
      lastIndex = shapeIndex.get(signature) ?? -1;
      if (lastIndex < 0) {
        if ((shapes.length + 1) * 2 > items.length) return undefined;
        lastIndex = shapes.push(keys) - 1;
        shapeIndex.set(signature, lastIndex);
      }
      last = shapes[lastIndex]!;
    }
    const row: unknown[] = new Array(keys.length + 1);
    row[0] = lastIndex;
    for (let column = 0; column < keys.length; column++) {
      const value = item[keys[column]!];
      const encoded = encode(value);
      if (encoded !== value) deep = true;
      row[column + 1] = encoded;
    }
    rows[index] = row;
  }
  return { [TABLE]: deep ? [shapes, rows, 1] : [shapes, rows] };
}

/** Decodes in place what JSON.parse made (the objects are fresh), returning the value. */
function decode(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'object' && item !== null) value[index] = decode(item);
    }
    return value;
  }
  const record = value as Record_;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const key = keys[0]!;
    const inner = record[key];
    if (key === BYTES) {
      if (typeof inner !== 'string') throw new Error('invalid wire bytes');
      return base64ToBytes(inner);
    }
    if (key === TABLE) return expandTable(inner);
    if (key === OBJECT) {
      if (!isRecord(inner)) throw new Error('invalid wire object');
      return decodeFields(inner, Object.keys(inner));
    }
  }
  return decodeFields(record, keys);
}

function decodeFields(record: Record_, keys: string[]): Record_ {
  for (const key of keys) {
    const item = record[key];
    if (typeof item === 'object' && item !== null) {
      const decoded = decode(item);
      if (decoded !== item) setOwn(record, key, decoded);
    }
  }
  return record;
}

function expandTable(table: unknown): Record_[] {
  if (!Array.isArray(table) || !Array.isArray(table[0]) || !Array.isArray(table[1])) throw new Error('invalid wire table');
  const [shapes, rows, deep] = table as Table;
  // Each object starts as a copy of its shape's template and then only overwrites fields: in
  // Chromium that is about twice as fast as adding the keys one by one to {}. The template
  // comes from JSON.parse, whose objects V8 lays out best. "__proto__" is the one key that
  // plain assignment (and Object.assign) would not make an own key: such shapes go slowly.
  const templates = shapes.map((keys) => (keys.includes('__proto__') ? undefined : (JSON.parse(JSON.stringify(Object.fromEntries(keys.map((key) => [key, null])))) as Record_)));
  const out: Record_[] = new Array(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const shape = row[0] as number;
    const keys = shapes[shape];
    if (!keys || row.length !== keys.length + 1) throw new Error('invalid wire table row');
    const template = templates[shape];
    let record: Record_;
    if (template && !deep) {
      record = Object.assign({}, template);
      for (let column = 0; column < keys.length; column++) record[keys[column]!] = row[column + 1];
    } else {
      record = {};
      for (let column = 0; column < keys.length; column++) setOwn(record, keys[column]!, deep ? decode(row[column + 1]) : row[column + 1]);
    }
    out[index] = record;
  }
  return out;
}

export function toWire(value: unknown): string {
  return JSON.stringify(encode(value));
}

export function fromWire(text: string): unknown {
  return decode(JSON.parse(text));
}
