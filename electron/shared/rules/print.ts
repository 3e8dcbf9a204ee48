// A condition tree back to text, with the parentheses precedence needs (and those around an
// and inside an or, for the reader). The tree is
// canonical (and/or chains are flat), so parse(format(tree)) gives the same tree back.
import type { Condition } from './ast';

/** Binding strength: or < and < not < a comparison. */
function strength(condition: Condition): number {
  return { or: 1, and: 2, not: 3, compare: 4, in: 4, flag: 4 }[condition.kind];
}

function wrapped(condition: Condition, atLeast: number): string {
  const text = formatCondition(condition);
  return strength(condition) < atLeast ? `(${text})` : text;
}

export function formatCondition(condition: Condition): string {
  switch (condition.kind) {
    case 'or':
      // Parentheses around an and inside an or are not needed, but people read the rule more
      // easily with them; the parser drops them again, so the round trip still holds.
      return condition.operands.map((operand) => wrapped(operand, 3)).join(' or ');
    case 'and':
      // An and inside an and was flattened by the parser; only an or needs parentheses here.
      return condition.operands.map((operand) => wrapped(operand, 2)).join(' and ');
    case 'not':
      return `not ${wrapped(condition.operand, 3)}`;
    case 'compare':
      return `${condition.field} ${condition.operator} ${condition.value.text}`;
    case 'in':
      return `${condition.field} ${condition.negated ? 'not in' : 'in'} [${condition.values.map((literal) => literal.text).join(', ')}]`;
    case 'flag':
      return condition.field;
  }
}
