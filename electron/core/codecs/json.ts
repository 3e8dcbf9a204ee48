// JSON from a daemon. V8's JSON.parse copes with any nesting depth (it does not recurse), so a
// deeply nested answer is only dangerous to what walks it afterwards: every walk over a parsed
// answer must be bounded, by a schema (which never goes deeper than itself) or by a depth
// limit (MAX_VALUE_DEPTH). A scan of the text before parsing would cost a third of JSON.parse
// itself on every refresh of a large list (bench/answer-checks.ts), so there is none.

import { SeedboxError } from '../../shared/errors';
import { MAX_VALUE_DEPTH } from './depth';

/** The 'protocol' error for an answer nested deeper than a walk over it may go. */
export function tooDeep(source: string): SeedboxError {
  return new SeedboxError('protocol', `${source} answered JSON nested deeper than ${MAX_VALUE_DEPTH} levels.`);
}

/** JSON.parse for text a server sent: anything but JSON is a 'protocol' error naming `source`. */
export function parseServerJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SeedboxError('protocol', `${source} answered something that is not JSON.`, {}, { cause: error });
  }
}
