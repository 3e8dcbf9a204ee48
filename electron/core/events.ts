import type { EventPayload, Preferences, RulesRunSummary, RulesState, SeedboxStatus, TorrentDelta } from '../shared/contract';
import type { Torrent } from '../shared/model';
import type { FetchJob, FetchJobProgress } from './fetch/jobs';

/** A torrent that crossed a line worth acting on between two refreshes of its box. */
export interface TorrentTransition {
  /** completed: it has all its selected data now; errored: the daemon reports an error now. */
  kind: 'completed' | 'errored';
  /** null: new since the last list (it was added and got there within one refresh). */
  before: Torrent | null;
  after: Torrent;
}

/** Something worth a native notification; the shell decides by the user's preferences. */
export type Notice =
  | { kind: 'download-finished'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string }
  | { kind: 'torrent-error'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string; message: string }
  | { kind: 'seedbox-lost'; seedboxId: string; seedboxName: string; message: string }
  | { kind: 'seedbox-back'; seedboxId: string; seedboxName: string }
  /** A fetch to this computer ended: done, or failed with the reason. */
  | { kind: 'fetch-finished'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string; destination: string }
  | { kind: 'fetch-failed'; seedboxId: string; seedboxName: string; torrentId: string; torrentName: string; message: string }
  /** A rules run that acted or had an action fail (never a dry run, never one that only previewed). */
  | { kind: 'rules-run'; summary: RulesRunSummary };

/** Live totals for the tray: per box and overall, bytes per second. */
export interface Totals {
  downRate: number;
  upRate: number;
  boxes: { seedboxId: string; name: string; state: string; downRate: number; upRate: number; alternativeSpeed: boolean | null; canPause: boolean }[];
}

/**
 * Everything the core tells whoever listens: the window's IPC events, the tray, notifications
 * and features (seeding rules, fetch-on-completion) all subscribe here, none is wired privately.
 */
export interface CoreEvents {
  /** A box's connection state; `previous` is the state before this one. */
  'box:status': { seedboxName: string; previous: SeedboxStatus['state']; status: SeedboxStatus };
  /** What a refresh changed in a box's list (field-level), as the window receives it. */
  'torrents:delta': TorrentDelta;
  /** Torrents of one box that completed or failed in the last refresh (never on its first list). */
  'torrents:transitions': { seedboxId: string; seedboxName: string; transitions: TorrentTransition[] };
  /** Overall and per-box rates and states; sent only while someone listens. */
  totals: Totals;
  'seedboxes:changed': EventPayload<'seedboxes:changed'>;
  'preferences:changed': Preferences;
  notice: Notice;
  /** The seeding rules' state after a change through the app or a run (core/service/rules). */
  'rules:changed': RulesState;
  /** The fetch queue's jobs, after any change of state (core/fetch/queue.ts). */
  'fetch:jobs': { jobs: FetchJob[] };
  /** A running fetch's bytes, rate and ETA, at most four times a second per job. */
  'fetch:progress': FetchJobProgress;
}

export type Subscriber<P> = (payload: P) => void;

/** One small typed publish/subscribe; each subscriber is isolated from the others' failures. */
export interface EventSource<Events> {
  /** Returns the unsubscribe function. */
  on<K extends keyof Events>(name: K, subscriber: Subscriber<Events[K]>): () => void;
  emit<K extends keyof Events>(name: K, payload: Events[K]): void;
  /** Whether anyone listens: lets an emitter skip building a payload nobody reads. */
  has(name: keyof Events): boolean;
}

export type CoreEventSource = EventSource<CoreEvents>;

/**
 * `reportError` hears about a subscriber that threw: the emitter (a poller, a session) and the
 * other subscribers go on as if it had not, so a bug in a feature cannot stop refreshes.
 */
export function createEventSource<Events>(options: { reportError?: (message: string) => void } = {}): EventSource<Events> {
  const reportError = options.reportError ?? ((message: string) => console.warn(message));
  const subscribers = new Map<keyof Events, Set<Subscriber<never>>>();
  return {
    on(name, subscriber) {
      let set = subscribers.get(name);
      if (!set) subscribers.set(name, (set = new Set()));
      // Wrapped, so subscribing one function twice gives two subscriptions, each removable.
      const entry: Subscriber<Events[typeof name]> = (payload) => subscriber(payload);
      set.add(entry as Subscriber<never>);
      return () => void set.delete(entry as Subscriber<never>);
    },
    emit(name, payload) {
      const set = subscribers.get(name);
      if (!set) return;
      // A copy: a subscriber may unsubscribe (itself or another) while this runs.
      for (const subscriber of [...set]) {
        if (!set.has(subscriber)) continue;
        try {
          (subscriber as Subscriber<Events[typeof name]>)(payload);
        } catch (error) {
          reportError(`A subscriber to ${String(name)} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
    has(name) {
      return (subscribers.get(name)?.size ?? 0) > 0;
    },
  };
}
