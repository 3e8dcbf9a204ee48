import { homedir } from 'node:os';
import { ConfigFile } from '../core/config/config-file';
import { defaultConfigPath } from '../core/config/paths';
import { SeedboxRegistry, type SeedboxView } from '../core/config/registry';
import { MemorySecretStore } from '../core/secrets/memory-store';
import { openSecretStore } from '../core/secrets/open-secret-store';
import type { SecretStore } from '../core/secrets/secret-store';
import type { SeedboxError} from '../shared/errors';
import { toSeedboxError } from '../shared/errors';
import {
  CLIENT_KINDS,
  FILE_PRIORITIES,
  QUEUE_MOVES,
  type AddSource,
  type ClientKind,
  type FilePriority,
  type QueueMove,
} from '../shared/model';
import { formatInteger, parseByteSize } from '../shared/format';
import { SECRET_PURPOSES, type NewSeedbox, type SecretPurpose } from '../shared/seedbox';
import { keychainUnavailableText } from '../shared/keychain';
import { redactUrl } from '../shared/redact-url';
import { parseDaemonUrl } from '../shared/daemons/address';
import { DAEMONS, kindFromUrl, schemesThatNameTheirKind } from '../shared/daemons/catalogue';
import { openSeedboxConnection } from '../core/connections/open';
import type { OpenConnection } from '../core/connections/session';
import { isTorrentId } from '../core/clients/checks';
import { createTorrentClient } from '../core/clients/factory';
import { LABEL_STYLES, type LabelStyle } from '../core/clients/rtorrent/labels';
import type { ClientTransport, ConnectionSettings, TorrentClient } from '../core/clients/types';
import { parseMagnet } from '../shared/magnet';
import { readTorrentOffThread } from '../core/torrent/metainfo-off-thread';
import { readSmallRegularFile } from '../core/files/small-file';
import { MAX_TORRENT_FILE_BYTES } from '../shared/limits';
import { CONNECTION_OPTIONS, parseCommandLine, SAVED_SEEDBOX_OPTIONS, type OptionName, type ParsedArgs } from './args';
import { EXIT, exitStatusOf } from './exit-codes';
import { cliLanguage, type CliLanguage } from './language';
import type { MessageKey } from '../shared/i18n';
import { commandHelp, errorText, json, subcommandOf, usage } from './common';
import { ROUTE_OPTIONS, routeChanges, STDIN_SECRETS, stdinSecretOption } from './box-routes';
import { sftpStep } from '../core/service/seedboxes/test-connection';
import { fetchOptions, runFetch } from './fetch';
import { enqueueFetches, FETCH_SUBCOMMANDS, fetchQueueHelp, runFetchQueue } from './fetch-queue';
import { rulesHelp, runRules } from './rules';
import { displayWidth, padToWidth, printDetails, printLimits, printSeedboxTable, printStats, printTorrentTable } from './print';
import { cappedText, MAX_MESSAGE_CHARS, terminalJson, terminalText } from './terminal-text';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** All of standard input, for --password-stdin. */
  readStdin?: () => Promise<string>;
  /** Asks on the terminal and reads one line of answer; absent when standard input is not a terminal. */
  ask?: (prompt: string) => Promise<string>;
  /** Standard error is a terminal: commands may draw progress there. */
  isTTY?: boolean;
  /** The keychain (main.ts opens the OS one); tests give an in-memory store. */
  openSecretStore?: () => Promise<SecretStore>;
}

/** The terminal as commands use it: in the user's language (made once per run, from CliIo.env). */
export interface CliOut extends Omit<CliIo, 'ask'>, CliLanguage {
  /** A yes/no question in that language; absent when nobody is at a terminal to answer. */
  confirm?: (question: string) => Promise<boolean>;
}

interface Command {
  usage: string;
  summary: MessageKey;
  options: OptionName[];
  /** What the positionals are: torrent ids (validated), sources for add, or nothing. */
  positionals: 'none' | 'ids' | 'one-id' | 'sources' | 'word';
  run(client: TorrentClient, args: ParsedArgs, io: CliOut, connection?: OpenConnection): Promise<void>;
}

/** A command that reads one thing from the daemon and prints it: as JSON with --json, else as text. */
function reading<T>(
  command: Pick<Command, 'usage' | 'summary' | 'positionals'>,
  read: (client: TorrentClient, args: ParsedArgs) => Promise<T>,
  print: (value: T, language: CliLanguage) => string,
): Command {
  return {
    ...command,
    options: ['json'],
    async run(client, args, io) {
      const value = await read(client, args);
      io.stdout(args.options.json ? json(value) : print(value, io));
    },
  };
}

