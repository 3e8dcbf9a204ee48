// `seedbox rules preview|run|live|log`: the engine (electron/core/rules/engine.ts) from the
// command line, for people and for cron. The management commands are in rules.ts.
import { AuditLog, type AuditEntry } from '../core/rules/audit-log';
import { run, type BoxPlan, type Decision, type RunBox, type RunResult } from '../core/rules/engine';
import { RuleStore } from '../core/rules/rule-store';
import { UnregisteredSightings } from '../core/rules/unregistered';
import { formatBytes, formatInteger } from '../shared/format';
import type { MessageKey } from '../shared/i18n';
import { SPACE_TARGET_RULE_ID } from '../shared/rules/report';
import { parseDurationText } from '../shared/rules/units';
import type { SeedingSettings } from '../shared/rules/settings';
import type { OptionName, ParsedArgs } from './args';
import { CliError, errorText, json, usage } from './common';
import { EXIT, exitCodeFor } from './exit-codes';
import { columnTitles, type CliLanguage } from './language';
import { table } from './print';
import type { RulesCommand, RulesContext } from './rules';
import { terminalText } from './terminal-text';

const RUN_OPTIONS: OptionName[] = ['seedbox', 'json'];

export const RUN_COMMANDS: Record<string, RulesCommand> = {
  preview: {
    usage: 'rules preview [--seedbox N]... [--json]',
    summary: 'cli.rules.command.preview',
    options: RUN_OPTIONS,
    words: 0,
    async run(_words, args, context) {
      const settings = await (await store(context)).settings();
      return report(await runOn(settings, args, context, { dryRun: true }), settings, args, context);
    },
  },
  run: {
    usage: 'rules run [--dry-run] [--seedbox N]... [--json]',
    summary: 'cli.rules.command.run',
    options: [...RUN_OPTIONS, 'dry-run'],
    words: 0,
    async run(_words, args, context) {
      const { config } = await context.open();
      const settings = await (await store(context)).settings();
      const dryRun = args.options['dry-run'] === true;
      const log = new AuditLog({ configPath: config.path });
      const result = await runOn(settings, args, context, dryRun ? { dryRun } : { record: (plan) => log.record(plan) });
      return report(result, settings, args, context);
    },
  },
  live: {
    usage: 'rules live NAME [--yes] [--json]',
    summary: 'cli.rules.command.live',
    options: ['yes', 'json'],
    words: 1,
    async run([name], args, context) {
      const rules = await store(context);
      const settings = await rules.settings();
      const rule = await rules.get(name!);
      if (rule.problem) return void (await rules.setLive(rule.id));
      // The rule as it would run once live, among the others in their order.
      const asLive = { ...settings, rules: settings.rules.map((other) => (other.id === rule.id ? { ...other, mode: 'live' as const, enabled: true } : other)) };
      const { t } = context.io;
      const own = await showWouldAct(asLive, args, context, rule.id, {
        heading: t('cli.rules.live.ruleHeading', { name: terminalText(rule.name), version: rule.version }),
        unreadable: 'cli.usage.ruleUnreadable',
        noTerminal: 'cli.usage.ruleNoTerminal',
        question: t('cli.rules.live.ruleQuestion', { name: terminalText(rule.name) }),
        declined: t('cli.rules.live.ruleDeclined'),
      });
      if (own === undefined) return EXIT.declined;
      const live = await rules.setLive(rule.id, rule.version);
      context.io.stdout(args.options.json ? json({ rule: live, wouldAct: own.plans }) : `${t('cli.rules.live.ruleLive', { name: terminalText(live.name), version: live.version })}\n`);
    },
  },
  'target-live': {
    usage: 'rules target-live SEEDBOX [--yes] [--json]',
    summary: 'cli.rules.command.targetLive',
    options: ['yes', 'json'],
    words: 1,
    async run([name], args, context) {
      const rules = await store(context);
      const settings = await rules.settings();
      const box = await (await context.open()).registry.getByName(name!);
      const target = settings.spaceTargets.find((candidate) => candidate.seedboxId === box.id);
      if (!target) throw new CliError('not-found', 'cli.failure.noSpaceTarget', { name: box.name }, undefined, { seedbox: box.name });
      // The target as it would run once live, after the rules as they are.
      const asLive = { ...settings, spaceTargets: settings.spaceTargets.map((other) => (other === target ? { ...other, mode: 'live' as const } : other)) };
      const { t } = context.io;
      const own = await showWouldAct(asLive, { ...args, seedboxes: [box.name] }, context, SPACE_TARGET_RULE_ID, {
        heading: t('cli.rules.live.targetHeading', { name: terminalText(box.name) }),
        unreadable: 'cli.usage.targetUnreadable',
        noTerminal: 'cli.usage.targetNoTerminal',
        question: t('cli.rules.live.targetQuestion', { name: terminalText(box.name) }),
        declined: t('cli.rules.live.targetDeclined'),
      });
      if (own === undefined) return EXIT.declined;
      // What was shown must be what goes live: an edit in between is refused, like "rules live".
      const live = await rules.setSpaceTargetLive(target);
      context.io.stdout(args.options.json ? json({ target: live, wouldAct: own.plans }) : `${t('cli.rules.live.targetLive', { name: terminalText(box.name) })}\n`);
    },
  },
  log: {
    usage: 'rules log [--since T] [--json]',
    summary: 'cli.rules.command.log',
    options: ['since', 'json'],
    words: 0,
    async run(_words, args, context) {
      const since = args.options.since === undefined ? undefined : sinceTime(args.options.since);
      const { config } = await context.open();
      const entries = await new AuditLog({ configPath: config.path }).read(since);
      if (args.options.json) return void context.io.stdout(json(entries));
      const { io } = context;
      const { t } = io;
      if (entries.length === 0) return void io.stdout(`${t('cli.rules.log.empty')}\n`);
      io.stdout(
        table(
          columnTitles(io, [t('cli.column.time'), t('table.column.seedbox'), t('cli.column.rule'), t('cli.column.result'), t('cli.column.action'), t('table.column.name'), t('cli.column.freed'), t('cli.column.why')]),
          entries.map((entry: AuditEntry) => [
            entry.time.slice(0, 19).replace('T', ' '),
            entry.seedbox.name,
            `${entry.rule.name} v${entry.rule.version}`,
            entry.result,
            entry.operation,
            entry.torrent.name,
            freed(entry, io),
            why(entry),
          ]),
        ),
      );
    },
  },
};

