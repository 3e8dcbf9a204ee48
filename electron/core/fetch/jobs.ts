// A fetch job as the queue keeps it and the core's event source tells it: its own file, so the
// events module and the queue both depend on it and not on each other.
import { z } from 'zod';
import type { FetchProgress } from './fetch-torrent';

export const FETCH_JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled'] as const;

export const FetchJobSchema = z.object({
  id: z.string().min(1).max(64),
  seedboxId: z.string().min(1).max(64),
  torrentId: z.string().min(1).max(256),
  /** Filled in once the box was asked; for lists before that. */
  torrentName: z.string().max(4096),
  /** null: every file. */
  fileIndexes: z.array(z.number().int().nonnegative()).max(200_000).nullable(),
  destination: z.string().min(1).max(4096),
  onExisting: z.enum(['refuse', 'keep-both']),
  state: z.enum(FETCH_JOB_STATES),
  addedAt: z.number(),
  doneBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  /** Why it failed, or which files did not arrive. */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type FetchJob = z.infer<typeof FetchJobSchema>;

export const QueueFileSchema = z.object({ version: z.literal(1), jobs: z.array(FetchJobSchema) });

/** A running job's bytes, rate and ETA. */
export type FetchJobProgress = Pick<FetchJob, 'id' | 'seedboxId'> & FetchProgress;
