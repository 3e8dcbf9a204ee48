// The fetch queue: jobs kept in a JSON file in the app's data folder (written atomically on
// every change of state), run per box up to a concurrency, all under one bandwidth limit, with
// pause/resume/cancel. A job running when the app stops is queued again when it starts: its
// `.part` files let it go on where it was.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { SeedboxError, toSeedboxError } from '../../shared/errors';
import type { CoreEvents, EventSource } from '../events';
import { writeFileAtomically } from '../files/atomic-file';
import { BandwidthLimit } from './bandwidth';
import { fetchTorrent, type FetchReport, type FetchTorrentRequest, type SftpConnection } from './fetch-torrent';
import { FetchJobSchema, QueueFileSchema, type FetchJob, type FetchJobProgress } from './jobs';
import { acquireQueueLock, type QueueLock } from './queue-lock';

export type { FetchJob, FetchJobProgress };

/** The queue's file: beside the settings file, so the app and `seedbox --config FILE` share both. */
export function fetchQueuePath(configPath: string): string {
  return join(dirname(configPath), 'fetch-queue.json');
}

/** What a job needs from its box: an SFTP session and the torrent as the daemon describes it. */
export interface FetchSource {
  sftp: SFTPWrapper;
  /** Opens an SFTP session on a new SSH connection to the same box, for large files. */
  openConnection?: (() => Promise<SftpConnection>) | undefined;
  /** torrentToFetch (metainfo.ts) makes it: with the .torrent, or why there is none. */
  torrent: Pick<FetchTorrentRequest, 'name' | 'savePath' | 'files' | 'metainfo' | 'metainfoUnavailable' | 'pathMapping'>;
  close(): Promise<void>;
}

export interface FetchQueueEvents {
  /** Every change of any job's state (not of its bytes). */
  jobs(jobs: FetchJob[]): void;
  progress(job: FetchJobProgress): void;
  /** A job ran to its end: done, or failed (not paused, cancelled or stopped by close()). */
  finished(job: FetchJob): void;
}

/** The queue's events on the core's event source, where the window, tray and CLI listen. */
export function fetchEventsOn(source: EventSource<Pick<CoreEvents, 'fetch:jobs' | 'fetch:progress'>>): Pick<FetchQueueEvents, 'jobs' | 'progress'> {
  return {
    jobs: (jobs) => source.emit('fetch:jobs', { jobs }),
    progress: (progress) => source.emit('fetch:progress', progress),
  };
}

export interface FetchQueueOptions {
  /** The queue's JSON file in the app's data folder. */
  file: string;
  openSource(job: FetchJob, signal: AbortSignal): Promise<FetchSource>;
  events?: Partial<FetchQueueEvents> | undefined;
  /** Jobs running at once per box. */
  perBox?: number | undefined;
  /** Bytes per second for all jobs together; 0 is no limit. */
  bandwidthBytesPerSecond?: number | undefined;
  /** For tests and benchmarks: the engine's tuning. */
  engine?: { parallelReads?: number; chunkBytes?: number; filesAtOnce?: number; connectionsPerLargeFile?: number } | undefined;
  /** Start no job (the CLI editing the queue file for a later run). */
  hold?: boolean | undefined;
  /** Who holds the queue, for the message another process gets (see queue-lock.ts). */
  owner?: string | undefined;
}

export type NewFetchJob = Pick<FetchJob, 'seedboxId' | 'torrentId' | 'destination'> &
  Partial<Pick<FetchJob, 'fileIndexes' | 'onExisting' | 'torrentName' | 'labelWhenDone'>>;

/** Why a running job is being stopped. */
type StopReason = 'pause' | 'cancel' | 'shutdown';

export class FetchQueue {
  readonly #options: FetchQueueOptions;
  readonly #jobs: FetchJob[];
  readonly #lock: QueueLock;
  readonly #running = new Map<string, { controller: AbortController; reason?: StopReason; done: Promise<void> }>();
  readonly bandwidth: BandwidthLimit;
  #writes: Promise<void> = Promise.resolve();
  #closed = false;
  #idleWaiters: (() => void)[] = [];
  /** Reports of jobs finished since this queue started, for whoever asked for the job. */
  readonly reports = new Map<string, FetchReport>();

