// Issue 13 §3: the seeding rules, protections, space targets and caps as the settings file
// stores them. Pure zod, so the window's editor and the IPC contract can validate with the same
// schemas the core saves with. A rule's condition is kept as the text the user wrote; parse()
// checks it on every load and save (see markConditionProblems).
import { z } from 'zod';
import { MAX_RULE_LENGTH, parse } from './parser';

export const RULE_MODES = ['preview', 'live'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

/** The actions that take no argument; a label change is the object form. */
export const SIMPLE_RULE_ACTIONS = ['stop', 'remove', 'remove-data'] as const;

/** The order in which a space target picks torrents to remove, first to go first. */
export const CANDIDATE_ORDERS = ['oldest', 'lowest-ratio', 'fewest-seeders', 'largest', 'longest-seeding', 'least-recently-active'] as const;
export type CandidateOrder = (typeof CANDIDATE_ORDERS)[number];

const MAX_NAME_LENGTH = 100;
const MAX_LIST = 200;

const LabelSchema = z.string().trim().min(1, 'a label cannot be empty').max(200);
/** Tracker host names compare without case, as DNS does. */
const TrackerHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]{1,253}$/, 'a tracker is given by its host name, such as tracker.example.org');

export const RuleActionSchema = z.union([
  z.enum(SIMPLE_RULE_ACTIONS),
  z.object({ label: LabelSchema, change: z.enum(['add', 'remove']) }).strict(),
]);
export type RuleAction = z.infer<typeof RuleActionSchema>;

/** Which torrents a rule looks at; an empty list does not narrow (all seedboxes, any label). */
export const RuleScopeSchema = z.object({
  /** Seedbox ids (names change; ids do not). */
  seedboxes: z.array(z.string().min(1).max(64)).max(MAX_LIST).default([]),
  labels: z.array(LabelSchema).max(MAX_LIST).default([]),
  trackers: z.array(TrackerHostSchema).max(MAX_LIST).default([]),
});
export type RuleScope = z.infer<typeof RuleScopeSchema>;

export const RuleOptionsSchema = z.object({
  /** Announce once before removing, so the tracker credits the last upload. */
  reannounceBeforeRemove: z.boolean().default(false),
  /** remove-data may take a torrent that is not complete; off, such a torrent is protected. */
  allowIncompleteRemoveData: z.boolean().default(false),
});
export type RuleOptions = z.infer<typeof RuleOptionsSchema>;

/** Why a stored condition does not parse (a file edited by hand, a field this build lacks). */
export const RuleProblemSchema = z.object({
  message: z.string().max(2000),
  offset: z.number().int().min(0),
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});
export type RuleProblem = z.infer<typeof RuleProblemSchema>;

export const SeedingRuleSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string().trim().min(1, 'a rule needs a name').max(MAX_NAME_LENGTH),
  enabled: z.boolean(),
  /** preview: the rule only reports; live: it acts. New and edited rules start in preview. */
  mode: z.enum(RULE_MODES),
  /** Raised on each edit of what the rule does, so the audit log says which version acted. */
  version: z.number().int().min(1),
  scope: RuleScopeSchema.prefault({}),
  // Looser than the language's own limit: a longer stored condition is kept and marked (below), not refused with the whole file.
  condition: z.string().max(MAX_RULE_LENGTH * 10),
  action: RuleActionSchema,
  options: RuleOptionsSchema.prefault({}),
  /** Set when the condition does not parse: the rule is kept, disabled, with the reason. */
  problem: RuleProblemSchema.optional(),
});
export type SeedingRule = z.infer<typeof SeedingRuleSchema>;

/** A private tracker's hit-and-run rule: its torrents stay until both floors given are met. */
export const TrackerFloorSchema = z
  .object({
    host: TrackerHostSchema,
    minSeedingSeconds: z.number().int().min(0).optional(),
    minRatio: z.number().min(0).max(1_000_000).optional(),
  })
  .refine((floor) => floor.minSeedingSeconds !== undefined || floor.minRatio !== undefined, {
    message: 'a tracker floor needs a minimum seeding time, a minimum ratio, or both',
  });
export type TrackerFloor = z.infer<typeof TrackerFloorSchema>;

/**
 * Checked before any rule and never overridden by one. Beyond these, one protection is fixed:
 * remove-data never takes a torrent that is not complete unless its rule allows it
 * (RuleOptions.allowIncompleteRemoveData).
 */
export const ProtectionsSchema = z.object({
  trackerFloors: z.array(TrackerFloorSchema).max(MAX_LIST).default([]),
  labels: z.array(LabelSchema).max(MAX_LIST).default([]),
});
export type Protections = z.infer<typeof ProtectionsSchema>;

/** A space target's fields, before the check that it sets a limit (the window's form omits mode from these). */
export const SpaceTargetFieldsSchema = z.object({
  seedboxId: z.string().min(1).max(64),
  /** Keep at least this many bytes free on the box. */
  minFreeBytes: z.number().int().min(0).optional(),
  /** Keep the seeding torrents' data under this many bytes. */
  maxSeedingBytes: z.number().int().min(0).optional(),
  order: z.enum(CANDIDATE_ORDERS).default('oldest'),
  // Like a rule, a target removes data, so it starts in preview (targets saved before this
  // field existed load as preview: they never acted and must not start acting on an upgrade).
  mode: z.enum(RULE_MODES).default('preview'),
});

