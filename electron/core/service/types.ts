import type { EventChannel, EventPayload, InvokeHandlers } from '../../shared/contract';

/** Something worth a native notification; the shell decides by the user's preferences. */
export type Notice =
  | { kind: 'download-finished'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string }
  | { kind: 'torrent-error'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string; message: string }
  | { kind: 'seedbox-lost'; seedboxId: string; seedboxName: string; message: string }
  | { kind: 'seedbox-back'; seedboxId: string; seedboxName: string };

/** Live totals for the tray: per box and overall, bytes per second. */
export interface Totals {
  downRate: number;
  upRate: number;
  boxes: { seedboxId: string; name: string; state: string; downRate: number; upRate: number; alternativeSpeed: boolean | null; canPause: boolean }[];
}

/**
 * The core service: answers every invoke channel of the contract (one handler table, bound by
 * the Electron shell and by the browser harness alike) and pushes events. It runs with or
 * without a window: polling, notices and totals go on while the window is closed.
 */
export interface SeedboxServiceApi {
  readonly handlers: InvokeHandlers;
  /** Events for the window (contract EVENTS). */
  onEvent(listener: <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void): () => void;
  /** Notices for native notifications. */
  onNotice(listener: (notice: Notice) => void): () => void;
  onTotals(listener: (totals: Totals) => void): () => void;
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
