import type { EventChannel, EventPayload } from '../../../shared/contract';
import type { CoreEventSource } from '../../events';

export type WindowListener = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

/**
 * The window's side of the event source: the core events a window shows, as the contract's
 * event channels, for whatever carries them (Electron IPC, the browser harness).
 */
export class WindowEvents {
  private readonly listeners = new Set<WindowListener>();

  constructor(events: CoreEventSource) {
    events.on('box:status', ({ status }) => this.send('seedbox:status', status));
    events.on('torrents:delta', (delta) => this.send('torrents:delta', delta));
    events.on('seedboxes:changed', (views) => this.send('seedboxes:changed', views));
    events.on('preferences:changed', (preferences) => this.send('preferences:changed', preferences));
    events.on('fetch:jobs', (payload) => this.send('fetch:jobs', payload));
    events.on('fetch:progress', (progress) => this.send('fetch:progress', progress));
    events.on('rules:changed', (state) => this.send('rules:changed', state));
  }

  onEvent(listener: WindowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** To the windows only (a resubscribing window's snapshot is news to nobody else). */
  send<E extends EventChannel>(channel: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(channel, payload);
  }
}
