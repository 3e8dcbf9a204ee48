// rencode, the serialization Deluge's daemon speaks (Python's `rencode` 1.0.6 as Debian ships
// it with Deluge 2.0.x). Encoding picks the same compact forms rencode.dumps picks, so our
// bytes equal Python's (test/fixtures/deluge/rencode-vectors.json). Decoding never trusts the
// input: every declared length is checked against the bytes left, nesting, item counts and the
// memory the decoded value will take are bounded, anything malformed is a
// SeedboxError('protocol') and anything too big a SeedboxError('response-too-large').
//
// Value mapping:
// - ints: decoded as a JS number when it is a safe integer, else a bigint. Encoding takes
//   either; a whole JS number within 64 bits (-0 included, as 0) is an int.
// - floats: a JS number. Other numbers (fractions, NaN, infinities, whole numbers beyond 64
//   bits) encode as float32 unless floatBits is 64, as rencode does by default (so 0.1 comes
//   back as Math.fround(0.1)).
// - str and bytes share one wire form. Deluge loads with decode_utf8=True, so we decode
//   UTF-8 to a string (a BOM is kept, like Python). Python raises on invalid UTF-8; we are
//   more forgiving and hand back the raw bytes as a Uint8Array.
// - tuples and lists are the same on the wire: arrays.
// - dicts become null-prototype objects, so keys like "__proto__" are plain data. Keys must
//   be strings or numbers (Deluge sometimes keys by int: those become decimal strings);
//   other key types are refused.

import { SeedboxError } from '../../shared/errors';
import { MAX_VALUE_DEPTH } from './depth';

export type RencodeValue = number | bigint | string | boolean | null | Uint8Array | RencodeValue[] | RencodeDict;
export type RencodeDict = { [key: string]: RencodeValue };

export interface RencodeEncodeOptions {
  /** Width of non-integer numbers; rencode's default is 32. */
  floatBits?: 32 | 64;
}

export interface RencodeDecodeLimits {
  /** Nesting of lists and dicts; default 64. */
  maxDepth?: number;
  /** Values of any kind in the whole message, dict keys included; default 4 Mi. */
  maxItems?: number;
  /**
   * An estimate of the JavaScript heap the decoded value takes, in bytes; default 192 MiB.
   * A few bytes of rencode can cost a hundred times more once decoded (an empty dict is one
   * byte and about 200 bytes of heap), so counting values alone does not bound memory.
   */
  maxMemoryBytes?: number;
}

const CHR_LIST = 59;
const CHR_DICT = 60;
const CHR_INT = 61;
const CHR_INT1 = 62;
const CHR_INT2 = 63;
const CHR_INT4 = 64;
const CHR_INT8 = 65;
const CHR_FLOAT32 = 66;
const CHR_FLOAT64 = 44;
const CHR_TRUE = 67;
const CHR_FALSE = 68;
const CHR_NONE = 69;
const CHR_TERM = 127;
const INT_POS_FIXED_COUNT = 44;
const INT_NEG_FIXED_START = 70;
const INT_NEG_FIXED_COUNT = 32;
const DICT_FIXED_START = 102;
const DICT_FIXED_COUNT = 25;
const STR_FIXED_START = 128;
const STR_FIXED_COUNT = 64;
const LIST_FIXED_START = STR_FIXED_START + STR_FIXED_COUNT;
const LIST_FIXED_COUNT = 64;
/** rencode refuses big ints of 64 characters or more (sign included). */
const MAX_INT_LENGTH = 64;
const COLON = 0x3a;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const MINUS = 0x2d;

export const DEFAULT_RENCODE_MAX_DEPTH = MAX_VALUE_DEPTH;
/** Deluge's list of 10 000 torrents holds about 500 000 values; 75 000 torrents fit. */
export const DEFAULT_RENCODE_MAX_ITEMS = 4 * 1024 * 1024;
/** About 75 000 rows of Deluge's torrent list (about 2.6 KB each by this estimate), the largest answer we expect. */
export const DEFAULT_RENCODE_MAX_MEMORY_BYTES = 192 * 1024 * 1024;

// What the memory estimate charges, from V8's object sizes (measured on Node 20: a list of a
// million empty dicts takes 194 bytes each, of empty lists 42, of 8-byte strings 34).
/** Every value: its slot in the list or dict that holds it (a number, true, None: nothing else). */
const COST_SLOT = 8;
/** A string's header; its characters come on top (two bytes each unless ASCII). */
const COST_STRING = 16;
/** A heap number (a float, or an integer beyond 31 bits) or a bigint. */
const COST_BOXED = 16;
const COST_LIST = 32;
/** A null-prototype object, and each entry of its hash table. */
const COST_DICT = 192;
const COST_DICT_ENTRY = 40;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// ---------------------------------------------------------------------------------------------
// Encoding

