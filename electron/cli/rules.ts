// `seedbox rules ...`: the seeding rules, protections, space targets and caps in the settings
// file the app uses (--config), and `rules check` to try an expression on the boxes' torrents.
// Running rules (preview, run, live, log) is in rules-run.ts.
import type { ConfigFile } from '../core/config/config-file';
import type { SeedboxRegistry } from '../core/config/registry';
import type { OpenConnection } from '../core/connections/session';
import type { TorrentClient } from '../core/clients/types';
import { RuleStore, type NewRule } from '../core/rules/rule-store';
import type { SeedboxError} from '../shared/errors';
import { toSeedboxError } from '../shared/errors';
import { formatBytes, formatDecimal, formatDuration, formatInteger } from '../shared/format';
import type { MessageKey } from '../shared/i18n';
import { compile, evaluate, parseOrThrow, type Observation } from '../shared/rules';
import { parseDurationText, parseSizeText } from '../shared/rules/units';
import {
  CANDIDATE_ORDERS,
  formatRuleAction,
  type CandidateOrder,
  type RuleAction,
  type RuleCaps,
  type SeedingRule,
  type SeedingSettings,
  type UnregisteredGrace,
} from '../shared/rules/settings';
import { CONNECTION_OPTIONS, type OptionName, type ParsedArgs } from './args';
import { exitCodeFor, EXIT } from './exit-codes';
import { errorText, json, subcommandOf, usage } from './common';
import { columnTitles, type CliLanguage } from './language';
import { displayWidth, padToWidth, table } from './print';
import { terminalText } from './terminal-text';
import type { CliOut } from './run';
import { RUN_COMMANDS } from './rules-run';

/** What run.ts gives the rules commands: the settings file and the ways to reach a daemon. */
export interface RulesContext {
  io: CliOut;
  open(): Promise<{ config: ConfigFile; registry: SeedboxRegistry }>;
  /** A saved seedbox, reached as the app reaches it. */
  connect(name: string): Promise<OpenConnection>;
  /** The daemon --client/--url name, when they are given. */
  direct(): TorrentClient | undefined;
}

export interface RulesCommand {
  usage: string;
  summary: MessageKey;
  options: OptionName[];
  /** How many words follow the subcommand (a name, an expression, "tracker HOST"). */
  words: number;
  run(words: string[], args: ParsedArgs, context: RulesContext): Promise<number | void>;
}

const RULE_OPTIONS: OptionName[] = ['when', 'action', 'seedbox', 'label', 'tracker', 'reannounce', 'allow-incomplete', 'json'];

