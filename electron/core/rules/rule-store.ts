// The seeding rules, protections, space targets and caps in the settings file: every change
// goes through ConfigFile.update (re-read, validate, atomic write), so the app and the CLI never
// undo each other's edits. Safety lives here, not in the callers: a new rule starts in preview,
// and an edit of what a live rule does puts it back in preview.
import { randomBytes } from 'node:crypto';
import { SeedboxError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/rules/parser';
import {
  nameKey,
  ProtectionsSchema,
  RuleActionSchema,
  RuleCapsSchema,
  UnregisteredGraceSchema,
  type UnregisteredGrace,
  RuleScheduleSchema,
  SeedingRuleSchema,
  SpaceTargetSchema,
  TrackerFloorSchema,
  type Protections,
  type RuleAction,
  type RuleCaps,
  type RuleOptions,
  type RuleSchedule,
  type RuleScope,
  type SeedingRule,
  type SeedingSettings,
  type SpaceTarget,
  type TrackerFloor,
} from '../../shared/rules/settings';
import type { ConfigFile } from '../config/config-file';
import type { z } from 'zod';

export interface NewRule {
  name: string;
  condition: string;
  action: RuleAction;
  scope?: Partial<RuleScope>;
  options?: Partial<RuleOptions>;
}

/** What an edit may change; a field left out keeps its value. */
export type RuleChanges = Partial<Omit<NewRule, 'scope' | 'options'>> & { scope?: Partial<RuleScope>; options?: Partial<RuleOptions> };

export interface RuleStoreOptions {
  config: ConfigFile;
  /** The random part of new ids (tests make it predictable). */
  randomId?: () => string;
}

export class RuleStore {
  private readonly config: ConfigFile;
  private readonly randomId: () => string;

  constructor(options: RuleStoreOptions) {
    this.config = options.config;
    this.randomId = options.randomId ?? (() => randomBytes(4).toString('hex'));
  }

  async settings(): Promise<SeedingSettings> {
    return (await this.config.read()).seeding;
  }

  async list(): Promise<SeedingRule[]> {
    return (await this.settings()).rules;
  }

  /** By name (ignoring case), or by exact id, for scripts. */
  async get(nameOrId: string): Promise<SeedingRule> {
    return find((await this.settings()).rules, nameOrId);
  }

  /** Saves a new rule: enabled, in preview mode, version 1. */
  async add(input: NewRule): Promise<SeedingRule> {
    parseOrThrow(input.condition);
    let added: SeedingRule | undefined;
    await this.updateSettings((settings) => {
      assertNameFree(settings.rules, input.name);
      const taken = new Set(settings.rules.map((rule) => rule.id));
      let id: string;
      do id = `rule-${this.randomId()}`;
      while (taken.has(id));
      added = check(SeedingRuleSchema, {
        id,
        name: input.name,
        enabled: true,
        mode: 'preview',
        version: 1,
        scope: input.scope ?? {},
        condition: input.condition,
        action: input.action,
        options: input.options ?? {},
      });
      settings.rules.push(added);
    });
    return this.get(added!.id);
  }

  /**
   * Changes a rule and raises its version. A change to what it selects or does (condition,
   * action, scope, options) puts a live rule back in preview: the user confirms it again.
   */
  async edit(nameOrId: string, changes: RuleChanges): Promise<SeedingRule> {
    if (changes.condition !== undefined) parseOrThrow(changes.condition);
    const id = (await this.get(nameOrId)).id;
    await this.updateSettings((settings) => {
      const index = indexOf(settings.rules, id);
      const rule = settings.rules[index]!;
      if (changes.name !== undefined) assertNameFree(settings.rules.filter((other) => other.id !== id), changes.name);
      const next = check(SeedingRuleSchema, {
        ...rule,
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.condition !== undefined ? { condition: changes.condition } : {}),
        ...(changes.action !== undefined ? { action: check(RuleActionSchema, changes.action) } : {}),
        scope: { ...rule.scope, ...definedOnly(changes.scope ?? {}) },
        options: { ...rule.options, ...definedOnly(changes.options ?? {}) },
      });
      const whatItDoes = (r: SeedingRule): string => JSON.stringify([r.condition, r.action, r.scope, r.options]);
      if (whatItDoes(next) !== whatItDoes(rule)) next.mode = 'preview';
      // A rule disabled because its condition did not parse comes back once it does.
      if (rule.problem && changes.condition !== undefined) next.enabled = true;
      next.version = rule.version + 1;
      settings.rules[index] = next;
    });
    return this.get(id);
  }

  async remove(nameOrId: string): Promise<SeedingRule> {
    const rule = await this.get(nameOrId);
    await this.updateSettings((settings) => {
      settings.rules.splice(indexOf(settings.rules, rule.id), 1);
    });
    return rule;
  }

  async setEnabled(nameOrId: string, enabled: boolean): Promise<SeedingRule> {
    const rule = await this.get(nameOrId);
    if (enabled && rule.problem) {
      throw new SeedboxError('invalid-argument', `The rule "${rule.name}" cannot be enabled: its condition does not parse (${rule.problem.message}). Edit its condition first.`, {
        rule: rule.name,
      });
    }
    return this.changeRule(rule.id, (current) => ({ ...current, enabled }));
  }

  /** Back to preview mode: the rule reports what it would do and does nothing. */
  async hold(nameOrId: string): Promise<SeedingRule> {
    const rule = await this.get(nameOrId);
    return this.changeRule(rule.id, (current) => ({ ...current, mode: 'preview' }));
  }

  /**
   * Live mode: the rule acts. The caller has shown what it would do now and had it confirmed
   * (the engine's `rules live`); a rule whose condition does not parse cannot go live.
   */
  async setLive(nameOrId: string, expectedVersion?: number): Promise<SeedingRule> {
    const rule = await this.get(nameOrId);
    if (rule.problem) throw new SeedboxError('invalid-argument', `The rule "${rule.name}" cannot go live: its condition does not parse (${rule.problem.message}).`, { rule: rule.name });
    return this.changeRule(rule.id, (current) => {
      // What was confirmed must be what goes live: an edit in between means confirm again.
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new SeedboxError('refused', `The rule "${current.name}" was edited meanwhile (version ${current.version}, confirmed ${expectedVersion}); preview it again.`, {
          rule: current.name,
        });
      }
      return { ...current, mode: 'live' };
    });
  }

  /** Adds or replaces the floor for the floor's tracker host. */
  async setTrackerFloor(floor: TrackerFloor): Promise<Protections> {
    const checked = check(TrackerFloorSchema, floor);
    return this.changeProtections((protections) => ({
      ...protections,
      trackerFloors: [...protections.trackerFloors.filter((other) => other.host !== checked.host), checked],
    }));
  }

  async removeTrackerFloor(host: string): Promise<Protections> {
    const key = host.trim().toLowerCase();
    return this.changeProtections((protections) => {
      if (!protections.trackerFloors.some((floor) => floor.host === key)) throw new SeedboxError('not-found', `No tracker floor for "${host}".`, { host });
      return { ...protections, trackerFloors: protections.trackerFloors.filter((floor) => floor.host !== key) };
    });
  }

  async protectLabel(label: string): Promise<Protections> {
    return this.changeProtections((protections) => ({
      ...protections,
      labels: protections.labels.includes(label.trim()) ? protections.labels : [...protections.labels, label],
    }));
  }

  async unprotectLabel(label: string): Promise<Protections> {
    return this.changeProtections((protections) => {
      if (!protections.labels.includes(label.trim())) throw new SeedboxError('not-found', `The label "${label}" is not protected.`, { label });
      return { ...protections, labels: protections.labels.filter((other) => other !== label.trim()) };
    });
  }

  /** Adds or replaces the space target of the target's seedbox. */
  async setSpaceTarget(target: z.input<typeof SpaceTargetSchema>): Promise<SpaceTarget> {
    const checked = check(SpaceTargetSchema, target);
    await this.updateSettings((settings) => {
      settings.spaceTargets = [...settings.spaceTargets.filter((other) => other.seedboxId !== checked.seedboxId), checked];
    });
    return checked;
  }

  /** Switches a target to live only if it is still the one that was shown (as setLive with a version). */
  async setSpaceTargetLive(shown: SpaceTarget): Promise<SpaceTarget> {
    const live = check(SpaceTargetSchema, { ...shown, mode: 'live' });
    await this.updateSettings((settings) => {
      const current = settings.spaceTargets.find((target) => target.seedboxId === shown.seedboxId);
      if (JSON.stringify(current) !== JSON.stringify(shown)) throw new SeedboxError('refused', 'The space target was changed meanwhile; preview it again.', { seedboxId: shown.seedboxId });
      settings.spaceTargets = settings.spaceTargets.map((target) => (target === current ? live : target));
    });
    return live;
  }

  async removeSpaceTarget(seedboxId: string): Promise<void> {
    await this.updateSettings((settings) => {
      if (!settings.spaceTargets.some((target) => target.seedboxId === seedboxId)) throw new SeedboxError('not-found', 'That seedbox has no space target.', { seedboxId });
      settings.spaceTargets = settings.spaceTargets.filter((target) => target.seedboxId !== seedboxId);
    });
  }

  /** Changes the caps given; the others keep their values. */
  async setCaps(changes: { perRun?: Partial<RuleCaps['perRun']>; perSeedbox?: Partial<RuleCaps['perSeedbox']> }): Promise<RuleCaps> {
    let caps: RuleCaps | undefined;
    await this.updateSettings((settings) => {
      caps = check(RuleCapsSchema, {
        perRun: { ...settings.caps.perRun, ...definedOnly(changes.perRun ?? {}) },
        perSeedbox: { ...settings.caps.perSeedbox, ...definedOnly(changes.perSeedbox ?? {}) },
      });
      settings.caps = caps;
    });
    return caps!;
  }

  /** How long `unregistered` waits before a rule may act on it; what is not given stays. */
  async setUnregisteredGrace(changes: Partial<UnregisteredGrace>): Promise<UnregisteredGrace> {
    let grace: UnregisteredGrace | undefined;
    await this.updateSettings((settings) => {
      grace = check(UnregisteredGraceSchema, { ...settings.unregisteredGrace, ...definedOnly(changes) });
      settings.unregisteredGrace = grace;
    });
    return grace!;
  }

  /** Replaces the protections as a whole (the window's form sends them all). */
  async setProtections(protections: z.input<typeof ProtectionsSchema>): Promise<Protections> {
    const checked = check(ProtectionsSchema, protections);
    return this.changeProtections(() => checked);
  }

  /** The app's schedule: every this many minutes, 0 for never. */
  async setSchedule(everyMinutes: number): Promise<RuleSchedule> {
    let schedule: RuleSchedule | undefined;
    await this.updateSettings((settings) => {
      schedule = check(RuleScheduleSchema, { everyMinutes });
      settings.schedule = schedule;
    });
    return schedule!;
  }

  /** The global pause: while set, no rule acts. */
  async setPaused(paused: boolean): Promise<void> {
    await this.updateSettings((settings) => {
      settings.paused = paused;
    });
  }

  private async changeRule(id: string, change: (rule: SeedingRule) => SeedingRule): Promise<SeedingRule> {
    await this.updateSettings((settings) => {
      const index = indexOf(settings.rules, id);
      settings.rules[index] = change(settings.rules[index]!);
    });
    return this.get(id);
  }

  private async changeProtections(change: (protections: Protections) => Protections): Promise<Protections> {
    let result: Protections | undefined;
    await this.updateSettings((settings) => {
      result = check(ProtectionsSchema, change(settings.protections));
      settings.protections = result;
    });
    return result!;
  }

  private async updateSettings(change: (settings: SeedingSettings) => void): Promise<void> {
    await this.config.update((config) => {
      change(config.seeding);
    });
  }
}

function find(rules: SeedingRule[], nameOrId: string): SeedingRule {
  const found = rules.find((rule) => nameKey(rule.name) === nameKey(nameOrId)) ?? rules.find((rule) => rule.id === nameOrId);
  if (!found) throw new SeedboxError('not-found', `No rule named "${nameOrId}".`, { rule: nameOrId });
  return found;
}

function indexOf(rules: SeedingRule[], id: string): number {
  const index = rules.findIndex((rule) => rule.id === id);
  // Removed by the other program (app or CLI) between our read and this write.
  if (index < 0) throw new SeedboxError('not-found', `No rule with id "${id}".`, { rule: id });
  return index;
}

function assertNameFree(rules: SeedingRule[], name: string): void {
  const clash = rules.find((rule) => nameKey(rule.name) === nameKey(name));
  if (clash) throw new SeedboxError('already-exists', `There is already a rule named "${clash.name}"; names must differ (ignoring case).`, { name });
}

/** Validates input with a schema; the first problem, with where it is, as invalid-argument. */
function check<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.map(String).join('.');
  throw new SeedboxError('invalid-argument', where ? `${where}: ${issue.message}` : issue.message);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