/** Python's rencode.dumps(value) for the equivalent Python value. */
export function encodeRencode(value: RencodeValue, options: RencodeEncodeOptions = {}): Buffer {
  const writer = new Writer(options.floatBits ?? 32);
  writer.value(value, 0);
  return writer.finish();
}

class Writer {
  private buffer = Buffer.allocUnsafe(256);
  private length = 0;

  constructor(private readonly floatBits: 32 | 64) {}

  finish(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  private bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  value(value: RencodeValue, depth: number): void {
    // Guards against cycles, which would otherwise recurse until the stack overflows.
    if (depth > 1000) throw new SeedboxError('invalid-argument', 'Cannot rencode a value nested more than 1000 levels deep (a cycle?).');
    if (value === null) return this.byte(CHR_NONE);
    switch (typeof value) {
      case 'boolean':
        return this.byte(value ? CHR_TRUE : CHR_FALSE);
      case 'number':
        // Whole numbers beyond 64 bits are most likely floats (1e30); send bigints for huge ints.
        return Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63 ? this.integer(value) : this.float(value);
      case 'bigint':
        return this.bigInteger(value);
      case 'string':
        return this.string(Buffer.from(value, 'utf8'));
      case 'object':
        if (value instanceof Uint8Array) return this.string(value);
        if (Array.isArray(value)) return this.list(value, depth);
        return this.dict(value, depth);
      default:
        throw new SeedboxError('invalid-argument', `Cannot rencode a value of type ${typeof value}.`);
    }
  }

  private integer(n: number): void {
    if (n >= 0 && n < INT_POS_FIXED_COUNT) return this.byte(n);
    if (n < 0 && n >= -INT_NEG_FIXED_COUNT) return this.byte(INT_NEG_FIXED_START - 1 - n);
    if (n >= -0x80 && n < 0x80) {
      this.reserve(2);
      this.buffer[this.length] = CHR_INT1;
      this.buffer.writeInt8(n, this.length + 1);
      this.length += 2;
    } else if (n >= -0x8000 && n < 0x8000) {
      this.reserve(3);
      this.buffer[this.length] = CHR_INT2;
      this.buffer.writeInt16BE(n, this.length + 1);
      this.length += 3;
    } else if (n >= -0x80000000 && n < 0x80000000) {
      this.reserve(5);
      this.buffer[this.length] = CHR_INT4;
      this.buffer.writeInt32BE(n, this.length + 1);
      this.length += 5;
    } else {
      this.bigInteger(BigInt(n));
    }
  }

  private bigInteger(n: bigint): void {
    if (n >= -(2n ** 31n) && n < 2n ** 31n) return this.integer(Number(n));
    if (n >= INT64_MIN && n <= INT64_MAX) {
      this.reserve(9);
      this.buffer[this.length] = CHR_INT8;
      this.buffer.writeBigInt64BE(n, this.length + 1);
      this.length += 9;
      return;
    }
    const digits = n.toString();
    if (digits.length >= MAX_INT_LENGTH) {
      throw new SeedboxError('invalid-argument', `Cannot rencode an integer of ${digits.length} digits (rencode allows fewer than ${MAX_INT_LENGTH} characters).`);
    }
    this.byte(CHR_INT);
    this.bytes(Buffer.from(digits, 'latin1'));
    this.byte(CHR_TERM);
  }

  private float(n: number): void {
    if (this.floatBits === 64) {
      this.reserve(9);
      this.buffer[this.length] = CHR_FLOAT64;
      this.buffer.writeDoubleBE(n, this.length + 1);
      this.length += 9;
    } else {
      this.reserve(5);
      this.buffer[this.length] = CHR_FLOAT32;
      this.buffer.writeFloatBE(n, this.length + 1);
      this.length += 5;
    }
  }

  private string(data: Uint8Array): void {
    if (data.length < STR_FIXED_COUNT) {
      this.byte(STR_FIXED_START + data.length);
    } else {
      this.bytes(Buffer.from(`${data.length}:`, 'latin1'));
    }
    this.bytes(data);
  }

  private list(items: RencodeValue[], depth: number): void {
    const fixed = items.length < LIST_FIXED_COUNT;
    this.byte(fixed ? LIST_FIXED_START + items.length : CHR_LIST);
    for (const item of items) this.value(item, depth + 1);
    if (!fixed) this.byte(CHR_TERM);
  }

  private dict(dict: RencodeDict, depth: number): void {
    const keys = Object.keys(dict);
    const fixed = keys.length < DICT_FIXED_COUNT;
    this.byte(fixed ? DICT_FIXED_START + keys.length : CHR_DICT);
    for (const key of keys) {
      this.string(Buffer.from(key, 'utf8'));
      this.value(dict[key]!, depth + 1);
    }
    if (!fixed) this.byte(CHR_TERM);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** Python's rencode.loads(bytes, decode_utf8=True), bounded; see the value mapping above. */
export function decodeRencode(bytes: Uint8Array, limits: RencodeDecodeLimits = {}): RencodeValue {
  const reader = new Reader(
    bytes,
    limits.maxDepth ?? DEFAULT_RENCODE_MAX_DEPTH,
    limits.maxItems ?? DEFAULT_RENCODE_MAX_ITEMS,
    limits.maxMemoryBytes ?? DEFAULT_RENCODE_MAX_MEMORY_BYTES,
  );
  if (bytes.length === 0) throw malformed('the message is empty');
  const value = reader.value(0);
  if (reader.pos !== bytes.length) throw malformed(`${bytes.length - reader.pos} unexpected bytes after the value`);
  return value;
}

function malformed(what: string): SeedboxError {
  return new SeedboxError('protocol', `The Deluge daemon sent a malformed rencode message: ${what}.`);
}

function tooLarge(what: string, limit: number): SeedboxError {
  return new SeedboxError('response-too-large', `The Deluge daemon sent a rencode message with ${what}; refused before decoding further.`, { limit });
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

class Reader {
  pos = 0;
  private items = 0;
  /** The memory estimate so far (see the COST_ constants). */
  private memory = 0;
  private readonly buffer: Buffer;

  constructor(
    bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly maxItems: number,
    private readonly maxMemory: number,
  ) {
    this.buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Charges `bytes` to the memory estimate; refuses the message once over the bound. */
  private spend(bytes: number): void {
    if ((this.memory += bytes) > this.maxMemory) {
      throw tooLarge(`values that would take more than ${Math.round(this.maxMemory / 2 ** 20)} MiB of memory once decoded`, this.maxMemory);
    }
  }

  /** Moves past `count` bytes, failing if the message ends first; returns where they start. */
  private take(count: number, what: string): number {
    const start = this.pos;
    if (count > this.buffer.length - start) {
      throw malformed(`${what} at byte ${start - 1} needs ${count} bytes but only ${this.buffer.length - start} remain`);
    }
    this.pos += count;
    return start;
  }

  value(depth: number): RencodeValue {
    if (++this.items > this.maxItems) throw tooLarge(`more than ${this.maxItems} values`, this.maxItems);
    this.spend(COST_SLOT);
    if (this.pos >= this.buffer.length) throw malformed('it ends in the middle of a value');
    const code = this.buffer[this.pos++]!;
    if (code < INT_POS_FIXED_COUNT) return code;
    if (code >= LIST_FIXED_START) return this.fixedList(code - LIST_FIXED_START, depth);
    if (code >= STR_FIXED_START) return this.string(code - STR_FIXED_START);
    if (code >= DICT_FIXED_START && code < DICT_FIXED_START + DICT_FIXED_COUNT) return this.fixedDict(code - DICT_FIXED_START, depth);
    if (code >= INT_NEG_FIXED_START && code < INT_NEG_FIXED_START + INT_NEG_FIXED_COUNT) return INT_NEG_FIXED_START - 1 - code;
    if (code >= DIGIT_1 && code <= DIGIT_9) return this.string(this.declaredLength());
    const buffer = this.buffer;
    switch (code) {
      case CHR_INT1:
        return buffer.readInt8(this.take(1, 'a 1-byte integer'));
      case CHR_INT2:
        return buffer.readInt16BE(this.take(2, 'a 2-byte integer'));
      case CHR_INT4:
        return buffer.readInt32BE(this.take(4, 'a 4-byte integer'));
      case CHR_INT8:
        this.spend(COST_BOXED);
        return narrow(buffer.readBigInt64BE(this.take(8, 'an 8-byte integer')));
      case CHR_INT:
        this.spend(COST_BOXED);
        return this.bigInteger();
      case CHR_FLOAT32:
        this.spend(COST_BOXED);
        return buffer.readFloatBE(this.take(4, 'a 4-byte float'));
      case CHR_FLOAT64:
        this.spend(COST_BOXED);
        return buffer.readDoubleBE(this.take(8, 'an 8-byte float'));
      case CHR_TRUE:
        return true;
      case CHR_FALSE:
        return false;
      case CHR_NONE:
        return null;
      case CHR_LIST:
        return this.openList(depth);
      case CHR_DICT:
        return this.openDict(depth);
      default:
        throw malformed(`unknown type code ${code} at byte ${this.pos - 1}`);
    }
  }

  /** The "123:" of a long string; the first digit was already read. */
  private declaredLength(): number {
    const start = this.pos - 1;
    // 15 digits stay exact in a double and already exceed any message we accept.
    const end = Math.min(this.buffer.length, start + 16);
    let length = 0;
    for (let i = start; i < end; i++) {
      const c = this.buffer[i]!;
      if (c === COLON) {
        this.pos = i + 1;
        return length;
      }
      if (c < DIGIT_0 || c > DIGIT_9) throw malformed(`a string length at byte ${start} is not a number`);
      length = length * 10 + (c - DIGIT_0);
    }
    throw malformed(`a string length at byte ${start} has no ':' after at most 15 digits`);
  }

  private string(length: number): string | Uint8Array {
    const start = this.take(length, 'a string');
    const end = start + length;
    const buffer = this.buffer;
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buffer[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.spend(COST_STRING + (ascii ? length : 2 * length));
    if (ascii) return buffer.toString('latin1', start, end);
    try {
      return utf8.decode(buffer.subarray(start, end));
    } catch {
      // Not UTF-8: a Python bytes value. A copy, so it does not pin the whole message.
      return new Uint8Array(buffer.subarray(start, end));
    }
  }

  private bigInteger(): number | bigint {
    const start = this.pos;
    const limit = Math.min(this.buffer.length, start + MAX_INT_LENGTH);
    const end = this.buffer.indexOf(CHR_TERM, start);
    if (end < 0 || end >= limit) throw malformed(`a big integer at byte ${start - 1} is not terminated within ${MAX_INT_LENGTH} characters`);
    const digitsStart = this.buffer[start] === MINUS ? start + 1 : start;
    if (digitsStart === end) throw malformed(`a big integer at byte ${start - 1} has no digits`);
    for (let i = digitsStart; i < end; i++) {
      const c = this.buffer[i]!;
      if (c < DIGIT_0 || c > DIGIT_9) throw malformed(`a big integer at byte ${start - 1} is not a decimal number`);
    }
    this.pos = end + 1;
    return narrow(BigInt(this.buffer.toString('latin1', start, end)));
  }

  private enter(depth: number): number {
    if (depth >= this.maxDepth) throw malformed(`lists and dicts nested deeper than ${this.maxDepth} levels`);
    return depth + 1;
  }

  private fixedList(count: number, depth: number): RencodeValue[] {
    const inner = this.enter(depth);
    this.spend(COST_LIST);
    const list: RencodeValue[] = new Array<RencodeValue>(count);
    for (let i = 0; i < count; i++) list[i] = this.value(inner);
    return list;
  }

  private openList(depth: number): RencodeValue[] {
    const inner = this.enter(depth);
    this.spend(COST_LIST);
    const list: RencodeValue[] = [];
    while (this.atTerm() === false) list.push(this.value(inner));
    return list;
  }

  private fixedDict(count: number, depth: number): RencodeDict {
    const inner = this.enter(depth);
    this.spend(COST_DICT);
    const dict = Object.create(null) as RencodeDict;
    for (let i = 0; i < count; i++) this.entry(dict, inner);
    return dict;
  }

  private openDict(depth: number): RencodeDict {
    const inner = this.enter(depth);
    this.spend(COST_DICT);
    const dict = Object.create(null) as RencodeDict;
    while (this.atTerm() === false) this.entry(dict, inner);
    return dict;
  }

  /** True (and consumed) at CHR_TERM; a message that ends first is malformed. */
  private atTerm(): boolean {
    if (this.pos >= this.buffer.length) throw malformed('a list or dict is not terminated');
    if (this.buffer[this.pos] !== CHR_TERM) return false;
    this.pos++;
    return true;
  }

  private entry(dict: RencodeDict, depth: number): void {
    this.spend(COST_DICT_ENTRY);
    const at = this.pos;
    const key = this.value(depth);
    if (typeof key === 'string') dict[key] = this.value(depth);
    else if (typeof key === 'number' || typeof key === 'bigint') dict[String(key)] = this.value(depth);
    else throw malformed(`a dict key at byte ${at} is ${describe(key)}; only strings and numbers are supported`);
  }
}

/** Safe integers as numbers, the rest as bigints. */
function narrow(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function describe(value: RencodeValue): string {
  if (value === null) return 'None';
  if (value instanceof Uint8Array) return 'a byte string';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