const RULES: Record<string, RulesCommand> = {
  add: {
    usage: 'rules add NAME --when EXPR --action stop|remove|remove-data|label:+L|label:-L [--seedbox N]... [--label L]... [--tracker HOST]... [--reannounce on|off] [--allow-incomplete on|off] [--json]',
    summary: 'cli.rules.command.add',
    options: RULE_OPTIONS,
    words: 1,
    async run([name], args, context) {
      const { options } = args;
      if (options.when === undefined) throw usage('cli.usage.rulesAddNeedsWhen');
      if (options.action === undefined) throw usage('cli.usage.rulesAddNeedsAction');
      // The expression first: a typo is reported before anything else is looked up.
      parseOrThrow(options.when);
      const input: NewRule = {
        name: name!,
        condition: options.when,
        action: ruleAction(options.action),
        scope: await scopeOptions(args, context),
        options: ruleOptions(args),
      };
      const rule = await (await store(context)).add(input);
      context.io.stdout(options.json ? json(rule) : `${context.io.t('cli.rules.added', { name: terminalText(rule.name), id: rule.id })}\n`);
    },
  },
  edit: {
    usage: 'rules edit NAME [--rename NEW] [--when EXPR] [--action A] [--seedbox N]... [--label L]... [--tracker HOST]... [--reannounce on|off] [--allow-incomplete on|off] [--json]',
    summary: 'cli.rules.command.edit',
    options: [...RULE_OPTIONS, 'rename'],
    words: 1,
    async run([name], args, context) {
      const { options } = args;
      if (options.when !== undefined) parseOrThrow(options.when);
      const changes = {
        ...(options.rename !== undefined ? { name: options.rename } : {}),
        ...(options.when !== undefined ? { condition: options.when } : {}),
        ...(options.action !== undefined ? { action: ruleAction(options.action) } : {}),
        scope: await scopeOptions(args, context),
        options: ruleOptions(args),
      };
      const changed = Object.keys(changes.scope).length + Object.keys(changes.options).length + Object.keys(changes).length - 2;
      if (changed === 0) throw usage('cli.usage.rulesEditNeedsSomething');
      const before = await (await store(context)).get(name!);
      const rule = await (await store(context)).edit(name!, changes);
      const { t } = context.io;
      const changedText = t('cli.rules.changed', { name: terminalText(rule.name), version: rule.version });
      const text = before.mode === 'live' && rule.mode === 'preview' ? t('cli.rules.changedBackInPreview', { changed: changedText }) : changedText;
      context.io.stdout(options.json ? json(rule) : `${text}\n`);
    },
  },
  list: {
    usage: 'rules list [--json]',
    summary: 'cli.rules.command.list',
    options: ['json'],
    words: 0,
    async run(_words, args, context) {
      const rules = await (await store(context)).list();
      if (args.options.json) return void context.io.stdout(json(rules));
      const { io } = context;
      if (rules.length === 0) return void io.stdout(`${io.t('cli.rules.none')}\n`);
      io.stdout(
        table(
          columnTitles(io, [io.t('table.column.name'), io.t('cli.column.state'), io.t('cli.column.action'), io.t('cli.column.condition')]),
          rules.map((rule) => [rule.name, ruleState(rule, io), formatRuleAction(rule.action), rule.condition]),
        ),
      );
    },
  },
  show: {
    usage: 'rules show NAME [--json]',
    summary: 'cli.rules.command.show',
    options: ['json'],
    words: 1,
    async run([name], args, context) {
      const rule = await (await store(context)).get(name!);
      if (args.options.json) return void context.io.stdout(json(rule));
      const boxes = await boxNames(context);
      const { t } = context.io;
      const list = (items: string[]): string => (items.length === 0 ? t('cli.rules.any') : items.join(', '));
      const lines = [
        [t('table.column.name'), rule.name],
        [t('cli.rules.show.id'), rule.id],
        [t('cli.rules.show.state'), ruleState(rule, context.io)],
        [t('cli.rules.show.version'), String(rule.version)],
        [t('cli.rules.show.when'), rule.condition],
        ...(rule.problem ? [[t('cli.rules.show.problem'), rule.problem.message]] : []),
        [t('cli.rules.show.action'), formatRuleAction(rule.action)],
        [t('cli.rules.show.seedboxes'), list(rule.scope.seedboxes.map((id) => boxes.get(id) ?? t('cli.rules.removedBox', { id })))],
        [t('table.column.labels'), list(rule.scope.labels)],
        [t('cli.rules.show.trackers'), list(rule.scope.trackers)],
        [t('cli.rules.show.reannounce'), rule.options.reannounceBeforeRemove ? t('cli.rules.show.reannounceYes') : t('cli.rules.show.reannounceNo')],
        [t('cli.rules.show.incomplete'), rule.options.allowIncompleteRemoveData ? t('cli.rules.show.incompleteAllowed') : t('cli.rules.show.incompleteProtected')],
      ];
      context.io.stdout(keyValueLines(lines));
    },
  },
  enable: ruleChange('enable', 'cli.rules.command.enable', (rules, name) => rules.setEnabled(name, true), 'cli.rules.enabled'),
  disable: ruleChange('disable', 'cli.rules.command.disable', (rules, name) => rules.setEnabled(name, false), 'cli.rules.disabled'),
  hold: ruleChange('hold', 'cli.rules.command.hold', (rules, name) => rules.hold(name), 'cli.rules.held'),
  remove: ruleChange('remove', 'cli.rules.command.remove', (rules, name) => rules.remove(name), 'cli.rules.removed'),
  check: {
    usage: 'rules check EXPR [--seedbox N]... [--json]',
    summary: 'cli.rules.command.check',
    options: ['seedbox', 'json', ...CONNECTION_OPTIONS],
    words: 1,
    run: ([expression], args, context) => check(expression!, args, context),
  },
  protect: {
    usage: 'rules protect tracker HOST [--min-seeding DURATION] [--min-ratio R] | rules protect label L',
    summary: 'cli.rules.command.protect',
    options: ['min-seeding', 'min-ratio', 'json'],
    words: 2,
    async run([kind, value], args, context) {
      const rules = await store(context);
      let protections;
      if (kind === 'tracker') {
        const minSeedingSeconds = optionalDuration(args, 'min-seeding');
        const minRatio = optionalNumber(args, 'min-ratio');
        if (minSeedingSeconds === undefined && minRatio === undefined) throw usage('cli.usage.rulesProtectTrackerNeeds');
        protections = await rules.setTrackerFloor({ host: value!, ...(minSeedingSeconds !== undefined ? { minSeedingSeconds } : {}), ...(minRatio !== undefined ? { minRatio } : {}) });
      } else if (kind === 'label') {
        if (args.given.some((option) => option.startsWith('min-'))) throw usage('cli.usage.rulesProtectLabelTakes');
        protections = await rules.protectLabel(value!);
      } else {
        throw usage('cli.usage.rulesProtectTakesTracker', { kind });
      }
      context.io.stdout(args.options.json ? json(protections) : `${context.io.t(kind === 'tracker' ? 'cli.rules.protectedTracker' : 'cli.rules.protectedLabel', { name: terminalText(value!) })}\n`);
    },
  },
  unprotect: {
    usage: 'rules unprotect tracker HOST | rules unprotect label L',
    summary: 'cli.rules.command.unprotect',
    options: [],
    words: 2,
    async run([kind, value], _args, context) {
      const rules = await store(context);
      if (kind === 'tracker') await rules.removeTrackerFloor(value!);
      else if (kind === 'label') await rules.unprotectLabel(value!);
      else throw usage('cli.usage.rulesUnprotectTakesTracker', { kind });
      context.io.stdout(`${context.io.t(kind === 'tracker' ? 'cli.rules.unprotectedTracker' : 'cli.rules.unprotectedLabel', { name: terminalText(value!) })}\n`);
    },
  },
  target: {
    usage: `rules target SEEDBOX [--min-free SIZE] [--max-used SIZE] [--order ${CANDIDATE_ORDERS.join('|')}] [--json]`,
    summary: 'cli.rules.command.target',
    options: ['min-free', 'max-used', 'order', 'json'],
    words: 1,
    async run([name], args, context) {
      const minFreeBytes = optionalSize(args, 'min-free');
      const maxSeedingBytes = optionalSize(args, 'max-used');
      if (minFreeBytes === undefined && maxSeedingBytes === undefined) throw usage('cli.usage.rulesTargetNeedsMin');
      const order = args.options.order;
      if (order !== undefined && !CANDIDATE_ORDERS.includes(order as CandidateOrder)) throw usage('cli.usage.orderMustBeOne', { list: CANDIDATE_ORDERS.join(', '), order });
      const { registry } = await context.open();
      const box = await registry.getByName(name!);
      const target = await (await store(context)).setSpaceTarget({
        seedboxId: box.id,
        ...(minFreeBytes !== undefined ? { minFreeBytes } : {}),
        ...(maxSeedingBytes !== undefined ? { maxSeedingBytes } : {}),
        order: (order as CandidateOrder | undefined) ?? 'oldest',
      });
      context.io.stdout(args.options.json ? json(target) : `${context.io.t('cli.rules.targetSet', { name: terminalText(box.name), target: describeTarget(target, context.io) })}\n`);
    },
  },
  untarget: {
    usage: 'rules untarget SEEDBOX',
    summary: 'cli.rules.command.untarget',
    options: [],
    words: 1,
    async run([name], _args, context) {
      const { registry } = await context.open();
      const box = await registry.getByName(name!);
      await (await store(context)).removeSpaceTarget(box.id);
      context.io.stdout(`${context.io.t('cli.rules.targetRemoved', { name: terminalText(box.name) })}\n`);
    },
  },
  caps: {
    usage: 'rules caps [--per-run N] [--per-run-bytes SIZE] [--per-box N] [--per-box-bytes SIZE] [--json]',
    summary: 'cli.rules.command.caps',
    options: ['per-run', 'per-run-bytes', 'per-box', 'per-box-bytes', 'json'],
    words: 0,
    async run(_words, args, context) {
      const rules = await store(context);
      const perRun = { maxTorrents: optionalCount(args, 'per-run'), maxBytes: optionalSize(args, 'per-run-bytes') };
      const perSeedbox = { maxTorrents: optionalCount(args, 'per-box'), maxBytes: optionalSize(args, 'per-box-bytes') };
      const changing = [...Object.values(perRun), ...Object.values(perSeedbox)].some((value) => value !== undefined);
      const caps = changing ? await rules.setCaps({ perRun, perSeedbox }) : (await rules.settings()).caps;
      context.io.stdout(args.options.json ? json(caps) : describeCaps(caps, context.io));
    },
  },
  grace: {
    usage: 'rules grace [--checks N] [--after DURATION] [--json]',
    summary: 'cli.rules.command.grace',
    options: ['checks', 'after', 'json'],
    words: 0,
    async run(_words, args, context) {
      const rules = await store(context);
      const changes = { minChecks: optionalCount(args, 'checks'), minSeconds: optionalDuration(args, 'after') };
      // The schema's own words name its fields; these name the options.
      if (changes.minChecks !== undefined && !(changes.minChecks >= 1 && changes.minChecks <= 1000)) throw usage('cli.usage.checksTakesNumberChecks', { minChecks: changes.minChecks });
      if (changes.minSeconds !== undefined && changes.minSeconds > 365 * 86_400) throw usage('cli.usage.afterTakesAtMost');
      const changing = Object.values(changes).some((value) => value !== undefined);
      const grace = changing ? await rules.setUnregisteredGrace(changes) : (await rules.settings()).unregisteredGrace;
      context.io.stdout(args.options.json ? json(grace) : `${describeGrace(grace, context.io)}\n`);
    },
  },
  settings: {
    usage: 'rules settings [--json]',
    summary: 'cli.rules.command.settings',
    options: ['json'],
    words: 0,
    async run(_words, args, context) {
      const settings = await (await store(context)).settings();
      if (args.options.json) {
        const { rules: _rules, ...rest } = settings;
        return void context.io.stdout(json(rest));
      }
      context.io.stdout(describeSettings(settings, await boxNames(context), context.io));
    },
  },
  pause: {
    usage: 'rules pause',
    summary: 'cli.rules.command.pause',
    options: [],
    words: 0,
    async run(_words, _args, context) {
      await (await store(context)).setPaused(true);
      context.io.stdout(`${context.io.t('cli.rules.pausedNow', { command: 'seedbox rules resume' })}\n`);
    },
  },
  resume: {
    usage: 'rules resume',
    summary: 'cli.rules.command.resume',
    options: [],
    words: 0,
    async run(_words, _args, context) {
      await (await store(context)).setPaused(false);
      context.io.stdout(`${context.io.t('cli.rules.resumedNow')}\n`);
    },
  },
  ...RUN_COMMANDS,
};

