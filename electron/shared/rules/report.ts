// What the seeding-rule engine reports (issue 13 §4): per box, per torrent, which rule would act
// and how, or what held it back; and the audit log's entries. Zod schemas, so the engine
// (electron/core/rules/engine.ts), the audit log, the IPC contract and the window share one
// definition of each fact.
import { z } from 'zod';
import { RULE_MODES } from './settings';

/** The rule id a space target's decisions carry: '@' is outside rule ids (SeedingRuleSchema), so no rule has it. */
export const SPACE_TARGET_RULE_ID = '@space-target';

export const SeedboxRefSchema = z.object({ id: z.string(), name: z.string() });
export type SeedboxRef = z.infer<typeof SeedboxRefSchema>;

/**
 * act: a live rule will act; preview: a preview rule would act (it only reports);
 * protected, capped, paused: it would act but is held back; skipped: nothing to do (already
 * stopped, label already there). run() turns act into done or failed.
 */
export const OUTCOMES = ['act', 'preview', 'protected', 'capped', 'paused', 'skipped', 'done', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the client is asked to do, after cross-seeding has been taken into account. */
export const OPERATIONS = ['stop', 'remove', 'remove-data', 'add-label', 'remove-label'] as const;
export type Operation = (typeof OPERATIONS)[number];

// A ratio with nothing downloaded is infinite (fields.ts), and zod's number refuses infinities.
const FieldNumberSchema = z.union([z.number(), z.custom<number>((value) => value === Infinity || value === -Infinity, 'a number')]);

/** A field's value as the condition saw it (FieldValue in fields.ts); null when unknown. */
export const FieldValueSchema = z.union([FieldNumberSchema, z.string(), z.boolean(), z.array(z.string()).readonly(), z.null()]);

export const DecisionValueSchema = z.object({
  field: z.string(),
  value: FieldValueSchema,
  text: z.string(),
});
export type DecisionValue = z.infer<typeof DecisionValueSchema>;

export const DecisionRuleSchema = z.object({ id: z.string(), name: z.string(), version: z.number().int(), mode: z.enum(RULE_MODES) });

export const DecisionSchema = z.object({
  seedbox: SeedboxRefSchema,
  torrent: z.object({ id: z.string(), name: z.string(), trackers: z.array(z.string()), sizeBytes: z.number(), savePath: z.string() }),
  rule: DecisionRuleSchema,
  /** As the rule says it: stop, remove, remove-data, label:+L, label:-L. */
  action: z.string(),
  operation: z.enum(OPERATIONS),
  outcome: z.enum(OUTCOMES),
  /** Why it was protected, capped, skipped, downgraded or failed; '' when nothing to say. */
  reason: z.string(),
  /** The values the condition saw. */
  values: z.array(DecisionValueSchema),
  /** Data deleted and not shared with a twin on the box; 0 unless the data is deleted. */
  bytesFreed: z.number(),
  /** The daemon cannot tell hard links, so bytesFreed may count files that stay elsewhere. */
  bytesFreedUpperBound: z.boolean(),
  /** Announce before removing, so the tracker credits the last upload. */
  reannounce: z.boolean(),
});
export type Decision = z.infer<typeof DecisionSchema>;

/**
 * holds: nothing to remove; reached: the removals planned make it hold; short: it still does
 * not hold (too few candidates, or the caps cut); unchecked: the box's free space is unknown, so
 * nothing is removed for it.
 */
export const TargetReportSchema = z.object({
  status: z.enum(['holds', 'reached', 'short', 'unchecked']),
  message: z.string(),
});
export type TargetReport = z.infer<typeof TargetReportSchema>;

export const BoxPlanSchema = z.object({
  seedbox: SeedboxRefSchema,
  decisions: z.array(DecisionSchema),
  /** Sum of bytesFreed over what acts (or would act, for preview rules). */
  bytesFreed: z.number(),
  /** The box's space target, when it has one: whether it holds once the removals are done. */
  target: TargetReportSchema.optional(),
});
export type BoxPlan = z.infer<typeof BoxPlanSchema>;

/** One line of the audit log (electron/core/rules/audit-log.ts): one decision of a run. */
export const AuditEntrySchema = z.object({
  /** ISO 8601, UTC. */
  time: z.string(),
  seedbox: SeedboxRefSchema,
  torrent: z.object({ id: z.string(), name: z.string() }),
  trackers: z.array(z.string()),
  rule: DecisionRuleSchema,
  values: z.array(DecisionValueSchema),
  action: z.string(),
  operation: z.enum(OPERATIONS),
  result: z.enum(OUTCOMES),
  reason: z.string(),
  bytesFreed: z.number(),
  bytesFreedUpperBound: z.boolean(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
