import { readFile } from 'node:fs/promises';
import { SeedboxError, toSeedboxError } from '../shared/errors';
import {
  CLIENT_KINDS,
  FILE_PRIORITIES,
  QUEUE_MOVES,
  type AddSource,
  type ClientKind,
  type FilePriority,
  type QueueMove,
} from '../shared/model';
import { parseByteSize } from '../shared/format';
import { createTorrentClient, inferClientKind, type ConnectionSettings } from '../core/clients/factory';
import { LABEL_STYLES, type LabelStyle } from '../core/clients/rtorrent/labels';
import type { TorrentClient } from '../core/clients/types';
import { parseMagnet } from '../core/torrent/magnet';
import { parseTorrentFile } from '../core/torrent/metainfo';
import { CONNECTION_OPTIONS, parseCommandLine, type OptionName, type ParsedArgs } from './args';
import { EXIT, exitCodeFor } from './exit-codes';
import { printDetails, printLimits, printStats, printTorrentTable } from './print';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

interface Command {
  usage: string;
  summary: string;
  options: OptionName[];
  /** What the positionals are: torrent ids (validated), sources for add, or nothing. */
  positionals: 'none' | 'ids' | 'one-id' | 'sources' | 'word';
  run(client: TorrentClient, args: ParsedArgs, io: CliIo): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  version: {
    usage: 'version [--json]',
    summary: "the daemon's name, version and RPC dialect",
    options: ['json'],
    positionals: 'none',
    async run(client, args, io) {
      const info = await client.connect();
      if (args.options.json) io.stdout(json(info));
      else io.stdout(`${info.kind} ${info.version} (${info.protocol})\n`);
    },
  },
  list: {
    usage: 'list [--json]',
    summary: 'every torrent',
    options: ['json'],
    positionals: 'none',
    async run(client, args, io) {
      const torrents = await client.list();
      if (args.options.json) io.stdout(json(torrents));
      else io.stdout(printTorrentTable(torrents));
    },
  },
  info: {
    usage: 'info ID [--json]',
    summary: 'one torrent with its files, peers and trackers',
    options: ['json'],
    positionals: 'one-id',
    async run(client, args, io) {
      const details = await client.details(args.positionals[0]!);
      if (args.options.json) io.stdout(json(details));
      else io.stdout(printDetails(details));
    },
  },
  add: {
    usage: 'add FILE.torrent|MAGNET... [--path DIR] [--label L]... [--paused] [--json]',
    summary: 'add torrents; prints their ids',
    options: ['path', 'label', 'paused', 'json'],
    positionals: 'sources',
    async run(client, args, io) {
      const sources = await Promise.all(args.positionals.map(readSource));
      const ids: string[] = [];
      for (const source of sources) {
        ids.push(
          await client.add(source, {
            ...(args.options.path !== undefined ? { savePath: args.options.path } : {}),
            labels: args.options.label ?? [],
            paused: args.options.paused ?? false,
          }),
        );
      }
      io.stdout(args.options.json ? json(ids) : ids.map((id) => `${id}\n`).join(''));
    },
  },
  start: idCommand('start', 'start (resume) torrents', (client, ids) => client.start(ids)),
  stop: idCommand('stop', 'stop (pause) torrents', (client, ids) => client.stop(ids)),
  recheck: idCommand('recheck', "verify torrents' data", (client, ids) => client.recheck(ids)),
  reannounce: idCommand('reannounce', 'announce to the trackers now', (client, ids) => client.reannounce(ids)),
  remove: {
    usage: 'remove ID... [--delete-data]',
    summary: 'remove torrents, and with --delete-data their files',
    options: ['delete-data'],
    positionals: 'ids',
    async run(client, args) {
      await client.remove(args.positionals, { deleteData: args.options['delete-data'] ?? false });
    },
  },
  move: {
    usage: 'move ID... --to DIR',
    summary: "move torrents' data to another directory on the seedbox",
    options: ['to'],
    positionals: 'ids',
    async run(client, args) {
      await client.move(args.positionals, required(args, 'to'));
    },
  },
  label: {
    usage: 'label ID... --set L[,L...]',
    summary: 'replace the labels (--set "" clears them; write a comma inside a label as \\,)',
    options: ['set'],
    positionals: 'ids',
    async run(client, args) {
      const labels = splitLabelList(required(args, 'set', true));
      await client.setLabels(args.positionals, labels);
    },
  },
  priority: {
    usage: `priority ID --file INDEX... --set ${FILE_PRIORITIES.join('|')}`,
    summary: 'set the priority of files (indexes as `info` shows them)',
    options: ['file', 'set'],
    positionals: 'one-id',
    async run(client, args) {
      const priority = required(args, 'set');
      if (!FILE_PRIORITIES.includes(priority as FilePriority)) {
        throw usage(`--set must be one of ${FILE_PRIORITIES.join(', ')}, not "${priority}".`);
      }
      const files = (args.options.file ?? []).map((text) => {
        if (!/^\d+$/.test(text)) throw usage(`--file takes a file index (a number), not "${text}".`);
        return Number(text);
      });
      if (files.length === 0) throw usage('priority needs at least one --file INDEX.');
      await client.setFilePriority(args.positionals[0]!, files, priority as FilePriority);
    },
  },
  limits: {
    usage: 'limits [ID...] [--down RATE] [--up RATE] [--json]',
    summary: 'show or set the global speed limits, or set per-torrent ones (RATE: 500K, 2M, 0 = none)',
    options: ['down', 'up', 'json'],
    positionals: 'ids',
    async run(client, args, io) {
      const down = optionalRate(args, 'down');
      const up = optionalRate(args, 'up');
      if (args.positionals.length > 0) {
        if (down === undefined || up === undefined) throw usage('per-torrent limits need both --down and --up.');
        await client.setTorrentSpeedLimits(args.positionals, { downBytesPerSecond: down, upBytesPerSecond: up });
        return;
      }
      if (down !== undefined || up !== undefined) {
        const current = await client.getGlobalSpeedLimits();
        await client.setGlobalSpeedLimits({
          downBytesPerSecond: down ?? current.downBytesPerSecond,
          upBytesPerSecond: up ?? current.upBytesPerSecond,
        });
      }
      const limits = await client.getGlobalSpeedLimits();
      io.stdout(args.options.json ? json(limits) : printLimits(limits));
    },
  },
  queue: {
    usage: `queue ID... --move ${QUEUE_MOVES.join('|')}`,
    summary: 'move torrents in the download queue (clients with a queue)',
    options: ['move'],
    positionals: 'ids',
    async run(client, args) {
      const move = args.options.move;
      if (!QUEUE_MOVES.includes(move as QueueMove)) throw usage(`--move must be one of ${QUEUE_MOVES.join(', ')}.`);
      await client.moveInQueue(args.positionals, move as QueueMove);
    },
  },
  stats: {
    usage: 'stats [--json]',
    summary: 'total speeds, free space and the alternative speed mode',
    options: ['json'],
    positionals: 'none',
    async run(client, args, io) {
      const stats = await client.sessionStats();
      io.stdout(args.options.json ? json(stats) : printStats(stats));
    },
  },
  altspeed: {
    usage: 'altspeed on|off',
    summary: 'switch the alternative speed limits (clients that have them)',
    options: [],
    positionals: 'word',
    async run(client, args) {
      const [word] = args.positionals;
      if (word !== 'on' && word !== 'off') throw usage('altspeed takes "on" or "off".');
      await client.setAlternativeSpeed(word === 'on');
    },
  },
};

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let client: TorrentClient | undefined;
  let wantsJson = argv.includes('--json');
  try {
    const args = parseCommandLine(argv);
    wantsJson = args.options.json ?? false;
    if (args.options.version && !args.command) {
      io.stdout(`seedbox ${__APP_VERSION__}\n`);
      return EXIT.ok;
    }
    if (args.options.help || args.command === 'help') {
      io.stdout(helpText());
      return EXIT.ok;
    }
    if (!args.command) {
      // Asked for nothing: the help goes where errors go, and the status says "usage".
      io.stderr(helpText());
      return EXIT.usage;
    }
    const command = COMMANDS[args.command];
    if (!command) throw usage(`unknown command "${args.command}". Run "seedbox --help" for the list.`);
    checkArguments(args, command);
    // Clients connect on their first call, so a command can check its own input first.
    client = createTorrentClient(connectionSettings(args, io));
    await command.run(client, args, io);
    return EXIT.ok;
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    if (wantsJson) io.stderr(`${JSON.stringify({ error: error.toJSON() })}\n`);
    else io.stderr(`seedbox: ${error.message}${hintFor(error)}\n`);
    return exitCodeFor(error.code);
  } finally {
    await client?.close().catch(() => undefined);
  }
}

