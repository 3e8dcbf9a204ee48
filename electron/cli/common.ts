// Small helpers every command module of the CLI shares.
import { SeedboxError, type ErrorCode } from '../shared/errors';
import type { MessageKey } from '../shared/i18n';
import type { OptionName, ParsedArgs } from './args';
import type { CliLanguage } from './language';
import { MAX_MESSAGE_CHARS, terminalJson, terminalText } from './terminal-text';

/** A mistake in the command line: exit status 2. */
export function usage(message: string): SeedboxError {
  return new SeedboxError('invalid-argument', message);
}

/** --json output: indented, with control characters escaped. */
export function json(value: unknown): string {
  return `${terminalJson(value, 2)}\n`;
}

/**
 * The subcommand of a command group ("rules", "boxes") the first word names, and the words after
 * it. A missing or unknown subcommand, or an option the subcommand does not take, is a usage error.
 */
export function subcommandOf<Command extends { usage: string; options: readonly OptionName[] }>(
  group: string,
  commands: Record<string, Command>,
  args: ParsedArgs,
): { name: string; command: Command; words: string[] } {
  const [name, ...words] = args.positionals;
  // Own keys only: "toString" names no subcommand.
  const command = name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (name === undefined || command === undefined) {
    throw usage(`${name === undefined ? `"${group}" needs a subcommand` : `unknown subcommand "${group} ${name}"`}: ${Object.keys(commands).join(', ')}.`);
  }
  const allowed = new Set<OptionName>(['config', ...command.options]);
  const stray = args.given.find((option) => !allowed.has(option));
  if (stray) throw usage(`"${group} ${name}" does not take --${stray}. Usage: seedbox [--config FILE] ${command.usage}`);
  return { name, command, words };
}

/** For --help: the commands' forms and what they do, the forms padded to one width. */
export function commandHelp(commands: { usage: string; summary: MessageKey }[], { t }: CliLanguage, width = Math.max(...commands.map((command) => command.usage.length))): string {
  return commands.map((command) => `  ${command.usage.padEnd(width)}  ${t(command.summary)}`).join('\n');
}

const ERROR_TITLES: Record<ErrorCode, MessageKey> = {
  'invalid-argument': 'cli.error.invalidArgument',
  'invalid-torrent': 'cli.error.invalidTorrent',
  'connection-refused': 'cli.error.connectionRefused',
  'connection-lost': 'cli.error.connectionLost',
  'host-unreachable': 'cli.error.hostUnreachable',
  timeout: 'cli.error.timeout',
  protocol: 'cli.error.protocol',
  'response-too-large': 'cli.error.responseTooLarge',
  'auth-failed': 'cli.error.authFailed',
  forbidden: 'cli.error.forbidden',
  'tls-untrusted': 'cli.error.tlsUntrusted',
  'tls-pin-mismatch': 'cli.error.tlsPinMismatch',
  'tls-failed': 'cli.error.tlsFailed',
  'not-found': 'cli.error.notFound',
  'already-exists': 'cli.error.alreadyExists',
  'rpc-fault': 'cli.error.rpcFault',
  unsupported: 'cli.error.unsupported',
  refused: 'cli.error.refused',
  unavailable: 'cli.error.unavailable',
  internal: 'cli.error.internal',
};

/**
 * An error as a person reads it: its message (English, as --json carries it, often quoting the
 * daemon) after what its code means in the user's language; in English the message says it all.
 */
export function errorText(error: SeedboxError, { t, locale }: CliLanguage): string {
  const message = terminalText(error.message, MAX_MESSAGE_CHARS);
  return locale === 'en' ? message : t('cli.error.line', { title: t(ERROR_TITLES[error.code]), message });
}