/** For --help: the forms are long, so each summary goes on its own line. */
export function rulesHelp({ t }: CliLanguage): string {
  return Object.values(RULES)
    .map((command) => `  ${command.usage}\n      ${t(command.summary)}`)
    .join('\n');
}

export async function runRules(args: ParsedArgs, context: RulesContext): Promise<number> {
  const { name: subcommand, command, words } = subcommandOf('rules', RULES, args);
  if (words.length !== command.words) throw usage((['cli.usage.rulesTakesNoArguments', 'cli.usage.rulesTakesOneArgument', 'cli.usage.rulesTakesTwoArguments'] as const)[command.words]!, { subcommand, usage: command.usage });
  if (words.some((word) => word.trim() === '')) throw usage('cli.usage.rulesArgumentEmpty', { subcommand, usage: command.usage });
  return (await command.run(words, args, context)) ?? EXIT.ok;
}

function ruleChange(name: string, summary: MessageKey, change: (rules: RuleStore, name: string) => Promise<SeedingRule>, done: MessageKey): RulesCommand {
  return {
    usage: `rules ${name} NAME`,
    summary,
    options: [],
    words: 1,
    async run([ruleName], _args, context) {
      const rule = await change(await store(context), ruleName!);
      context.io.stdout(`${context.io.t(done, { name: terminalText(rule.name) })}\n`);
    },
  };
}

