import { describe, expect, it } from 'vitest';
import { MAX_RULE_DEPTH, MAX_RULE_LENGTH, RuleError, formatCondition, parse, parseOrThrow, type Condition, type Literal } from '../../../../electron/shared/rules';

function literalOf(text: string): Literal {
  const condition = parseOrThrow(text).condition;
  if (condition.kind !== 'compare') throw new Error(`not a comparison: ${text}`);
  return condition.value;
}

function failure(text: string): RuleError {
  const result = parse(text);
  if (result.ok) throw new Error(`parsed: ${text}`);
  return result.error;
}

describe('parse: what the language accepts', () => {
  it.each([
    // The examples.
    ['ratio >= 2 or (seeders < 3 and ratio >= 1) or age > 60d', 'ratio >= 2 or (seeders < 3 and ratio >= 1) or age > 60d'],
    ['tracker == "tracker.example.org" and seeding_time > 14d', 'tracker == "tracker.example.org" and seeding_time > 14d'],
    ['label in ["tv", "movies"]', 'label in ["tv", "movies"]'],
    ['unregistered', 'unregistered'],
    // Precedence: not over and over or; redundant parentheses go, needed ones stay.
    ['a_flag_free or ratio > 1', null],
    ['not private and ratio > 1', 'not private and ratio > 1'],
    ['not (private and ratio > 1)', 'not (private and ratio > 1)'],
    ['(ratio > 1 or seeders > 2) and size > 1GiB', '(ratio > 1 or seeders > 2) and size > 1GiB'],
    ['ratio > 1 or seeders > 2 and size > 1GiB', 'ratio > 1 or (seeders > 2 and size > 1GiB)'],
    ['((ratio > 1))', 'ratio > 1'],
    ['ratio > 1 and (seeders > 2 and leechers < 1)', 'ratio > 1 and seeders > 2 and leechers < 1'],
    ['not not complete', 'not not complete'],
    // Lists, strings, globs, enums, booleans, zero without a unit.
    ['label not in ["a \\"quoted\\" one", "back\\\\slash"]', 'label not in ["a \\"quoted\\" one", "back\\\\slash"]'],
    ['label in []', 'label in []'],
    ['name ~ "*.iso" and name !~ "*beta*"', 'name ~ "*.iso" and name !~ "*beta*"'],
    ['state in ["seeding", "paused"] and state != "error"', 'state in ["seeding", "paused"] and state != "error"'],
    ['private == false', 'private == false'],
    ['uploaded > 0 and age >= 0', 'uploaded > 0 and age >= 0'],
    ['  ratio\n>=\t2  ', 'ratio >= 2'],
  ])('%s', (text, formatted) => {
    const result = parse(text);
    if (formatted === null) {
      expect(result.ok).toBe(false);
      return;
    }
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    if (result.ok) expect(formatCondition(result.rule.condition)).toBe(formatted);
  });

  it('gives and/or chains as one flat node, with not binding tighter than and, and and tighter than or', () => {
    const { condition } = parseOrThrow('not complete and ratio > 1 or age > 2d and seeders < 1 or private');
    const shape = (node: Condition): unknown => {
      switch (node.kind) {
        case 'and':
        case 'or':
          return { [node.kind]: node.operands.map(shape) };
        case 'not':
          return { not: shape(node.operand) };
        default:
          return node.field;
      }
    };
    expect(shape(condition)).toEqual({ or: [{ and: [{ not: 'complete' }, 'ratio'] }, { and: ['age', 'seeders'] }, 'private'] });
  });

  it.each([
    ['age > 90m', 'duration', 5400],
    ['age > 12h', 'duration', 43_200],
    ['age > 14d', 'duration', 14 * 86_400],
    ['age > 2w', 'duration', 14 * 86_400],
    ['age > 30s', 'duration', 30],
    ['age > 1.5d', 'duration', 129_600],
    ['size > 500MiB', 'size', 500 * 1024 ** 2],
    ['size > 2GB', 'size', 2e9],
    ['size > 2gb', 'size', 2e9],
    ['size > 1kB', 'size', 1000],
    ['size > 1KiB', 'size', 1024],
    ['size > 3TiB', 'size', 3 * 1024 ** 4],
    ['size > 10B', 'size', 10],
    ['up_rate > 1MiB/s', 'rate', 1024 ** 2],
    ['down_rate < 500kB/s', 'rate', 500_000],
    ['progress >= 50%', 'percent', 0.5],
    ['ratio >= 1.25', 'number', 1.25],
    ['added < 2026-01-31', 'date', Date.UTC(2026, 0, 31) / 1000],
    ['added < 2026-01-31T18:30Z', 'date', Date.UTC(2026, 0, 31, 18, 30) / 1000],
    ['added < 2024-02-29T23:59:59Z', 'date', Date.UTC(2024, 1, 29, 23, 59, 59) / 1000],
  ])('%s reads as a %s of %d base units', (text, type, value) => {
    const literal = literalOf(text);
    expect(literal.type).toBe(type);
    expect(literal.value).toBeCloseTo(value, 6);
  });

  it('lists the fields a rule reads, each once', () => {
    expect(parseOrThrow('ratio > 1 and (label == "a" or ratio < 5) and not unregistered').fields).toEqual(['ratio', 'label', 'unregistered']);
  });
});

