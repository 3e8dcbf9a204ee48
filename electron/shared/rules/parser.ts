// Text to a type-checked condition tree.
//
// Hand-written recursive descent rather than a parser library: the grammar is five rules deep,
// and what the editor and the CLI need most is an error that says, at one position, what was
// expected there and why (the field's type, the allowed units, a likely field name). Chevrotain,
// peggy or nearley would add a grammar DSL or a generation step and still leave the type checks
// and these messages to hand-written code, in a module that also runs in the renderer. It
// never builds code from the text: the result is a tree that evaluate.ts walks.
//
//   rule      := or END
//   or        := and ("or" and)*
//   and       := unary ("and" unary)*
//   unary     := "not" unary | "(" or ")" | predicate
//   predicate := FIELD (OPERATOR literal | "in" list | "not" "in" list)?   (bare only for a boolean field)
//   list      := "[" (literal ("," literal)*)? "]"
import type { CompareOperator, Condition, Literal, LiteralType, Rule } from './ast';
import { COMPARE_OPERATORS } from './ast';
import { RuleError, positionAt } from './errors';
import { RULE_FIELDS, fieldNamed, type FieldSpec, type FieldType } from './fields';
import { DURATION_UNITS, RATE_SUFFIX, SIZE_UNITS } from './units';

/** Longer than any policy a person writes; bounds the work one keystroke can cause. */
export const MAX_RULE_LENGTH = 10_000;
/** Parentheses and `not`s nested deeper than this are refused before the call stack could be. */
export const MAX_RULE_DEPTH = 64;

/** In an error's expected list: any field of RULE_FIELDS fits there (the editor offers them). */
export const FIELD_NAME = 'a field name';

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false']);

type Token =
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'literal'; literal: Literal; start: number; end: number }
  | { kind: 'symbol'; text: string; start: number; end: number }
  /** A character that starts no token: reported by the parser with what it expected there. */
  | { kind: 'invalid'; text: string; start: number; end: number }
  | { kind: 'end'; start: number; end: number };

/** What each field type is compared with, as the error messages say it. */
const LITERAL_FOR: Record<FieldType, { type: LiteralType; hint: string }> = {
  number: { type: 'number', hint: 'a number such as 2 or 1.5' },
  percent: { type: 'percent', hint: 'a percentage such as 50%' },
  size: { type: 'size', hint: 'a size such as 500MiB or 2GB' },
  rate: { type: 'rate', hint: 'a speed such as 1MiB/s' },
  duration: { type: 'duration', hint: 'a duration such as 90m, 12h, 14d or 2w' },
  date: { type: 'date', hint: 'a date such as 2026-01-31 or 2026-01-31T18:00Z' },
  text: { type: 'string', hint: 'a quoted text such as "tv"' },
  enum: { type: 'string', hint: 'a quoted value' },
  boolean: { type: 'boolean', hint: 'true or false' },
};

const ORDERED: readonly CompareOperator[] = ['==', '!=', '<', '<=', '>', '>='];
const OPERATORS_FOR: Record<FieldType, readonly CompareOperator[]> = {
  number: ORDERED,
  percent: ORDERED,
  size: ORDERED,
  rate: ORDERED,
  duration: ORDERED,
  date: ORDERED,
  text: ['==', '!=', '~', '!~'],
  enum: ['==', '!='],
  boolean: ['==', '!='],
};

/** Types a unit-less 0 may stand for: "uploaded > 0" needs no unit. */
const ZERO_NEEDS_NO_UNIT = new Set<FieldType>(['percent', 'size', 'rate', 'duration']);

const SYMBOLS = ['==', '!=', '!~', '<=', '>=', '<', '>', '~', '(', ')', '[', ']', ','];

function typeName(type: FieldType): string {
  return { number: 'a number', percent: 'a percentage', size: 'a size', rate: 'a speed', duration: 'a duration', date: 'a date', text: 'text', enum: 'a choice of fixed values', boolean: 'true or false' }[type];
}

function isWordStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWordPart(code: number): boolean {
  return isWordStart(code) || isDigit(code);
}

