import type { IpcRendererEvent } from 'electron';
// Channel names come from channels.ts, which has no schemas: the sandboxed preload stays small.
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../shared/channels';
import type { InvokeEnvelope, SeedboxBridge, SerializedError } from '../shared/contract';

/** The parts of ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, args: unknown): Promise<unknown>;
  on(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: IpcRendererEvent, payload: unknown) => void): unknown;
}

/**
 * What a failed call rejects with: a plain object, not an Error, because contextBridge copies
 * an Error with its message only (code and details would be lost on the way to the page),
 * while plain objects cross whole. The renderer's api module turns it into its own error.
 */
export interface BridgeError extends SerializedError {
  name: 'SeedboxError';
}

/**
 * window.seedbox: one function per contract invoke channel and one subscriber per event
 * channel, built from the contract's lists, so there is no way to reach any other channel.
 */
export function buildBridge(ipc: IpcRendererLike): SeedboxBridge {
  const invoke = Object.fromEntries(
    INVOKE_CHANNELS.map((channel) => [
      channel,
      async (args: unknown) => unwrap((await ipc.invoke(channel, args ?? {})) as InvokeEnvelope<unknown>),
    ]),
  );
  const on = Object.fromEntries(
    EVENT_CHANNELS.map((channel) => [
      channel,
      (listener: (payload: unknown) => void) => {
        // The page gets the payload only, never the IpcRendererEvent (it reaches ipcRenderer).
        const wrapper = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
        ipc.on(channel, wrapper);
        return () => void ipc.removeListener(channel, wrapper);
      },
    ]),
  );
  return Object.freeze({ invoke: Object.freeze(invoke), on: Object.freeze(on) }) as unknown as SeedboxBridge;
}

function unwrap(envelope: InvokeEnvelope<unknown>): unknown {
  if (envelope?.ok === true) return envelope.value;
  const error = envelope?.ok === false ? envelope.error : { code: 'internal' as const, message: 'The app answered in an unexpected form.', details: {} };
  const rejection: BridgeError = { name: 'SeedboxError', code: error.code, message: error.message, details: error.details ?? {} };
  throw rejection;
}
