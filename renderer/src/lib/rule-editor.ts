// The condition editor's logic, apart from the DOM: what the text says as the user types (valid,
// or where and why not), and what accepting a completion does to the text. The parser and
// completer are the ones the engine and the CLI use (electron/shared/rules), so the editor can
// never accept what a run would refuse.
import { completeAt, parse, type Completion, type CompletionOption } from '../../../electron/shared/rules';

export type ConditionCheck =
  | { ok: true; fields: readonly string[] }
  | { ok: false; empty: boolean; message: string; offset: number; line: number; column: number; expected: readonly string[] };

export function checkCondition(text: string): ConditionCheck {
  const result = parse(text);
  if (result.ok) return { ok: true, fields: result.rule.fields };
  const { message, position, expected } = result.error;
  return { ok: false, empty: text.trim() === '', message, offset: position.offset, line: position.line, column: position.column, expected };
}

/**
 * The text cut around the error's offset, for the marker drawn behind the textarea: before, the
 * character (or the end) being pointed at, after. A position past the end points at the end.
 */
export function splitAtError(text: string, offset: number): { before: string; at: string; after: string } {
  const at = Math.min(Math.max(0, offset), text.length);
  const mark = text.slice(at, at + 1);
  // A newline is kept as it is after the mark: marking it would draw nothing.
  const marked = mark === '\n' ? '' : mark;
  return { before: text.slice(0, at), at: marked, after: text.slice(at + marked.length) };
}

/** What the completer offers at the cursor; none while a selection covers text. */
export function completionsAt(text: string, selectionStart: number, selectionEnd: number): Completion {
  if (selectionStart !== selectionEnd) return { from: selectionStart, to: selectionEnd, options: [] };
  return completeAt(text, selectionStart);
}

/** The text with the option in place of the word being typed, and where the cursor goes next. */
export function applyCompletion(text: string, completion: Completion, option: CompletionOption): { text: string; cursor: number } {
  const after = text.slice(completion.to);
  // A space follows, so the next thing can be typed at once, unless one is there already.
  const space = after.startsWith(' ') || after.startsWith('\n') ? '' : ' ';
  const inserted = `${option.label}${space}`;
  return { text: `${text.slice(0, completion.from)}${inserted}${after}`, cursor: completion.from + inserted.length };
}
