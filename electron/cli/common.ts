// Small helpers every command module of the CLI shares.
import { SeedboxError } from '../shared/errors';
import { terminalJson } from './terminal-text';

/** A mistake in the command line: exit status 2. */
export function usage(message: string): SeedboxError {
  return new SeedboxError('invalid-argument', message);
}

/** --json output: indented, with control characters escaped. */
export function json(value: unknown): string {
  return `${terminalJson(value, 2)}\n`;
}
