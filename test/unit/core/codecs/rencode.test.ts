import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRencode, encodeRencode } from '../../../../electron/core/codecs/rencode';
import type { RencodeDict, RencodeValue } from '../../../../electron/core/codecs/rencode';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';

// Made by Debian's python3-rencode (test/fixtures/deluge/make-rencode-vectors.py).
type Tagged =
  | { int: string }
  | { float: number | string }
  | { str: string }
  | { bytes: string }
  | { list: Tagged[] }
  | { dict: Array<[Tagged, Tagged]> }
  | { bool: boolean }
  | { none: null };
interface Vector {
  name: string;
  value: Tagged;
  hex: string;
  floatBits?: 32 | 64;
  decodeOnly?: boolean;
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/deluge/rencode-vectors.json', import.meta.url), 'utf8')) as {
  rencode: string;
  vectors: Vector[];
};

const NON_FINITE: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };

/** The JS value a tagged fixture value stands for. */
function untag(tagged: Tagged): RencodeValue {
  if ('int' in tagged) {
    const n = BigInt(tagged.int);
    return Number.isSafeInteger(Number(n)) && BigInt(Number(n)) === n ? Number(n) : n;
  }
  if ('float' in tagged) return typeof tagged.float === 'number' ? tagged.float : NON_FINITE[tagged.float]!;
  if ('str' in tagged) return tagged.str;
  if ('bytes' in tagged) return new Uint8Array(Buffer.from(tagged.bytes, 'hex'));
  if ('list' in tagged) return tagged.list.map(untag);
  if ('dict' in tagged) {
    const dict = Object.create(null) as RencodeDict;
    for (const [key, value] of tagged.dict) dict[String(untag(key))] = untag(value);
    return dict;
  }
  if ('bool' in tagged) return tagged.bool;
  return null;
}

const hex = (value: RencodeValue, floatBits?: 32 | 64): string =>
  encodeRencode(value, floatBits === undefined ? {} : { floatBits }).toString('hex');
const decodeHex = (text: string): RencodeValue => decodeRencode(Buffer.from(text, 'hex'));

describe('rencode against Python rencode 1.0.6 vectors', () => {
  it('has the vectors the generator writes', () => {
    expect(fixture.rencode).toBe('1.0.6');
    expect(fixture.vectors.length).toBeGreaterThan(80);
  });

  for (const vector of fixture.vectors) {
    it(vector.name, () => {
      const value = untag(vector.value);
      if (!vector.decodeOnly) expect(hex(value, vector.floatBits)).toBe(vector.hex);
      expect(decodeHex(vector.hex)).toEqual(value);
    });
  }

  it("encodes daemons.md's daemon.info request and decodes its reply", () => {
    expect(hex([[1, 'daemon.info', [], {}]])).toBe('c1c4018b6461656d6f6e2e696e666fc066');
    expect(decodeHex('c3010185322e302e33')).toEqual([1, 1, '2.0.3']);
  });
});

describe('rencode encoding', () => {
  it('chooses the int form by size, for numbers and bigints alike', () => {
    expect(hex(43)).toBe('2b');
    expect(hex(44)).toBe('3e2c');
    expect(hex(-32)).toBe('65');
    expect(hex(-33)).toBe('3edf');
    expect(hex(128n)).toBe(hex(128));
    expect(hex(2n ** 40n)).toBe(hex(2 ** 40));
    expect(hex(2n ** 63n - 1n)).toBe('417fffffffffffffff');
    // Integers beyond 64 bits: decimal text between CHR_INT and CHR_TERM (0x7f).
    expect(hex(2n ** 64n)).toBe(`3d${Buffer.from('18446744073709551616').toString('hex')}7f`);
    expect(hex(-0)).toBe('00');
    expect(hex(2 ** 62)).toBe(hex(2n ** 62n));
    // Whole numbers beyond 64 bits are taken for floats.
    expect(hex(2 ** 63)).toBe('425f000000');
    expect(hex(-(2 ** 63))).toBe(hex(-(2n ** 63n)));
  });

  it('writes non-integer numbers as float32 unless asked for float64', () => {
    expect(hex(0.1)).toBe('423dcccccd');
    expect(hex(0.1, 64)).toBe('2c3fb999999999999a');
    expect(decodeHex(hex(0.1))).toBe(Math.fround(0.1));
  });

  it('counts string lengths in UTF-8 bytes', () => {
    expect(hex('é'.repeat(31))).toMatch(/^be/); // 62 bytes: fixed form
    expect(hex('é'.repeat(32))).toMatch(/^3634/); // 64 bytes: "64:"
    expect(hex(new Uint8Array([1, 2]))).toBe('820102');
  });

  it('refuses integers rencode cannot carry', () => {
    const error = errorOf(() => encodeRencode(10n ** 63n));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain('64 digits');
    expect(hex(10n ** 63n - 1n)).toMatch(/^3d(39){63}7f$/);
  });

  it('refuses cyclic values instead of overflowing the stack', () => {
    const cyclic: RencodeValue[] = [];
    cyclic.push(cyclic);
    expect(errorOf(() => encodeRencode(cyclic)).code).toBe('invalid-argument');
  });
});