async function store(context: RulesContext): Promise<RuleStore> {
  return new RuleStore({ config: (await context.open()).config });
}

/** stop, remove, remove-data, label:+L, label:-L. */
function ruleAction(text: string): RuleAction {
  if (text === 'stop' || text === 'remove' || text === 'remove-data') return text;
  const label = /^label:([+-])(.+)$/s.exec(text);
  if (label) return { label: label[2]!, change: label[1] === '+' ? 'add' : 'remove' };
  throw usage('cli.usage.actionTakes', { text });
}

/** The scope lists given; one empty value ("") clears that list. */
async function scopeOptions(args: ParsedArgs, context: RulesContext): Promise<NewRule['scope'] & object> {
  const listOf = (values: string[] | undefined): string[] | undefined => (values === undefined ? undefined : values.length === 1 && values[0] === '' ? [] : values);
  const names = listOf(args.given.includes('seedbox') ? args.seedboxes : undefined);
  const labels = listOf(args.options.label);
  const trackers = listOf(args.options.tracker);
  let seedboxes: string[] | undefined;
  if (names !== undefined) {
    const { registry } = await context.open();
    seedboxes = [];
    // By name as everywhere in the CLI; stored by id, so a renamed box stays in scope.
    for (const name of names) seedboxes.push((await registry.getByName(name)).id);
  }
  return { ...(seedboxes !== undefined ? { seedboxes } : {}), ...(labels !== undefined ? { labels } : {}), ...(trackers !== undefined ? { trackers } : {}) };
}

