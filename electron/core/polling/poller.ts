import type { TorrentDelta } from '../../shared/contract';
import { toSeedboxError, type SeedboxError } from '../../shared/errors';
import type { SessionStats, Torrent } from '../../shared/model';
import type { PollChanges } from '../clients/types';
import type { SeedboxSession } from '../connections/session';
import { applyTorrentChanges, countTorrents, diffTorrents } from './diff';

export interface PollerOptions {
  seedboxId: string;
  session: SeedboxSession;
  /** The interval to wait after a refresh, asked each time (the window may have been hidden). */
  intervalMs(): number;
  /** While the window is hidden: clients may skip fields only the window needs. */
  light(): boolean;
  onDelta(delta: TorrentDelta): void;
  /** Called with the torrents before and after each refresh that changed something. */
  /** before is null for a torrent that is new since the last list. */
  onTransitions?(transitions: { before: Torrent | null; after: Torrent }[]): void;
  /** sessionStats (free space, alternative speed) every this many refreshes. */
  statsEvery?: number;
}

/** Torrents per delta of a snapshot: a window paints the first rows before the last arrive. */
/**
 * A snapshot's first delta is small, so the window paints the first rows at once; the rest
 * come in large deltas, because every delta costs the window a re-render (many small chunks
 * made the whole list slower to arrive than one message).
 */
export const SNAPSHOT_FIRST_CHUNK = 2000;
export const SNAPSHOT_CHUNK = 25_000;

/**
 * A box's whole list as deltas to apply in order: the first is full (the receiver starts the
 * box afresh from it), each next one adds the following torrents. At least one delta, so an
 * empty box still says it is empty.
 */
export function snapshotDeltas(options: {
  seedboxId: string;
  torrents: readonly Torrent[];
  stats: TorrentDelta['stats'];
  firstChunkSize?: number;
  chunkSize?: number;
}): TorrentDelta[] {
  const { seedboxId, torrents, stats, firstChunkSize = SNAPSHOT_FIRST_CHUNK, chunkSize = SNAPSHOT_CHUNK } = options;
  if (!(chunkSize >= 1) || !(firstChunkSize >= 1)) throw new Error('A snapshot chunk holds at least one torrent.');
  const deltas: TorrentDelta[] = [{ seedboxId, full: true, added: torrents.slice(0, firstChunkSize), changed: [], removed: [], stats }];
  for (let start = firstChunkSize; start < torrents.length; start += chunkSize) {
    deltas.push({ seedboxId, full: false, added: torrents.slice(start, start + chunkSize), changed: [], removed: [], stats });
  }
  return deltas;
}

/**
 * Refreshes one seedbox: one request in flight at a time, the next one scheduled only when the
 * last has ended, a field-level delta pushed when something changed. A client that says what
 * changed (PollChanges) has only that compared; a whole list is diffed against the last one. The lists of all boxes
 * are independent, so a slow box never delays another.
 */
export class BoxPoller {
  private readonly torrents = new Map<string, Torrent>();
  private sessionFigures: Pick<SessionStats, 'freeSpaceBytes' | 'alternativeSpeedEnabled'> = { freeSpaceBytes: null, alternativeSpeedEnabled: null };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;
  private ticks = 0;
  private hasList = false;
  /** The first list while it is read (see EarlyRows), for snapshots() in the middle of it. */
  private early: EarlyRows | undefined;
  private lastStats: TorrentDelta['stats'] | undefined;

