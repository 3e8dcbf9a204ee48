// `seedbox fetch queue|pause|resume|cancel|remove|run|auto`: the same persisted fetch queue the
// app works (fetch-queue.json beside the settings file, so --config picks both), and the
// fetch-on-completion rule of each saved seedbox. One process works the queue at a time (its
// lock file): while the app runs, it owns the queue, and the commands that change it refuse
// with exit 12, saying so; `queue` only reads and always works.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConfigFile } from '../core/config/config-file';
import type { SeedboxRegistry } from '../core/config/registry';
import type { OpenConnection } from '../core/connections/session';
import { torrentToFetch } from '../core/fetch/metainfo';
import { FetchQueue, fetchQueuePath, type FetchJob } from '../core/fetch/queue';
import { FetchOnCompleteSchema, type FetchOnComplete } from '../shared/fetch';
import { formatBytes, formatPercent } from '../shared/format';
import { parseOrThrow } from '../shared/rules';
import type { OptionName, ParsedArgs } from './args';
import { EXIT } from './exit-codes';
import { CliError, commandHelp, json, subcommandOf, usage } from './common';
import { noSftp, progressLine } from './fetch';
import { table } from './print';
import type { CliLanguage } from './language';
import { columnTitles } from './language';
import type { MessageKey } from '../shared/i18n';
import type { CliOut } from './run';
import { terminalText } from './terminal-text';

export interface FetchQueueContext {
  io: CliOut;
  open(): Promise<{ config: ConfigFile; registry: SeedboxRegistry }>;
  /** A saved seedbox by name, reached as the app reaches it. */
  connect(name: string): Promise<OpenConnection>;
}

interface QueueCommand {
  usage: string;
  summary: MessageKey;
  options: OptionName[];
  /** Job ids (or unique prefixes) follow the subcommand. */
  jobs: boolean;
  run(words: string[], args: ParsedArgs, context: FetchQueueContext): Promise<number | void>;
}

export const FETCH_SUBCOMMANDS = ['queue', 'pause', 'resume', 'cancel', 'remove', 'run', 'auto'] as const;

const COMMANDS: Record<(typeof FETCH_SUBCOMMANDS)[number], QueueCommand> = {
  queue: {
    usage: 'fetch queue [--json]',
    summary: 'cli.fetchQueue.command.queue',
    options: ['json'],
    jobs: false,
    async run(_words, args, context) {
      const jobs = await FetchQueue.read(await queueFile(context));
      if (args.options.json) return void context.io.stdout(json(jobs));
      const { io } = context;
      const { t, locale } = io;
      if (jobs.length === 0) return void io.stdout(`${t('cli.fetchQueue.empty')}\n`);
      const names = await boxNames(context);
      io.stdout(
        table(
          columnTitles(io, [t('cli.column.job'), t('cli.column.state'), t('cli.column.done'), t('table.column.size'), t('table.column.seedbox'), t('cli.column.torrent'), t('cli.column.to')]),
          jobs.map((job) => [
            job.id.slice(0, 8),
            job.state,
            job.totalBytes > 0 ? formatPercent(job.doneBytes / job.totalBytes, locale) : job.state === 'done' ? formatPercent(1, locale) : '-',
            job.totalBytes > 0 ? formatBytes(job.totalBytes, 'binary', locale) : '-',
            names.get(job.seedboxId) ?? job.seedboxId,
            job.torrentName || job.torrentId,
            job.destination + (job.error ? `  (${job.error.message})` : ''),
          ]),
        ),
      );
    },
  },
  pause: jobChange('pause', 'cli.fetchQueue.command.pause', (queue, id) => queue.pause(id)),
  resume: jobChange('resume', 'cli.fetchQueue.command.resume', (queue, id) => queue.resume(id)),
  cancel: jobChange('cancel', 'cli.fetchQueue.command.cancel', (queue, id) => queue.cancel(id)),
  remove: jobChange('remove', 'cli.fetchQueue.command.remove', (queue, id) => queue.remove(id)),
  run: {
    usage: 'fetch run [--json]',
    summary: 'cli.fetchQueue.command.run',
    options: ['json'],
    jobs: false,
    async run(_words, args, context) {
      const { registry } = await context.open();
      const showProgress = context.io.isTTY === true && !args.options.json;
      const queue = await FetchQueue.load({
        file: await queueFile(context),
        owner: 'seedbox fetch run',
        // The app's bandwidth preference holds here too: the queue is the same.
        bandwidthBytesPerSecond: (await registry.preferences()).fetch.limitBytesPerSecond,
        openSource: async (job) => {
          const connection = await context.connect((await registry.get(job.seedboxId)).name);
          try {
            if (!connection.openSftp) throw noSftp();
            const sftp = await connection.openSftp();
            return {
              sftp,
              openConnection: connection.openSftpConnection,
              torrent: await torrentToFetch(connection.client, job.torrentId, { sftp, pathMapping: connection.sftpPathMapping }),
              close: async () => {
                sftp.end();
                await connection.close();
              },
            };
          } catch (error) {
            await connection.close().catch(() => undefined);
            throw error;
          }
        },
        events: showProgress ? { progress: (progress) => context.io.stderr(`\r\u001b[K${progressLine(progress.id.slice(0, 8), progress, context.io)}`) } : {},
      });
      // Loading started them already: what runs now is what this run works.
      const worked = new Set(queue.list().filter((job) => job.state === 'queued' || job.state === 'running').map((job) => job.id));
      try {
        await queue.idle();
      } finally {
        await queue.close();
      }
      if (showProgress) context.io.stderr('\r\u001b[K');
      const results = queue.list().filter((job) => worked.has(job.id));
      if (args.options.json) context.io.stdout(json(results));
      else context.io.stdout(results.length === 0 ? `${context.io.t('cli.fetchQueue.nothingQueued')}\n` : results.map(jobLine).join(''));
      const failed = results.filter((job) => job.state === 'failed').length;
      if (failed > 0) {
        throw new CliError('refused', 'cli.failure.jobsFailed', { failed, count: results.length }, results.length, { reason: 'fetch-incomplete' });
      }
    },
  },
  auto: {
    usage: 'fetch auto [--seedbox NAME (--when EXPR --to DIR [--label L] [--keep-both] | --off)] [--json]',
    summary: 'cli.fetchQueue.command.auto',
    options: ['seedbox', 'when', 'to', 'label', 'keep-both', 'off', 'json'],
    jobs: false,
    run: (_words, args, context) => auto(args, context),
  },
};