function ruleOptions(args: ParsedArgs): NonNullable<NewRule['options']> {
  const reannounce = onOff(args, 'reannounce');
  const allowIncomplete = onOff(args, 'allow-incomplete');
  return {
    ...(reannounce !== undefined ? { reannounceBeforeRemove: reannounce } : {}),
    ...(allowIncomplete !== undefined ? { allowIncompleteRemoveData: allowIncomplete } : {}),
  };
}

function onOff(args: ParsedArgs, name: 'reannounce' | 'allow-incomplete'): boolean | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  if (text !== 'on' && text !== 'off') throw usage('cli.usage.takesOnOff', { name, text });
  return text === 'on';
}

/** "14d", "12h", "90m", "1w": the rule language's duration units. */
function optionalDuration(args: ParsedArgs, name: 'min-seeding' | 'after'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  const seconds = parseDurationText(text);
  if (seconds === null) throw usage('cli.usage.takesDuration', { name, text });
  return seconds;
}

/** "500GiB", "2TB", "0": the rule language's size units; a plain number is bytes. */
function optionalSize(args: ParsedArgs, name: 'min-free' | 'max-used' | 'per-run-bytes' | 'per-box-bytes'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  const bytes = parseSizeText(text);
  if (bytes === null) throw usage('cli.usage.takesSize', { name, text });
  return bytes;
}

