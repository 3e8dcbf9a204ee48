import type { CoreEventSource, Totals } from '../events';
import type { RunningBox } from './boxes';

/** Overall and per-box rates now; a box that is not connected counts as idle. */
export function currentTotals(boxes: Iterable<RunningBox>): Totals {
  const totals: Totals = { downRate: 0, upRate: 0, boxes: [] };
  for (const box of boxes) {
    const snapshot = box.poller.stats();
    const connected = box.session.connected;
    totals.downRate += connected ? snapshot.downRate : 0;
    totals.upRate += connected ? snapshot.upRate : 0;
    totals.boxes.push({
      seedboxId: box.seedbox.id,
      name: box.seedbox.name,
      state: box.session.status.state,
      downRate: connected ? snapshot.downRate : 0,
      upRate: connected ? snapshot.upRate : 0,
      alternativeSpeed: box.session.status.info?.capabilities.alternativeSpeed ? snapshot.alternativeSpeedEnabled : null,
      canPause: connected,
    });
  }
  return totals;
}

/** Emits `totals` after every delta and status change, while anyone listens for them. */
export function watchTotals(events: CoreEventSource, boxes: () => Iterable<RunningBox>): () => void {
  const emit = (): void => {
    if (events.has('totals')) events.emit('totals', currentTotals(boxes()));
  };
  const stopDelta = events.on('torrents:delta', emit);
  const stopStatus = events.on('box:status', emit);
  return () => {
    stopDelta();
    stopStatus();
  };
}
