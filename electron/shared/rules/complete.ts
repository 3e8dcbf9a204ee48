// What the editor can offer at the cursor: the parser's own expected list at that point, turned
// into words (fields with their descriptions, keywords, operators, an enum's values), filtered
// by the word being typed. One source for validation and completion, so they cannot disagree.
import { RULE_FIELDS } from './fields';
import { FIELD_NAME, parse } from './parser';

export interface CompletionOption {
  /** What to insert: "ratio", "and", ">=", "\"seeding\"" (an enum's value with its quotes). */
  label: string;
  /** A field's description, or "keyword", "operator", "value". */
  detail: string;
}

export interface Completion {
  /** The range to replace: the word being typed (empty right after a space or an operator). */
  from: number;
  to: number;
  options: CompletionOption[];
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'not in']);

function optionsFor(item: string): CompletionOption[] {
  if (item === FIELD_NAME) return RULE_FIELDS.map((field) => ({ label: field.name, detail: field.description }));
  // The parser writes a literal token in quotes ('"and"', '">="', '"seeding"'); other items are prose hints.
  const token = /^"([^"]+)"$/.exec(item)?.[1];
  if (token === undefined) return [];
  if (KEYWORDS.has(token)) return [{ label: token, detail: 'keyword' }];
  if (/^[a-z_]+$/.test(token)) return [{ label: item, detail: 'value' }];
  return [{ label: token, detail: 'operator' }];
}

/** Offers what fits at `offset` in `text`; nothing when the text before the word is already wrong. */
export function completeAt(text: string, offset: number): Completion {
  const before = text.slice(0, offset);
  // The word being typed: a name, or an enum's value after its opening quote.
  const word = /(?:"[a-z_]*|[A-Za-z_][A-Za-z0-9_]*)$/.exec(before)?.[0] ?? '';
  const from = offset - word.length;
  const head = before.slice(0, from);
  const result = parse(head);
  let expected: readonly string[] = [];
  if (result.ok) expected = ['"and"', '"or"'];
  else if (result.error.position.offset >= head.trimEnd().length) expected = result.error.expected;
  const typed = word.toLowerCase();
  const options = expected.flatMap(optionsFor).filter((option) => option.label.toLowerCase().startsWith(typed));
  return { from, to: offset, options };
}