  constructor(private readonly options: PollerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Refreshes now (after an action), unless a refresh is already under way. */
  refreshSoon(): void {
    if (!this.running || this.inFlight) return;
    this.schedule(0);
  }

  /** The whole current list, for a window that (re)subscribes (see snapshotDeltas). */
  snapshots(): TorrentDelta[] {
    // While a first list is still read, what the windows hold is the rows already sent: a window
    // (re)loaded now starts from those, and the chunks still to come add to them.
    if (!this.hasList && this.early) return this.early.snapshot();
    return snapshotDeltas({ seedboxId: this.options.seedboxId, torrents: [...this.torrents.values()], stats: this.stats() });
  }

  /** Totals as of the last refresh (computed once per refresh, not per caller). */
  stats(): TorrentDelta['stats'] {
    return (this.lastStats ??= this.currentStats());
  }

  /** Whether a list has arrived since start: before it, torrentList is empty but not known to be. */
  get listed(): boolean {
    return this.hasList;
  }

  get torrentList(): Iterable<Torrent> {
    return this.torrents.values();
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.inFlight = this.tick().finally(() => {
        this.inFlight = undefined;
        if (this.running) this.schedule(this.options.intervalMs());
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    const { session } = this.options;
    if (!session.connected) return;
    const light = this.options.light();
    const withStats = this.ticks % (this.options.statsEvery ?? 10) === 0;
    this.ticks++;
    const early = this.hasList ? undefined : new EarlyRows(this.options.seedboxId, (torrents) => this.statsOf(torrents), this.options.onDelta);
    this.early = early;
    let polled: Torrent[] | PollChanges;
    try {
      polled = await session.run((client) => (client.poll ? client.poll({ light, ...(early && { onPartial: (torrents) => early.take(torrents) }) }) : client.list()));
    } catch (error) {
      this.early = undefined;
      // The last good list stays as it is (nothing is pushed) and the status says why it is
      // not fresh; a lost connection is the session's own business. Retried at the next tick.
      // Rows of a first list sent before it failed are no list: the window drops them again.
      early?.retract(this.statsOf([]));
      session.reportRefresh(toSeedboxError(error));
      return;
    }
    let statsError: SeedboxError | null = null;
    if (withStats) {
      try {
        const stats = await session.run((client) => client.sessionStats());
        this.sessionFigures = { freeSpaceBytes: stats.freeSpaceBytes, alternativeSpeedEnabled: stats.alternativeSpeedEnabled };
      } catch (error) {
        // The list is applied all the same: a client that handed over its changes will not
        // hand them over again.
        statsError = toSeedboxError(error);
      }
    }
    session.reportRefresh(statsError);
    const whole = Array.isArray(polled) ? polled : polled.full ? polled.changed : undefined;
    // Only torrents that may have changed can have crossed a line.
    const candidates = whole ?? (polled as PollChanges).changed;
    const transitions: { before: Torrent | null; after: Torrent }[] = [];
    if (this.options.onTransitions && this.hasList) {
      const byId = this.torrents;
      for (const after of candidates) {
        const before = byId.get(after.id);
        if (before === undefined) transitions.push({ before: null, after });
        else if (before !== after && (before.state !== after.state || before.progress !== after.progress)) transitions.push({ before, after });
      }
    }
    const full = !this.hasList;
    const diff = whole ? diffTorrents(this.torrents, whole) : applyTorrentChanges(this.torrents, polled as PollChanges);
    this.hasList = true;
    this.early = undefined;
    if (full || diff.added.length > 0 || diff.changed.length > 0 || diff.removed.length > 0 || withStats) {
      this.lastStats = this.currentStats();
      // The first list is all additions (nothing changed or removed yet): sent like a snapshot,
      // but for what already went as it was read.
      const deltas = full
        ? (early?.rest(diff.added, this.lastStats) ?? snapshotDeltas({ seedboxId: this.options.seedboxId, torrents: diff.added, stats: this.lastStats }))
        : [{ seedboxId: this.options.seedboxId, full, ...diff, stats: this.lastStats }];
      for (const delta of deltas) this.options.onDelta(delta);
    }
    if (transitions.length > 0) this.options.onTransitions?.(transitions);
  }

  private currentStats(): TorrentDelta['stats'] {
    return this.statsOf(this.torrents.values());
  }

  private statsOf(torrents: Iterable<Torrent>): TorrentDelta['stats'] {
    return { ...countTorrents(torrents), ...this.sessionFigures };
  }
}

/**
 * A box's first list sent while it is read (PollOptions.onPartial): the first
 * SNAPSHOT_FIRST_CHUNK torrents as the full delta as soon as they are in, so the window paints
 * names while the rest of a large answer is still decoded, then SNAPSHOT_CHUNK at a time; what
 * is left goes once the whole list is in.
 */
class EarlyRows {
  private readonly torrents: Torrent[] = [];
  private sent = 0;

  constructor(
    private readonly seedboxId: string,
    private readonly statsOf: (torrents: Torrent[]) => TorrentDelta['stats'],
    private readonly send: (delta: TorrentDelta) => void,
  ) {}

  take(torrents: readonly Torrent[]): void {
    for (const torrent of torrents) this.torrents.push(torrent);
    if (this.sent === 0 && this.torrents.length >= SNAPSHOT_FIRST_CHUNK) this.sendUpTo(SNAPSHOT_FIRST_CHUNK, true);
    while (this.sent > 0 && this.torrents.length - this.sent >= SNAPSHOT_CHUNK) this.sendUpTo(this.sent + SNAPSHOT_CHUNK, false);
  }

  /** The deltas still to send once the whole list (`all`) is in; undefined when nothing went early. */
  rest(all: readonly Torrent[], stats: TorrentDelta['stats']): TorrentDelta[] | undefined {
    if (this.sent === 0) return undefined;
    const sent = new Set(this.torrents.slice(0, this.sent).map((torrent) => torrent.id));
    const rest = all.filter((torrent) => !sent.has(torrent.id));
    return snapshotDeltas({ seedboxId: this.seedboxId, torrents: rest, stats, firstChunkSize: SNAPSHOT_CHUNK }).map((delta) => ({ ...delta, full: false }));
  }

  /** What the windows hold of this list so far, for a window that subscribes in the middle of it. */
  snapshot(): TorrentDelta[] {
    const sent = this.torrents.slice(0, this.sent);
    return snapshotDeltas({ seedboxId: this.seedboxId, torrents: sent, stats: this.statsOf(sent) });
  }

  retract(stats: TorrentDelta['stats']): void {
    if (this.sent > 0) this.send({ seedboxId: this.seedboxId, full: true, added: [], changed: [], removed: [], stats });
  }

  private sendUpTo(end: number, full: boolean): void {
    const added = this.torrents.slice(this.sent, end);
    this.sent = end;
    this.send({ seedboxId: this.seedboxId, full, added, changed: [], removed: [], stats: this.statsOf(this.torrents.slice(0, end)) });
  }
}
