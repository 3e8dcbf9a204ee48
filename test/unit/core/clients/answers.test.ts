import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerInt, answerMap, answerMismatch, answerTorrentMap, compileShape, describeAnswer, formatPath, parseAnswer, shapeMismatch, type Shape } from '../../../../electron/core/clients/answers';
import { errorOf } from '../../../helpers/errors';

const from = { source: 'the test daemon', call: 'core.something' };

describe('parseAnswer', () => {
  it('hands back what fits, typed, without the keys the schema does not name', () => {
    const schema = z.object({ name: z.string(), size: z.number() });
    expect(parseAnswer(schema, { name: 'a', size: 1, secret: { deep: [[[]]] } }, from)).toEqual({ name: 'a', size: 1 });
  });

  it('names the first field that does not fit, what it expected and what came (its kind, never its value)', () => {
    const schema = z.object({ torrents: z.array(z.object({ name: z.string() })) });
    const error = errorOf(() => parseAnswer(schema, { torrents: [{ name: 'ok' }, { name: 'SECRET'.length }] }, from));
    expect(error.code).toBe('protocol');
    expect(error.message).toBe('The test daemon answered core.something field torrents[1].name with an integer, expected a string.');
    expect(error.details).toEqual({ source: 'the test daemon', call: 'core.something', field: 'torrents[1].name' });
    const whole = errorOf(() => parseAnswer(schema, [], from));
    expect(whole.message).toBe('The test daemon answered core.something with an empty list, expected an object.');
    expect(whole.details['field']).toBe('(answer)');
    // A daemon's own name keeps its spelling at the start of the sentence.
    expect(answerMismatch({ source: 'rTorrent', call: 'd.name' }, {}, 7, 'a string').message).toBe('rTorrent answered d.name with an integer, expected a string.');
  });

  it('stops at the first wrong element of a long list', () => {
    let checked = 0;
    const counted = z.custom<number>(() => (checked++, false), { error: 'a counted thing' });
    const error = errorOf(() => parseAnswer(z.array(counted), Array.from({ length: 100_000 }, () => 'x'), from));
    expect(error.details['field']).toBe('[0]');
    expect(checked).toBe(1);
  });

  it('checks maps entry by entry, stopping at the first wrong key or value', () => {
    let checked = 0;
    const counted = z.custom<number>((value) => (checked++, typeof value === 'number'), { error: 'a number' });
    const wrongValues = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [index.toString(16).padStart(40, '0'), 'x']));
    expect(errorOf(() => parseAnswer(answerTorrentMap(counted), wrongValues, from)).details['field']).toBe(`["${'0'.repeat(40)}"]`);
    expect(checked).toBe(1);
    const wrongKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`k${index}`, 1]));
    const keyError = errorOf(() => parseAnswer(answerTorrentMap(counted), wrongKeys, from));
    expect(keyError.message).toBe('The test daemon answered core.something field k0 as a key, expected a torrent id (40 hexadecimal digits).');
    expect(checked).toBe(1);
  });

  it('keeps "__proto__" and friends as plain keys of a map without a prototype', () => {
    const map = parseAnswer(answerMap(z.number()), JSON.parse('{"__proto__": 1, "constructor": 2}'), from);
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(map['__proto__']).toBe(1);
    expect(map['constructor']).toBe(2);
  });

  it('escapes and clips keys that come from the server', () => {
    expect(formatPath(['torrents', 'x\u001b[2J\u202e', 3, 'name'])).toBe('torrents["x\\u001b[2J\\u202e"][3].name');
    expect(formatPath(['a'.repeat(100)])).toBe(`["${'a'.repeat(48)}…"]`);
    expect(formatPath(['say "hi"'])).toBe('["say \\"hi\\""]');
  });

  it('says what kind of value came, never the value, and what the schema’s own words expect', () => {
    const kinds: [unknown, string][] = [
      [undefined, 'nothing'], [null, 'null'], ['', 'an empty string'], ['x'.repeat(70_000), 'a string of 70000 characters'],
      [[1], 'a list of 1 item'], [[1, 2], 'a list of 2 items'], [1.5, 'a number with a fraction'], [2 ** 60, 'an integer beyond 2^53'],
      [10n ** 20n, 'an integer beyond 2^53'], [new Uint8Array([0xff]), 'binary data (bytes that are not UTF-8 text)'], [false, 'false'], [{}, 'an object'],
    ];
    for (const [value, words] of kinds) expect(describeAnswer(value)).toBe(words);
    expect(errorOf(() => parseAnswer(z.union([answerInt, z.string()]), [1], from)).message).toContain('with a list of 1 item, expected an integer or a string.');
    expect(errorOf(() => parseAnswer(z.literal(true), 1, from)).message).toContain('expected true.');
    expect(errorOf(() => parseAnswer(z.number().positive(), 0, from)).message).toContain('with an integer, expected a number more than 0.');
    expect(errorOf(() => parseAnswer(z.string().max(3, { error: 'a short name' }), 'long', from)).message).toContain('expected a short name.');
  });
});

describe('compiled shapes', () => {
  const shape: Shape = { object: { id: 'hash', trackers: { list: { object: { url: 'string', 'tier-x': 'int' } } } } };
  const fits = compileShape(shape);
  const good = { id: 'ab'.repeat(20), trackers: [{ url: 'u', 'tier-x': 0 }] };

  it('passes what fits and names the first field that does not, below an item of a table', () => {
    expect(fits(good)).toBe(true);
    const bad = { ...good, trackers: [{ url: 'u', 'tier-x': 0 }, { url: 'u', 'tier-x': '1' }] };
    expect(fits(bad)).toBe(false);
    const error = shapeMismatch(from, { item: 'torrent 4' }, shape, bad);
    expect(error.message).toBe('The test daemon answered core.something torrent 4 field trackers[1].tier-x with a string, expected an integer.');
    expect(error.details).toEqual({ source: 'the test daemon', call: 'core.something', field: 'trackers[1].tier-x', item: 'torrent 4' });
    expect(shapeMismatch(from, {}, shape, { ...good, id: 'AB'.repeat(19) }).message).toContain('field id with a string, expected a torrent id (40 hexadecimal digits).');
  });
});
