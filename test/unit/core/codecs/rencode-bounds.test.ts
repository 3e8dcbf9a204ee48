// What a hostile Deluge daemon can make rencode decoding cost: bounded in values, nesting and
// memory, whatever the bytes. A few hundred KB of compressed rencode can describe millions of
// values; these tests decode such bombs and measure what the refusal cost.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RENCODE_MAX_MEMORY_BYTES, decodeRencode, type RencodeValue } from '../../../../electron/core/codecs/rencode';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';
import { rencodeDistinctKeys, rencodeList } from '../../../helpers/rencode-bombs';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Lists, dicts and values in a decoded value. */
function census(value: RencodeValue, into = { values: 0, lists: 0, dicts: 0 }): typeof into {
  into.values++;
  if (Array.isArray(value)) {
    into.lists++;
    for (const item of value) census(item, into);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    into.dicts++;
    for (const key of Object.keys(value)) {
      into.values++;
      census(value[key]!, into);
    }
  }
  return into;
}

const LIMITS = { maxItems: 20_000, maxMemoryBytes: 512 * 1024, maxDepth: 16 };

describe('rencode decoding bounds (properties)', () => {
  // Bytes built as a prefix, a short pattern repeated up to 50 000 times and a suffix: the
  // shape of every amplification (lists of tiny values, dicts of many keys, nested openers).
  const amplified = fc
    .tuple(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ minLength: 1, maxLength: 6 }), fc.nat({ max: 50_000 }), fc.uint8Array({ maxLength: 4 }))
    .map(([prefix, pattern, count, suffix]) => {
      const bytes = Buffer.alloc(prefix.length + pattern.length * count + suffix.length);
      bytes.set(prefix, 0);
      for (let index = 0; index < count; index++) bytes.set(pattern, prefix.length + index * pattern.length);
      bytes.set(suffix, prefix.length + pattern.length * count);
      return bytes;
    });

  it('any bytes give a value within the bounds, or a typed error; never a crash or a hang', () => {
    fc.assert(
      fc.property(fc.oneof(amplified, fc.uint8Array({ maxLength: 4000 })), (bytes) => {
        const started = performance.now();
        let value: RencodeValue;
        try {
          value = decodeRencode(bytes, LIMITS);
        } catch (error) {
          expect(error).toBeInstanceOf(SeedboxError);
          expect(['protocol', 'response-too-large']).toContain((error as SeedboxError).code);
          return;
        } finally {
          // Linear in the input, which is at most 300 KB here.
          expect(performance.now() - started).toBeLessThan(2_000);
        }
        const { values, lists, dicts } = census(value);
        expect(values).toBeLessThanOrEqual(LIMITS.maxItems);
        expect(values * 8 + lists * 32 + dicts * 192).toBeLessThanOrEqual(LIMITS.maxMemoryBytes);
      }),
      { numRuns: 400 },
    );
  });
});

describe('rencode bombs, with the default bounds', () => {
  const bombs: Array<[string, () => Buffer]> = [
    ['ten million one-character strings', () => rencodeList([0x81, 0x61], 10_000_000)],
    ['eight million distinct three-character strings', () => rencodeList([0x83, 0x61, 0x62, 0x63], 8_000_000)],
    ['three million distinct dict keys', () => rencodeDistinctKeys(3_000_000)],
    ['three million empty dicts', () => rencodeList([0x66], 3_000_000)],
    ['five million empty lists', () => rencodeList([0xc0], 5_000_000)],
    ['five million floats', () => rencodeList([0x42, 0x3f, 0x80, 0x00, 0x01], 5_000_000)],
  ];

  it.each(bombs)('%s: refused, the heap grown by less than the 192 MiB bound and its slack', (name, make) => {
    const bytes = make();
    gc();
    const before = process.memoryUsage().heapUsed;
    const error = errorOf(() => decodeRencode(bytes));
    // Measured before any collection: what was built up to the refusal is still on the heap.
    const grown = process.memoryUsage().heapUsed - before;
    expect(error.code).toBe('response-too-large');
    expect(grown).toBeLessThan(DEFAULT_RENCODE_MAX_MEMORY_BYTES * 1.5);
    console.log(`rencode bomb "${name}" (${(bytes.length / 1e6).toFixed(1)} MB): refused after ${(grown / 2 ** 20).toFixed(0)} MiB of heap: ${error.message}`);
  }, 60_000);
});
