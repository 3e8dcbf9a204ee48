// The fetch queue in the main process (issue 15 §1): the queue file beside the settings file,
// resumed when the service starts, each job reading its torrent from the box's live session
// and its files over SFTP on the box's own SSH connection. Jobs and progress go out on the
// core's event source (the window, the tray); a finished or failed fetch becomes a notice.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SeedboxError, toSeedboxError } from '../../../shared/errors';
import { FetchOnCompleteSchema, type FetchJob, type FetchOnComplete } from '../../../shared/fetch';
import type { ConfigFile } from '../../config/config-file';
import type { CoreEventSource } from '../../events';
import { torrentToFetch } from '../../fetch/metainfo';
import { fetchEventsOn, FetchQueue, type FetchQueueOptions, type FetchSource, type NewFetchJob } from '../../fetch/queue';
import type { BoxSet, RunningBox } from '../boxes';
import type { HandlerPart } from '../handlers';

type FetchChannel =
  | 'fetch:enqueue'
  | 'fetch:jobs'
  | 'fetch:pause'
  | 'fetch:resume'
  | 'fetch:cancel'
  | 'fetch:remove'
  | 'fetch:chooseFolder'
  | 'fetch:getAutoRules'
  | 'fetch:setAutoRule';

type Boxes = Pick<BoxSet, 'boxOf'>;

export interface FetchHostOptions {
  events: CoreEventSource;
  boxes: Boxes;
  /** The queue's file (fetch-queue.json in the app's data folder); absent: fetching is off. */
  queueFile?: string | undefined;
  /** Where a fetch goes when the window names no folder (the OS's Downloads folder). */
  downloadsFolder: string;
  /** The native folder dialog (the Electron shell's); absent where there is none (the browser harness). */
  chooseFolder?: (() => Promise<string | null>) | undefined;
  /** The settings file, where fetch-on-completion rules live (the same field `seedbox fetch auto` writes). */
  config?: Pick<ConfigFile, 'read' | 'update'> | undefined;
  log: (message: string) => void;
  /** Jobs at once per box. */
  perBox?: number | undefined;
  engine?: FetchQueueOptions['engine'];
}

/**
 * Owns the service's fetch queue: loads it at start (taking its lock, so `seedbox fetch run`
 * and the app never work one queue file together), closes it at stop, and answers the fetch:*
 * channels. Until it is started (or when the queue could not be loaded) they fail with why.
 */
export class FetchHost {
  readonly #options: FetchHostOptions;
  #queue: FetchQueue | null = null;
  #problem: SeedboxError | null = null;
  /** Folders the user picked in the native dialog during this run: the only ones the window may name. */
  readonly #chosen = new Set<string>();
  /** Bytes per second for all jobs together (the preference fetch.limitBytesPerSecond); 0: no limit. */
  #bandwidthBytesPerSecond = 0;

  constructor(options: FetchHostOptions) {
    this.#options = options;
  }

