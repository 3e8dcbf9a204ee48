// Fetching data home (issue 15): a job of the fetch queue, its progress, and the per-box
// fetch-on-completion rule, as the queue file, the settings file, the IPC contract and the CLI
// see them. Pure zod, so the window can validate with the same schemas the core saves with.
import { z } from 'zod';
import { MAX_RULE_LENGTH, parse } from './rules/parser';

export const FETCH_JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;
export type FetchJobState = (typeof FETCH_JOB_STATES)[number];

/** States a job only leaves when the user acts (resume, remove). */
export const FINISHED_FETCH_STATES: readonly FetchJobState[] = ['done', 'failed', 'cancelled'];

export const ON_EXISTING = ['refuse', 'keep-both'] as const;

const LabelSchema = z.string().trim().min(1, 'a label cannot be empty').max(200);

export const FetchJobSchema = z.object({
  id: z.string().min(1).max(64),
  seedboxId: z.string().min(1).max(64),
  torrentId: z.string().min(1).max(256),
  /** Filled in once the box was asked; for lists before that. */
  torrentName: z.string().max(4096),
  /** null: every file. */
  fileIndexes: z.array(z.number().int().nonnegative()).max(200_000).nullable(),
  destination: z.string().min(1).max(4096),
  onExisting: z.enum(ON_EXISTING),
  state: z.enum(FETCH_JOB_STATES),
  addedAt: z.number(),
  doneBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  /** Why it failed, or which files did not arrive. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Fetch on completion: the label to add to the torrent on the box once the job is done. */
  labelWhenDone: LabelSchema.nullable().default(null),
});
export type FetchJob = z.infer<typeof FetchJobSchema>;

/** A running job's bytes, rate and ETA. */
export const FetchJobProgressSchema = z.object({
  id: z.string(),
  seedboxId: z.string(),
  doneBytes: z.number(),
  totalBytes: z.number(),
  /** Over the last few seconds. */
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});
export type FetchJobProgress = z.infer<typeof FetchJobProgressSchema>;

/**
 * Fetch on completion, one per box: when a torrent of the box completes and matches `when` (the
 * seeding-rules language), it is queued for `destination`; once fetched, `addLabel` is added.
 */
export const FetchOnCompleteSchema = z
  .object({
    seedboxId: z.string().regex(/^[a-z0-9-]{1,64}$/),
    enabled: z.boolean().default(true),
    when: z.string().trim().min(1).max(MAX_RULE_LENGTH),
    /** An absolute folder on this computer. */
    destination: z.string().min(1).max(4096),
    addLabel: LabelSchema.nullable().default(null),
    onExisting: z.enum(ON_EXISTING).default('refuse'),
  })
  .superRefine((rule, context) => {
    const parsed = parse(rule.when);
    if (!parsed.ok) context.addIssue({ code: 'custom', path: ['when'], message: parsed.error.message });
    if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(rule.destination)) context.addIssue({ code: 'custom', path: ['destination'], message: 'the folder must be an absolute path' });
  });
export type FetchOnComplete = z.infer<typeof FetchOnCompleteSchema>;

export const FetchOnCompleteListSchema = z
  .array(FetchOnCompleteSchema)
  .max(1000)
  .superRefine((rules, context) => {
    const seen = new Set<string>();
    for (const [index, rule] of rules.entries()) {
      if (seen.has(rule.seedboxId)) context.addIssue({ code: 'custom', path: [index, 'seedboxId'], message: `two fetch-on-completion rules for seedbox ${rule.seedboxId}` });
      seen.add(rule.seedboxId);
    }
  });