const COMMANDS: Record<string, Command> = {
  version: reading(
    { usage: 'version [--json]', summary: 'cli.command.version', positionals: 'none' },
    (client) => client.connect(),
    (info) => `${info.kind} ${terminalText(info.version)} (${terminalText(info.protocol)})\n`,
  ),
  list: reading({ usage: 'list [--json]', summary: 'cli.command.list', positionals: 'none' }, (client) => client.list(), printTorrentTable),
  info: reading(
    { usage: 'info ID [--json]', summary: 'cli.command.info', positionals: 'one-id' },
    (client, args) => client.details(args.positionals[0]!),
    printDetails,
  ),
  add: {
    usage: 'add FILE.torrent|MAGNET... [--path DIR] [--label L]... [--paused] [--skip INDEX]... [--json]',
    summary: 'cli.command.add',
    options: ['path', 'label', 'paused', 'skip', 'json'],
    positionals: 'sources',
    async run(client, args, io) {
      const skipFiles = fileIndexes(args.options.skip ?? [], 'skip');
      if (skipFiles.length > 0 && args.positionals.length !== 1) throw usage('cli.usage.skipTakesFilesOne');
      // One at a time: each .torrent is checked in its own worker thread.
      const sources: AddSource[] = [];
      for (const argument of args.positionals) sources.push(await readSource(argument));
      const ids: string[] = [];
      for (const source of sources) {
        ids.push(
          await client.add(source, {
            ...(args.options.path !== undefined ? { savePath: args.options.path } : {}),
            labels: args.options.label ?? [],
            paused: args.options.paused ?? false,
            ...(skipFiles.length > 0 ? { skipFiles } : {}),
          }),
        );
      }
      io.stdout(args.options.json ? json(ids) : ids.map((id) => `${terminalText(id)}\n`).join(''));
    },
  },
  start: idCommand('start', 'cli.command.start', (client, ids) => client.start(ids)),
  stop: idCommand('stop', 'cli.command.stop', (client, ids) => client.stop(ids)),
  recheck: idCommand('recheck', 'cli.command.recheck', (client, ids) => client.recheck(ids)),
  reannounce: idCommand('reannounce', 'cli.command.reannounce', (client, ids) => client.reannounce(ids)),
  remove: {
    usage: 'remove ID... [--delete-data]',
    summary: 'cli.command.remove',
    options: ['delete-data'],
    positionals: 'ids',
    async run(client, args) {
      await client.remove(args.positionals, { deleteData: args.options['delete-data'] ?? false });
    },
  },
  move: {
    usage: 'move ID... --to DIR',
    summary: 'cli.command.move',
    options: ['to'],
    positionals: 'ids',
    async run(client, args) {
      await client.move(args.positionals, required(args, 'to'));
    },
  },
  label: {
    usage: 'label ID... --set L[,L...]',
    summary: 'cli.command.label',
    options: ['set'],
    positionals: 'ids',
    async run(client, args) {
      const labels = splitLabelList(required(args, 'set', true));
      await client.setLabels(args.positionals, labels);
    },
  },
  priority: {
    usage: `priority ID --file INDEX... --set ${FILE_PRIORITIES.join('|')}`,
    summary: 'cli.command.priority',
    options: ['file', 'set'],
    positionals: 'one-id',
    async run(client, args) {
      const priority = required(args, 'set');
      if (!FILE_PRIORITIES.includes(priority as FilePriority)) {
        throw usage('cli.usage.setMustBeOne', { list: FILE_PRIORITIES.join(', '), priority });
      }
      const files = fileIndexes(args.options.file ?? [], 'file');
      if (files.length === 0) throw usage('cli.usage.priorityNeedsAtLeast');
      await client.setFilePriority(args.positionals[0]!, files, priority as FilePriority);
    },
  },
  limits: {
    usage: 'limits [ID...] [--down RATE] [--up RATE] [--json]',
    summary: 'cli.command.limits',
    options: ['down', 'up', 'json'],
    positionals: 'ids',
    async run(client, args, io) {
      const down = optionalRate(args, 'down');
      const up = optionalRate(args, 'up');
      if (args.positionals.length > 0) {
        if (down === undefined || up === undefined) throw usage('cli.usage.perTorrentLimitsNeed');
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
      io.stdout(args.options.json ? json(limits) : printLimits(limits, io));
    },
  },
  queue: {
    usage: `queue ID... --move ${QUEUE_MOVES.join('|')}`,
    summary: 'cli.command.queue',
    options: ['move'],
    positionals: 'ids',
    async run(client, args) {
      const move = args.options.move;
      if (!QUEUE_MOVES.includes(move as QueueMove)) throw usage('cli.usage.moveMustBeOne', { list: QUEUE_MOVES.join(', ') });
      await client.moveInQueue(args.positionals, move as QueueMove);
    },
  },
  fetch: {
    usage: 'fetch ID... [--file INDEX]... --to DIR [--keep-both] [--limit RATE] [--queue] [--json]',
    summary: 'cli.command.fetch',
    options: ['file', 'to', 'keep-both', 'limit', 'queue', 'json'],
    positionals: 'ids',
    run: runFetch,
  },
  stats: {
    usage: 'stats [--json]',
    summary: 'cli.command.stats',
    options: ['json'],
    positionals: 'none',
    async run(client, args, io) {
      const stats = await client.sessionStats();
      io.stdout(args.options.json ? json(stats) : printStats(stats, io));
    },
  },
  altspeed: {
    usage: 'altspeed on|off',
    summary: 'cli.command.altspeed',
    options: [],
    positionals: 'word',
    async run(client, args) {
      const [word] = args.positionals;
      if (word !== 'on' && word !== 'off') throw usage('cli.usage.altspeedTakesOnOff');
      await client.setAlternativeSpeed(word === 'on');
    },
  },
};

/** Runs one command line; returns the exit status. Never throws. */
export async function runCli(argv: string[], given: CliIo): Promise<number> {
  const io = cliOut(given);
  let client: TorrentClient | undefined;
  let connection: OpenConnection | undefined;
  let wantsJson = argv.includes('--json');
  const saved = new SavedSeedboxes(io);
  try {
    const args = parseCommandLine(argv);
    wantsJson = args.options.json ?? false;
    saved.args = args;
    if (args.options.version && !args.command) {
      io.stdout(`seedbox ${__APP_VERSION__}\n`);
      return EXIT.ok;
    }
    if (args.options.help || args.command === 'help') {
      io.stdout(helpText(io));
      return EXIT.ok;
    }
    if (!args.command) {
      // Asked for nothing: the help goes where errors go, and the status says "usage".
      io.stderr(helpText(io));
      return EXIT.usage;
    }
    if (args.command === 'boxes') {
      await runBoxes(args, saved);
      return EXIT.ok;
    }
    if (args.command === 'rules') {
      return await runRules(args, {
        io,
        open: () => saved.open(),
        connect: (name) => saved.connect(name),
        direct: () => (args.options.url !== undefined || args.options.client !== undefined ? (client = createTorrentClient(connectionSettings(args, io))) : undefined),
      });
    }
    if (args.command === 'fetch' && (FETCH_SUBCOMMANDS as readonly string[]).includes(args.positionals[0] ?? '')) {
      return await runFetchQueue(args, { io, open: () => saved.open(), connect: (name) => saved.connect(name) });
    }
    const command = COMMANDS[args.command];
    if (!command) throw usage('cli.usage.unknownCommand', { command: args.command });
    checkArguments(args, command);
    // Clients connect on their first call, so a command can check its own input first.
    if (args.options.seedbox !== undefined) {
      connection = await saved.connect(args.options.seedbox);
      client = connection.client;
    } else {
      client = createTorrentClient(connectionSettings(args, io));
    }
    if (args.command === 'fetch' && args.options.queue) {
      await queueFetches(args, connection, saved);
      return EXIT.ok;
    }
    await command.run(client, args, io, connection);
    return EXIT.ok;
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    const hint = (await saved.hintFor(error).catch(() => '')) || hintFor(error, io);
    if (wantsJson) io.stderr(`${terminalJson({ error: boundedError(error) })}\n`);
    else io.stderr(`seedbox: ${errorText(error, io)}${hint.split('\n').map((line) => terminalText(line)).join('\n')}\n`);
    return exitStatusOf(error);
  } finally {
    await (connection ?? client)?.close().catch(() => undefined);
  }
}

/** The given terminal in the language LC_ALL, LC_MESSAGES or LANG name; a yes/no question asked in it. */
export function cliOut(given: CliIo): CliOut {
  const { ask, ...io } = given;
  const language = cliLanguage(given.env);
  const { t } = language;
  if (!ask) return { ...io, ...language };
  // The locale's own yes ("j", "是") and the English one, which scripts and habits type anywhere.
  const yes = new Set(t('cli.confirm.yes').split(',').map((word) => word.trim().toLocaleLowerCase(language.locale)));
  const confirm = async (question: string): Promise<boolean> => yes.has((await ask(t('cli.confirm.prompt', { question }))).trim().toLocaleLowerCase(language.locale));
  return { ...io, ...language, confirm };
}

/** `fetch ID... --to DIR --queue`: into the persisted queue the app (or `fetch run`) works. */
async function queueFetches(args: ParsedArgs, connection: OpenConnection | undefined, saved: SavedSeedboxes): Promise<void> {
  const { destination, fileIndexes } = fetchOptions(args);
  if (args.options.limit !== undefined) throw usage('cli.usage.limitAppliesFetchRun');
  if (!connection || args.options.seedbox === undefined) throw usage('cli.usage.fetchQueueNeedsName');
  const { registry } = await saved.open();
  const seedboxId = (await registry.getByName(args.options.seedbox)).id;
  await enqueueFetches(
    connection,
    { seedboxId, ids: args.positionals, fileIndexes, destination, keepBoth: args.options['keep-both'] ?? false, json: args.options.json ?? false },
    { io: saved.io, open: () => saved.open() },
  );
}

function checkArguments(args: ParsedArgs, command: Command): void {
  const allowed = new Set<OptionName>([...CONNECTION_OPTIONS, ...SAVED_SEEDBOX_OPTIONS, ...command.options]);
  const stray = args.given.find((name) => !allowed.has(name));
  if (stray) throw usage('cli.usage.doesNotTake', { command: args.command, stray, usage: command.usage });
  const count = args.positionals.length;
  if (command.positionals === 'none' && count > 0) throw usage('cli.usage.takesNoArguments', { command: args.command, usage: command.usage });
  if (command.positionals === 'word' && count !== 1) throw usage('cli.usage.takesOneArgument', { command: args.command, usage: command.usage });
  if (command.positionals === 'one-id' && count !== 1) throw usage('cli.usage.takesExactlyOneTorrent', { command: args.command, usage: command.usage });
  if ((command.positionals === 'sources' || (command.positionals === 'ids' && args.command !== 'limits')) && count === 0) {
    throw usage(command.positionals === 'sources' ? 'cli.usage.needsSources' : 'cli.usage.needsIds', { command: args.command, usage: command.usage });
  }
  if (command.positionals === 'ids' || command.positionals === 'one-id') {
    args.positionals = args.positionals.map((id) => {
      if (!isTorrentId(id)) throw usage('cli.usage.notTorrentId', { id });
      return id.toLowerCase();
    });
  }
}

function connectionSettings(args: ParsedArgs, io: CliOut): ConnectionSettings {
  const { options } = args;
  const url = options.url ?? io.env['SEEDBOX_URL'];
  if (!url) throw usage('cli.usage.sayWhereDaemonUrl', { example: DAEMONS.rtorrent.examples[1] });
  const kind = clientKind(options.client ?? io.env['SEEDBOX_CLIENT'], url);
  // The catalogue's check, as the editor and "boxes add" make it, before anything connects.
  parseDaemonUrl(kind, url);
  const { labelStyle, ...overrides } = connectionOverrides(args, io);
  const common = { url, ...overrides };
  return kind === 'rtorrent' ? { kind, ...common, ...(labelStyle !== undefined ? { labelStyle } : {}) } : { kind, ...common };
}

function clientKind(given: string | undefined, url: string): ClientKind {
  const kindText = given ?? kindFromUrl(url);
  if (!kindText) throw usage('cli.usage.sayWhichDaemonClient', { url: redactUrl(url), list: CLIENT_KINDS.join('|') });
  if (!CLIENT_KINDS.includes(kindText as ClientKind)) throw usage('cli.usage.clientMustBeOne', { list: CLIENT_KINDS.join(', '), kindText });
  return kindText as ClientKind;
}

/** What the options say about reaching a daemon beyond its address; for a saved seedbox, these win. */
interface ConnectionOverrides {
  username?: string;
  password?: string;
  transport: Pick<ClientTransport, 'timeoutMs' | 'tls'>;
  /** rTorrent only. */
  labelStyle?: LabelStyle;
}

function connectionOverrides(args: ParsedArgs, io: CliOut): ConnectionOverrides {
  const { options } = args;
  let password: string | undefined;
  const passwordVariable = options['password-env'];
  if (passwordVariable !== undefined) {
    password = io.env[passwordVariable];
    if (password === undefined) throw usage('cli.usage.passwordEnvNamesBut', { passwordVariable });
  }
  let timeoutMs: number | undefined;
  if (options.timeout !== undefined) {
    const seconds = Number(options.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage('cli.usage.timeoutTakesSecondsPositive', { timeout: options.timeout });
    timeoutMs = Math.round(seconds * 1000);
  }
  const labelStyle = labelStyleOption(args);
  const pin = pinOption(args);
  return {
    ...(options.user !== undefined ? { username: options.user } : {}),
    ...(password !== undefined ? { password } : {}),
    transport: {
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(pin !== undefined ? { tls: { pinnedSha256: pin } } : {}),
    },
    ...(labelStyle !== undefined ? { labelStyle } : {}),
  };
}

function labelStyleOption(args: ParsedArgs): LabelStyle | undefined {
  const labelStyle = args.options['label-style'];
  if (labelStyle !== undefined && !LABEL_STYLES.includes(labelStyle as LabelStyle)) {
    throw usage('cli.usage.labelStyleMustBe', { list: LABEL_STYLES.join(', '), labelStyle });
  }
  return labelStyle as LabelStyle | undefined;
}

function pinOption(args: ParsedArgs): string | undefined {
  const pin = args.options.pin?.replaceAll(':', '').toLowerCase();
  if (pin !== undefined && !/^[0-9a-f]{64}$/.test(pin)) throw usage('cli.usage.pinTakesShaFingerprint');
  return pin;
}

/**
 * The saved seedboxes: the settings file (--config, or the app's own) and the keychain, both
 * opened only when a command needs them, so plain --url commands touch neither.
 */
class SavedSeedboxes {
  args: ParsedArgs | undefined;
  private opened: Promise<{ config: ConfigFile; registry: SeedboxRegistry; store: SecretStore }> | undefined;
  /** The seedbox the command used, for hints about its password and pin. */
  private used: { view: SeedboxView; passwordGiven: boolean } | undefined;

  constructor(readonly io: CliOut) {}

  open(): Promise<{ config: ConfigFile; registry: SeedboxRegistry; store: SecretStore }> {
    this.opened ??= (async () => {
      const path = this.args?.options.config ?? defaultConfigPath({ platform: process.platform, env: this.io.env, home: homedir() });
      const config = new ConfigFile({ path, onProblem: (problem) => this.warn(problem) });
      const { problem } = await config.load();
      if (problem) this.warn(problem);
      const store = await openCliSecretStore(this.io);
      return { config, registry: new SeedboxRegistry({ config, secrets: store }), store };
    })();
    return this.opened;
  }

  /**
   * --seedbox NAME: connects the way the app does (keychain secrets, proxy, SSH tunnel, pin);
   * connection options given on the command line win over the saved ones.
   */
  async connect(name: string): Promise<OpenConnection> {
    const args = this.args!;
    const clash = (['client', 'url'] as const).find((option) => args.options[option] !== undefined);
    if (clash) throw usage('cli.usage.takesAddressFromSaved', { clash });
    const overrides = connectionOverrides(args, this.io);
    const { registry } = await this.open();
    const view = await registry.getByName(name);
    this.used = { view, passwordGiven: overrides.password !== undefined };
    const seedbox = {
      ...view,
      ...(overrides.username !== undefined ? { username: overrides.username } : {}),
      ...(overrides.transport.tls?.pinnedSha256 !== undefined ? { tlsPinSha256: overrides.transport.tls.pinnedSha256 } : {}),
      ...(overrides.labelStyle !== undefined ? { labelStyle: overrides.labelStyle } : {}),
    };
    // Saved secrets go only where they were saved for: an override of the user or pin needs --password-env.
    const readSecret = await registry.secretReader(view.id, seedbox, overrides.password !== undefined ? { supplied: { 'daemon-password': overrides.password } } : {});
    const { timeoutMs } = overrides.transport;
    return openSeedboxConnection(seedbox, readSecret, timeoutMs !== undefined ? { timeoutMs } : {});
  }

  /** What to do about an error met with a saved seedbox. */
  async hintFor(error: SeedboxError): Promise<string> {
    if (!this.used || !this.opened) return '';
    const { view, passwordGiven } = this.used;
    const { store } = await this.opened;
    const { t } = this.io;
    const presented = error.details['presentedDisplay'] ?? error.details['presented'];
    if (error.code === 'tls-untrusted' && typeof presented === 'string') {
      return `\n${t('cli.pinCertificate', { command: `seedbox boxes pin ${shellWord(view.name)} --pin ${presented}` })}`;
    }
    if (isHostKeyRefusal(error) && typeof presented === 'string') {
      return `\n${t('cli.pinHostKey', { command: `seedbox boxes edit ${shellWord(view.name)} --ssh-host-key ${presented}` })}`;
    }
    if (error.details['reason'] === 'endpoint-changed') {
      return `\n${t('cli.endpointChanged', { name: view.name })}`;
    }
    if (error.code === 'auth-failed' && !passwordGiven && !(await store.has(view.id, 'daemon-password'))) {
      const why = store.kind === 'memory' ? `${keychainWhy(store, this.io)} ` : '';
      return `\n${why}${t('cli.noPassword', { name: view.name })}`;
    }
    return '';
  }

  warn(message: string): void {
    this.io.stderr(`seedbox: ${this.io.t('cli.warning', { message: terminalText(message, MAX_MESSAGE_CHARS) })}\n`);
  }
}

/**
 * The keychain, or a store that lasts only this command: SEEDBOX_SECRET_STORE=memory asks for
 * that (tests, headless machines); passwords then come from --password-env on each command.
 */
async function openCliSecretStore(io: CliOut): Promise<SecretStore> {
  if (io.env['SEEDBOX_SECRET_STORE'] === 'memory') {
    return new MemorySecretStore({ unavailableReason: io.t('cli.memoryStore', { setting: 'SEEDBOX_SECRET_STORE=memory' }) });
  }
  return (io.openSecretStore ?? openSecretStore)();
}

interface BoxesCommand {
  usage: string;
  summary: MessageKey;
  options: OptionName[];
  /** How many words follow the subcommand (the seedbox's name). */
  names: 0 | 1;
  run(name: string, args: ParsedArgs, saved: SavedSeedboxes, io: CliOut): Promise<void>;
}

const BOXES: Record<string, BoxesCommand> = {
  add: {
    usage: 'boxes add NAME --client KIND --url URL [--user U] [--password-stdin] [--pin SHA256] [--label-style S] [ROUTE] [--json]',
    summary: 'cli.boxes.command.add',
    options: ['client', 'url', 'user', 'password-stdin', 'pin', 'label-style', ...ROUTE_OPTIONS.filter((option) => !option.startsWith('no-')), 'json'],
    names: 1,
    async run(name, args, saved, io) {
      const { options } = args;
      if (!options.url) throw usage('cli.usage.boxesAddNeedsUrl');
      const kind = clientKind(options.client, options.url);
      const stdinOption = stdinSecretOption(args);
      const labelStyle = labelStyleOption(args);
      const pin = pinOption(args);
      const route = await routeChanges(args, { proxy: null, sshTunnel: null }, { kind, url: options.url });
      const secret = stdinOption !== undefined ? await secretFromStdin(io, stdinOption) : undefined;
      const { registry, store } = await saved.open();
      const view = await registry.add(
        {
          name,
          kind,
          url: options.url,
          ...(options.user !== undefined ? { username: options.user } : {}),
          ...(pin !== undefined ? { tlsPinSha256: pin } : {}),
          ...(labelStyle !== undefined ? { labelStyle } : {}),
          ...route,
        },
        stdinOption !== undefined && secret !== undefined ? { [STDIN_SECRETS[stdinOption]]: secret } : {},
      );
      warnUnsavedSecrets(saved, store, view);
      io.stdout(options.json ? json(publicView(view, store)) : `${io.t('cli.boxes.added', { name: view.name, id: view.id })}\n`);
    },
  },
  edit: {
    usage: 'boxes edit NAME [--rename NEW] [the options of add] [--no-ssh] [--no-proxy] [--json]',
    summary: 'cli.boxes.command.edit',
    options: ['rename', 'client', 'url', 'user', 'password-stdin', 'pin', 'label-style', ...ROUTE_OPTIONS, 'json'],
    names: 1,
    async run(name, args, saved, io) {
      const { options } = args;
      const stdinOption = stdinSecretOption(args);
      const labelStyle = labelStyleOption(args);
      const pin = pinOption(args);
      if (options.rename !== undefined && options.rename.trim() === '') throw usage('cli.usage.renameTakesNewName');
      const { registry, store } = await saved.open();
      const before = await registry.getByName(name);
      const url = options.url ?? before.url;
      const kind = options.client !== undefined ? clientKind(options.client, url) : options.url !== undefined ? (kindFromUrl(url) ?? before.kind) : before.kind;
      const route = await routeChanges(args, before, { kind, url });
      const changes: Partial<NewSeedbox> = {
        ...(options.rename !== undefined ? { name: options.rename } : {}),
        ...(kind !== before.kind ? { kind } : {}),
        ...(options.url !== undefined ? { url: options.url } : {}),
        ...(options.user !== undefined ? { username: options.user } : {}),
        ...(pin !== undefined ? { tlsPinSha256: pin } : {}),
        ...(labelStyle !== undefined ? { labelStyle } : {}),
        ...route,
      };
      if (Object.keys(changes).length === 0 && stdinOption === undefined) throw usage('cli.usage.boxesEditNeedsSomething', { usage: BOXES['edit']!.usage });
      const secret = stdinOption !== undefined ? await secretFromStdin(io, stdinOption) : undefined;
      if (Object.keys(changes).length > 0) await registry.update(before.id, changes);
      if (stdinOption !== undefined && secret !== undefined) await registry.setSecret(before.id, STDIN_SECRETS[stdinOption], secret);
      const after = await registry.get(before.id);
      // The registry forgets a secret whose endpoint moved: say which, and how to give it again
      // (not for a route just removed, or an SSH login that now uses the agent).
      const stillUsed: Record<SecretPurpose, boolean> = { 'daemon-password': true, 'ssh-secret': after.sshTunnel !== null && after.sshTunnel.auth !== 'agent', 'proxy-password': after.proxy !== null };
      for (const [option, purpose] of Object.entries(STDIN_SECRETS)) {
        if (store.kind === 'keychain' && before.secrets[purpose] && !after.secrets[purpose] && stillUsed[purpose]) {
          saved.warn(io.t('cli.boxes.secretForgotten', { secret: io.t(SECRET_NAMES[purpose]), option: `--${option}` }));
        }
      }
      warnUnsavedSecrets(saved, store, after);
      io.stdout(options.json ? json(publicView(after, store)) : `${io.t('cli.boxes.changed', { name: after.name })}\n`);
    },
  },
  list: {
    usage: 'boxes list [--json]',
    summary: 'cli.boxes.command.list',
    options: ['json'],
    names: 0,
    async run(_name, args, saved, io) {
      const { registry, store } = await saved.open();
      const views = (await registry.list()).map((view) => publicView(view, store));
      io.stdout(args.options.json ? json(views) : printSeedboxTable(views, io));
    },
  },
  test: {
    usage: 'boxes test NAME [--password-env VAR] [--timeout S] [--json]',
    summary: 'cli.boxes.command.test',
    options: ['password-env', 'timeout', 'json'],
    names: 1,
    async run(name, args, saved, io) {
      const connection = await saved.connect(name);
      const { client } = connection;
      try {
        const info = await client.connect();
        const torrents = await client.list();
        const torrentCount = torrents.length;
        // As the window's editor tests it: fetching will find the files only where this looks.
        const sftp = connection.openSftp
          ? await sftpStep(connection.openSftp, connection.sftpPathMapping ?? [], torrents.map((torrent) => torrent.savePath))
          : undefined;
        const sftpResult = sftp ? { ok: sftp.step.ok, message: sftp.step.message } : null;
        io.stdout(
          args.options.json
            ? json({ ok: !sftp?.error, info, torrentCount, sftp: sftpResult })
            : `${info.kind} ${terminalText(info.version)} (${terminalText(info.protocol)}), ${io.t('cli.boxes.torrentCount', { count: formatInteger(torrentCount, io.locale) }, torrentCount)}\n` +
                (sftpResult ? `sftp: ${sftpResult.ok ? '' : `${io.t('cli.boxes.sftpFailed')} `}${terminalText(sftpResult.message)}\n` : ''),
        );
        if (sftp?.error) throw sftp.error;
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
  },
  pin: {
    usage: 'boxes pin NAME --pin SHA256',
    summary: 'cli.boxes.command.pin',
    options: ['pin'],
    names: 1,
    async run(name, args, saved, io) {
      const pin = pinOption(args);
      if (pin === undefined) throw usage('cli.usage.boxesPinNeedsPin');
      const { registry } = await saved.open();
      const view = await registry.pinCertificate((await registry.getByName(name)).id, pin);
      io.stdout(`${io.t('cli.boxes.pinned', { name: view.name })}\n`);
    },
  },
  remove: {
    usage: 'boxes remove NAME',
    summary: 'cli.boxes.command.remove',
    options: [],
    names: 1,
    async run(name, _args, saved, io) {
      const { registry } = await saved.open();
      const view = await registry.getByName(name);
      await registry.remove(view.id);
      io.stdout(`${io.t('cli.boxes.removed', { name: view.name })}\n`);
    },
  },
};

async function runBoxes(args: ParsedArgs, saved: SavedSeedboxes): Promise<void> {
  const { name: subcommand, command, words: names } = subcommandOf('boxes', BOXES, args);
  if (names.length !== command.names) {
    throw usage(command.names === 0 ? 'cli.usage.boxesTakesNoArguments' : 'cli.usage.boxesTakesName', { subcommand, usage: command.usage });
  }
  const name = names[0] ?? '';
  if (command.names === 1 && name.trim() === '') throw usage('cli.usage.nameEmpty');
  await command.run(name, args, saved, saved.io);
}

const SECRET_NAMES: Record<SecretPurpose, MessageKey> = {
  'daemon-password': 'cli.secret.password',
  'ssh-secret': 'cli.secret.ssh',
  'proxy-password': 'cli.secret.proxy',
};

const EMPTY_SECRET: Record<SecretPurpose, MessageKey> = { 'daemon-password': 'cli.usage.emptyPassword', 'ssh-secret': 'cli.usage.emptySshSecret', 'proxy-password': 'cli.usage.emptyProxyPassword' };

/** A secret on standard input: one trailing line break is not part of it. */
async function secretFromStdin(io: CliOut, option: keyof typeof STDIN_SECRETS): Promise<string> {
  if (!io.readStdin) throw usage('cli.usage.needsStandardInputWhich', { option });
  const secret = (await io.readStdin()).replace(/\r?\n$/, '');
  if (secret === '') throw usage(EMPTY_SECRET[STDIN_SECRETS[option]], { option });
  return secret;
}

/** Without a keychain a secret lasts for this command only: say so, and how to give it later. */
function warnUnsavedSecrets(saved: SavedSeedboxes, store: SecretStore, view: SeedboxView): void {
  if (store.kind !== 'memory') return;
  const { t } = saved.io;
  const why = keychainWhy(store, saved.io);
  if (view.secrets['daemon-password']) saved.warn(t('cli.boxes.passwordNotSaved', { why, name: view.name }));
  for (const purpose of ['ssh-secret', 'proxy-password'] as const) {
    if (view.secrets[purpose]) saved.warn(t('cli.boxes.secretNotSaved', { secret: t(SECRET_NAMES[purpose]), why, name: view.name }));
  }
}

/** Why there is no keychain, in the user's language. */
function keychainWhy(store: SecretStore, { t, locale }: CliLanguage): string {
  return store.unavailable ? keychainUnavailableText(store.unavailable, t, locale) : t('cli.noKeychain');
}

/** A view for output: with no keychain, a secret held for this command only is not "set". */
function publicView(view: SeedboxView, store: SecretStore): SeedboxView {
  if (store.kind === 'keychain') return view;
  return { ...view, secrets: Object.fromEntries(SECRET_PURPOSES.map((purpose) => [purpose, false])) as SeedboxView['secrets'] };
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** The values of --file or --skip: file indexes as `info` shows them. */
function fileIndexes(values: string[], option: 'file' | 'skip'): number[] {
  return values.map((text) => {
    if (!/^\d{1,9}$/.test(text)) throw usage('cli.usage.takesFileIndexNumber', { option, text });
    return Number(text);
  });
}

async function readSource(argument: string): Promise<AddSource> {
  if (/^magnet:/i.test(argument)) {
    parseMagnet(argument);
    return { kind: 'magnet', uri: argument };
  }
  if (/^https?:\/\//i.test(argument)) return { kind: 'url', url: argument };
  let bytes: Uint8Array;
  try {
    bytes = await readSmallRegularFile(argument, { maxBytes: MAX_TORRENT_FILE_BYTES, tooLargeCode: 'invalid-torrent' });
  } catch (error) {
    const problem = toSeedboxError(error);
    if (problem.code === 'invalid-torrent') throw problem;
    throw usage('cli.usage.cannotRead', { argument, reason: String(problem.details['reason'] ?? problem.message) });
  }
  // Checked here, before anything reaches the daemon, so one bad file adds nothing; in a worker
  // thread with a capped heap, as the app does, so a crafted file cannot exhaust this process.
  await readTorrentOffThread(bytes, argument);
  return { kind: 'file', bytes, fileName: argument };
}

function idCommand(name: string, summary: MessageKey, action: (client: TorrentClient, ids: string[]) => Promise<void>): Command {
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
  if (value === undefined || (!allowEmpty && value === '')) throw usage('cli.usage.needsOption', { command: args.command, name });
  return value;
}

function optionalRate(args: ParsedArgs, name: 'down' | 'up'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  const value = parseByteSize(text);
  if (value === null) throw usage('cli.usage.takesRate', { name, text });
  return value;
}

/** "a,b\\,c" → ["a", "b,c"]: commas separate labels unless escaped with a backslash. */
export function splitLabelList(text: string): string[] {
  return text
    .split(/(?<!\\),/)
    .map((label) => label.replaceAll('\\,', ',').trim())
    .filter(Boolean);
}


/** The error as --json prints it: its message and string details capped (they may quote a server at length). */
function boundedError(error: SeedboxError): ReturnType<SeedboxError['toJSON']> {
  const serialized = error.toJSON();
  const cap = (text: string): string => cappedText(text, MAX_MESSAGE_CHARS);
  const details = Object.fromEntries(Object.entries(serialized.details).map(([key, value]) => [key, typeof value === 'string' ? cap(value) : value]));
  return { ...serialized, message: cap(serialized.message), details };
}

function isHostKeyRefusal(error: SeedboxError): boolean {
  return error.details['reason'] === 'ssh-host-key-unknown' || error.details['reason'] === 'ssh-host-key-mismatch';
}

/** What the user can do about it, where the error alone does not say. */
function hintFor(error: SeedboxError, { t }: CliLanguage): string {
  const presented = error.details['presentedDisplay'] ?? error.details['presented'];
  if (error.code === 'tls-untrusted' && typeof presented === 'string') {
    return `\n${t('cli.pinCertificate', { command: `--pin ${presented}` })}`;
  }
  return '';
}

/** One example line per client, from the daemons' catalogue, for under "--url URL". */
function urlHelp(): string {
  return Object.values(DAEMONS)
    .map((daemon) => `${`${daemon.name}:`.padEnd(14)}${daemon.examples.join(', ')}`)
    .join('\n');
}

/** "  --user U             user name": an option and what it does, its further lines under the first. */
function optionHelp(rows: [string, string][], width: number): string {
  return rows
    .map(([option, text]) => {
      const [first, ...rest] = text.split('\n');
      // An option wider than its column keeps a gap of three spaces before its text.
      const head = option.length < width ? option.padEnd(width) : `${option}   `;
      return [`  ${head}${first}`, ...rest.map((line) => `  ${' '.repeat(width)}${line}`)].join('\n');
    })
    .join('\n');
}

function helpText(language: CliLanguage): string {
  const { t, locale } = language;
  const all = [...Object.values(COMMANDS), ...Object.values(BOXES)];
  const width = Math.max(...all.map((command) => command.usage.length));
  const usageLabel = t('cli.help.usage');
  const schemes = new Intl.ListFormat(locale, { type: 'conjunction' }).format(schemesThatNameTheirKind());
  return `${t('cli.help.title')}

${usageLabel} seedbox --client KIND --url URL [--user U] [--password-env VAR] [--timeout S] [--pin SHA256] COMMAND
${padToWidth('', displayWidth(usageLabel))} seedbox --seedbox NAME [--password-env VAR] [--timeout S] COMMAND

${t('cli.help.connection')}
${optionHelp(
  [
    [`--client ${CLIENT_KINDS.join('|')}`, t('cli.help.client', { schemes })],
    ['--url URL', urlHelp()],
    ['--user U', t('cli.help.user')],
    ['--password-env VAR', t('cli.help.passwordEnv')],
    ['--timeout S', t('cli.help.timeout', { seconds: 30 })],
    ['--pin SHA256', t('cli.help.pin')],
    ['--label-style S', t('cli.help.labelStyle')],
    ['--seedbox NAME', t('cli.help.seedbox')],
    ['--config FILE', t('cli.help.config')],
  ],
  21,
)}

${t('cli.help.commands')}
${commandHelp(Object.values(COMMANDS), language, width)}

${t('cli.help.savedSeedboxes')}
${commandHelp(Object.values(BOXES), language, width)}

${t('cli.help.route')}
${optionHelp(
  [
    ['--ssh USER@HOST[:PORT]', t('cli.help.ssh', { remote: '--ssh-remote HOST:PORT|/SOCKET', filesOnly: '--ssh-files-only' })],
    ['--ssh-key PATH | --ssh-agent', t('cli.help.sshKey')],
    ['--ssh-password-stdin', t('cli.help.sshPassword', { key: '--ssh-key' })],
    ['--ssh-host-key SHA256:...', t('cli.help.sshHostKey', { status: EXIT.tls })],
    ['--proxy URL', t('cli.help.proxy', { socks: 'socks5://[USER@]HOST:PORT', http: 'http://[USER@]HOST:PORT', password: '--proxy-password-stdin' })],
    ['--sftp-path DAEMON=SFTP', t('cli.help.sftpPath')],
    ['--no-ssh, --no-proxy', t('cli.help.noRoute')],
  ],
  26,
)}

${t('cli.help.rules')}
${rulesHelp(language)}

${t('cli.help.fetchQueue')}
${fetchQueueHelp(language)}

${t('cli.help.passwords')}

${t('cli.help.exitStatus')}
`;
}