  /** Applies at once to running jobs, and to the queue when it starts later. */
  set bandwidthBytesPerSecond(value: number) {
    this.#bandwidthBytesPerSecond = value;
    if (this.#queue) this.#queue.bandwidth.bytesPerSecond = value;
  }

  get queue(): FetchQueue {
    if (this.#queue) return this.#queue;
    throw this.#problem ?? new SeedboxError('unavailable', 'The fetch queue is not running.');
  }

  /** Loads the queue and starts what it holds; a failure is kept for the handlers and logged. */
  async start(): Promise<void> {
    const file = this.#options.queueFile;
    if (this.#queue || !file) return;
    const { events, boxes } = this.#options;
    try {
      this.#queue = await FetchQueue.load({
        file,
        owner: 'Seedbox Remote',
        perBox: this.#options.perBox,
        bandwidthBytesPerSecond: this.#bandwidthBytesPerSecond,
        engine: this.#options.engine,
        openSource: (job, signal) => openSource(boxes, events, job, signal),
        events: { ...fetchEventsOn(events), finished: (job) => void this.#finished(job) },
      });
      this.#problem = null;
    } catch (error) {
      this.#problem = toSeedboxError(error);
      this.#options.log(`The fetch queue did not start: ${this.#problem.message}`);
    }
  }

  /** Running jobs stop and stay queued for the next start (their .part files kept). */
  async stop(): Promise<void> {
    const queue = this.#queue;
    this.#queue = null;
    this.#problem = null;
    await queue?.close();
  }

  /** Queues a job (fetch on completion and the window's enqueue both come here). */
  add(job: NewFetchJob): FetchJob {
    return this.queue.add(job);
  }

  handlers(): HandlerPart<FetchChannel> {
    const each = async (ids: readonly string[], action: (id: string) => unknown): Promise<null> => {
      // Every id is checked before any job changes.
      const known = new Set(this.queue.list().map((job) => job.id));
      const unknown = ids.find((id) => !known.has(id));
      if (unknown !== undefined) throw new SeedboxError('not-found', `No fetch job ${unknown}.`, { id: unknown });
      for (const id of ids) await action(id);
      return null;
    };
    return {
      'fetch:enqueue': async ({ seedboxId, torrentId, fileIndexes, destination, onExisting }) => {
        this.#options.boxes.boxOf(seedboxId);
        const folder = await this.#destination(destination);
        return this.add({ seedboxId, torrentId, fileIndexes, destination: folder, onExisting });
      },
      'fetch:jobs': async () => this.queue.list(),
      'fetch:pause': async ({ ids }) => each(ids, (id) => this.queue.pause(id)),
      'fetch:resume': async ({ ids }) => each(ids, (id) => this.queue.resume(id)),
      'fetch:cancel': async ({ ids }) => each(ids, (id) => this.queue.cancel(id)),
      'fetch:remove': async ({ ids }) => {
        const jobs = new Map(this.queue.list().map((job) => [job.id, job]));
        const unfinished = ids.find((id) => jobs.has(id) && !['done', 'failed', 'cancelled'].includes(jobs.get(id)!.state));
        if (unfinished !== undefined) throw new SeedboxError('refused', `Fetch job ${unfinished} is ${jobs.get(unfinished)!.state}: cancel it before removing it.`, { id: unfinished });
        return each(ids, (id) => this.queue.remove(id));
      },
      'fetch:chooseFolder': async () => {
        if (!this.#options.chooseFolder) {
          throw new SeedboxError('unsupported', 'This window cannot open a folder dialog: fetches go to the Downloads folder.');
        }
        const folder = await this.#options.chooseFolder();
        if (folder !== null) this.#chosen.add(resolve(folder));
        return folder === null ? null : resolve(folder);
      },
      'fetch:getAutoRules': async () => (await this.#config().read()).fetchOnComplete,
      'fetch:setAutoRule': async ({ seedboxId, rule }) => this.#setAutoRule(seedboxId, rule),
    };
  }

  #config(): Pick<ConfigFile, 'read' | 'update'> {
    if (this.#options.config) return this.#options.config;
    throw new SeedboxError('unavailable', 'Fetch on completion is not set up in this window.');
  }

  /** Writes (or removes) a box's rule; the condition must parse and the folder be a chosen one. */
  async #setAutoRule(seedboxId: string, given: { when: string; destination: string; addLabel: string | null } | null): Promise<FetchOnComplete[]> {
    this.#options.boxes.boxOf(seedboxId);
    const config = this.#config();
    const others = (rules: readonly FetchOnComplete[]): FetchOnComplete[] => rules.filter((other) => other.seedboxId !== seedboxId);
    if (given === null) return (await config.update((draft) => ({ ...draft, fetchOnComplete: others(draft.fetchOnComplete) }))).fetchOnComplete;
    const saved = (await config.read()).fetchOnComplete.find((rule) => rule.seedboxId === seedboxId);
    // Keeping the saved folder (editing only the condition) needs no new dialog.
    const destination = saved !== undefined && resolve(given.destination) === saved.destination ? saved.destination : await this.#destination(given.destination);
    const parsed = FetchOnCompleteSchema.safeParse({ seedboxId, when: given.when, destination, addLabel: given.addLabel, onExisting: saved?.onExisting ?? 'refuse' });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SeedboxError('invalid-argument', `Fetch on completion: ${issue.path.join('.')}: ${issue.message}`, { field: String(issue.path[0] ?? '') });
    }
    const rule = parsed.data;
    return (await config.update((draft) => ({ ...draft, fetchOnComplete: [...others(draft.fetchOnComplete), rule] }))).fetchOnComplete;
  }

  /**
   * The folder a window's fetch goes to: the Downloads folder, or one the user picked in the
   * native dialog during this run. A path the page makes up is refused: a page that went wrong
   * must not choose where files land on this computer.
   */
  async #destination(given: string | null): Promise<string> {
    const folder = given === null ? resolve(this.#options.downloadsFolder) : resolve(given);
    if (given !== null && (!isAbsolute(given) || !this.#chosen.has(folder))) {
      throw new SeedboxError('refused', 'Fetches go to the Downloads folder or a folder chosen in the folder dialog.', { reason: 'folder-not-chosen' });
    }
    const info = await stat(folder).catch(() => null);
    if (!info?.isDirectory()) throw new SeedboxError('not-found', `The folder ${folder} does not exist.`, { path: folder });
    return folder;
  }

  async #finished(job: FetchJob): Promise<void> {
    const { events, boxes } = this.#options;
    const seedboxName = boxNameOf(boxes, job.seedboxId);
    const base = { seedboxId: job.seedboxId, seedboxName, torrentId: job.torrentId, torrentName: job.torrentName || job.torrentId };
    if (job.state !== 'done') {
      events.emit('notice', { kind: 'fetch-failed', ...base, message: job.error?.message ?? 'The fetch failed.' });
      return;
    }
    if (job.labelWhenDone !== null) {
      try {
        await addLabel(boxes.boxOf(job.seedboxId), job.torrentId, job.labelWhenDone);
      } catch (error) {
        const message = `Fetched, but the label "${job.labelWhenDone}" could not be added: ${toSeedboxError(error).message}`;
        events.emit('notice', { kind: 'fetch-failed', ...base, message });
        return;
      }
    }
    events.emit('notice', { kind: 'fetch-finished', ...base, destination: job.destination });
  }
}

function boxNameOf(boxes: Boxes, seedboxId: string): string {
  try {
    return boxes.boxOf(seedboxId).seedbox.name;
  } catch {
    return seedboxId;
  }
}

/** Adds a label to the torrent's labels as the box has them now (a fresh read). */
async function addLabel(box: RunningBox, torrentId: string, label: string): Promise<void> {
  await box.session.run(async (client) => {
    const { labels } = (await client.details(torrentId)).torrent;
    if (!labels.includes(label)) await client.setLabels([torrentId], [...labels, label]);
  });
  box.poller.refreshSoon();
}

/**
 * A job's source: the box once it is connected (a job resumed at start-up waits for its box;
 * pause and cancel still work meanwhile), the torrent as the daemon describes it now, and an
 * SFTP session on the box's SSH connection, ended with the job.
 */
async function openSource(boxes: Boxes, events: CoreEventSource, job: FetchJob, signal: AbortSignal): Promise<FetchSource> {
  const box = await connectedBox(boxes, events, job.seedboxId, signal);
  const sftp = await box.session.openSftp();
  try {
    // With the checked .torrent when the daemon gives it: every piece is then verified.
    const torrent = await box.session.run((client) => torrentToFetch(client, job.torrentId, { sftp, pathMapping: box.seedbox.sftpPathMapping }));
    return { sftp, openConnection: box.session.sftpConnectionOpener(), torrent, close: async () => void sftp.end() };
  } catch (error) {
    sftp.end();
    throw error;
  }
}

async function connectedBox(boxes: Boxes, events: CoreEventSource, seedboxId: string, signal: AbortSignal): Promise<RunningBox> {
  for (;;) {
    signal.throwIfAborted();
    // Throws 'not-found' once the box is removed: the job fails with that.
    const box = boxes.boxOf(seedboxId);
    if (box.session.connected) return box;
    await new Promise<void>((settle, reject) => {
      const done = (): void => {
        stop();
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        done();
        reject(signal.reason as Error);
      };
      const stop = events.on('box:status', ({ status }) => {
        if (status.seedboxId !== seedboxId || (status.state !== 'connected' && status.state !== 'disconnected')) return;
        done();
        settle();
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