/**
 * What switching to live would do now (only the decisions of `decidedBy`), shown, then confirmed
 * (--yes for scripts); undefined when declined. Nothing is switched when a box cannot be read.
 */
async function showWouldAct(
  asLive: SeedingSettings,
  args: ParsedArgs,
  context: RulesContext,
  decidedBy: string,
  text: { heading: string; unreadable: MessageKey; noTerminal: MessageKey; question: string; declined: string },
): Promise<RunResult | undefined> {
  const result = await runOn(asLive, args, context, { dryRun: true });
  const own = { ...result, plans: result.plans.map((plan) => ({ ...plan, decisions: plan.decisions.filter((decision) => decision.rule.id === decidedBy) })) };
  if (!args.options.json) {
    context.io.stdout(`${text.heading}\n`);
    report(own, asLive, { ...args, options: { ...args.options, json: false } }, context);
  }
  if (result.failures.length > 0) throw usage(text.unreadable, { count: result.failures.length });
  if (!args.options.yes) {
    if (!context.io.confirm) throw usage(text.noTerminal);
    if (!(await context.io.confirm(text.question))) {
      context.io.stderr(`${text.declined}\n`);
      return undefined;
    }
  }
  return own;
}

async function store(context: RulesContext): Promise<RuleStore> {
  return new RuleStore({ config: (await context.open()).config });
}

/**
 * The boxes named by --seedbox, or every saved one; each opened only when its turn comes. Each
 * fresh list is a check of the unregistered torrents, in the same record as the app's runs.
 */