/** Per seedbox: remove candidates, in `order`, until the target holds. */
export const SpaceTargetSchema = SpaceTargetFieldsSchema.refine((target) => target.minFreeBytes !== undefined || target.maxSeedingBytes !== undefined, {
  message: 'a space target needs a free-space minimum, a seeding-space maximum, or both',
});
export type SpaceTarget = z.infer<typeof SpaceTargetSchema>;

/** One cap: at most this many torrents and this many bytes of data freed. */
export const RuleCapSchema = z.object({
  maxTorrents: z.number().int().min(0).max(1_000_000),
  maxBytes: z.number().int().min(0),
});

const GiB = 1024 ** 3;
/** Conservative by default: a rule written too broadly removes a few torrents, not a library. */
export const DEFAULT_CAPS = {
  perRun: { maxTorrents: 50, maxBytes: 2048 * GiB },
  perSeedbox: { maxTorrents: 20, maxBytes: 1024 * GiB },
} as const;

export const RuleCapsSchema = z.object({
  /** Over all seedboxes in one run. */
  perRun: RuleCapSchema.default({ ...DEFAULT_CAPS.perRun }),
  /** On each seedbox in one run. */
  perSeedbox: RuleCapSchema.default({ ...DEFAULT_CAPS.perSeedbox }),
});
export type RuleCaps = z.infer<typeof RuleCapsSchema>;

/**
 * How long `unregistered` waits: the tracker's explicit message must have been seen on at least
 * `minChecks` checks (runs and previews that read the box afresh) spanning at least `minSeconds`
 * before a rule may act on it; a tracker that is merely unreachable never counts.
 */
export const UnregisteredGraceSchema = z.object({
  minChecks: z.number().int().min(1).max(1000).default(2),
  minSeconds: z.number().int().min(0).max(365 * 86_400).default(3600),
});
export type UnregisteredGrace = z.infer<typeof UnregisteredGraceSchema>;

/** The app's own schedule (the CLI is run by cron instead): every this many minutes; 0 is off. */
export const MIN_SCHEDULE_MINUTES = 5;
export const MAX_SCHEDULE_MINUTES = 24 * 60;
export const ScheduleMinutesSchema = z
  .number()
  .int()
  .refine((minutes) => minutes === 0 || (minutes >= MIN_SCHEDULE_MINUTES && minutes <= MAX_SCHEDULE_MINUTES), {
    message: `the schedule runs every ${MIN_SCHEDULE_MINUTES} to ${MAX_SCHEDULE_MINUTES} minutes, or 0 for never`,
  });
export const RuleScheduleSchema = z.object({
  // On by default: it acts only through rules and targets switched to live, which all start in preview.
  everyMinutes: ScheduleMinutesSchema.default(15),
});
export type RuleSchedule = z.infer<typeof RuleScheduleSchema>;

export const SeedingSettingsSchema = z
  .object({
    rules: z.array(SeedingRuleSchema).max(500).default([]),
    protections: ProtectionsSchema.prefault({}),
    spaceTargets: z.array(SpaceTargetSchema).max(1000).default([]),
    caps: RuleCapsSchema.prefault({}),
    unregisteredGrace: UnregisteredGraceSchema.prefault({}),
    /** Stops every rule at once; nothing acts while it is set. */
    paused: z.boolean().default(false),
    schedule: RuleScheduleSchema.prefault({}),
  })
  .superRefine((settings, context) => {
    unique(settings.rules, (rule) => rule.id, 'rule id', ['rules'], 'id', context);
    unique(settings.rules, (rule) => nameKey(rule.name), 'rule name', ['rules'], 'name', context);
    unique(settings.protections.trackerFloors, (floor) => floor.host, 'tracker floor for', ['protections', 'trackerFloors'], 'host', context);
    unique(settings.spaceTargets, (target) => target.seedboxId, 'space target for seedbox', ['spaceTargets'], 'seedboxId', context);
  })
  .transform((settings) => ({ ...settings, rules: settings.rules.map(markConditionProblem) }));
export type SeedingSettings = z.infer<typeof SeedingSettingsSchema>;

export function defaultSeedingSettings(): SeedingSettings {
  return SeedingSettingsSchema.parse({});
}

/** Rule names are unique without regard to case or surrounding spaces. */
export function nameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/**
 * A rule whose condition does not parse is kept (never dropped) but disabled, with the parser's
 * message and position, until its condition is edited; one that parses carries no problem.
 */
export function markConditionProblem(rule: SeedingRule): SeedingRule {
  const parsed = parse(rule.condition);
  const { problem: _stale, ...rest } = rule;
  if (parsed.ok) return rest;
  const { message, position } = parsed.error;
  return { ...rest, enabled: false, problem: { message, offset: position.offset, line: position.line, column: position.column } };
}

/** The action as the CLI writes it: stop, remove, remove-data, label:+L, label:-L. */
export function formatRuleAction(action: RuleAction): string {
  if (typeof action === 'string') return action;
  return `label:${action.change === 'add' ? '+' : '-'}${action.label}`;
}

function unique<T>(
  items: readonly T[],
  key: (item: T) => string,
  what: string,
  path: (string | number)[],
  field: string,
  context: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const value = key(item);
    if (seen.has(value)) context.addIssue({ code: 'custom', path: [...path, index, field], message: `duplicate ${what} "${value}"` });
    seen.add(value);
  }
}
