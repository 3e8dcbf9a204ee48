import type { BoxSet } from '../boxes';
import type { HandlerPart } from '../handlers';

/** A whole box's speed: its global limits and its alternative (turtle) speed. */
export function speedHandlers(deps: { boxes: Pick<BoxSet, 'act'> }): HandlerPart<'seedbox:setGlobalLimits' | 'seedbox:setAlternativeSpeed'> {
  const { boxes } = deps;
  return {
    'seedbox:setGlobalLimits': async ({ seedboxId, downBytesPerSecond, upBytesPerSecond }) =>
      boxes.act(seedboxId, (client) => client.setGlobalSpeedLimits({ downBytesPerSecond, upBytesPerSecond })),
    'seedbox:setAlternativeSpeed': async ({ seedboxId, enabled }) => boxes.act(seedboxId, (client) => client.setAlternativeSpeed(enabled)),
  };
}
