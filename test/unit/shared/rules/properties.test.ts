import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RULE_FIELDS,
  RuleError,
  SIZE_UNITS,
  DURATION_UNITS,
  compile,
  evaluate,
  formatCondition,
  matches,
  parse,
  parseOrThrow,
  type Condition,
  type FieldSpec,
} from '../../../../electron/shared/rules';
import { TORRENT_STATES, type Torrent } from '../../../../electron/shared/model';

/** The tree without positions: what must survive a trip through text. */
function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span').map(([key, item]) => [key, withoutSpans(item)]));
  }
  return value;
}

const ofType = (type: FieldSpec['type']): string[] => RULE_FIELDS.filter((field) => field.type === type).map((field) => field.name);
const number = fc.tuple(fc.nat({ max: 100_000 }), fc.option(fc.stringMatching(/^\d{1,4}$/), { nil: undefined })).map(([whole, fraction]) => (fraction === undefined ? `${whole}` : `${whole}.${fraction}`));
const ordered = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
/** Any text a string literal can hold: no line breaks or control characters, quotes and backslashes welcome. */
const text = fc.string({ maxLength: 12 }).map((value) => value.replace(/[\x00-\x1f\x7f]/g, ''));
const quoted = text.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`);
const sizeUnit = fc.constantFrom(...Object.keys(SIZE_UNITS), 'KiB', 'MiB', 'GB', 'kB');
const date = fc
  .date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true })
  .chain((when) => fc.constantFrom(when.toISOString().slice(0, 10), `${when.toISOString().slice(0, 16)}Z`, `${when.toISOString().slice(0, 19)}Z`));

const comparisonText = fc.oneof(
  fc.tuple(fc.constantFrom(...ofType('number')), ordered, number).map((parts) => parts.join(' ')),
  fc.tuple(fc.constantFrom(...ofType('percent')), ordered, number).map(([field, op, value]) => `${field} ${op} ${value}%`),
  fc.tuple(fc.constantFrom(...ofType('size')), ordered, number, sizeUnit).map(([field, op, value, unit]) => `${field} ${op} ${value}${unit}`),
  fc.tuple(fc.constantFrom(...ofType('rate')), ordered, number, sizeUnit).map(([field, op, value, unit]) => `${field} ${op} ${value}${unit}/s`),
  fc.tuple(fc.constantFrom(...ofType('duration')), ordered, number, fc.constantFrom(...Object.keys(DURATION_UNITS))).map(([field, op, value, unit]) => `${field} ${op} ${value}${unit}`),
  fc.tuple(fc.constantFrom(...ofType('date')), ordered, date).map((parts) => parts.join(' ')),
  fc.tuple(fc.constantFrom(...ofType('duration'), ...ofType('size')), ordered).map(([field, op]) => `${field} ${op} 0`),
  fc.tuple(fc.constantFrom(...ofType('text')), fc.constantFrom('==', '!=', '~', '!~'), quoted).map((parts) => parts.join(' ')),
  fc.tuple(fc.constantFrom(...ofType('text')), fc.constantFrom('in', 'not in'), fc.array(quoted, { maxLength: 4 })).map(([field, op, values]) => `${field} ${op} [${values.join(', ')}]`),
  fc.tuple(fc.constantFrom('==', '!='), fc.constantFrom(...TORRENT_STATES)).map(([op, state]) => `state ${op} "${state}"`),
  fc.tuple(fc.constantFrom(...ofType('boolean')), fc.constantFrom('', ' == true', ' != false')).map(([field, rest]) => `${field}${rest}`),
);

/** Canonical trees, as the parser makes them: and/or with two or more operands, never directly inside their own kind. */
const tree: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparisonText.map((source) => parseOrThrow(source).condition),
    tie('node').map((operand): Condition => ({ kind: 'not', operand, span: { start: 0, end: 0 } })),
    fc.tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('node'), { minLength: 2, maxLength: 4 })).map(([kind, operands]): Condition => ({
      kind,
      operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])),
      span: { start: 0, end: 0 },
    })),
  ),
})).node;

/** Near-valid text: the language's own words in any order, so the parser's every branch is reached. */
const tokenSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom('ratio', 'label', 'state', 'name', 'age', 'size', 'progress', 'unregistered', 'private', 'added', 'foo', 'and', 'or', 'not', 'in', 'true', 'false'),
      fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~', '!~', '=', '!', '(', ')', '[', ']', ',', '&&', '|'),
      fc.constantFrom('2', '1.5', '0', '14d', '90m', '500MiB', '2GB', '1MiB/s', '50%', '2026-01-31', '2026-13-01', '1.', '5x', '"tv"', '"seeding"', '"*.iso"', '"open', '"a\\"b"', '"\\x"'),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 14 },
  )
  .chain((tokens) => fc.constantFrom(tokens.join(' '), tokens.join(''), tokens.join('\n')));

/** Any code points, lone surrogates included (fc.string's binary unit is ten times slower to generate). */
const anyText = fc.array(fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code)), { maxLength: 60 }).map((chars) => chars.join(''));

function checkOutcome(input: string): void {
  const result = parse(input);
  if (result.ok) {
    // Whatever parses formats back to text that parses to the same tree.
    const again = parseOrThrow(formatCondition(result.rule.condition));
    expect(withoutSpans(again.condition)).toEqual(withoutSpans(result.rule.condition));
    return;
  }
  const { error } = result;
  expect(error).toBeInstanceOf(RuleError);
  expect(error.position.offset).toBeGreaterThanOrEqual(0);
  expect(error.position.offset).toBeLessThanOrEqual(input.length);
  const before = input.slice(0, error.position.offset).split('\n');
  expect(error.position.line).toBe(before.length);
  expect(error.position.column).toBe(before[before.length - 1]!.length + 1);
  expect(error.expected.length).toBeGreaterThan(0);
  expect(error.message).toMatch(/^Expected .+\.$/);
  expect(error.message).not.toContain('\n');
}

describe('rule language properties', () => {
  it('parse(format(tree)) gives the tree back', () => {
    fc.assert(
      fc.property(tree, (condition) => {
        const printed = formatCondition(condition);
        const result = parse(printed);
        expect(result.ok, result.ok ? '' : `${printed}: ${result.error.message}`).toBe(true);
        if (result.ok) expect(withoutSpans(result.rule.condition)).toEqual(withoutSpans(condition));
      }),
      { numRuns: 500 },
    );
  });

  it('any text gives a rule or a positioned RuleError, never another throw', () => {
    fc.assert(fc.property(anyText, checkOutcome), { numRuns: 1000 });
    fc.assert(fc.property(tokenSoup, checkOutcome), { numRuns: 2000 });
  });

  const oddNumber = fc.oneof(fc.double(), fc.constantFrom(-1, 0, Number.NaN, Infinity, -Infinity, 1e300));
  const oddNullable = fc.option(oddNumber, { nil: null });
  const oddRecord: fc.Arbitrary<Torrent> = fc.record(
    {
      id: fc.string(),
      name: fc.string(),
      state: fc.constantFrom(...TORRENT_STATES),
      progress: oddNumber,
      sizeBytes: oddNumber,
      doneBytes: oddNumber,
      uploadedBytes: oddNumber,
      downloadedBytes: oddNumber,
      ratio: oddNumber,
      downRate: oddNumber,
      upRate: oddNumber,
      etaSeconds: oddNullable,
      peersConnected: oddNumber,
      peersTotal: oddNumber,
      seedsConnected: oddNumber,
      seedsTotal: oddNumber,
      labels: fc.array(fc.string(), { maxLength: 3 }),
      savePath: fc.string(),
      addedAt: oddNullable,
      completedAt: oddNullable,
      trackerHosts: fc.array(fc.string(), { maxLength: 3 }),
      message: fc.string(),
      queuePosition: oddNullable,
      seedingSeconds: oddNullable,
      lastActivityAt: oddNullable,
      private: fc.option(fc.boolean(), { nil: null }),
      trackerStatus: fc.option(fc.constantFrom('ok' as const, 'warning' as const, 'error' as const, 'unregistered' as const), { nil: null }),
      trackerMessage: fc.string(),
    },
    { requiredKeys: ['id', 'name', 'state', 'progress', 'sizeBytes', 'doneBytes', 'uploadedBytes', 'downloadedBytes', 'ratio', 'downRate', 'upRate', 'etaSeconds', 'peersConnected', 'peersTotal', 'seedsConnected', 'seedsTotal', 'labels', 'savePath', 'addedAt', 'completedAt', 'trackerHosts', 'message', 'queuePosition', 'seedingSeconds', 'lastActivityAt', 'private', 'trackerStatus', 'trackerMessage'] },
  );

  it('evaluation is total, agrees with the fast path, and not flips true and false but keeps unknown', () => {
    fc.assert(
      fc.property(tree, oddRecord, oddNumber, (condition, record, now) => {
        const compiled = compile(parseOrThrow(formatCondition(condition)));
        const negated = compile(parseOrThrow(`not (${formatCondition(condition)})`));
        const result = evaluate(compiled, record, now);
        expect(matches(compiled, record, now)).toBe(result.matches);
        expect(result.matches).toBe(result.truth === true);
        expect(result.explain.length).toBeGreaterThan(0);
        for (const observation of result.explain) expect(typeof observation.text).toBe('string');
        const opposite = evaluate(negated, record, now).truth;
        expect(opposite).toBe(result.truth === null ? null : !result.truth);
      }),
      { numRuns: 1000 },
    );
  });

  // The evaluator compares numbers in place rather than through each field's read(): both must say the same.
  it('a comparison of a number gives what its field reads, compared plainly', () => {
    const numeric = RULE_FIELDS.filter((field) => field.source).map((field) => field.name);
    const plain: Record<string, (value: number, wanted: number) => boolean> = {
      '==': (value, wanted) => value === wanted,
      '!=': (value, wanted) => value !== wanted,
      '<': (value, wanted) => value < wanted,
      '<=': (value, wanted) => value <= wanted,
      '>': (value, wanted) => value > wanted,
      '>=': (value, wanted) => value >= wanted,
    };
    const wantedValue = fc.oneof(oddNumber.filter((value) => Number.isFinite(value) && value >= 0), fc.constantFrom(0, 1, 86_400, 1.5));
    fc.assert(
      fc.property(fc.constantFrom(...numeric), ordered, wantedValue, oddRecord, oddNumber, (name, operator, wanted, record, now) => {
        const field = RULE_FIELDS.find((candidate) => candidate.name === name)!;
        const span = { start: 0, end: 0 };
        const condition: Condition = { kind: 'compare', field: name, operator, value: { type: 'number', text: String(wanted), value: wanted, span }, span };
        const value = field.read(record, now);
        const expected = value === null ? null : plain[operator]!(value as number, wanted);
        expect(evaluate(compile({ source: '', condition, fields: [name] }), record, now).truth).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
