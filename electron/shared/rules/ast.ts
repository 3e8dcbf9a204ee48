// The parsed form of a rule's condition: what the evaluator walks and the formatter prints.

/** Offsets into the rule's text (UTF-16 code units), end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** The kinds of literal; measured ones carry their value in base units (bytes, seconds, ...). */
export type LiteralType = 'number' | 'percent' | 'size' | 'rate' | 'duration' | 'date' | 'string' | 'boolean';

export interface Literal {
  type: LiteralType;
  /** Numbers, sizes, dates and so on as written ("1.5GiB", "14d"): the formatter prints it back. */
  text: string;
  /** Bytes, bytes per second, seconds, unix seconds, a fraction (50% is 0.5), the string, the boolean. */
  value: number | string | boolean;
  span: Span;
}

export const COMPARE_OPERATORS = ['==', '!=', '<', '<=', '>', '>=', '~', '!~'] as const;
export type CompareOperator = (typeof COMPARE_OPERATORS)[number];

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[]; span: Span }
  | { kind: 'not'; operand: Condition; span: Span }
  /** `ratio >= 2`, `name ~ "*.iso"`. */
  | { kind: 'compare'; field: string; operator: CompareOperator; value: Literal; span: Span }
  /** `label in ["tv", "movies"]`, `state not in ["error"]`. */
  | { kind: 'in'; field: string; negated: boolean; values: Literal[]; span: Span }
  /** A boolean field on its own: `unregistered`. */
  | { kind: 'flag'; field: string; span: Span };

/** A parsed, type-checked condition and the text it came from. */
export interface Rule {
  source: string;
  condition: Condition;
  /** The fields it reads, each once, in order of first use. */
  fields: readonly string[];
}