  private constructor(options: FetchQueueOptions, jobs: FetchJob[], lock: QueueLock) {
    this.#options = options;
    this.#jobs = jobs;
    this.#lock = lock;
    this.bandwidth = new BandwidthLimit(options.bandwidthBytesPerSecond ?? 0);
  }

  /**
   * Takes the queue's lock (one process works a queue file: the app or `seedbox fetch`), reads
   * the file (none: an empty queue) and starts what is queued.
   */
  static async load(options: FetchQueueOptions): Promise<FetchQueue> {
    const lock = await acquireQueueLock(options.file, options.owner ?? 'Seedbox Remote');
    try {
      const queue = new FetchQueue(options, await FetchQueue.read(options.file), lock);
      queue.#pump();
      return queue;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /**
   * The jobs in a queue file, without taking it (for a listing while another process runs it).
   * A job that was running when its process stopped is queued: it goes on from its .part files.
   */
  static async read(file: string): Promise<FetchJob[]> {
    let jobs: FetchJob[] = [];
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new SeedboxError('internal', `Cannot read the fetch queue ${file}: ${(error as Error).message}.`, { path: file });
      }
    }
    if (text !== undefined) {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        data = undefined;
      }
      const parsed = QueueFileSchema.safeParse(data);
      if (!parsed.success) {
        // Left as it is for the user to look at: never overwritten by an empty queue.
        throw new SeedboxError('refused', `The fetch queue ${file} is damaged; move it away to start with an empty queue.`, { path: file });
      }
      // A job that was running when the app stopped goes on from its .part files.
      jobs = parsed.data.jobs.map((job) => (job.state === 'running' ? { ...job, state: 'queued' as const } : job));
    }
    return jobs;
  }

  list(): FetchJob[] {
    return this.#jobs.map((job) => ({ ...job }));
  }

  add(input: NewFetchJob): FetchJob {
    this.#checkOpen();
    const job: FetchJob = FetchJobSchema.parse({
      id: randomUUID(),
      torrentName: '',
      fileIndexes: null,
      onExisting: 'refuse',
      labelWhenDone: null,
      ...input,
      state: 'queued',
      addedAt: Date.now(),
      doneBytes: 0,
      totalBytes: 0,
      error: null,
    });
    this.#jobs.push(job);
    this.#changed();
    return { ...job };
  }

  /** Stops a queued or running job, keeping its .part files for resume(). */
  async pause(id: string): Promise<void> {
    const job = this.#job(id);
    if (job.state === 'queued') this.#set(job, { state: 'paused' });
    else if (job.state === 'running') await this.#stop(job, 'pause');
  }

  /** Queues a paused or failed job again (it resumes from its .part files). */
  resume(id: string): void {
    this.#checkOpen();
    const job = this.#job(id);
    if (job.state === 'paused' || job.state === 'failed') this.#set(job, { state: 'queued', error: null });
  }

  /** Stops the job for good. Its .part files stay where they are (see the README). */
  async cancel(id: string): Promise<void> {
    const job = this.#job(id);
    if (job.state === 'running') await this.#stop(job, 'cancel');
    else if (job.state === 'queued' || job.state === 'paused' || job.state === 'failed') this.#set(job, { state: 'cancelled' });
  }

  /** Forgets a finished job (done, failed or cancelled); its files stay where they are. */
  remove(id: string): void {
    this.#checkOpen();
    const job = this.#job(id);
    if (job.state !== 'done' && job.state !== 'failed' && job.state !== 'cancelled') {
      throw new SeedboxError('refused', `Fetch job ${id} is ${job.state}: cancel it before removing it.`, { id, state: job.state });
    }
    this.#jobs.splice(this.#jobs.indexOf(job), 1);
    this.#changed();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.#busy()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The app stops: running jobs are stopped and stay queued for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#running.keys()].map((id) => this.#stop(this.#job(id), 'shutdown')));
    try {
      await this.#writes;
    } finally {
      await this.#lock.release();
    }
  }

  /** Something runs, or is queued and may run. */
  #busy(): boolean {
    return this.#jobs.some((job) => job.state === 'running' || (job.state === 'queued' && !this.#options.hold));
  }

  #checkOpen(): void {
    if (this.#closed) throw new SeedboxError('unavailable', 'The fetch queue is closed.');
  }

  #job(id: string): FetchJob {
    const job = this.#jobs.find((candidate) => candidate.id === id);
    if (!job) throw new SeedboxError('not-found', `No fetch job ${id}.`, { id });
    return job;
  }

  async #stop(job: FetchJob, reason: StopReason): Promise<void> {
    const running = this.#running.get(job.id);
    if (!running) return;
    running.reason = reason;
    running.controller.abort(new SeedboxError('unavailable', `The fetch was stopped (${reason}).`));
    await running.done;
  }

  #set(job: FetchJob, changes: Partial<FetchJob>): void {
    Object.assign(job, changes);
    this.#changed();
  }

  /** Persists, tells listeners, and starts what may start now. */
  #changed(): void {
    const snapshot = `${JSON.stringify({ version: 1, jobs: this.#jobs }, null, 2)}\n`;
    // Each write waits for the one before, whatever became of it; close() reports a failure.
    this.#writes = this.#writes
      .catch(() => undefined)
      .then(() => writeFileAtomically(this.#options.file, snapshot))
      .catch((error: unknown) => {
        throw new SeedboxError('internal', `Could not save the fetch queue ${this.#options.file}: ${(error as Error).message}.`, { path: this.#options.file });
      });
    this.#writes.catch(() => undefined);
    this.#options.events?.jobs?.(this.list());
    this.#pump();
  }

  #pump(): void {
    if (!this.#closed && !this.#options.hold) {
      const perBox = this.#options.perBox ?? 1;
      for (const job of this.#jobs) {
        if (job.state !== 'queued') continue;
        const busy = this.#jobs.filter((other) => other.seedboxId === job.seedboxId && other.state === 'running').length;
        if (busy < perBox) this.#start(job);
      }
    }
    if (!this.#busy()) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #start(job: FetchJob): void {
    const controller = new AbortController();
    const entry: { controller: AbortController; reason?: StopReason; done: Promise<void> } = { controller, done: Promise.resolve() };
    this.#running.set(job.id, entry);
    job.state = 'running';
    job.error = null;
    entry.done = this.#run(job, controller.signal).then((outcome) => {
      this.#running.delete(job.id);
      const stopped = entry.reason;
      if (stopped === 'pause') this.#set(job, { state: 'paused' });
      else if (stopped === 'cancel') this.#set(job, { state: 'cancelled' });
      else if (stopped === 'shutdown') this.#set(job, { state: 'queued' });
      else {
        this.#set(job, outcome);
        this.#options.events?.finished?.({ ...job });
      }
    });
    this.#changed();
  }

  async #run(job: FetchJob, signal: AbortSignal): Promise<Partial<FetchJob>> {
    let source: FetchSource | undefined;
    try {
      source = await this.#options.openSource(job, signal);
      job.torrentName = source.torrent.name;
      const report = await fetchTorrent(
        source.sftp,
        { ...source.torrent, fileIndexes: job.fileIndexes ?? undefined, destination: job.destination, onExisting: job.onExisting },
        {
          ...this.#options.engine,
          openConnection: source.openConnection,
          signal,
          bandwidth: this.bandwidth,
          onProgress: (progress) => {
            job.doneBytes = progress.doneBytes;
            job.totalBytes = progress.totalBytes;
            this.#options.events?.progress?.({ id: job.id, seedboxId: job.seedboxId, ...progress });
          },
        },
      );
      this.reports.set(job.id, report);
      const missing = report.files.filter((file) => file.outcome === 'failed' || file.outcome === 'exists');
      if (missing.length === 0) return { state: 'done' };
      return {
        state: 'failed',
        error: { code: missing[0]!.error?.code ?? 'internal', message: `${missing.length} of ${report.files.length} files did not arrive: ${missing[0]!.error?.message ?? ''}` },
      };
    } catch (error) {
      const problem = toSeedboxError(error);
      return { state: 'failed', error: { code: problem.code, message: problem.message } };
    } finally {
      await source?.close().catch(() => undefined);
    }
  }
}
