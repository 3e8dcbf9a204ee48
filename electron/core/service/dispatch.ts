import { INVOKE, type InvokeChannel, type InvokeEnvelope, type InvokeHandlers, type SerializedError } from '../../shared/contract';
import { SeedboxError, toSeedboxError } from '../../shared/errors';

/**
 * One invoke call from a window, whatever carried it (Electron IPC or the browser harness):
 * the channel must be in the contract, the arguments must match its schema, and the answer
 * is an envelope, so a typed error crosses intact and nothing else (no stack) does.
 */
export async function dispatchInvoke(handlers: InvokeHandlers, channel: string, rawArgs: unknown): Promise<InvokeEnvelope<unknown>> {
  try {
    if (!Object.hasOwn(INVOKE, channel)) throw new SeedboxError('invalid-argument', `"${channel.slice(0, 64)}" is not a channel of the contract.`);
    const name = channel as InvokeChannel;
    const parsed = INVOKE[name].args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new SeedboxError('invalid-argument', `Invalid arguments for ${name}${where}: ${issue?.message ?? 'rejected'}.`);
    }
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (thrown) {
    return { ok: false, error: serializeError(thrown) };
  }
}

export function serializeError(thrown: unknown): SerializedError {
  const error = toSeedboxError(thrown);
  return { code: error.code, message: error.message, details: error.details as SerializedError['details'] };
}
