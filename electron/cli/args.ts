import { parseArgs } from 'node:util';
import { SeedboxError } from '../shared/errors';

/** Every option the command knows; each command says which of its own it accepts. */
const OPTIONS = {
  client: { type: 'string' },
  url: { type: 'string' },
  user: { type: 'string' },
  'password-env': { type: 'string' },
  timeout: { type: 'string' },
  pin: { type: 'string' },
  'label-style': { type: 'string' },
  seedbox: { type: 'string' },
  config: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  path: { type: 'string' },
  label: { type: 'string', multiple: true },
  paused: { type: 'boolean' },
  'delete-data': { type: 'boolean' },
  set: { type: 'string' },
  file: { type: 'string', multiple: true },
  to: { type: 'string' },
  move: { type: 'string' },
  down: { type: 'string' },
  up: { type: 'string' },
  'keep-both': { type: 'boolean' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

export type OptionName = keyof typeof OPTIONS;

/** Options that select and reach the daemon, accepted by every command that talks to one. */
export const CONNECTION_OPTIONS: OptionName[] = ['client', 'url', 'user', 'password-env', 'timeout', 'pin', 'label-style'];

/** A saved seedbox in place of --client/--url, and where the saved seedboxes are. */
export const SAVED_SEEDBOX_OPTIONS: OptionName[] = ['seedbox', 'config'];

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  options: {
    client?: string;
    url?: string;
    user?: string;
    'password-env'?: string;
    timeout?: string;
    pin?: string;
    'label-style'?: string;
    seedbox?: string;
    config?: string;
    'password-stdin'?: boolean;
    json?: boolean;
    path?: string;
    label?: string[];
    paused?: boolean;
    'delete-data'?: boolean;
    set?: string;
    file?: string[];
    to?: string;
    move?: string;
    down?: string;
    up?: string;
    'keep-both'?: boolean;
    limit?: string;
    help?: boolean;
    version?: boolean;
  };
  /** Which options were given, to reject the ones a command does not take. */
  given: OptionName[];
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    // node:util's messages are clear but may span lines and end with advice about "--";
    // keep what went wrong, on one line.
    const lines = (error as Error).message.split('\n').filter((line) => line.trim() !== '' && !/^To specify/.test(line));
    throw new SeedboxError('invalid-argument', lines.join(' ').replace(/\s*To specify a positional.*$/, ''));
  }
  const [command, ...positionals] = parsed.positionals;
  const given = [
    ...new Set(parsed.tokens.filter((token) => token.kind === 'option').map((token) => token.name as OptionName)),
  ];
  return { command, positionals, options: parsed.values, given };
}