function optionalCount(args: ParsedArgs, name: 'per-run' | 'per-box' | 'checks'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  if (!/^\d{1,7}$/.test(text)) throw usage(name === 'checks' ? 'cli.usage.takesNumber' : 'cli.usage.takesNumberOfTorrents', { name, text });
  return Number(text);
}

function optionalNumber(args: ParsedArgs, name: 'min-ratio'): number | undefined {
  const text = args.options[name];
  if (text === undefined) return undefined;
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw usage('cli.usage.takesRatio', { name, text });
  return Number(text);
}

function ruleState(rule: SeedingRule, { t }: CliLanguage): string {
  if (rule.problem) return t('cli.rules.state.broken');
  // The mode's own word, as the rule language and --json name it.
  return rule.enabled ? rule.mode : t('cli.rules.state.disabled', { mode: rule.mode });
}

/** "Name     Ratio" lines: the keys padded to one width on the terminal. */
function keyValueLines(lines: string[][], gap = '  '): string {
  const width = Math.max(...lines.map(([key]) => displayWidth(key!)));
  return lines.map(([key, value]) => `${padToWidth(key!, width)}${gap}${terminalText(value!)}\n`).join('');
}

async function boxNames(context: RulesContext): Promise<Map<string, string>> {
  const { registry } = await context.open();
  return new Map((await registry.list()).map((box) => [box.id, box.name]));
}

function describeTarget(target: SeedingSettings['spaceTargets'][number], { t, locale }: CliLanguage): string {
  const parts = [
    ...(target.minFreeBytes !== undefined ? [t('cli.rules.target.keepFree', { size: formatBytes(target.minFreeBytes, 'binary', locale) })] : []),
    ...(target.maxSeedingBytes !== undefined ? [t('cli.rules.target.atMost', { size: formatBytes(target.maxSeedingBytes, 'binary', locale) })] : []),
  ];
  return t('cli.rules.target.summary', { parts: parts.join(', '), order: target.order, mode: target.mode });
}

function describeCaps(caps: RuleCaps, language: CliLanguage): string {
  const { t, locale } = language;
  const cap = (limit: RuleCaps['perRun']): string =>
    t('cli.rules.caps.value', { torrents: t('cli.rules.caps.torrents', { count: formatInteger(limit.maxTorrents, locale) }, limit.maxTorrents), size: formatBytes(limit.maxBytes, 'binary', locale) });
  return keyValueLines([
    [t('cli.rules.caps.perRun'), cap(caps.perRun)],
    [t('cli.rules.caps.perSeedbox'), cap(caps.perSeedbox)],
  ], ' ');
}

function describeGrace(grace: UnregisteredGrace, { t, locale }: CliLanguage): string {
  return t('cli.rules.grace', { checks: t('cli.rules.checks', { count: formatInteger(grace.minChecks, locale) }, grace.minChecks), time: formatDuration(grace.minSeconds, locale) });
}

