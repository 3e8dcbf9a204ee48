// Every daemon answer is checked against a schema where it enters the core: what passes is
// typed and has the shape the normalizers expect; what does not is a SeedboxError('protocol')
// that names the first field that is wrong, what was expected there and what came instead
// (its kind, never its value). The clients' schemas live next to their raw types
// (clients/<daemon>/schemas.ts).
//
// Bounded work on hostile answers: zod gathers an issue for every wrong element unless told to
// stop at the first one, and its records gather them whatever they are told (500 000 wrong
// entries took 12 s), so parses stop early and maps are checked here, entry by entry.
import { z } from 'zod';
import { SeedboxError } from '../../shared/errors';

/** Where an answer came from, for the message: "the Deluge daemon at …", and the call. */
export interface AnswerSource {
  /** E.g. "the Deluge daemon at 127.0.0.1:58846" or "qBittorrent at http://host:8080/". */
  source: string;
  /** The RPC method or API endpoint that was answered. */
  method: string;
}

/** Longest text accepted in a daemon's answer (names, paths, messages): PATH_MAX and more. */
export const MAX_ANSWER_TEXT = 64 * 1024;

/** Text from a daemon: a string of at most MAX_ANSWER_TEXT characters. */
export const answerText = z.string().max(MAX_ANSWER_TEXT, { error: `text of at most ${MAX_ANSWER_TEXT} characters` });

const TORRENT_ID = /^[0-9a-fA-F]{40}$/;

/** A torrent id as a daemon writes it (40 hexadecimal digits, either case). */
export const answerTorrentId = z.string().regex(TORRENT_ID, { error: 'a torrent id (40 hexadecimal digits)' });

/** Stop at the first issue (see above). Not in zod's public ParseContext type, but honoured by every container but records. */
const FIRST_ISSUE_ONLY = { abortEarly: true } as z.core.ParseContext<z.core.$ZodIssue>;

/** `value` as `schema` describes it, or a 'protocol' error naming the field that is not. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, from: AnswerSource): z.output<S> {
  const result = schema.safeParse(value, FIRST_ISSUE_ONLY);
  if (result.success) return result.data;
  throw unexpectedAnswer(result.error.issues[0], value, from);
}

/**
 * A JSON object (or a rencode dict) used as a map: any number of keys, each checked by `key`
 * (a test, with what it expects), each value by `value`, stopping at the first that fails.
 * The result has no prototype, so keys like "__proto__" stay plain data.
 */
export function answerMap<V extends z.ZodType>(value: V, key?: { test: (key: string) => boolean; expected: string }) {
  return z.unknown().transform((input, context): Record<string, z.output<V>> => {
    if (!isPlainObject(input)) {
      context.issues.push({ code: 'invalid_type', expected: 'object', input, path: [] });
      return z.NEVER;
    }
    const output = Object.create(null) as Record<string, z.output<V>>;
    for (const name of Object.keys(input)) {
      if (key && !key.test(name)) {
        context.issues.push({ code: 'custom', message: key.expected, input: name, path: [name], params: { key: true } });
        return z.NEVER;
      }
      const entry = value.safeParse(input[name], FIRST_ISSUE_ONLY);
      if (!entry.success) {
        const issue = entry.error.issues[0]!;
        context.issues.push({ ...issue, input: undefined, path: [name, ...issue.path] } as z.core.$ZodRawIssue);
        return z.NEVER;
      }
      output[name] = entry.data as z.output<V>;
    }
    return output;
  });
}

/** answerMap keyed by torrent ids. */
export function answerTorrentMap<V extends z.ZodType>(value: V) {
  return answerMap(value, { test: (key) => TORRENT_ID.test(key), expected: 'a torrent id (40 hexadecimal digits) as the key' });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function unexpectedAnswer(issue: z.core.$ZodIssue | undefined, value: unknown, from: AnswerSource): SeedboxError {
  const path = issue?.path ?? [];
  const field = formatPath(path);
  const isKey = issue?.code === 'custom' && (issue.params as { key?: boolean } | undefined)?.key === true;
  const got = isKey ? 'a key that is not' : describeKind(valueAt(value, path));
  const where = field === '' ? 'as a whole' : `at ${field}`;
  return new SeedboxError(
    'protocol',
    `${capitalize(from.source)} answered ${from.method} with an unexpected value ${where}: expected ${expected(issue)}, got ${got}.`,
    { endpoint: from.source, method: from.method, field: field === '' ? '(answer)' : field },
  );
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'nothing (null/None)',
  bigint: 'a number',
  tuple: 'a list',
  record: 'an object',
};

function expected(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'another shape';
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((item) => JSON.stringify(String(item))).join(', ')}`;
    case 'too_big':
    case 'too_small':
    case 'invalid_format':
    case 'custom':
      // Our schemas give these their own wording ("a torrent id (40 hexadecimal digits)").
      return issue.message;
    case 'invalid_union':
      return 'one of the forms it may take';
    default:
      return issue.message;
  }
}

/** The value at `path` (undefined once it leaves the answer), to say what came instead. */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || typeof key === 'symbol') return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value instanceof Uint8Array) return 'bytes that are not UTF-8 text';
  switch (typeof value) {
    case 'string':
      return value.length > MAX_ANSWER_TEXT ? `a string of ${value.length} characters` : 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number with a fraction';
    case 'bigint':
      return 'an integer beyond 2^53';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'an object';
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_KEY_CHARS = 48;
// Escaped in keys: C0/C1 controls, line and paragraph separators, and bidi overrides, so a
// hostile key cannot break or reorder the line it is printed on.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** "torrents[\"6e3a…\"].name", "files[3].size": keys clipped and escaped (they come from the server). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key) && key.length <= MAX_KEY_CHARS) out += out === '' ? key : `.${key}`;
    else {
      const text = String(key);
      const clipped = text.length > MAX_KEY_CHARS ? `${text.slice(0, MAX_KEY_CHARS)}…` : text;
      const quoted = `"${clipped.replace(/["\\]/g, '\\$&').replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
      out += `[${quoted}]`;
    }
  }
  return out;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
