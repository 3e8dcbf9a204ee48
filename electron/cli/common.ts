// Small helpers every command module of the CLI shares.
import { SeedboxError, type ErrorCode, type ErrorDetails } from '../shared/errors';
import { createTranslator, DEFAULT_LOCALE, type MessageKey } from '../shared/i18n';
import { localizedErrorLine } from '../shared/error-lines';
import type { OptionName, ParsedArgs } from './args';
import type { CliLanguage } from './language';
import { MAX_MESSAGE_CHARS, terminalJson, terminalText } from './terminal-text';

/**
 * An error the CLI itself words, from the catalogue: its message is the English one, which --json
 * carries whatever the locale; errorText says it in the user's language.
 */
export class CliError extends SeedboxError {
  constructor(
    code: ErrorCode,
    readonly key: MessageKey,
    readonly named: Record<string, unknown> = {},
    readonly count?: number,
    details: ErrorDetails = {},
  ) {
    super(code, createTranslator(DEFAULT_LOCALE)(key, named, count), details);
  }

  say(t: CliLanguage['t']): string {
    return t(this.key, this.named, this.count);
  }
}

/** A mistake in the command line: exit status 2. */
export function usage(key: MessageKey, named: Record<string, unknown> = {}): SeedboxError {
  return new CliError('invalid-argument', key, named);
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
    const subcommands = Object.keys(commands).join(', ');
    throw name === undefined ? usage('cli.usage.needsSubcommand', { group, subcommands }) : usage('cli.usage.unknownSubcommand', { group, name, subcommands });
  }
  const allowed = new Set<OptionName>(['config', ...command.options]);
  const stray = args.given.find((option) => !allowed.has(option));
  if (stray) throw usage('cli.usage.doesNotTakeInGroup', { group, name, stray, usage: command.usage });
  return { name, command, words };
}

/** For --help: the commands' forms and what they do, the forms padded to one width. */
export function commandHelp(commands: { usage: string; summary: MessageKey }[], { t }: CliLanguage, width = Math.max(...commands.map((command) => command.usage.length))): string {
  return commands.map((command) => `  ${command.usage.padEnd(width)}  ${t(command.summary)}`).join('\n');
}


/**
 * An error as a person reads it: one the CLI words in the user's language; any other error's
 * message (English, as --json carries it, often quoting the daemon) after what its code
 * means in the user's language (in English the message says it all).
 */
export function errorText(error: SeedboxError, { t, locale }: CliLanguage): string {
  if (error instanceof CliError) return terminalText(error.say(t), MAX_MESSAGE_CHARS);
  return localizedErrorLine(error.code, terminalText(error.message, MAX_MESSAGE_CHARS), t, locale);
}
