// Pure helpers of fetching to this computer: whether a selection can be fetched (and why not),
// and how a job reads in the queue (its words, its bytes and progress, what it can do next).
import type { FetchJob, FetchJobProgress, FetchJobState } from '../../../electron/shared/fetch';
import { FINISHED_FETCH_STATES } from '../../../electron/shared/fetch';

/** What a fetch asks for: one torrent of a box, whole (null) or chosen files. */
export interface FetchTarget {
  seedboxId: string;
  torrentId: string;
  name: string;
  fileIndexes: number[] | null;
}

/** The seedbox facts a fetch depends on: its name and whether it has SSH settings (which carry SFTP). */
export interface FetchBox {
  name: string;
  sshTunnel: unknown;
}

/**
 * Why these torrents cannot be fetched, or null when they can: every box needs SSH settings
 * (the tunnel's, or SSH for files only), and the data must be complete on the box.
 */
export function fetchBlockedReason(rows: readonly { seedboxId: string; name: string; progress: number }[], boxOf: (id: string) => FetchBox | undefined): string | null {
  if (rows.length === 0) return 'Select a torrent to download.';
  const withoutSsh = [...new Set(rows.map((row) => row.seedboxId))].filter((id) => !boxOf(id)?.sshTunnel);
  if (withoutSsh.length > 0) {
    const names = withoutSsh.map((id) => boxOf(id)?.name ?? id).join(', ');
    return `Downloading reads the files over SFTP with the seedbox's SSH settings: ${names} ${withoutSsh.length === 1 ? 'has' : 'have'} none (set them up in its editor).`;
  }
  const incomplete = rows.find((row) => row.progress < 1);
  if (incomplete) return `“${incomplete.name}” is not complete on the seedbox yet: only complete data can be downloaded.`;
  return null;
}

export const FETCH_STATE_LABELS: Record<FetchJobState, string> = {
  queued: 'Queued',
  running: 'Downloading',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** What a job's buttons may do in its state (the queue's own rules, core/fetch/queue.ts). */
export function jobActions(state: FetchJobState): { pause: boolean; resume: boolean; cancel: boolean; remove: boolean } {
  const finished = FINISHED_FETCH_STATES.includes(state);
  return {
    pause: state === 'queued' || state === 'running',
    resume: state === 'paused' || state === 'failed',
    cancel: state === 'queued' || state === 'running' || state === 'paused' || state === 'failed',
    remove: finished,
  };
}

/** Whether a job still has work ahead (the status bar's indicator counts these). */
export function isActive(job: Pick<FetchJob, 'state'>): boolean {
  return job.state === 'queued' || job.state === 'running';
}

/** A job's figures: the live progress while it runs, else what the job last recorded. */
export function jobFigures(job: FetchJob, progress: FetchJobProgress | null): { doneBytes: number; totalBytes: number; fraction: number | null; bytesPerSecond: number; etaSeconds: number | null } {
  const live = job.state === 'running' && progress !== null;
  const doneBytes = live ? progress.doneBytes : job.doneBytes;
  const totalBytes = live ? progress.totalBytes : job.totalBytes;
  // A done job whose files were all there already moved no bytes: it is complete all the same.
  const fraction = job.state === 'done' ? 1 : totalBytes > 0 ? Math.min(1, doneBytes / totalBytes) : null;
  return { doneBytes, totalBytes, fraction, bytesPerSecond: live ? progress.bytesPerSecond : 0, etaSeconds: live ? progress.etaSeconds : null };
}

/** "all files", "1 file", "3 files" of a job. */
export function filesText(fileIndexes: readonly number[] | null): string {
  if (fileIndexes === null) return 'all files';
  return fileIndexes.length === 1 ? '1 file' : `${fileIndexes.length} files`;
}
