import { describe, expect, it } from 'vitest';
import { RULE_FIELDS, completeAt } from '../../../../electron/shared/rules';

function labels(text: string, offset = text.length): string[] {
  return completeAt(text, offset).options.map((option) => option.label);
}

describe('completeAt', () => {
  it.each([
    ['', [...RULE_FIELDS.map((field) => field.name), '(', 'not']],
    ['ratio > 1 and ', [...RULE_FIELDS.map((field) => field.name), '(', 'not']],
    ['rat', ['ratio']],
    ['se', ['seeders', 'seeding_time']],
    ['ratio ', ['==', '!=', '<', '<=', '>', '>=']],
    ['name ', ['==', '!=', '~', '!~', 'in', 'not in']],
    ['ratio >= 2 ', ['and', 'or']],
    ['ratio >= 2 o', ['or']],
    ['(ratio > 1 ', ['and', 'or', ')']],
    ['unregistered ', ['and', 'or']],
    ['label not ', ['in']],
    ['state == ', ['"downloading"', '"seeding"', '"paused"', '"queued"', '"checking"', '"metadata"', '"error"']],
    ['state == "s', ['"seeding"']],
    ['tracker_status in ["ok", "u', ['"unregistered"']],
    // Something before the cursor is already wrong: offer nothing rather than a guess.
    ['ratio > 2d an', []],
    ['ratio >= 2 xyz ', []],
  ])('%j → %j', (text, expected) => {
    expect(labels(text)).toEqual(expected);
  });

  it('replaces the word being typed, in the middle of a rule too', () => {
    const text = 'ratio >= 2 an seeders < 3';
    expect(completeAt(text, 13)).toEqual({ from: 11, to: 13, options: [{ label: 'and', detail: 'keyword' }] });
  });

  it('gives each field its description', () => {
    expect(completeAt('seeding_t', 9).options).toEqual([{ label: 'seeding_time', detail: 'Time spent complete and started.' }]);
  });
});