function checkArguments(args: ParsedArgs, command: Command): void {
  const allowed = new Set<OptionName>([...CONNECTION_OPTIONS, ...command.options]);
  const stray = args.given.find((name) => !allowed.has(name));
  if (stray) throw usage(`"${args.command}" does not take --${stray}. Usage: seedbox [connection] ${command.usage}`);
  const count = args.positionals.length;
  if (command.positionals === 'none' && count > 0) throw usage(`"${args.command}" takes no arguments. Usage: seedbox ${command.usage}`);
  if (command.positionals === 'word' && count !== 1) throw usage(`"${args.command}" takes one argument. Usage: seedbox ${command.usage}`);
  if (command.positionals === 'one-id' && count !== 1) throw usage(`"${args.command}" takes exactly one torrent id. Usage: seedbox ${command.usage}`);
  if ((command.positionals === 'sources' || (command.positionals === 'ids' && args.command !== 'limits')) && count === 0) {
    throw usage(`"${args.command}" needs at least one ${command.positionals === 'sources' ? 'file or magnet' : 'torrent id'}. Usage: seedbox ${command.usage}`);
  }
  if (command.positionals === 'ids' || command.positionals === 'one-id') {
    args.positionals = args.positionals.map((id) => {
      if (!/^[0-9a-f]{40}$/i.test(id)) throw usage(`"${id}" is not a torrent id (40 hexadecimal digits, as "seedbox list" shows).`);
      return id.toLowerCase();
    });
  }
}

