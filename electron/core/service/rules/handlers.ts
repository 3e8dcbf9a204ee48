import { INVOKE_CHANNELS, type InvokeChannel } from '../../../shared/contract';
import { SeedboxError } from '../../../shared/errors';
import type { HandlerPart } from '../handlers';

export type RulesChannel = Extract<InvokeChannel, `rules:${string}`>;

/** The contract's rules channels, answered 'unsupported' until the rules service lands (next commit). */
export function rulesHandlers(): HandlerPart<RulesChannel> {
  const notYet = async (): Promise<never> => Promise.reject(new SeedboxError('unsupported', 'The seeding rules are not available in this build yet.'));
  return Object.fromEntries(INVOKE_CHANNELS.filter((channel) => channel.startsWith('rules:')).map((channel) => [channel, notYet])) as unknown as HandlerPart<RulesChannel>;
}