describe('rencode decoding', () => {
  it('keeps __proto__ and constructor keys as plain data', () => {
    // A computed key makes an own "__proto__" property rather than setting the prototype.
    const bytes = encodeRencode({ ['__proto__']: { polluted: true }, constructor: 1 });
    expect(bytes.toString('latin1')).toContain('__proto__');
    const dict = decodeRencode(bytes) as RencodeDict;
    expect(Object.getPrototypeOf(dict)).toBeNull();
    expect(Object.keys(dict)).toEqual(['__proto__', 'constructor']);
    expect(dict['__proto__']).toEqual({ polluted: true });
    expect(dict['constructor']).toBe(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('turns int dict keys into decimal strings and refuses other key types', () => {
    expect(decodeHex('67' + '3e64' + '85' + Buffer.from('hello').toString('hex'))).toEqual({ '100': 'hello' });
    const error = errorOf(() => decodeHex('674501'));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('None');
  });

  it('returns bytes that are not UTF-8 as a Uint8Array, and keeps a BOM', () => {
    expect(decodeHex('82fffe')).toEqual(new Uint8Array([0xff, 0xfe]));
    expect(decodeHex('83efbbbf')).toBe('\ufeff');
    expect(decodeHex('3f7fff')).toBe(32767);
  });

  it('gives numbers for safe integers and bigints beyond', () => {
    expect(decodeHex(hex(2 ** 53 - 1))).toBe(2 ** 53 - 1);
    expect(decodeHex(hex(2n ** 53n))).toBe(2n ** 53n);
    expect(decodeHex(hex(-(2n ** 70n)))).toBe(-(2n ** 70n));
    expect(decodeHex('3d2d3132337f')).toBe(-123);
  });

  it.each([
    ['', 'empty'],
    ['0102', 'unexpected bytes after'],
    ['7f', 'unknown type code 127'],
    ['2d', 'unknown type code 45'],
    ['30', 'unknown type code 48'],
    ['3a', 'unknown type code 58'],
    ['3e', 'needs 1 bytes'],
    ['41000000', 'needs 8 bytes'],
    ['85616263', 'needs 5 bytes'],
    ['3b0102', 'not terminated'],
    ['3c8161', 'ends in the middle'],
    ['c3', 'ends in the middle'],
    ['3d31323334', 'not terminated'],
    ['3d7f', 'no digits'],
    ['3d2d7f', 'no digits'],
    ['3d31613f7f', 'not a decimal'],
    ['31323a', 'needs 12 bytes'],
    ['31783a', 'not a number'],
    ['3132333435363738393031323334353637383a', "no ':'"],
  ])('rejects %s as a protocol error (%s)', (input, fragment) => {
    const error = errorOf(() => decodeHex(input));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain(fragment);
  });

  it('rejects a big int of 64 characters or more, like rencode', () => {
    const digits = Buffer.from('9'.repeat(64)).toString('hex');
    expect(errorOf(() => decodeHex(`3d${digits}7f`)).message).toContain('within 64 characters');
  });

  it('rejects deep nesting quickly, at every list and dict form', () => {
    for (const opener of [0xc1, 0x3b, 0x67, 0x3c]) {
      const nested = Buffer.alloc(1_000_000, opener);
      const started = performance.now();
      const error = errorOf(() => decodeRencode(nested));
      expect(error.code).toBe('protocol');
      expect(error.message).toContain('deeper than 64');
      expect(performance.now() - started).toBeLessThan(100);
    }
    const sixtyFour = Buffer.concat([Buffer.alloc(64, 0xc1), Buffer.from([0x00])]);
    expect(() => decodeRencode(sixtyFour)).not.toThrow();
    expect(errorOf(() => decodeRencode(sixtyFour, { maxDepth: 63 })).code).toBe('protocol');
  });

  it('checks huge declared lengths against the bytes left before allocating', () => {
    const started = performance.now();
    const error = errorOf(() => decodeRencode(Buffer.from('999999999999999:abc')));
    expect(error.message).toContain('needs 999999999999999 bytes but only 3 remain');
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('bounds the number of values', () => {
    const list = Buffer.concat([Buffer.from([0x3b]), Buffer.alloc(1000, 0x01), Buffer.from([0x7f])]);
    expect((decodeRencode(list) as unknown[]).length).toBe(1000);
    expect(errorOf(() => decodeRencode(list, { maxItems: 500 })).message).toContain('more than 500 values');
  });

  it('decodes bytes that are a view into a larger buffer', () => {
    const backing = Buffer.from('ff83616263ff', 'hex');
    expect(decodeRencode(new Uint8Array(backing.buffer, backing.byteOffset + 1, 4))).toBe('abc');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const wellFormed = (s: string): boolean => Buffer.from(s, 'utf8').toString('utf8') === s;
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }).filter(wellFormed),
  fc.string({ unit: 'grapheme-ascii', minLength: 60, maxLength: 70 }),
  fc.constantFrom('', '__proto__', 'constructor', '12:ab', '\ufeff'),
);
const { value: encodable } = fc.letrec<{ value: RencodeValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.integer({ min: -40, max: 50 }),
    fc.maxSafeInteger(),
    fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
    fc.double(),
    text,
    fc.uint8Array({ maxLength: 80 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 70 }),
    fc.dictionary(text, tie('value'), { maxKeys: 30 }),
  ),
}));

/** What decode(encode(value)) must give back. */
function expected(value: RencodeValue, floatBits: 32 | 64): RencodeValue {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 63) return Number.isSafeInteger(value) ? value + 0 : BigInt(value);
    return floatBits === 32 ? Math.fround(value) : value;
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (value instanceof Uint8Array) {
    const asText = Buffer.from(value).toString('utf8');
    return Buffer.from(asText, 'utf8').equals(value) ? asText : value;
  }
  if (Array.isArray(value)) return value.map((item) => expected(item, floatBits));
  if (value !== null && typeof value === 'object') {
    const dict = Object.create(null) as RencodeDict;
    for (const [key, item] of Object.entries(value)) dict[key] = expected(item, floatBits);
    return dict;
  }
  return value;
}

describe('rencode properties', () => {
  it('decode(encode(x)) gives x back (float32 rounding aside)', () => {
    fc.assert(
      fc.property(encodable, fc.constantFrom<32 | 64>(32, 64), (value, floatBits) => {
        expect(decodeRencode(encodeRencode(value, { floatBits }))).toEqual(expected(value, floatBits));
      }),
      { numRuns: 500 },
    );
  });

  it('encode(decode(bytes)) gives the same bytes for anything we encoded', () => {
    fc.assert(
      fc.property(encodable, (value) => {
        const bytes = encodeRencode(value, { floatBits: 64 });
        expect(encodeRencode(decodeRencode(bytes), { floatBits: 64 }).equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const outcome = (bytes: Uint8Array): void => {
    try {
      decodeRencode(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedboxError);
      expect(['protocol', 'response-too-large']).toContain((error as SeedboxError).code);
    }
  };

  it('arbitrary bytes give a value or a typed error, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), outcome), { numRuns: 2000 });
  });

  it('damaged messages give a value or a typed error, nothing else', () => {
    fc.assert(
      fc.property(encodable, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (value, at, byte, cut) => {
        const bytes = encodeRencode(value);
        const damaged = Buffer.from(bytes);
        damaged[at % damaged.length] = byte;
        outcome(damaged);
        outcome(bytes.subarray(0, cut % bytes.length));
      }),
      { numRuns: 1000 },
    );
  });
});