/** Runs `fetch SUBCOMMAND ...`; returns the exit status. */
export async function runFetchQueue(args: ParsedArgs, context: FetchQueueContext): Promise<number> {
  const { name, command, words } = subcommandOf('fetch', COMMANDS, args);
  if (command.jobs && words.length === 0) throw usage('cli.usage.fetchNeedsJobsIds', { name, usage: command.usage });
  if (!command.jobs && words.length > 0) throw usage('cli.usage.fetchTakesNoArguments', { name, usage: command.usage });
  return (await command.run(words, args, context)) ?? EXIT.ok;
}

export function fetchQueueHelp(language: CliLanguage): string {
  return commandHelp(Object.values(COMMANDS), language);
}

/**
 * `fetch ID... --to DIR --queue`: the torrents go into the queue for the app (or `fetch run`)
 * to fetch, each checked on the box first. Prints the jobs' ids.
 */
export async function enqueueFetches(
  connection: OpenConnection,
  request: { seedboxId: string; ids: string[]; fileIndexes: number[] | undefined; destination: string; keepBoth: boolean; json: boolean },
  context: Pick<FetchQueueContext, 'io' | 'open'>,
): Promise<void> {
  if (!connection.openSftp) throw noSftp();
  const destination = await existingFolder(request.destination);
  // Known to the box before anything is queued: an unknown id is exit 6 and queues nothing.
  const names = new Map<string, string>();
  for (const id of request.ids) names.set(id, (await connection.client.details(id)).torrent.name);
  const queue = await FetchQueue.load({ file: await queueFile(context), owner: 'seedbox fetch --queue', hold: true, openSource: () => Promise.reject(new Error('held')) });
  const added: FetchJob[] = [];
  try {
    for (const id of request.ids) {
      added.push(
        queue.add({
          seedboxId: request.seedboxId,
          torrentId: id,
          torrentName: names.get(id)!,
          fileIndexes: request.fileIndexes ?? null,
          destination,
          onExisting: request.keepBoth ? 'keep-both' : 'refuse',
        }),
      );
    }
  } finally {
    await queue.close();
  }
  context.io.stdout(request.json ? json(added) : added.map((job) => `${context.io.t('cli.fetchQueue.queued', { id: job.id, name: terminalText(job.torrentName) })}\n`).join(''));
}

function jobChange(name: string, summary: MessageKey, change: (queue: FetchQueue, id: string) => unknown): QueueCommand {
  return {
    usage: `fetch ${name} JOB...`,
    summary,
    options: [],
    jobs: true,
    async run(words, _args, context) {
      // Held: this only edits the queue; the app or "fetch run" works it.
      const queue = await FetchQueue.load({ file: await queueFile(context), owner: `seedbox fetch ${name}`, hold: true, openSource: () => Promise.reject(new Error('held')) });
      try {
        const jobs = words.map((word) => jobOf(queue.list(), word));
        for (const job of jobs) await change(queue, job.id);
        // A removed job is no longer listed: it is shown as it was, marked removed.
        context.io.stdout(jobs.map((job) => jobLine(queue.list().find((after) => after.id === job.id) ?? { ...job, state: 'removed' })).join(''));
      } finally {
        await queue.close();
      }
    },
  };
}

