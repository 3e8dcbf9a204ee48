// Text from a server (torrent names, file paths, tracker messages, fault strings) reaches the
// user's terminal only through these functions. A name is data, never a command to the
// terminal: escape sequences could retitle the window, rewrite the screen or hide what is
// printed, a newline could forge a "seedbox:" line, and bidi overrides could make one text
// read as another. Such characters are shown as visible escapes instead, and length is capped.

/**
 * C0 controls (tab and newline included: a cell or an error is one line), DEL, C1 controls
 * (U+009B is CSI for terminals that take 8-bit controls), the line and paragraph separators,
 * and the bidi embeddings, overrides, isolates and marks.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same set, for a quick test before replacing (most texts have nothing to escape). */
const HAS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** UNSAFE less the C0 controls, which JSON.stringify escapes itself (and whose newlines lay out the JSON). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

/** Longest table cell or detail value printed; anything a person reads is far shorter. */
export const MAX_CELL_CHARS = 1_000;
/** Longest error message printed (an 8 MB fault string is not read by anyone). */
export const MAX_MESSAGE_CHARS = 4_000;

/** `text` with unsafe characters as visible escapes, cut to `maxChars` (with a note of how much was cut). */
export function terminalText(text: string, maxChars = MAX_CELL_CHARS): string {
  // Cut first, so a huge text is not escaped in full only to be thrown away.
  const { kept, cutChars } = cutText(text, maxChars);
  const safe = HAS_UNSAFE.test(kept) ? kept.replace(UNSAFE, (char) => NAMED[char] ?? unicodeEscape(char)) : kept;
  return cutChars === 0 ? safe : `${safe}${cutNote(cutChars)}`;
}

/** `text` cut to `maxChars`, with a note of how much was cut; no escaping (for JSON, which escapes itself). */
export function cappedText(text: string, maxChars: number): string {
  const { kept, cutChars } = cutText(text, maxChars);
  return cutChars === 0 ? text : `${kept}${cutNote(cutChars)}`;
}

function cutText(text: string, maxChars: number): { kept: string; cutChars: number } {
  if (text.length <= maxChars) return { kept: text, cutChars: 0 };
  // Never leave half of a surrogate pair at the cut.
  const end = /[\ud800-\udbff]/.test(text[maxChars - 1] ?? '') ? maxChars - 1 : maxChars;
  return { kept: text.slice(0, end), cutChars: text.length - end };
}

function cutNote(cutChars: number): string {
  return `… (${cutChars} more characters)`;
}

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0 controls inside strings;
 * this escapes the rest of UNSAFE the same way (they can only occur inside strings, so the
 * JSON stays valid and decodes to the very same values).
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(UNSAFE_IN_JSON, unicodeEscape);
}
