import type { SeedboxStatus } from '../../shared/contract';
import { SeedboxError } from '../../shared/errors';
import type { Seedbox } from '../../shared/seedbox';
import type { TorrentClient } from '../clients/types';
import type { SecretReader } from '../connections/open';
import { SeedboxSession, type OpenConnection } from '../connections/session';
import type { CoreEventSource } from '../events';
import { BoxPoller } from '../polling/poller';
import { classifyTransitions } from '../polling/transitions';

/** One configured seedbox while the service runs: its connection and its poller. */
export interface RunningBox {
  seedbox: Seedbox;
  session: SeedboxSession;
  poller: BoxPoller;
}

export interface BoxSetOptions {
  events: CoreEventSource;
  /** How a seedbox becomes a connected client. */
  open(seedbox: Seedbox, readSecret: SecretReader): Promise<OpenConnection>;
  /** The secrets of saved box `seedboxId` for a connection to its current settings. */
  readSecretOf(seedboxId: string, target: Seedbox): SecretReader;
  /** A saved seedbox by id (throws 'not-found'). */
  load(id: string): Promise<Seedbox>;
  /** The refresh interval of a box now, by the window's visibility. */
  intervalMs(seedbox: Seedbox, windowVisible: boolean): number;
  backoff?: { baseDelayMs: number; maxDelayMs: number } | undefined;
}

/**
 * The running seedboxes: one session and one poller per box. What they observe goes out on the
 * core's event source (box:status, torrents:delta, torrents:transitions); handlers reach a box
 * through boxOf() and act().
 */
export class BoxSet {
  private readonly boxes = new Map<string, RunningBox>();
  private started = false;
  private windowVisible = true;

  constructor(private readonly options: BoxSetOptions) {}

  /** Connects and polls every box `load` returns; later launch() calls start theirs at once. */
  async start(load: () => Promise<Seedbox[]>): Promise<void> {
    if (this.started) return;
    this.started = true;
    const seedboxes = await load();
    // Every box is listed (connecting) before any starts.
    const added = seedboxes.filter((seedbox) => !this.boxes.has(seedbox.id)).map((seedbox) => this.add(seedbox));
    for (const box of added) this.startBox(box);
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.boxes.values()].map((box) => this.stopBox(box)));
    this.boxes.clear();
  }

  /** A newly saved box: started now if the service runs. */
  launch(seedbox: Seedbox): void {
    if (this.started) this.startBox(this.add(seedbox));
  }

  /** Reconnects a box with its saved settings and secrets as they are now. */
  async restart(id: string): Promise<void> {
    await this.remove(id);
    if (this.started) this.launch(await this.options.load(id));
  }

  async remove(id: string): Promise<void> {
    const box = this.boxes.get(id);
    if (!box) return;
    await this.stopBox(box);
    this.boxes.delete(id);
  }

  boxOf(seedboxId: string): RunningBox {
    const box = this.boxes.get(seedboxId);
    if (!box) throw new SeedboxError('not-found', `There is no seedbox with id ${seedboxId}.`, { seedboxId });
    return box;
  }

  all(): Iterable<RunningBox> {
    return this.boxes.values();
  }

  /** Runs an action on a box's client, then refreshes that box at once. */
  async act(seedboxId: string, action: (client: TorrentClient) => Promise<unknown>): Promise<null> {
    const box = this.boxOf(seedboxId);
    try {
      await box.session.run(action);
    } finally {
      box.poller.refreshSoon();
    }
    return null;
  }

  setWindowVisible(visible: boolean): void {
    const wasVisible = this.windowVisible;
    this.windowVisible = visible;
    // Back in view: show fresh figures now rather than after a slow interval.
    if (visible && !wasVisible) for (const box of this.boxes.values()) box.poller.refreshSoon();
  }

  private add(seedbox: Seedbox): RunningBox {
    const { events } = this.options;
    const session = new SeedboxSession({
      seedboxId: seedbox.id,
      open: () => this.options.open(box.seedbox, this.options.readSecretOf(seedbox.id, box.seedbox)),
      ...(this.options.backoff ?? {}),
    });
    const poller = new BoxPoller({
      seedboxId: seedbox.id,
      session,
      intervalMs: () => this.options.intervalMs(box.seedbox, this.windowVisible),
      light: () => !this.windowVisible,
      onDelta: (delta) => events.emit('torrents:delta', delta),
      onTransitions: (pairs) => {
        const transitions = classifyTransitions(pairs);
        if (transitions.length > 0) events.emit('torrents:transitions', { seedboxId: seedbox.id, seedboxName: box.seedbox.name, transitions });
      },
    });
    const box: RunningBox = { seedbox, session, poller };
    let previous: SeedboxStatus['state'] = 'disconnected';
    session.onStatus((status) => {
      if (status.state === 'connected') poller.refreshSoon();
      const before = previous;
      previous = status.state;
      events.emit('box:status', { seedboxName: box.seedbox.name, previous: before, status });
    });
    this.boxes.set(seedbox.id, box);
    return box;
  }

  /**
   * Starts polling and the first connection attempt, without waiting for it: a box that accepts
   * and never answers would hold the caller (start-up, the editor's Save) for the whole timeout.
   * Its state arrives as box:status events; the session handles its own failures.
   */
  private startBox(box: RunningBox): void {
    box.poller.start();
    void box.session.start();
  }

  private async stopBox(box: RunningBox): Promise<void> {
    await box.poller.stop();
    await box.session.stop();
  }
}
