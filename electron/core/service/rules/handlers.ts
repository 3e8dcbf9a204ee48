// The rules:* channels (issue 13 §4-5): the window edits the seeding rules through the same
// RuleStore and audit log as `seedbox rules`, previews them on the torrents the pollers last
// saw, and runs them on the boxes the service keeps connected (same sessions, same keychain).
import { DRAFT_RULE_ID, type InvokeChannel, type InvokeHandlers, type RulesState } from '../../../shared/contract';
import { SeedboxError } from '../../../shared/errors';
import type { BoxPlan, Decision, Outcome } from '../../../shared/rules/report';
import { nameKey, type SeedingRule, type SeedingSettings } from '../../../shared/rules/settings';
import { parseOrThrow } from '../../../shared/rules/parser';
import type { ConfigFile } from '../../config/config-file';
import type { CoreEventSource } from '../../events';
import { AuditLog } from '../../rules/audit-log';
import { plan, type BoxTorrents, type RunBox, type SeedboxRef } from '../../rules/engine';
import { RuleStore } from '../../rules/rule-store';
import { UnregisteredSightings } from '../../rules/unregistered';
import type { BoxSet, RunningBox } from '../boxes';
import { serializeError } from '../dispatch';
import type { HandlerPart } from '../handlers';
import type { RegistryApi } from '../registry-api';
import { RulesRunner } from './runner';
import { worthNotice } from './summary';

export type RulesChannel = Extract<InvokeChannel, `rules:${string}`>;

export interface RulesDeps {
  /** The settings file (the CLI's --config): rules, protections, targets, caps, schedule. */
  config: ConfigFile;
  boxes: Pick<BoxSet, 'all' | 'boxOf'>;
  registry: Pick<RegistryApi, 'get'>;
  events: CoreEventSource;
  log(message: string): void;
  /** Unix milliseconds (tests). */
  now?: () => number;
}

export interface RulesPart {
  handlers: HandlerPart<RulesChannel>;
  /** Starts the schedule (service start). */
  start(): Promise<void>;
  /** Stops the schedule and waits for a run under way. */
  stop(): Promise<void>;
}

/** Which decisions a window is shown first when a box has more than it asked for. */
const SHOWN_FIRST: Outcome[] = ['failed', 'done', 'act', 'preview', 'capped', 'protected', 'paused', 'skipped'];

export function rulesPart(deps: RulesDeps): RulesPart {
  const { config, boxes, events } = deps;
  const now = deps.now ?? Date.now;
  const store = new RuleStore({ config });
  const audit = new AuditLog({ configPath: config.path });
  const sightings = new UnregisteredSightings({ configPath: config.path });
  // From the file, not the cache: a rule the CLI put on hold must not act here.
  const freshSettings = async (): Promise<SeedingSettings> => (await config.load()).config.seeding;
  let lastSettings: SeedingSettings | undefined;

  const state = (settings: SeedingSettings): RulesState => ({ settings, running: runner.running, nextRunAt: runner.nextRunAt, lastRun: runner.lastRun });
  const announce = async (): Promise<void> => {
    lastSettings = await store.settings();
    events.emit('rules:changed', state(lastSettings));
  };
  /** After a change through the window: the window hears the new state (a failure to read it is logged, the change stands). */
  const changed = async <T>(result: T): Promise<T> => {
    await announce().catch((thrown: unknown) => deps.log(`Cannot read the rules after a change: ${String(thrown)}`));
    return result;
  };

  const runner = new RulesRunner({
    // What a run read is what the window's next rules:changed shows.
    settings: async () => (lastSettings = await freshSettings()),
    boxes: () => [...boxes.all()].map(runBox),
    record: (boxPlan) => audit.record(boxPlan, new Date(now())),
    sightings,
    onRun: (summary) => {
      if (worthNotice(summary)) events.emit('notice', { kind: 'rules-run', summary });
    },
    onChange: () => {
      if (lastSettings) events.emit('rules:changed', state(lastSettings));
    },
    log: deps.log,
    now,
  });

  /** A rule by its id only: a rule named like another's id must not be taken for it. */
  const byId = async (id: string): Promise<SeedingRule> => {
    const rules = await store.list();
    const rule = rules.find((candidate) => candidate.id === id);
    if (!rule) throw new SeedboxError('not-found', 'That rule no longer exists; it may have been removed meanwhile.', { rule: id });
    const namesake = rules.find((candidate) => nameKey(candidate.name) === nameKey(id));
    if (namesake && namesake.id !== id) throw new SeedboxError('invalid-argument', `The rule "${namesake.name}" is named like another rule's id; rename it first.`, { rule: id });
    return rule;
  };

  const handlers: HandlerPart<RulesChannel> = {
    'rules:get': async () => {
      lastSettings = await freshSettings();
      return state(lastSettings);
    },
    'rules:saveRule': async ({ rule: { id, enabled, ...fields } }) => {
      let saved = id === undefined ? await store.add(fields) : await store.edit((await byId(id)).id, fields);
      if (enabled !== undefined && enabled !== saved.enabled) saved = await store.setEnabled(saved.id, enabled);
      return changed(saved);
    },
    'rules:removeRule': async ({ id }) => {
      await store.remove((await byId(id)).id);
      return changed(null);
    },
    'rules:setEnabled': async ({ id, enabled }) => changed(await store.setEnabled((await byId(id)).id, enabled)),
    'rules:hold': async ({ id }) => changed(await store.hold((await byId(id)).id)),
    'rules:goLive': async ({ id, version }) => changed(await store.setLive((await byId(id)).id, version)),
    'rules:setProtections': async ({ protections }) => changed(await store.setProtections(protections)),
    'rules:setSpaceTarget': async ({ target }) => {
      await deps.registry.get(target.seedboxId);
      // Like a new rule: a target saved or changed from the window only reports until switched to live.
      return changed(await store.setSpaceTarget({ ...target, mode: 'preview' }));
    },
    'rules:removeSpaceTarget': async ({ seedboxId }) => {
      await store.removeSpaceTarget(seedboxId);
      return changed(null);
    },
    'rules:spaceTargetLive': async ({ target }) => changed(await store.setSpaceTargetLive(target)),
    'rules:setCaps': async (changes) => changed(await store.setCaps(changes)),
    'rules:setPaused': async ({ paused }) => {
      await store.setPaused(paused);
      runner.setPaused(paused);
      return changed(null);
    },
    'rules:setSchedule': async ({ everyMinutes }) => {
      const schedule = await store.setSchedule(everyMinutes);
      runner.reschedule(schedule);
      return changed(schedule);
    },
    'rules:preview': async ({ draft, seedboxIds, decisionsPerBox }) => {
      const settings = draft ? withDraft(await store.settings(), draft) : await store.settings();
      const chosen = seedboxIds ? seedboxIds.map((id) => boxes.boxOf(id)) : [...boxes.all()];
      const readable: BoxTorrents[] = [];
      const failures: { seedbox: SeedboxRef; error: SeedboxError }[] = [];
      // Read, not counted: the pollers' lists are not a fresh check, and a window previews a
      // draft on every edit, so counting would pass the grace's checks on one tracker answer.
      const seen = await sightings.read();
      for (const box of chosen) {
        const seedbox = { id: box.seedbox.id, name: box.seedbox.name };
        // The last list of a box that is down may be long out of date: not a basis for a preview.
        if (!box.session.connected || !box.poller.listed) failures.push({ seedbox, error: new SeedboxError('unavailable', `${box.seedbox.name} is not connected, so its torrents are not known.`, { seedboxId: seedbox.id }) });
        else readable.push({ seedbox, torrents: [...box.poller.torrentList], freeBytes: box.poller.stats().freeSpaceBytes, sightings: seen[seedbox.id] });
      }
      const plans = plan(settings, readable, now() / 1000);
      return { plans: plans.map((boxPlan) => shown(boxPlan, decisionsPerBox)), failures: failures.map(({ seedbox, error }) => ({ seedbox, error: serializeError(error) })) };
    },
    'rules:run': async ({ dryRun, decisionsPerBox }) => {
      const { result, summary } = await runner.runNow(dryRun);
      await announce().catch((thrown: unknown) => deps.log(`Cannot read the rules after a run: ${String(thrown)}`));
      return { plans: result.plans.map((boxPlan) => shown(boxPlan, decisionsPerBox)), failures: summary.failures, summary };
    },
    'rules:log': async ({ since, limit }) => {
      const entries = await audit.read(since === undefined ? undefined : new Date(since));
      return entries.reverse().slice(0, limit);
    },
  };

  return {
    handlers,
    async start() {
      lastSettings = await freshSettings();
      runner.start(lastSettings);
    },
    stop: () => runner.stop(),
  };
}

