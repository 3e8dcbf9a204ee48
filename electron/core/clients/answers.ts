// Every daemon answer is checked where it enters the core, before a normalizer reads it: what
// passes is typed and has the shape the normalizers expect; what does not (a broken server, a
// hostile one, or not the daemon we think) is one SeedboxError('protocol') in one sentence for
// all four clients: "<who> answered <call>[ <item>][ field <field>] with <kind>, expected <what>."
// It names the call and the first field that is wrong, and says what kind of value came there,
// never the value. The schemas live next to each client (rtorrent/raw.ts, <daemon>/schemas.ts).
//
// Bounded work on hostile answers: zod gathers an issue for every wrong element unless told to
// stop at the first one, and its records gather them whatever they are told (500 000 wrong
// entries took 12 s), so parses stop early and maps are checked here, entry by entry.
import { z } from 'zod';
import { SeedboxError } from '../../shared/errors';
import { isTorrentId } from './checks';

/** Who answered and to what: "rTorrent", "the Deluge daemon at 127.0.0.1:58846", "qBittorrent at http://host:8080/". */
export interface AnswerSource {
  source: string;
  /** The RPC method or API endpoint that was answered. */
  call: string;
}

/** Where in an answer: an item of a table ("row 3", "torrent 0") and/or a field path within it. */
export interface AnswerPlace {
  item?: string;
  /** Already formatted (formatPath for keys from the server). */
  field?: string;
}

/** Longest text accepted in a daemon's answer (names, paths, messages): PATH_MAX and more. */
export const MAX_ANSWER_TEXT = 64 * 1024;

const TORRENT_ID_WORDS = 'a torrent id (40 hexadecimal digits)';

/** What zod's type names are in the words of an error message. */
const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
  record: 'an object',
  null: 'null (None)',
  bigint: 'a number',
};

/** Text from a daemon: a string of at most MAX_ANSWER_TEXT characters. */
export const answerText = z.string().max(MAX_ANSWER_TEXT, { error: `text of at most ${MAX_ANSWER_TEXT} characters` });

/** A torrent id as a daemon writes it (40 hexadecimal digits, either case). */
export const answerTorrentId = z.string().refine(isTorrentId, { error: TORRENT_ID_WORDS });

/** A whole number within 2^53 (JSON and XML-RPC integers beyond it lose digits). */
export const answerInt = z.int({ error: TYPE_WORDS['int'] });

/** An object of keys and values (JSON object, rencode dict, XML-RPC struct), not a list or bytes. */
export function isAnswerObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** Stop at the first issue (see above). Not in zod's public ParseContext type, but honoured by every container but records. */
const FIRST_ISSUE_ONLY = { abortEarly: true } as z.core.ParseContext<z.core.$ZodIssue>;

/** `value` as `schema` describes it, or a 'protocol' error naming the field that is not. */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, from: AnswerSource): z.output<S> {
  const result = schema.safeParse(value, FIRST_ISSUE_ONLY);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.length === 0 ? undefined : formatPath(issue.path);
  if (issue.code === 'custom' && (issue.params as { key?: boolean } | undefined)?.key === true) {
    throw answerError(from, { field }, 'as a key', issue.message);
  }
  // A missing key is reported by its own path, where the value is undefined ("nothing").
  throw answerMismatch(from, { field }, valueAt(value, issue.path), expectation(issue));
}

/**
 * A JSON object (or a rencode dict) used as a map: any number of keys, each checked by `key`
 * (a test, with what it expects), each value by `value`, stopping at the first that fails.
 * The result has no prototype, so keys like "__proto__" stay plain data.
 */
