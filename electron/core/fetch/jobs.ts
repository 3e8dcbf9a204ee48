// A fetch job as the queue keeps it and the core's event source tells it. The schemas are in
// shared/fetch.ts (the IPC contract carries them too); the queue file's own shape is here.
import { z } from 'zod';
import { FetchJobSchema } from '../../shared/fetch';

export { FETCH_JOB_STATES, FetchJobSchema, type FetchJob, type FetchJobProgress } from '../../shared/fetch';

export const QueueFileSchema = z.object({ version: z.literal(1), jobs: z.array(FetchJobSchema) });
