// window.seedbox for the browser harness: the same bridge the Electron preload exposes, built
// from the contract's channel lists, carried over a loopback WebSocket to the real core
// service. Loaded only by the harness's page, never by the Electron app.
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../shared/channels';
import type { InvokeEnvelope, SeedboxBridge } from '../../shared/contract';
import { fromWire, toWire } from '../../shared/wire';

type Message =
  | { type: 'result'; id: number; envelope: InvokeEnvelope<unknown> }
  | { type: 'event'; channel: string; payload: unknown };

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('seedbox-harness-token') ?? '';
sessionStorage.setItem('seedbox-harness-token', token);
const socket = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve(), { once: true });
  socket.addEventListener('error', () => reject(new Error('The harness refused the connection (wrong or missing token?).')), { once: true });
});
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let nextId = 1;

socket.addEventListener('message', (event) => {
  const message = fromWire(String(event.data)) as Message;
  if (message.type === 'result') {
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (!call) return;
    if (message.envelope.ok) call.resolve(message.envelope.value);
    else call.reject(Object.assign(new Error(message.envelope.error.message), message.envelope.error));
  } else {
    for (const listener of listeners.get(message.channel) ?? []) listener(message.payload);
  }
});
socket.addEventListener('close', () => {
  for (const call of pending.values()) call.reject(Object.assign(new Error('The harness connection closed.'), { code: 'connection-lost' }));
  pending.clear();
});

const bridge = {
  invoke: Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      async (args: unknown) => {
        await opened;
        const id = nextId++;
        return new Promise((resolve, reject) => {
          pending.set(id, { resolve, reject });
          socket.send(toWire({ type: 'invoke', id, channel, args }));
        });
      },
    ]),
  ),
  on: Object.fromEntries(
    EVENT_CHANNELS.map((channel) => [
      channel,
      (listener: (payload: unknown) => void) => {
        const set = listeners.get(channel) ?? new Set();
        listeners.set(channel, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    ]),
  ),
} as unknown as SeedboxBridge;

Object.defineProperty(window, 'seedbox', { value: Object.freeze(bridge), enumerable: true });
