import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, fromWire, toWire } from '../../../electron/shared/wire';

/** JSON-like values with bytes anywhere, and the markers' own keys as ordinary keys. */
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$bytes', '$table', '$object', '__proto__', 'id', 'name'));
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), fc.string({ maxLength: 8 })),
    fc.uint8Array({ maxLength: 12 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    // Arrays of objects sharing keys: what travels as a table (with some odd ones mixed in).
    fc.tuple(fc.uniqueArray(key, { minLength: 1, maxLength: 4 }), fc.integer({ min: 2, max: 12 })).chain(([keys, count]) =>
      fc.array(fc.oneof({ weight: 4, arbitrary: fc.tuple(...keys.map(() => tie('value'))).map((values) => Object.fromEntries(keys.map((each, index) => [each, values[index]]))) }, { weight: 1, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 3, noNullPrototype: true }) }), {
        minLength: count,
        maxLength: count,
      }),
    ),
  ),
}));

const torrent = (n: number) => ({ id: n.toString(16).padStart(40, '0'), name: `t ${n}`, progress: n / 10, labels: n % 2 ? ['a'] : [], etaSeconds: null });

describe('the harness wire', () => {
  it('gives back what it was given, for any JSON-like value with bytes', () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(fromWire(toWire(input))).toStrictEqual(input);
      }),
      { numRuns: 500 },
    );
  });

  it('sends a list of objects with the same keys as one key list and rows of values', () => {
    const delta = { seedboxId: 'box', full: true, added: Array.from({ length: 100 }, (_, index) => torrent(index)), changed: [{ id: 'a', downRate: 1 }, { id: 'b', downRate: 2 }, { id: 'c', name: 'x' }, { id: 'd', downRate: 3 }], removed: ['x'] };
    const text = toWire(delta);
    expect(text.match(/"progress"/g)).toHaveLength(1);
    expect(text.match(/"downRate"/g)).toHaveLength(1);
    expect(text.length).toBeLessThan(JSON.stringify(delta).length * 0.7);
    expect(fromWire(text)).toStrictEqual(delta);
  });

  it('keeps bytes as {$bytes: base64}, also inside tables, and ordinary objects that look like markers', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(toWire({ file: bytes })).toBe(`{"file":{"$bytes":"${bytesToBase64(bytes)}"}}`);
    const input = { sources: [{ kind: 'file', bytes }, { kind: 'file', bytes: new Uint8Array() }], odd: { $bytes: 'AAAA' }, table: { $table: [[], []] } };
    expect(fromWire(toWire(input))).toStrictEqual(input);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });

  it('drops what JSON drops (undefined fields), and keeps a "__proto__" key an own key', () => {
    const list = [{ a: 1, b: undefined }, { a: 2 }];
    expect(fromWire(toWire(list))).toStrictEqual([{ a: 1 }, { a: 2 }]);
    const odd = JSON.parse('[{"__proto__": 1, "x": 2}, {"__proto__": 3, "x": 4}]') as unknown;
    const back = fromWire(toWire(odd)) as object[];
    expect(back).toStrictEqual(odd);
    expect(Object.getPrototypeOf(back[0])).toBe(Object.prototype);
  });

  it('refuses a malformed table rather than inventing rows', () => {
    expect(() => fromWire('{"$table": 5}')).toThrow(/invalid wire table/);
    expect(() => fromWire('{"$table": [[["a"]], [[0, 1, 2]]]}')).toThrow(/invalid wire table row/);
  });
});