export function answerMap<V extends z.ZodType>(value: V, key?: { test: (key: string) => boolean; expected: string }) {
  return z.unknown().transform((input, context): Record<string, z.output<V>> => {
    if (!isAnswerObject(input)) {
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
  return answerMap(value, { test: isTorrentId, expected: TORRENT_ID_WORDS });
}

/** The 'protocol' error: "<who> answered <call>[ <item>][ field <field>] with <what came>, expected <expected>." */
export function answerMismatch(from: AnswerSource, place: AnswerPlace, received: unknown, expected: string): SeedboxError {
  return answerError(from, place, `with ${describeAnswer(received)}`, expected);
}

/** answerMismatch with the received part in words ("with 3 fields"), for what is not one value's kind. */
export function answerError(from: AnswerSource, place: AnswerPlace, received: string, expected: string): SeedboxError {
  const where = `${place.item === undefined ? '' : ` ${place.item}`}${place.field === undefined ? '' : ` field ${place.field}`}`;
  return new SeedboxError('protocol', `${capitalize(from.source)} answered ${from.call}${where} ${received}, expected ${expected}.`, {
    source: from.source,
    call: from.call,
    field: place.field ?? '(answer)',
    ...(place.item === undefined ? {} : { item: place.item }),
  });
}

/** What a value is, in words, for "answered X with <this>": its kind, never its content. */
export function describeAnswer(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value instanceof Uint8Array) return 'binary data (bytes that are not UTF-8 text)';
  switch (typeof value) {
    case 'string':
      if (value === '') return 'an empty string';
      return value.length > MAX_ANSWER_TEXT ? `a string of ${value.length} characters` : 'a string';
    case 'number':
      if (!Number.isFinite(value)) return String(value);
      if (!Number.isInteger(value)) return 'a number with a fraction';
      return Number.isSafeInteger(value) ? 'an integer' : 'an integer beyond 2^53';
    case 'bigint':
      return 'an integer beyond 2^53';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return 'an object';
  }
}

/** "expected …" for one zod issue; the words a schema gives (`{ error: 'a version such as 2.8.19' }`) say it best. */
function expectation(issue: z.core.$ZodIssue): string {
  // zod's own messages start "Invalid …" or "Too small/big: …"; anything else is the schema's.
  if (!/^(Invalid|Too (small|big):)/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`;
    case 'invalid_union': {
      const options = issue.errors.flatMap((errors) => (errors[0] ? [expectation(errors[0])] : []));
      return options.length === 0 ? 'one of the forms it may take' : [...new Set(options)].join(' or ');
    }
    case 'invalid_value':
      return issue.values.map((value) => (typeof value === 'bigint' ? String(value) : JSON.stringify(value))).join(' or ');
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const limit = small ? issue.minimum : issue.maximum;
      const bound = `${small ? (issue.inclusive ? 'at least' : 'more than') : issue.inclusive ? 'at most' : 'less than'} ${limit}`;
      if (issue.origin === 'string') return `text of ${bound} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `a list of ${bound} items`;
      return `a number ${bound}`;
    }
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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
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

/** "the Deluge daemon at …" opens a sentence as "The …"; a name such as rTorrent or qBittorrent keeps its spelling. */
function capitalize(text: string): string {
  return /^[a-z]+\s/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * Shapes for the hot paths (lists of thousands of torrents, polled every few seconds): plain
 * kinds checked with typeof, lists and objects of them. A zod object per row costs an order of
 * magnitude more; these cost about what reading the fields does. `compileShape` gives the fast
 * yes/no, `shapeMismatch` finds and names the first misfit afterwards.
 */
export type Kind = 'int' | 'number' | 'string' | 'boolean' | 'hash';
export type Shape = Kind | { readonly list: Shape } | { readonly object: { readonly [key: string]: Shape } };

export const KIND_WORDS: Record<Kind, string> = {
  int: TYPE_WORDS['int']!,
  number: TYPE_WORDS['number']!,
  string: TYPE_WORDS['string']!,
  boolean: TYPE_WORDS['boolean']!,
  hash: TORRENT_ID_WORDS,
};

const KIND_CHECKS: Record<Kind, (value: unknown) => boolean> = {
  int: (value) => typeof value === 'number' && Number.isSafeInteger(value),
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  hash: (value) => typeof value === 'string' && isTorrentId(value),
};

export function fitsKind(kind: Kind, value: unknown): boolean {
  return KIND_CHECKS[kind](value);
}

/**
 * `shape` as a function that says whether a value fits it: built once per shape (closures V8
 * inlines), so checking a row costs a few typeof tests per field, not a walk over the shape.
 */
export function compileShape(shape: Shape): (value: unknown) => boolean {
  if (typeof shape === 'string') return KIND_CHECKS[shape];
  if ('list' in shape) {
    const item = compileShape(shape.list);
    return (value) => {
      if (!Array.isArray(value)) return false;
      for (let index = 0; index < value.length; index++) if (!item(value[index])) return false;
      return true;
    };
  }
  const keys = Object.keys(shape.object);
  const members = keys.map((key) => compileShape(shape.object[key]!));
  return (value) => {
    if (!isAnswerObject(value)) return false;
    for (let index = 0; index < keys.length; index++) if (!members[index]!(value[keys[index]!])) return false;
    return true;
  };
}

/** The error for a value that does not fit `shape` (call after the compiled check said no). */
export function shapeMismatch(from: AnswerSource, place: AnswerPlace, shape: Shape, value: unknown): SeedboxError {
  const inner = (key: string | number): AnswerPlace => {
    const part = formatPath([key]);
    return { ...place, field: place.field === undefined || part.startsWith('[') ? `${place.field ?? ''}${part}` : `${place.field}.${part}` };
  };
  if (typeof shape === 'string') return answerMismatch(from, place, value, KIND_WORDS[shape]);
  if ('list' in shape) {
    if (!Array.isArray(value)) return answerMismatch(from, place, value, 'a list');
    const fits = compileShape(shape.list);
    const index = value.findIndex((item) => !fits(item));
    return shapeMismatch(from, inner(index), shape.list, value[index]);
  }
  if (!isAnswerObject(value)) return answerMismatch(from, place, value, 'an object');
  const key = Object.keys(shape.object).find((name) => !compileShape(shape.object[name]!)(value[name]))!;
  return shapeMismatch(from, inner(key), shape.object[key]!, value[key]);
}
