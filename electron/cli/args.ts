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
  // Repeatable for `rules` (a scope, boxes to check); every other command takes one.
  seedbox: { type: 'string', multiple: true },
  config: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  json: { type: 'boolean' },
  path: { type: 'string' },
  label: { type: 'string', multiple: true },
  paused: { type: 'boolean' },
  'delete-data': { type: 'boolean' },
  set: { type: 'string' },
  file: { type: 'string', multiple: true },
  skip: { type: 'string', multiple: true },
  to: { type: 'string' },
  move: { type: 'string' },
  down: { type: 'string' },
  up: { type: 'string' },
  'keep-both': { type: 'boolean' },
  limit: { type: 'string' },
  // `seedbox fetch` (electron/cli/fetch-queue.ts).
  queue: { type: 'boolean' },
  off: { type: 'boolean' },
  // `boxes add` and `boxes edit`: the route to the daemon and the SFTP path mapping (box-routes.ts).
  ssh: { type: 'string' },
  'ssh-key': { type: 'string' },
  'ssh-agent': { type: 'boolean' },
  'ssh-password-stdin': { type: 'boolean' },
  'ssh-host-key': { type: 'string' },
  'ssh-remote': { type: 'string' },
  'ssh-files-only': { type: 'boolean' },
  'no-ssh': { type: 'boolean' },
  proxy: { type: 'string' },
  'proxy-password-stdin': { type: 'boolean' },
  'no-proxy': { type: 'boolean' },
  'sftp-path': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  // `seedbox rules` (electron/cli/rules.ts).
  when: { type: 'string' },
  action: { type: 'string' },
  tracker: { type: 'string', multiple: true },
  rename: { type: 'string' },
  reannounce: { type: 'string' },
  'allow-incomplete': { type: 'string' },
  'min-seeding': { type: 'string' },
  'min-ratio': { type: 'string' },
  'min-free': { type: 'string' },
  'max-used': { type: 'string' },
  order: { type: 'string' },
  'per-run': { type: 'string' },
  'per-run-bytes': { type: 'string' },
  'per-box': { type: 'string' },
  'per-box-bytes': { type: 'string' },
  checks: { type: 'string' },
  after: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  since: { type: 'string' },
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
    skip?: string[];
    to?: string;
    move?: string;
    down?: string;
    up?: string;
    'keep-both'?: boolean;
    limit?: string;
    queue?: boolean;
    off?: boolean;
    ssh?: string;
    'ssh-key'?: string;
    'ssh-agent'?: boolean;
    'ssh-password-stdin'?: boolean;
    'ssh-host-key'?: string;
    'ssh-remote'?: string;
    'ssh-files-only'?: boolean;
    'no-ssh'?: boolean;
    proxy?: string;
    'proxy-password-stdin'?: boolean;
    'no-proxy'?: boolean;
    'sftp-path'?: string[];
    help?: boolean;
    version?: boolean;
    when?: string;
    action?: string;
    tracker?: string[];
    rename?: string;
    reannounce?: string;
    'allow-incomplete'?: string;
    'min-seeding'?: string;
    'min-ratio'?: string;
    'min-free'?: string;
    'max-used'?: string;
    order?: string;
    'per-run'?: string;
    'per-run-bytes'?: string;
    'per-box'?: string;
    'per-box-bytes'?: string;
    checks?: string;
    after?: string;
    'dry-run'?: boolean;
    yes?: boolean;
    since?: string;
  };
  /** Every --seedbox given, in order (options.seedbox is the one for commands that take one). */
  seedboxes: string[];
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
  const { seedbox: seedboxes = [], ...values } = parsed.values;
  const [firstSeedbox] = seedboxes;
  if (seedboxes.length > 1 && command !== 'rules') throw new SeedboxError('invalid-argument', `--seedbox is given ${seedboxes.length} times; "${command ?? "this command"}" works on one seedbox.`);
  return { command, positionals, options: { ...values, ...(firstSeedbox !== undefined ? { seedbox: firstSeedbox } : {}) }, seedboxes, given };
}