async function runOn(settings: SeedingSettings, args: ParsedArgs, context: RulesContext, options: { dryRun?: boolean; record?: (plan: BoxPlan) => Promise<void> }): Promise<RunResult> {
  if (context.direct()) throw usage('cli.usage.rulesRunOnSavedSeedboxes');
  const { registry, config } = await context.open();
  const views = args.seedboxes.length > 0 ? await Promise.all(args.seedboxes.map((name) => registry.getByName(name))) : await registry.list();
  if (views.length === 0) throw usage('cli.usage.noSavedSeedboxes');
  const boxes: RunBox[] = views.map((view) => ({
    seedbox: { id: view.id, name: view.name },
    open: async () => {
      const connection = await context.connect(view.name);
      return { client: connection.client, close: () => connection.close() };
    },
  }));
  return run(settings, boxes, { ...options, sightings: new UnregisteredSightings({ configPath: config.path }) });
}

/** The exit status: a box that could not be read first, then an action that failed. */
function report(result: RunResult, settings: SeedingSettings, args: ParsedArgs, context: RulesContext): number {
  const { io } = context;
  const failedActions = result.plans.some((plan) => plan.decisions.some((decision) => decision.outcome === 'failed'));
  if (args.options.json) {
    io.stdout(json({ paused: settings.paused, plans: result.plans, failures: result.failures.map(({ seedbox, error }) => ({ seedbox, error: error.toJSON() })) }));
  } else {
    const { t, locale } = io;
    if (settings.paused) io.stdout(`${t('cli.rules.report.paused', { command: 'seedbox rules resume' })}\n`);
    const rows = result.plans.flatMap((plan) =>
      plan.decisions.map((decision) => [plan.seedbox.name, `${decision.rule.name} v${decision.rule.version}`, decision.outcome, decision.operation, decision.torrent.name, freed(decision, io), why(decision)]),
    );
    const header = columnTitles(io, [t('table.column.seedbox'), t('cli.column.rule'), t('cli.column.result'), t('cli.column.action'), t('table.column.name'), t('cli.column.freed'), t('cli.column.why')]);
    io.stdout(rows.length === 0 ? `${t('cli.rules.report.noMatch')}\n` : table(header, rows));
    for (const plan of result.plans) {
      const counts = new Map<string, number>();
      for (const decision of plan.decisions) counts.set(decision.outcome, (counts.get(decision.outcome) ?? 0) + 1);
      // The outcomes keep their own words, as the log and --json name them.
      const summary = [...counts].map(([outcome, count]) => `${formatInteger(count, locale)} ${outcome}`).join(', ') || t('cli.rules.report.nothingToDo');
      const upperBound = plan.decisions.some((decision) => decision.bytesFreed > 0 && decision.bytesFreedUpperBound);
      const size = formatBytes(plan.bytesFreed, 'binary', locale);
      const freedKey: MessageKey = upperBound ? 'cli.rules.report.freedAtMost' : 'cli.rules.report.freed';
      io.stdout(`${t(freedKey, { name: terminalText(plan.seedbox.name), summary, size })}\n`);
      if (plan.target) io.stdout(`${terminalText(plan.seedbox.name)}: ${plan.target.status}: ${plan.target.message}.\n`);
    }
    for (const { seedbox, error } of result.failures) io.stderr(`seedbox: ${terminalText(seedbox.name)}: ${errorText(error, io)}\n`);
  }
  if (result.failures.length > 0) return exitCodeFor(result.failures[0]!.error.code);
  return failedActions ? EXIT.partlyDone : EXIT.ok;
}

function freed(decision: Pick<Decision, 'bytesFreed' | 'bytesFreedUpperBound'>, { locale }: CliLanguage): string {
  if (decision.bytesFreed === 0) return '-';
  return `${decision.bytesFreedUpperBound ? '≤ ' : ''}${formatBytes(decision.bytesFreed, 'binary', locale)}`;
}

function why(decision: Pick<Decision, 'reason' | 'values'>): string {
  const values = decision.values.map((value) => value.text).join('; ');
  return decision.reason === '' ? values : `${decision.reason} (${values})`;
}

/** "2026-01-31", an ISO date-time, or a duration ago: "12h", "7d". */
function sinceTime(text: string): Date {
  const ago = parseDurationText(text);
  if (ago !== null) return new Date(Date.now() - ago * 1000);
  const time = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time)) throw usage('cli.usage.since', { text });
  return new Date(time);
}
