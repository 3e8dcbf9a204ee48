import {
  EVENTS,
  INVOKE_CHANNELS,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeEnvelope,
  type InvokeHandlers,
} from '../shared/contract';
import { describeIssues, dispatchInvoke } from '../core/service/dispatch';

// The only door between the window and the core: one ipcMain.handle per contract channel, each
// checking who calls and what it passes before the service sees it, and answering with an
// envelope so typed errors survive the trip. Events go the other way on the contract's channels.

export interface SenderFrame {
  readonly url: string;
}

export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null;
}

/** The parts of ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, args: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The parts of webContents events are sent through. */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

export type Log = (message: string) => void;

/**
 * Calls are trusted only from the main frame of our own window showing our own page: not
 * from an iframe, not after a navigation, not from some other window.
 */
export function trustedSender(options: { mainFrame: () => SenderFrame | null | undefined; isAppUrl: (url: string) => boolean }): (event: InvokeEvent) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    return frame !== null && frame === options.mainFrame() && options.isAppUrl(frame.url);
  };
}

export interface InvokeRegistration {
  ipcMain: IpcMainLike;
  handlers: InvokeHandlers;
  isTrustedSender: (event: InvokeEvent) => boolean;
  /** Also check results against the contract (development and tests: a service bug shows at once). */
  validateResults: boolean;
  log: Log;
}

/** Registers every contract channel and nothing else; returns the undo. */
export function registerInvokeHandlers(registration: InvokeRegistration): () => void {
  const reportRejection = onceEach(registration.log);
  for (const channel of INVOKE_CHANNELS) {
    registration.ipcMain.handle(channel, (event, args) => answer(channel, event, args, registration, reportRejection));
  }
  return () => INVOKE_CHANNELS.forEach((channel) => registration.ipcMain.removeHandler(channel));
}

async function answer(
  channel: InvokeChannel,
  event: InvokeEvent,
  args: unknown,
  registration: InvokeRegistration,
  reportRejection: (key: string, message: string) => void,
): Promise<InvokeEnvelope<unknown>> {
  if (!registration.isTrustedSender(event)) {
    const origin = describeOrigin(event.senderFrame?.url);
    reportRejection(`${channel} ${origin}`, `Refused an IPC call on ${channel} from ${origin}: not the app's own window.`);
    return { ok: false, error: { code: 'forbidden', message: 'This call did not come from the app window.', details: {} } };
  }
  return dispatchInvoke(registration.handlers, channel, args, { validateResults: registration.validateResults, log: registration.log });
}

function describeOrigin(url: string | undefined): string {
  if (!url) return 'a frame that is gone';
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'a file:// page' : parsed.origin;
  } catch {
    return 'an unknown page';
  }
}

/** Logs each distinct rejection once, so a misbehaving page cannot flood the log. */
function onceEach(log: Log, limit = 100): (key: string, message: string) => void {
  const seen = new Set<string>();
  return (key, message) => {
    if (seen.has(key) || seen.size >= limit) return;
    seen.add(key);
    log(message);
  };
}

export type EventSender = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => boolean;

/**
 * Sends contract events to the window, if there is one; returns whether it was sent. Only the
 * contract's channels cross; with `validate`, payloads are checked against their schema too.
 */
export function createEventSender(options: { target: () => EventTarget | null | undefined; validate: boolean; log: Log }): EventSender {
  return (channel, payload) => {
    const schema = Object.hasOwn(EVENTS, channel) ? EVENTS[channel] : undefined;
    if (!schema) {
      options.log(`Dropped an event on ${String(channel)}: not a contract channel.`);
      return false;
    }
    if (options.validate) {
      const checked = schema.safeParse(payload);
      if (!checked.success) {
        options.log(`Dropped an event on ${channel}: ${describeIssues(checked.error)}.`);
        return false;
      }
    }
    const target = options.target();
    if (!target || target.isDestroyed()) return false;
    target.send(channel, payload);
    return true;
  };
}
