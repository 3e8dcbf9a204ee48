import type { InvokeHandlers } from '../../shared/contract';
import type { CoreEventSource } from '../events';
import type { WindowListener } from './window/events';

/**
 * The core service: answers every invoke channel of the contract (one handler table, composed
 * from per-domain parts, bound by the Electron shell and by the browser harness alike) and
 * publishes what it observes on one event source. It runs with or without a window: polling,
 * notices and totals go on while the window is closed.
 */
export interface SeedboxServiceApi {
  readonly handlers: InvokeHandlers;
  /** Box status, torrent deltas and transitions, totals, notices, settings changes (see CoreEvents). */
  readonly events: CoreEventSource;
  /** The window's events (contract EVENTS), for whatever carries them to a window. */
  onEvent(listener: WindowListener): () => void;
  /** Pause or resume every torrent of one box (tray menu). */
  pauseAll(seedboxId: string): Promise<void>;
  resumeAll(seedboxId: string): Promise<void>;
  /**
   * Starts connecting every configured seedbox and polling; resolves once each is listed as
   * connecting, without waiting for any connection (states follow as seedbox:status events).
   */
  start(): Promise<void>;
  /** Stops polling and closes every connection. */
  stop(): Promise<void>;
}
