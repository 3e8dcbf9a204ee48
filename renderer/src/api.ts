// The only module that touches window.seedbox: the rest of the window calls the main process
// through these typed functions and subscribes to its events here. The bridge is the contract
// itself (electron/shared/contract.ts), exposed by the preload in Electron or by the browser
// harness's script (`npm run web`).
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeResult, SerializedError } from '../../electron/shared/contract';

/** An error from the main process: the contract's code, message and details, never a stack. */
export class ApiError extends Error {
  constructor(
    readonly code: SerializedError['code'],
    message: string,
    readonly details: SerializedError['details'] = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function bridge(): Window['seedbox'] {
  const value = (window as Partial<Window>).seedbox;
  if (!value) throw new ApiError('internal', 'This window was opened outside Seedbox Remote: there is no connection to the app.');
  return value;
}

export async function call<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  try {
    return await (bridge().invoke[channel] as (args: InvokeArgs<C>) => Promise<InvokeResult<C>>)(args);
  } catch (thrown) {
    const error = thrown as Partial<SerializedError> & { message?: string };
    throw thrown instanceof ApiError ? thrown : new ApiError(error.code ?? 'internal', error.message ?? String(thrown), error.details ?? {});
  }
}

export function on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
  return (bridge().on[channel] as (listener: (payload: EventPayload<E>) => void) => () => void)(listener);
}

/** Whether a bridge exists (the harness page before its script ran, or a plain browser, has none). */
export function hasBridge(): boolean {
  return Boolean((window as Partial<Window>).seedbox);
}