function connectionSettings(args: ParsedArgs, io: CliIo): ConnectionSettings {
  const { options } = args;
  const url = options.url ?? io.env['SEEDBOX_URL'];
  if (!url) throw usage('say where the daemon is: --url URL (for example scgi:///home/me/.rtorrent.sock).');
  const kindText = options.client ?? io.env['SEEDBOX_CLIENT'] ?? inferClientKind(url);
  if (!kindText) throw usage(`say which daemon ${url} is: --client ${CLIENT_KINDS.join('|')}.`);
  if (!CLIENT_KINDS.includes(kindText as ClientKind)) throw usage(`--client must be one of ${CLIENT_KINDS.join(', ')}, not "${kindText}".`);

  let password: string | undefined;
  const passwordVariable = options['password-env'];
  if (passwordVariable !== undefined) {
    password = io.env[passwordVariable];
    if (password === undefined) throw usage(`--password-env names ${passwordVariable}, but that environment variable is not set.`);
  }
  let timeoutMs: number | undefined;
  if (options.timeout !== undefined) {
    const seconds = Number(options.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage(`--timeout takes seconds (a positive number), not "${options.timeout}".`);
    timeoutMs = Math.round(seconds * 1000);
  }
  const labelStyle = options['label-style'];
  if (labelStyle !== undefined && !LABEL_STYLES.includes(labelStyle as LabelStyle)) {
    throw usage(`--label-style must be one of ${LABEL_STYLES.join(', ')}, not "${labelStyle}".`);
  }
  const pin = options.pin?.replaceAll(':', '').toLowerCase();
  if (pin !== undefined && !/^[0-9a-f]{64}$/.test(pin)) throw usage('--pin takes a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed.');

  return {
    kind: kindText as ClientKind,
    url,
    ...(options.user !== undefined ? { username: options.user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(pin !== undefined ? { tls: { pinnedSha256: pin } } : {}),
    ...(labelStyle !== undefined ? { labelStyle: labelStyle as LabelStyle } : {}),
  };
}

async function readSource(argument: string): Promise<AddSource> {
  if (/^magnet:/i.test(argument)) {
    parseMagnet(argument);
    return { kind: 'magnet', uri: argument };
  }
  if (/^https?:\/\//i.test(argument)) return { kind: 'url', url: argument };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(argument);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw usage(`cannot read ${argument}: ${reason}.`);
  }
  // Checked here, before anything reaches the daemon, so one bad file adds nothing.
  parseTorrentFile(bytes, argument);
  return { kind: 'file', bytes, fileName: argument };
}

function idCommand(name: string, summary: string, action: (client: TorrentClient, ids: string[]) => Promise<void>): Command {
  return {
    usage: `${name} ID...`,
    summary,
    options: [],
    positionals: 'ids',
    run: (client, args) => action(client, args.positionals),
  };
}

function required(args: ParsedArgs, name: 'to' | 'set', allowEmpty = false): string {
  const value = args.options[name];
  if (value === undefined || (!allowEmpty && value === '')) throw usage(`"${args.command}" needs --${name}.`);
  return value;
}

function optionalRate(args: ParsedArgs, name: 'down' | 'up'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  const value = parseByteSize(text);
  if (value === null) throw usage(`--${name} takes a rate such as 500K, 2M or 0 (no limit), not "${text}".`);
  return value;
}

/** "a,b\\,c" → ["a", "b,c"]: commas separate labels unless escaped with a backslash. */
export function splitLabelList(text: string): string[] {
  return text
    .split(/(?<!\\),/)
    .map((label) => label.replaceAll('\\,', ',').trim())
    .filter(Boolean);
}

function usage(message: string): SeedboxError {
  return new SeedboxError('invalid-argument', message);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** What the user can do about it, where the error alone does not say. */
function hintFor(error: SeedboxError): string {
  const presented = error.details['presentedDisplay'] ?? error.details['presented'];
  if (error.code === 'tls-untrusted' && typeof presented === 'string') {
    return `\nIf you trust this certificate, pin it: --pin ${presented}`;
  }
  return '';
}

function helpText(): string {
  const width = Math.max(...Object.values(COMMANDS).map((command) => command.usage.length));
  const lines = Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`);
  return `seedbox: remote control for BitTorrent daemons

Usage: seedbox --client KIND --url URL [--user U] [--password-env VAR] [--timeout S] [--pin SHA256] COMMAND

Connection:
  --client ${CLIENT_KINDS.join('|')}   inferred from scgi:// URLs
  --url URL            scgi://host:port, scgi:///path/rtorrent.sock, https://user@host/RPC2
  --user U             user name (or in the URL)
  --password-env VAR   read the password from environment variable VAR
  --timeout S          seconds for each request (default 30)
  --pin SHA256         trust a self-signed certificate with this fingerprint
  --label-style S      rTorrent labels in d.custom1: rutorrent (one label, default) or flood (tags)

Commands:
${lines.join('\n')}

Exit status: 0 ok, 2 usage, 3 connection, 4 authentication, 5 TLS, 6 not found,
7 refused by the daemon, 8 not a valid torrent, 1 anything else.
`;
}