/** A job by its id or a unique start of it (the 8 characters "fetch queue" shows). */
function jobOf(jobs: readonly FetchJob[], word: string): FetchJob {
  const text = word.trim().toLowerCase();
  const matching = text === '' ? [] : jobs.filter((job) => job.id.startsWith(text));
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw new CliError('not-found', 'cli.failure.noJob', { word }, undefined, { id: word });
  throw usage('cli.usage.startsJobsIdsGive', { word, length: matching.length });
}

function jobLine(job: Omit<FetchJob, 'state'> & { state: string }): string {
  const problem = job.error ? `: ${terminalText(job.error.message)}` : '';
  return `${job.state.padEnd(9)} ${job.id.slice(0, 8)}  ${terminalText(job.torrentName || job.torrentId)}${problem}\n`;
}

async function auto(args: ParsedArgs, context: FetchQueueContext): Promise<void> {
  const { options } = args;
  const { config, registry } = await context.open();
  if (options.seedbox === undefined) {
    if (options.when !== undefined || options.to !== undefined || options.off) throw usage('cli.usage.fetchAutoSetsRule');
    const rules = (await config.read()).fetchOnComplete;
    if (options.json) return void context.io.stdout(json(rules));
    const { io } = context;
    const { t } = io;
    if (rules.length === 0) return void io.stdout(`${t('cli.fetchQueue.noAuto', { command: 'seedbox --seedbox NAME fetch auto --when EXPR --to DIR' })}\n`);
    const names = await boxNames(context);
    return void io.stdout(
      table(
        columnTitles(io, [t('table.column.seedbox'), t('cli.column.when'), t('cli.column.to'), t('cli.column.thenLabel')]),
        rules.map((rule) => [names.get(rule.seedboxId) ?? rule.seedboxId, rule.when, rule.destination, rule.addLabel ?? '-']),
      ),
    );
  }
  // The command line first, then the box: a mistake is exit 2 whatever the name.
  if (options.off && (options.when !== undefined || options.to !== undefined || options.label !== undefined)) throw usage('cli.usage.offTakesNothingElse');
  const { when, to } = options;
  if (!options.off && (when === undefined || to === undefined)) throw usage('cli.usage.fetchAutoNameNeeds');
  const view = await registry.getByName(options.seedbox);
  if (options.off) {
    await config.update((draft) => ({ ...draft, fetchOnComplete: draft.fetchOnComplete.filter((rule) => rule.seedboxId !== view.id) }));
    return void context.io.stdout(`${context.io.t('cli.fetchQueue.autoOff', { name: terminalText(view.name) })}\n`);
  }
  if (when === undefined || to === undefined) throw usage('cli.usage.fetchAutoNameNeeds');
  if ((options.label?.length ?? 0) > 1) throw usage('cli.usage.labelTakesOneLabel');
  parseOrThrow(when);
  const parsed = FetchOnCompleteSchema.safeParse({
    seedboxId: view.id,
    when,
    destination: await existingFolder(to),
    addLabel: options.label?.[0] ?? null,
    onExisting: options['keep-both'] ? 'keep-both' : 'refuse',
  });
  if (!parsed.success) throw usage('cli.usage.fetchAuto', { reason: parsed.error.issues[0]?.message ?? 'invalid' });
  const rule: FetchOnComplete = parsed.data;
  await config.update((draft) => ({ ...draft, fetchOnComplete: [...draft.fetchOnComplete.filter((other) => other.seedboxId !== view.id), rule] }));
  if (options.json) return void context.io.stdout(json(rule));
  const said = { name: terminalText(view.name), when: terminalText(rule.when), to: terminalText(rule.destination) };
  context.io.stdout(
    `${rule.addLabel === null ? context.io.t('cli.fetchQueue.autoSet', said) : context.io.t('cli.fetchQueue.autoSetLabel', { ...said, label: terminalText(rule.addLabel) })}\n`,
  );
}

async function queueFile(context: Pick<FetchQueueContext, 'open'>): Promise<string> {
  return fetchQueuePath((await context.open()).config.path);
}

async function boxNames(context: Pick<FetchQueueContext, 'open'>): Promise<Map<string, string>> {
  return new Map((await (await context.open()).registry.list()).map((view) => [view.id, view.name]));
}

/** An absolute path to a folder that exists on this computer. */
async function existingFolder(given: string): Promise<string> {
  const folder = resolve(given);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw usage('cli.usage.mustNameExistingFolder', { given });
  return folder;
}
