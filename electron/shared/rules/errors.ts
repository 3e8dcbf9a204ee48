// The one error a rule's text can produce: where it went wrong and what would have fitted there.
import { SeedboxError } from '../errors';

export interface RulePosition {
  /** From 0, in UTF-16 code units (what an editor's selection uses). */
  offset: number;
  /** From 1. */
  line: number;
  /** From 1. */
  column: number;
}

export class RuleError extends SeedboxError {
  readonly position: RulePosition;
  /** What would have been accepted at that position, for the message and the editor's completion. */
  readonly expected: readonly string[];

  constructor(message: string, position: RulePosition, expected: readonly string[]) {
    super('invalid-argument', message, {
      offset: position.offset,
      line: position.line,
      column: position.column,
      expected: expected.join(', '),
    });
    this.position = position;
    this.expected = expected;
  }
}

export function isRuleError(value: unknown): value is RuleError {
  return value instanceof RuleError;
}

export function positionAt(text: string, offset: number): RulePosition {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 10) {
      line++;
      lineStart = index + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}