/** The closest field name, for "did you mean": one edit away for short names, two for longer ones. */
function closestField(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = name.length <= 3 ? 2 : 3;
  for (const field of RULE_FIELDS) {
    const distance = editDistance(name.toLowerCase(), field.name);
    if (distance < bestDistance) {
      best = field.name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** A list of choices in prose: `a, b or c`. */
function listInProse(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** How a string literal is written back: double quotes, with `\"` and `\\` escaped. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

class Parser {
  private offset = 0;
  private lookahead: Token | undefined;
  private depth = 0;
  private readonly fields = new Set<string>();

  constructor(private readonly text: string) {}

  parseRule(): Rule {
    if (this.text.length > MAX_RULE_LENGTH) {
      throw this.error(MAX_RULE_LENGTH, [`at most ${MAX_RULE_LENGTH} characters`], `a rule of ${this.text.length}`);
    }
    const condition = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, ['"and"', '"or"', 'the end of the rule']);
    return { source: this.text, condition, fields: [...this.fields] };
  }

  private parseOr(): Condition {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): Condition {
    return this.parseChain('and', () => this.parseUnary());
  }

  /** `a and b and (c and d)` is one node with four operands: the tree is canonical, so it formats back to itself. */
  private parseChain(kind: 'and' | 'or', operand: () => Condition): Condition {
    const operands: Condition[] = [];
    const add = (condition: Condition): void => {
      if (condition.kind === kind) operands.push(...condition.operands);
      else operands.push(condition);
    };
    add(operand());
    while (this.isWord(this.peek(), kind)) {
      this.take();
      add(operand());
    }
    if (operands.length === 1) return operands[0]!;
    return { kind, operands, span: { start: operands[0]!.span.start, end: operands[operands.length - 1]!.span.end } };
  }

  private parseUnary(): Condition {
    const token = this.peek();
    if (this.isWord(token, 'not') || (token.kind === 'symbol' && token.text === '(')) {
      if (this.depth >= MAX_RULE_DEPTH) throw this.error(token.start, [`at most ${MAX_RULE_DEPTH} nested parentheses and "not"s`], `more`);
      this.depth++;
      this.take();
      let condition: Condition;
      if (token.kind === 'word') {
        const operand = this.parseUnary();
        condition = { kind: 'not', operand, span: { start: token.start, end: operand.span.end } };
      } else {
        condition = this.parseOr();
        const close = this.peek();
        if (!(close.kind === 'symbol' && close.text === ')')) throw this.unexpected(close, ['"and"', '"or"', '")"']);
        this.take();
      }
      this.depth--;
      return condition;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Condition {
    const token = this.peek();
    const expectedStart = [FIELD_NAME, '"("', '"not"'];
    if (token.kind !== 'word' || KEYWORDS.has(token.text)) throw this.unexpected(token, expectedStart);
    const field = fieldNamed(token.text);
    if (!field) {
      const guess = closestField(token.text);
      throw this.error(token.start, [FIELD_NAME], `"${token.text}"`, guess ? `did you mean ${guess}?` : 'see the list of fields');
    }
    this.take();
    this.fields.add(field.name);
    const next = this.peek();
    const start = token.start;
    if (next.kind === 'symbol' && (COMPARE_OPERATORS as readonly string[]).includes(next.text)) {
      const operator = next.text as CompareOperator;
      if (!OPERATORS_FOR[field.type].includes(operator)) {
        throw this.error(next.start, this.operatorsFor(field), `"${operator}"`, `${field.name} is ${typeName(field.type)}`);
      }
      this.take();
      const value = this.parseLiteral(field);
      return { kind: 'compare', field: field.name, operator, value, span: { start, end: value.span.end } };
    }
    if (this.isWord(next, 'in') || this.isWord(next, 'not')) {
      const negated = next.text === 'not';
      if (field.type !== 'text' && field.type !== 'enum') {
        throw this.error(next.start, this.operatorsFor(field), `"${next.text}"`, `${field.name} is ${typeName(field.type)}`);
      }
      this.take();
      if (negated) {
        const inWord = this.peek();
        if (!this.isWord(inWord, 'in')) throw this.unexpected(inWord, ['"in"']);
        this.take();
      }
      const { values, end } = this.parseList(field);
      return { kind: 'in', field: field.name, negated, values, span: { start, end } };
    }
    if (field.type === 'boolean') return { kind: 'flag', field: field.name, span: { start, end: token.end } };
    throw this.error(next.start, this.operatorsFor(field), this.describe(next), `${field.name} is ${typeName(field.type)}`);
  }

  private operatorsFor(field: FieldSpec): string[] {
    const operators = OPERATORS_FOR[field.type].map((operator) => `"${operator}"`);
    return field.type === 'text' || field.type === 'enum' ? [...operators, '"in"', '"not in"'] : operators;
  }

  private parseList(field: FieldSpec): { values: Literal[]; end: number } {
    const open = this.peek();
    if (!(open.kind === 'symbol' && open.text === '[')) throw this.unexpected(open, ['a list such as ["tv", "movies"]']);
    this.take();
    const values: Literal[] = [];
    const first = this.peek();
    if (first.kind === 'symbol' && first.text === ']') {
      this.take();
      return { values, end: first.end };
    }
    for (;;) {
      values.push(this.parseLiteral(field));
      const next = this.peek();
      this.take();
      if (next.kind === 'symbol' && next.text === ']') return { values, end: next.end };
      if (!(next.kind === 'symbol' && next.text === ',')) throw this.unexpected(next, ['","', '"]"']);
    }
  }

  private parseLiteral(field: FieldSpec): Literal {
    const token = this.peek();
    const wanted = LITERAL_FOR[field.type];
    const expected = field.type === 'enum' ? (field.values ?? []).map((value) => quote(value)) : [wanted.hint];
    let literal: Literal | undefined;
    if (token.kind === 'literal') literal = token.literal;
    else if (this.isWord(token, 'true') || this.isWord(token, 'false')) {
      literal = { type: 'boolean', text: token.text, value: token.text === 'true', span: { start: token.start, end: token.end } };
    }
    const note = `${field.name} is ${typeName(field.type)}`;
    if (!literal) throw this.error(token.start, expected, this.describe(token), note);
    const fits =
      literal.type === wanted.type || (literal.type === 'number' && literal.value === 0 && ZERO_NEEDS_NO_UNIT.has(field.type));
    if (!fits) throw this.error(token.start, expected, this.describe(token), note);
    if (field.type === 'enum' && !field.values?.includes(literal.value as string)) {
      throw this.error(token.start, expected, this.describe(token), note);
    }
    this.take();
    return literal;
  }

  private isWord(token: Token, word: string): token is Token & { kind: 'word'; text: string } {
    return token.kind === 'word' && token.text === word;
  }

  private peek(): Token {
    this.lookahead ??= this.lex();
    return this.lookahead;
  }

  private take(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private describe(token: Token): string {
    switch (token.kind) {
      case 'end':
        return 'the end of the rule';
      case 'literal': {
        const { type, text } = token.literal;
        const kind = { number: 'the number', percent: 'the percentage', size: 'the size', rate: 'the speed', duration: 'the duration', date: 'the date', string: 'the text', boolean: '' }[type];
        return kind ? `${kind} ${text}` : text;
      }
      case 'invalid':
        return `the character ${JSON.stringify(token.text)}`;
      default:
        return `"${token.text}"`;
    }
  }

  private unexpected(token: Token, expected: readonly string[]): RuleError {
    return this.error(token.start, expected, this.describe(token));
  }

  /** "Expected X or Y at column 7 (note), found Z." */
  error(offset: number, expected: readonly string[], found: string, note?: string): RuleError {
    const position = positionAt(this.text, offset);
    const where = this.text.includes('\n') ? `line ${position.line}, column ${position.column}` : `column ${position.column}`;
    const message = `Expected ${listInProse(expected)} at ${where}${note ? ` (${note})` : ''}, found ${found}.`;
    return new RuleError(message, position, expected);
  }

  private lex(): Token {
    const text = this.text;
    let at = this.offset;
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) at++;
    const start = at;
    if (at >= text.length) {
      this.offset = at;
      return { kind: 'end', start, end: start };
    }
    const code = text.charCodeAt(at);
    let token: Token;
    if (isWordStart(code)) {
      while (at < text.length && isWordPart(text.charCodeAt(at))) at++;
      token = { kind: 'word', text: text.slice(start, at), start, end: at };
    } else if (isDigit(code)) {
      token = this.lexQuantity(start);
    } else if (code === 34) {
      token = this.lexString(start);
    } else {
      const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, at));
      if (symbol) token = { kind: 'symbol', text: symbol, start, end: at + symbol.length };
      else if (text[at] === '=') throw this.error(at, ['"=="'], '"="', 'equality is written ==');
      else {
        const character = String.fromCodePoint(text.codePointAt(at)!);
        token = { kind: 'invalid', text: character, start, end: at + character.length };
      }
    }
    this.offset = token.end;
    return token;
  }

  /** 2, 1.5, 50%, 14d, 500MiB, 1MiB/s, 2026-01-31, 2026-01-31T18:00Z. */
  private lexQuantity(start: number): Token {
    const text = this.text;
    const date = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z)?/.exec(text.slice(start, start + 24));
    if (date) return this.dateToken(date[0], start);
    let at = start;
    while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    if (text[at] === '.') {
      at++;
      if (!isDigit(text.charCodeAt(at))) throw this.error(at, ['a digit after the decimal point'], this.found(at));
      while (at < text.length && isDigit(text.charCodeAt(at))) at++;
    }
    const amount = Number(text.slice(start, at));
    const unitStart = at;
    while (at < text.length && (isWordPart(text.charCodeAt(at)) || text[at] === '%')) at++;
    const unit = text.slice(unitStart, at);
    const literal = (type: LiteralType, value: number, end: number): Token => {
      if (!Number.isFinite(value)) throw this.error(start, ['a smaller number'], text.slice(start, end));
      return { kind: 'literal', literal: { type, text: text.slice(start, end), value, span: { start, end } }, start, end };
    };
    if (unit === '') return literal('number', amount, at);
    if (unit === '%') return literal('percent', amount / 100, at);
    const seconds = DURATION_UNITS[unit];
    if (seconds !== undefined) return literal('duration', amount * seconds, at);
    const bytes = SIZE_UNITS[unit.toLowerCase()];
    if (bytes !== undefined) {
      if (text.startsWith(RATE_SUFFIX, at) && !isWordPart(text.charCodeAt(at + RATE_SUFFIX.length))) {
        return literal('rate', amount * bytes, at + RATE_SUFFIX.length);
      }
      return literal('size', amount * bytes, at);
    }
    throw this.error(unitStart, ['a unit: s, m, h, d, w for durations; B, kB, MB, GB, TB, KiB, MiB, GiB, TiB for sizes; % for percentages'], `"${unit}"`);
  }

  private dateToken(written: string, start: number): Token {
    const [datePart, timePart = '00:00:00'] = written.replace(/Z$/, '').split('T') as [string, string?];
    const [year, month, day] = datePart.split('-').map(Number) as [number, number, number];
    const [hours, minutes, secs = 0] = timePart.split(':').map(Number) as [number, number, number?];
    const millis = Date.UTC(year, month - 1, day, hours, minutes, secs);
    const back = new Date(millis);
    // Date.UTC rolls 2026-02-30 over to March: a date that does not come back the same is not a date.
    const real = back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day && back.getUTCHours() === hours && back.getUTCMinutes() === minutes && back.getUTCSeconds() === secs;
    if (!real) throw this.error(start, ['a real date and time (UTC), such as 2026-01-31 or 2026-01-31T18:00Z'], written);
    const end = start + written.length;
    if (isWordPart(this.text.charCodeAt(end))) throw this.error(end, ['a space or an operator after the date'], this.found(end));
    return { kind: 'literal', literal: { type: 'date', text: written, value: millis / 1000, span: { start, end } }, start, end };
  }

  private lexString(start: number): Token {
    const text = this.text;
    let at = start + 1;
    let value = '';
    for (;;) {
      const c = text[at];
      if (c === undefined || c < ' ' || c === '\x7f') throw this.error(at, ['a closing quote (text cannot span lines or hold control characters)'], this.found(at));
      if (c === '"') break;
      if (c === '\\') {
        const escaped = text[at + 1];
        if (escaped !== '"' && escaped !== '\\') throw this.error(at, ['\\" or \\\\ (the only escapes in a text)'], this.found(at, 2));
        value += escaped;
        at += 2;
      } else {
        value += c;
        at++;
      }
    }
    const end = at + 1;
    return { kind: 'literal', literal: { type: 'string', text: quote(value), value, span: { start, end } }, start, end };
  }

  private found(at: number, length = 1): string {
    return at >= this.text.length ? 'the end of the rule' : JSON.stringify(this.text.slice(at, at + length));
  }
}

export type ParseResult = { ok: true; rule: Rule } | { ok: false; error: RuleError };

/** Parses and type-checks a rule; never throws for bad text (a bug of ours still throws). */
export function parse(text: string): ParseResult {
  try {
    return { ok: true, rule: new Parser(text).parseRule() };
  } catch (error) {
    if (error instanceof RuleError) return { ok: false, error };
    throw error;
  }
}

/** parse() for callers that want an exception: throws the RuleError. */
export function parseOrThrow(text: string): Rule {
  const result = parse(text);
  if (!result.ok) throw result.error;
  return result.rule;
}

