// Every daemon answer is checked against what we asked for before a normalizer reads it: a
// server of the wrong shape (broken, hostile, or not the daemon we think) becomes one
// 'protocol' error that names the call and the field, never a TypeError deep in a normalizer
// and never a row with an empty id. The schemas live next to each client (raw.ts); this file
// turns a mismatch into the sentence a user reads.
import type { z } from 'zod';
import { SeedboxError } from '../../shared/errors';

/** What a value is, in words, for "answered X with <this>, expected Y". */
export function describeAnswer(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'boolean':
      return `${value}`;
    case 'number':
      if (!Number.isFinite(value)) return String(value);
      return Number.isInteger(value) ? 'an integer' : 'a fraction';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** "expected …" for one zod issue; custom messages given in the schemas are the description. */
function expectation(issue: z.core.$ZodIssue): string {
  // A schema's own words (`z.int({ error: 'an integer' })`) say it best; zod's start "Invalid".
  if (!issue.message.startsWith('Invalid') && issue.code !== 'too_small' && issue.code !== 'too_big') return issue.message;
  if (issue.code === 'invalid_type') return ARTICLE[issue.expected] ?? `a ${issue.expected}`;
  if (issue.code === 'invalid_union') {
    const options = issue.errors.map((errors) => (errors[0] ? expectation(errors[0]) : '')).filter(Boolean);
    return [...new Set(options)].join(' or ');
  }
  if (issue.code === 'invalid_value') return issue.values.map((value) => JSON.stringify(value)).join(' or ');
  if (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'not_multiple_of') {
    return `a value that fits (${issue.message.replace(/^Too (small|big): /, '')})`;
  }
  return issue.message;
}

/** "field a[0].b" for a path, the way the daemon's own documentation names things. */
export function describePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? String(part) : `.${String(part)}`;
  return text;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** A 'protocol' error: "<daemon> answered <call>[ field <path>] with <what>, expected <what>." */
export function answerMismatch(daemon: string, call: string, path: string, received: unknown, expected: string): SeedboxError {
  const where = path === '' ? '' : ` ${path}`;
  return new SeedboxError('protocol', `${daemon} answered ${call}${where} with ${describeAnswer(received)}, expected ${expected}.`, {
    daemon,
    call,
    field: path,
  });
}

/**
 * The value if it fits the schema, else the 'protocol' error that names where it does not:
 * `checkAnswer('Transmission', 'session-get', SessionSchema, args)`.
 */
export function checkAnswer<T>(daemon: string, call: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // A missing key is reported by its own path, where the value is undefined ("nothing").
  const path = describePath(issue.path);
  throw answerMismatch(daemon, call, path === '' ? '' : `field ${path}`, valueAt(value, issue.path), expectation(issue));
}

/**
 * Shapes for the hot paths (lists of thousands of torrents, polled every few seconds): plain
 * kinds checked with typeof, lists and objects of them. A zod object per row costs an order of
 * magnitude more; these cost about what reading the fields does. `fits` is the fast yes/no,
 * `shapeMismatch` finds and names the first misfit afterwards.
 */
export type Kind = 'int' | 'number' | 'string' | 'boolean' | 'hash';
export type Shape = Kind | { readonly list: Shape } | { readonly object: { readonly [key: string]: Shape } };

const HEX_HASH = /^[0-9a-fA-F]{40}$/;

export const KIND_WORDS: Record<Kind, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  hash: 'a 40-digit hex info-hash',
};

export function fitsKind(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'hash':
      return typeof value === 'string' && value.length === 40 && HEX_HASH.test(value);
  }
}

/**
 * `shape` as a function that says whether a value fits it: built once per shape (closures V8
 * inlines), so checking a row costs a few typeof tests per field, not a walk over the shape.
 */
export function compileShape(shape: Shape): (value: unknown) => boolean {
  if (typeof shape === 'string') {
    switch (shape) {
      case 'int':
        return (value) => typeof value === 'number' && Number.isSafeInteger(value);
      case 'number':
        return (value) => typeof value === 'number' && Number.isFinite(value);
      case 'string':
        return (value) => typeof value === 'string';
      case 'boolean':
        return (value) => typeof value === 'boolean';
      case 'hash':
        return (value) => fitsKind('hash', value);
    }
  }
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
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const object = value as Record<string, unknown>;
    for (let index = 0; index < keys.length; index++) if (!members[index]!(object[keys[index]!])) return false;
    return true;
  };
}

/** Whether `value` fits `shape` (compiles it each time: for the slow path; hot paths keep compileShape's result). */
export function fits(shape: Shape, value: unknown): boolean {
  return compileShape(shape)(value);
}

/** The error for a value that does not fit `shape` (call after `fits` said no). */
export function shapeMismatch(daemon: string, call: string, path: string, shape: Shape, value: unknown): SeedboxError {
  const at = (inner: string): string => (path === '' ? `field ${inner}` : `${path}${inner.startsWith('[') ? '' : '.'}${inner}`);
  if (typeof shape === 'string') return answerMismatch(daemon, call, path, value, KIND_WORDS[shape]);
  if ('list' in shape) {
    if (!Array.isArray(value)) return answerMismatch(daemon, call, path, value, 'a list');
    const index = value.findIndex((item) => !fits(shape.list, item));
    return shapeMismatch(daemon, call, at(`[${index}]`), shape.list, value[index]);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return answerMismatch(daemon, call, path, value, 'an object');
  const object = value as Record<string, unknown>;
  const key = Object.keys(shape.object).find((name) => !fits(shape.object[name]!, object[name]))!;
  return shapeMismatch(daemon, call, at(key), shape.object[key]!, object[key]);
}
