// What the window says about a box's connection, from its status event alone: one wording and
// one countdown (from nextAttemptAt and the shared clock) for the banner, the sidebar, the
// details and the rows, so no two places can disagree.
import type { SeedboxStatus } from '../../../electron/shared/contract';
import { secondsUntil } from './time';

/** The one label of the retry buttons. */
export const RETRY_LABEL = 'Retry now';

/** Rows of a box in these states show last known values: nothing refreshes them. */
export function isStale(status: SeedboxStatus | null | undefined): boolean {
  return status != null && status.state !== 'connected' && status.state !== 'connecting';
}

/** "Reconnecting in 12s", "Reconnecting…", "Not connected.": the countdown every view shows. */
export function reconnectText(status: SeedboxStatus | null | undefined, nowMs: number): string {
  if (status?.state === 'reconnecting') {
    if (status.nextAttemptAt == null) return 'Reconnecting…';
    const seconds = secondsUntil(status.nextAttemptAt, nowMs);
    return seconds > 0 ? `Reconnecting in ${seconds}s` : 'Reconnecting…';
  }
  if (status?.state === 'disconnected') return 'Disconnected.';
  if (status?.state === 'failed') return 'Not connected.';
  return 'Connecting…';
}

/** "offline since 14:03" (the time of day; the date too when it was not today). */
export function offlineSinceText(status: SeedboxStatus | null | undefined, nowMs: number): string {
  if (status?.offlineSince == null) return 'offline';
  const since = new Date(status.offlineSince);
  const today = new Date(nowMs).toDateString() === since.toDateString();
  const time = since.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `offline since ${today ? time : `${since.toLocaleDateString()} ${time}`}`;
}

/** The banner's and the failed state's line: why, then what happens next. */
export function statusLine(status: SeedboxStatus | null | undefined, nowMs: number): string {
  const reason = status?.error?.message ?? (status?.state === 'reconnecting' ? 'Connection lost.' : '');
  if (status?.state === 'reconnecting') return `${reason} ${reconnectText(status, nowMs)}`;
  return reason || reconnectText(status, nowMs);
}

/** Why an action on rows of these boxes cannot run now, or null when it can. */
export function blockedReason(boxes: readonly { name: string; status: SeedboxStatus | null | undefined }[], nowMs: number): string | null {
  const down = boxes.filter(({ status }) => status?.state !== 'connected');
  if (down.length === 0) return null;
  const [first] = down;
  const what = down.length === 1 ? `${first!.name} is ${isStale(first!.status) ? offlineSinceText(first!.status, nowMs) : 'not connected yet'}` : `${down.map((box) => box.name).join(', ')} are not connected`;
  return `Not possible now: ${what}. Try again once it is back.`;
}
