// The fetch queue as the main process reports it (fetch:jobs after each change of state,
// fetch:progress while a job runs), the queue's actions, and the "Download to this computer"
// dialog's request. The jobs list is replaced whole at each change; each running job's progress
// sits in its own shallowRef, so a progress event repaints that job's row and nothing else.
import { defineStore } from 'pinia';
import { computed, markRaw, shallowRef, type ShallowRef } from 'vue';
import type { FetchJob, FetchJobProgress } from '../../../electron/shared/fetch';
import type { MessageKey } from '../../../electron/shared/i18n';
import { call } from '../api';
import { i18n } from '../i18n';
import { isActive, type FetchTarget } from '../lib/fetch';
import { errorMessage, useToastsStore } from './toasts';

export type OnExisting = FetchJob['onExisting'];

export const useFetchStore = defineStore('fetch', () => {
  const toasts = useToastsStore();
  const jobs = shallowRef<readonly FetchJob[]>([]);
  /** Why the queue cannot be read (it did not start), for the view; null when it can. */
  const problem = shallowRef<string | null>(null);
  /** Made on first read (by a row, the totals) or report, so whoever reads one hears of its next value. */
  const progressRefs = new Map<string, ShallowRef<FetchJobProgress | null>>();
  /** What the "Download to this computer" dialog was opened for; null: closed. */
  const request = shallowRef<FetchTarget[] | null>(null);

  function progressRef(id: string): ShallowRef<FetchJobProgress | null> {
    let entry = progressRefs.get(id);
    if (!entry) {
      entry = shallowRef(null);
      progressRefs.set(id, entry);
    }
    return entry;
  }

  /** The live bytes, rate and ETA of a running job (null before the first report). */
  function progressOf(id: string): FetchJobProgress | null {
    return progressRef(id).value;
  }

  function apply(next: readonly FetchJob[]): void {
    jobs.value = markRaw(next.map((job) => markRaw(job)));
    problem.value = null;
    // Progress is kept for running jobs only: a job that stopped shows what it recorded.
    const running = new Set(next.filter((job) => job.state === 'running').map((job) => job.id));
    for (const id of [...progressRefs.keys()]) if (!running.has(id)) progressRefs.get(id)!.value = null;
    for (const id of [...progressRefs.keys()]) if (!next.some((job) => job.id === id)) progressRefs.delete(id);
  }

  function applyProgress(progress: FetchJobProgress): void {
    progressRef(progress.id).value = markRaw(progress);
  }

  async function load(): Promise<void> {
    try {
      apply(await call('fetch:jobs', {}));
    } catch (error) {
      problem.value = errorMessage(error);
    }
  }

  /** Jobs queued or running, and their bytes and rate together (the status bar's indicator). */
  const active = computed(() => {
    let doneBytes = 0;
    let totalBytes = 0;
    let bytesPerSecond = 0;
    let count = 0;
    for (const job of jobs.value) {
      if (!isActive(job)) continue;
      count++;
      const live = job.state === 'running' ? progressRef(job.id).value : null;
      doneBytes += live?.doneBytes ?? job.doneBytes;
      totalBytes += live?.totalBytes ?? job.totalBytes;
      bytesPerSecond += live?.bytesPerSecond ?? 0;
    }
    return { count, doneBytes, totalBytes, bytesPerSecond };
  });

  async function act(channel: 'fetch:pause' | 'fetch:resume' | 'fetch:cancel' | 'fetch:remove', ids: string[], failed: MessageKey): Promise<void> {
    if (ids.length === 0) return;
    try {
      // The new states arrive as fetch:jobs.
      await call(channel, { ids });
    } catch (error) {
      toasts.error(i18n.global.t(failed), error);
    }
  }
  const pause = (ids: string[]): Promise<void> => act('fetch:pause', ids, 'toasts.fetchPauseFailed');
  const resume = (ids: string[]): Promise<void> => act('fetch:resume', ids, 'toasts.fetchResumeFailed');
  const cancel = (ids: string[]): Promise<void> => act('fetch:cancel', ids, 'toasts.fetchCancelFailed');
  const remove = (ids: string[]): Promise<void> => act('fetch:remove', ids, 'toasts.fetchRemoveFailed');

  function open(targets: FetchTarget[]): void {
    if (targets.length > 0) request.value = targets;
  }
  function close(): void {
    request.value = null;
  }

  /** The native folder dialog; null when cancelled. Throws what main said (no dialog here). */
  function chooseFolder(): Promise<string | null> {
    return call('fetch:chooseFolder', {});
  }

  /** Queues each target; says how it went. true when every one was queued. */
  async function enqueue(targets: readonly FetchTarget[], destination: string | null, onExisting: OnExisting): Promise<boolean> {
    const results = await Promise.allSettled(
      targets.map((target) => call('fetch:enqueue', { seedboxId: target.seedboxId, torrentId: target.torrentId, fileIndexes: target.fileIndexes, destination, onExisting })),
    );
    const queued = targets.filter((_, index) => results[index]!.status === 'fulfilled');
    results.forEach((result, index) => {
      if (result.status === 'rejected') toasts.error(i18n.global.t('toasts.fetchQueueFailed', { name: targets[index]!.name }), result.reason);
    });
    if (queued.length > 0) toasts.success(queued.length === 1 ? i18n.global.t('toasts.fetchQueuedOne', { name: queued[0]!.name }) : i18n.global.t('toasts.fetchQueued', { n: queued.length }, queued.length));
    return queued.length === targets.length;
  }

  return { jobs, problem, request, progressOf, apply, applyProgress, load, active, pause, resume, cancel, remove, open, close, chooseFolder, enqueue };
});