/** The engine's view of a running box: its open session's client; closing only refreshes its list. */
function runBox(box: RunningBox): RunBox {
  const { session, poller } = box;
  return {
    seedbox: { id: box.seedbox.id, name: box.seedbox.name },
    open: async () => ({
      client: {
        list: () => session.run((client) => client.list()),
        readTrackers: (ids) => session.run(async (client) => (client.readTrackers ? client.readTrackers(ids) : [])),
        sessionStats: () => session.run((client) => client.sessionStats()),
        stop: (ids) => session.run((client) => client.stop(ids)),
        remove: (ids, options) => session.run((client) => client.remove(ids, options)),
        setLabels: (ids, labels) => session.run((client) => client.setLabels(ids, labels)),
        reannounce: (ids) => session.run((client) => client.reannounce(ids)),
      },
      close: async () => poller.refreshSoon(),
    }),
  };
}

/** The settings with an unsaved rule in its saved rule's place (or after the others when new), enabled, in preview. */
function withDraft(settings: SeedingSettings, draft: NonNullable<Parameters<InvokeHandlers['rules:preview']>[0]['draft']>): SeedingSettings {
  parseOrThrow(draft.condition);
  const saved = draft.id === undefined ? undefined : settings.rules.find((rule) => rule.id === draft.id);
  if (draft.id !== undefined && !saved) throw new SeedboxError('not-found', 'That rule no longer exists; it may have been removed meanwhile.', { rule: draft.id });
  const rule: SeedingRule = {
    id: saved?.id ?? DRAFT_RULE_ID,
    name: draft.name ?? saved?.name ?? 'new rule',
    enabled: true,
    mode: 'preview',
    version: saved?.version ?? 1,
    scope: draft.scope,
    condition: draft.condition,
    action: draft.action,
    options: draft.options,
  };
  return { ...settings, rules: saved ? settings.rules.map((other) => (other === saved ? rule : other)) : [...settings.rules, rule] };
}

/** The decisions that tell most first (acted, failed, would act), at most `limit`; the rest counted. */
function shown(boxPlan: BoxPlan, limit: number): BoxPlan & { moreDecisions: number } {
  const rank = (decision: Decision): number => SHOWN_FIRST.indexOf(decision.outcome);
  const decisions = boxPlan.decisions.length <= limit ? boxPlan.decisions : [...boxPlan.decisions].sort((a, b) => rank(a) - rank(b)).slice(0, limit);
  return { ...boxPlan, decisions, moreDecisions: boxPlan.decisions.length - decisions.length };
}