function describeSettings(settings: SeedingSettings, boxes: Map<string, string>, language: CliLanguage): string {
  const { t, locale } = language;
  const { protections } = settings;
  const floors = protections.trackerFloors.map((floor) => {
    const minimums = [
      ...(floor.minSeedingSeconds !== undefined ? [t('cli.rules.settings.seeding', { time: formatDuration(floor.minSeedingSeconds, locale) })] : []),
      ...(floor.minRatio !== undefined ? [t('cli.rules.settings.ratio', { ratio: formatDecimal(floor.minRatio, decimals(floor.minRatio), locale) })] : []),
    ];
    return `  ${t('cli.rules.settings.trackerFloor', { host: terminalText(floor.host), minimums: new Intl.ListFormat(locale, { type: 'conjunction' }).format(minimums) })}\n`;
  });
  const labels = protections.labels.map((label) => `  ${t('cli.rules.settings.label', { label: terminalText(label) })}\n`);
  const targets = settings.spaceTargets.map((target) => `  ${terminalText(boxes.get(target.seedboxId) ?? t('cli.rules.removedBox', { id: target.seedboxId }))}: ${describeTarget(target, language)}\n`);
  const none = `  ${t('cli.rules.settings.none')}\n`;
  return (
    `${t('cli.rules.settings.rules', { state: settings.paused ? t('cli.rules.settings.paused') : t('cli.rules.settings.running') })}\n` +
    `${t('cli.rules.settings.protections')}\n${[...floors, ...labels].join('') || none}` +
    `  ${t('cli.rules.settings.incomplete')}\n` +
    `${t('cli.rules.settings.spaceTargets')}\n${targets.join('') || none}` +
    `${t('cli.rules.settings.caps')}\n${describeCaps(settings.caps, language).replace(/^(?=.)/gm, '  ')}` +
    `${t('cli.rules.settings.grace', { grace: describeGrace(settings.unregisteredGrace, language) })}\n`
  );
}

/** The decimals a ratio floor was given with (1, 0.5, 1.25), shown in the locale's way. */
function decimals(value: number): number {
  return Math.min(20, String(value).split('.')[1]?.length ?? 0);
}

interface CheckMatch {
  seedbox: string | null;
  id: string;
  name: string;
  values: Pick<Observation, 'field' | 'value' | 'valueText' | 'text'>[];
}

/**
 * Parses the expression, then reads each box once (one list call) and keeps what it matches.
 * A box that cannot be read is reported and the others are still checked; the exit status is
 * the first such failure's.
 */
async function check(expression: string, args: ParsedArgs, context: RulesContext): Promise<number> {
  const compiled = compile(parseOrThrow(expression));
  const direct = context.direct();
  let names: (string | null)[];
  if (direct) {
    if (args.seedboxes.length > 0) throw usage('cli.usage.rulesCheckReadsEither');
    names = [null];
  } else if (args.seedboxes.length > 0) {
    names = args.seedboxes;
  } else {
    const { registry } = await context.open();
    names = (await registry.list()).map((box) => box.name);
    if (names.length === 0) throw usage('cli.usage.noSavedSeedboxesToCheck');
  }
  const matches: CheckMatch[] = [];
  const failures: { seedbox: string | null; error: SeedboxError }[] = [];
  for (const name of names) {
    let connection: OpenConnection | undefined;
    try {
      let client = direct;
      if (!client) {
        connection = await context.connect(name!);
        client = connection.client;
      }
      const torrents = await client.list();
      const now = Date.now() / 1000;
      for (const torrent of torrents) {
        const evaluation = evaluate(compiled, torrent, now);
        if (!evaluation.matches) continue;
        matches.push({
          seedbox: name,
          id: torrent.id,
          name: torrent.name,
          values: evaluation.explain.map(({ field, value, valueText, text }) => ({ field, value, valueText, text })),
        });
      }
    } catch (thrown) {
      failures.push({ seedbox: name, error: toSeedboxError(thrown) });
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  const { io } = context;
  if (args.options.json) {
    io.stdout(json({ matches, failures: failures.map(({ seedbox, error }) => ({ seedbox, error: error.toJSON() })) }));
  } else {
    io.stdout(
      matches.length === 0
        ? `${io.t('cli.rules.noMatch')}\n`
        : table(
            columnTitles(io, [io.t('table.column.seedbox'), io.t('cli.column.id'), io.t('table.column.name'), io.t('cli.column.because')]),
            matches.map((match) => [match.seedbox ?? '-', match.id, match.name, match.values.map((value) => value.text).join('; ')]),
          ),
    );
    for (const { seedbox, error } of failures) {
      io.stderr(`seedbox: ${seedbox === null ? '' : `${terminalText(seedbox)}: `}${errorText(error, io)}\n`);
    }
  }
  return failures.length > 0 ? exitCodeFor(failures[0]!.error.code) : EXIT.ok;
}