describe('parse: errors say where and what was expected', () => {
  it.each([
    // [text, offset, a phrase of the message, one expected item]
    ['age > 5GB', 6, 'age is a duration', 'a duration such as 90m, 12h, 14d or 2w'],
    ['size > 14d', 7, 'size is a size', 'a size such as 500MiB or 2GB'],
    ['ratio > 2d', 8, 'ratio is a number', 'a number such as 2 or 1.5'],
    ['progress > 0.5', 11, 'progress is a percentage', 'a percentage such as 50%'],
    ['label == 3', 9, 'label is text', 'a quoted text such as "tv"'],
    ['ration > 2', 0, 'did you mean ratio?', 'a field name'],
    ['state == "seding"', 9, 'found the text "seding"', '"seeding"'],
    ['name < "x"', 5, 'name is text', '"~"'],
    ['ratio in [1]', 6, 'ratio is a number', '">="'],
    ['ratio', 5, 'found the end of the rule', '">="'],
    ['ratio >= 2 foo', 11, 'found "foo"', 'the end of the rule'],
    ['(ratio >= 2', 11, 'found the end of the rule', '")"'],
    ['ratio >= 2)', 10, 'found ")"', '"and"'],
    ['ratio >= 2 and', 14, 'found the end of the rule', 'a field name'],
    ['and ratio > 1', 0, 'found "and"', 'a field name'],
    ['ratio = 2', 6, 'equality is written ==', '"=="'],
    ['ratio >= 2 && seeders < 1', 11, 'found the character "&"', '"and"'],
    ['age > 14 days', 6, 'found the number 14', 'a duration such as 90m, 12h, 14d or 2w'],
    ['age > 14days', 8, 'found "days"', 'a unit: s, m, h, d, w for durations; B, kB, MB, GB, TB, KiB, MiB, GiB, TiB for sizes; % for percentages'],
    ['age > 14D', 8, 'found "D"', 'a unit: s, m, h, d, w for durations; B, kB, MB, GB, TB, KiB, MiB, GiB, TiB for sizes; % for percentages'],
    ['ratio > 1.', 10, 'found the end of the rule', 'a digit after the decimal point'],
    ['name == "open', 13, 'found the end of the rule', 'a closing quote (text cannot span lines or hold control characters)'],
    ['name == "a\\nb"', 10, 'found "\\\\n"', '\\" or \\\\ (the only escapes in a text)'],
    ['added < 2026-02-30', 8, 'found 2026-02-30', 'a real date and time (UTC), such as 2026-01-31 or 2026-01-31T18:00Z'],
    ['label not ["x"]', 10, 'found "["', '"in"'],
    ['label in "x"', 9, 'found the text "x"', 'a list such as ["tv", "movies"]'],
    ['label in ["x" "y"]', 14, 'found the text "y"', '"]"'],
    ['unregistered == "yes"', 16, 'unregistered is true or false', 'true or false'],
    ['', 0, 'found the end of the rule', 'a field name'],
    ['  \n ', 4, 'found the end of the rule', '"not"'],
    ['ratio > 2 and\n  agee > 1d', 16, 'line 2, column 3', 'a field name'],
  ])('%s → offset %d', (text, offset, phrase, expected) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(RuleError);
    expect(error.code).toBe('invalid-argument');
    expect(error.position.offset).toBe(offset);
    expect(error.message).toContain(phrase);
    expect(error.expected).toContain(expected);
    expect(error.message).toMatch(/^Expected .+\.$/);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.toJSON().details).toMatchObject({ offset, line: error.position.line, column: error.position.column });
  });

  it('counts lines and columns from 1', () => {
    expect(failure('ratio > 2 and\n  agee > 1d').position).toEqual({ offset: 16, line: 2, column: 3 });
  });

  it(`refuses a rule longer than ${MAX_RULE_LENGTH} characters at that length`, () => {
    const error = failure(`ratio > 1 or ${'ratio > 1 or '.repeat(1000)}ratio > 1`);
    expect(error.position.offset).toBe(MAX_RULE_LENGTH);
    expect(error.message).toContain(`at most ${MAX_RULE_LENGTH} characters`);
  });

  it(`refuses parentheses and nots nested deeper than ${MAX_RULE_DEPTH}, before the stack could overflow`, () => {
    expect(parse(`${'('.repeat(MAX_RULE_DEPTH)}ratio > 1${')'.repeat(MAX_RULE_DEPTH)}`).ok).toBe(true);
    const error = failure(`${'('.repeat(3000)}ratio > 1${')'.repeat(3000)}`);
    expect(error.position.offset).toBe(MAX_RULE_DEPTH);
    expect(failure(`${'not '.repeat(2000)}private`).position.offset).toBe(MAX_RULE_DEPTH * 4);
  });

  it('parseOrThrow throws the same RuleError', () => {
    expect(() => parseOrThrow('ratio >')).toThrow(RuleError);
  });
});
