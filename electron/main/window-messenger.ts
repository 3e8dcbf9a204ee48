import type { EventChannel, EventPayload } from '../shared/contract';
import type { EventSender } from './ipc';

// Things the shell itself tells the window (an add request from the OS, a clicked
// notification) must not be lost while the window is being created or its page is loading:
// they wait until the page is ready, and the window is shown for them.

type Message = { [E in EventChannel]: { channel: E; payload: EventPayload<E> } }[EventChannel];

export interface WindowMessenger {
  /** Shows the window and sends, now or once the page is ready. */
  deliver<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  /** The page finished loading (true) or is gone / reloading (false). */
  setReady(ready: boolean): void;
}

const MAX_WAITING = 100;

export function createWindowMessenger(options: { send: EventSender; reveal: () => void }): WindowMessenger {
  let ready = false;
  const waiting: Message[] = [];
  const flush = (): void => {
    while (ready && waiting.length > 0) {
      const message = waiting[0]!;
      if (!options.send(message.channel, message.payload as never)) return;
      waiting.shift();
    }
  };
  return {
    deliver(channel, payload) {
      options.reveal();
      if (waiting.length >= MAX_WAITING) waiting.shift();
      waiting.push({ channel, payload } as Message);
      flush();
    },
    setReady(value) {
      ready = value;
      flush();
    },
  };
}
