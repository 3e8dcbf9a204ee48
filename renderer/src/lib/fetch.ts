// Pure helpers of fetching to this computer: whether a selection can be fetched (and why not),
// and how a job reads in the queue (its words, its bytes and progress, what it can do next).
import type { FetchJob, FetchJobProgress, FetchJobState } from '../../../electron/shared/fetch';
import { FINISHED_FETCH_STATES } from '../../../electron/shared/fetch';
import { formatCount } from '../../../electron/shared/format';
import type { MessageKey } from '../../../electron/shared/i18n';
import { currentLocale, i18n } from '../i18n';

// The window's translator: these sentences are made outside components (the context menu, a
// computed), in the language of the moment; a computed reading them follows a change of language.
const { t } = i18n.global;

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
  if (rows.length === 0) return t('fetch.blocked.noSelection');
  const withoutSsh = [...new Set(rows.map((row) => row.seedboxId))].filter((id) => !boxOf(id)?.sshTunnel);
  if (withoutSsh.length > 0) {
    const names = withoutSsh.map((id) => boxOf(id)?.name ?? id).join(', ');
    return t('fetch.blocked.noSsh', { names }, withoutSsh.length);
  }
  const incomplete = rows.find((row) => row.progress < 1);
  if (incomplete) return t('fetch.blocked.incomplete', { name: incomplete.name });
  return null;
}

export const FETCH_STATE_LABELS: Record<FetchJobState, MessageKey> = {
  queued: 'fetch.states.queued',
  running: 'fetch.states.running',
  paused: 'fetch.states.paused',
  done: 'fetch.states.done',
  failed: 'fetch.states.failed',
  cancelled: 'fetch.states.cancelled',
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
  if (fileIndexes === null) return t('fetch.files.all');
  return t('fetch.files.some', { n: formatCount(fileIndexes.length, currentLocale()) }, fileIndexes.length);
}
