import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { answerMap, answerTorrentMap, formatPath, parseAnswer } from '../../../../electron/core/clients/answer';
import { errorOf } from '../../../helpers/errors';

const from = { source: 'the test daemon', method: 'core.something' };

describe('parseAnswer', () => {
  it('hands back what fits, typed, without the keys the schema does not name', () => {
    const schema = z.object({ name: z.string(), size: z.number() });
    expect(parseAnswer(schema, { name: 'a', size: 1, secret: { deep: [[[]]] } }, from)).toEqual({ name: 'a', size: 1 });
  });

  it('names the first field that does not fit, what it expected and what came (its kind, never its value)', () => {
    const schema = z.object({ torrents: z.array(z.object({ name: z.string() })) });
    const error = errorOf(() => parseAnswer(schema, { torrents: [{ name: 'ok' }, { name: 'SECRET'.length }] }, from));
    expect(error.code).toBe('protocol');
    expect(error.message).toBe('The test daemon answered core.something with an unexpected value at torrents[1].name: expected a string, got a whole number.');
    expect(error.details).toEqual({ endpoint: 'the test daemon', method: 'core.something', field: 'torrents[1].name' });
    const whole = errorOf(() => parseAnswer(schema, [], from));
    expect(whole.message).toContain('as a whole: expected an object, got a list of 0');
    expect(whole.details['field']).toBe('(answer)');
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
    expect(keyError.message).toContain('at k0: expected a torrent id (40 hexadecimal digits) as the key, got a key that is not');
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
});
