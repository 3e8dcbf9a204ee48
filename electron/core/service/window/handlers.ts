import type { HandlerPart } from '../handlers';
import type { BoxSet } from '../boxes';
import type { WindowEvents } from './events';

export function windowHandlers(deps: { boxes: Pick<BoxSet, 'all' | 'setWindowVisible'>; window: WindowEvents }): HandlerPart<'window:visibility' | 'torrents:subscribe'> {
  return {
    'window:visibility': async ({ visible }) => {
      deps.boxes.setWindowVisible(visible);
      return null;
    },
    // A window (re)loaded: every box's state and whole list, to it alone.
    'torrents:subscribe': async () => {
      for (const box of deps.boxes.all()) {
        deps.window.send('seedbox:status', box.session.status);
        for (const delta of box.poller.snapshots()) deps.window.send('torrents:delta', delta);
      }
      return null;
    },
  };
}
