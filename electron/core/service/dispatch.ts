import type { z } from 'zod';
import { INVOKE, type InvokeChannel, type InvokeEnvelope, type InvokeHandlers, type SerializedError } from '../../shared/contract';
import { SeedboxError, toSeedboxError } from '../../shared/errors';

export interface DispatchOptions {
  /** Also check results against the contract (development and tests: a service bug shows at once). */
  validateResults?: boolean;
  log?: (message: string) => void;
}

/**
 * One invoke call from a window, whatever carried it (Electron IPC or the browser harness):
 * the channel must be in the contract, the arguments must match its schema, and the answer
 * is an envelope, so a typed error crosses intact and nothing else (no stack) does.
 */
export async function dispatchInvoke(handlers: InvokeHandlers, channel: string, rawArgs: unknown, options: DispatchOptions = {}): Promise<InvokeEnvelope<unknown>> {
  if (!Object.hasOwn(INVOKE, channel)) {
    return failure({ code: 'invalid-argument', message: `"${channel.slice(0, 64)}" is not a channel of the contract.`, details: {} });
  }
  const name = channel as InvokeChannel;
  const contract = INVOKE[name];
  const parsed = contract.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    return failure({ code: 'invalid-argument', message: `Invalid arguments for ${name}: ${describeIssues(parsed.error)}.`, details: { channel: name } });
  }
  try {
    const handler = handlers[name] as (args: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (options.validateResults) {
      const checked = contract.result.safeParse(value);
      if (!checked.success) {
        options.log?.(`The result of ${name} does not match the contract: ${describeIssues(checked.error)}.`);
        return failure({ code: 'internal', message: `The app produced an invalid answer for ${name}.`, details: { channel: name } });
      }
    }
    return { ok: true, value };
  } catch (thrown) {
    const error = toSeedboxError(thrown);
    if (error.code === 'internal') options.log?.(`${name} failed: ${error.message}`);
    return failure(serializeError(error));
  }
}

export function serializeError(thrown: unknown): SerializedError {
  const error = thrown instanceof SeedboxError ? thrown : toSeedboxError(thrown);
  // code, message and details: never the stack or the cause.
  return { code: error.code, message: error.message, details: error.details as SerializedError['details'] };
}

/** At most three issues, by path; zod's messages name the expected shape, never the value. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

function failure(error: SerializedError): InvokeEnvelope<never> {
  return { ok: false, error };
}
