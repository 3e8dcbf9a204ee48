import type { InvokeChannel, InvokeHandlers } from '../../shared/contract';

/**
 * The invoke handler table is composed from per-domain parts: each domain (a folder such as
 * service/seedboxes/ or, later, core/rules/) exports a factory taking only what it needs and
 * returning the handlers of its own channels:
 *
 *   export function rulesHandlers(deps: { events: CoreEventSource; boxes: BoxSet }): HandlerPart<'rules:list' | 'rules:preview'> {
 *     return { 'rules:list': async () => ..., 'rules:preview': async (args) => ... };
 *   }
 *
 * A new feature adds its channels to the contract (shared/contract.ts), its folder, and one
 * line in the list given to composeHandlers (seedbox-service.ts). Until that line is there the
 * build fails naming the channels nobody handles; a channel handled twice fails at start-up.
 */
export type HandlerPart<C extends InvokeChannel> = Pick<InvokeHandlers, C>;

/** The channels handled by any of the parts. */
type Handled<Parts extends readonly object[]> = Parts[number] extends infer Part ? (Part extends object ? keyof Part : never) : never;

/** Spelled out in the type error when a channel of the contract has no handler. */
interface Unhandled<C> {
  unhandledChannels: C;
}

export function composeHandlers<const Parts extends readonly Partial<InvokeHandlers>[]>(
  parts: Parts & ([Exclude<InvokeChannel, Handled<Parts>>] extends [never] ? unknown : Unhandled<Exclude<InvokeChannel, Handled<Parts>>>),
): InvokeHandlers {
  const table: Partial<Record<InvokeChannel, unknown>> = {};
  for (const part of parts) {
    for (const [channel, handler] of Object.entries(part) as [InvokeChannel, unknown][]) {
      if (Object.hasOwn(table, channel)) throw new Error(`Two parts of the service handle ${channel}.`);
      table[channel] = handler;
    }
  }
  return table as InvokeHandlers;
}
