// What the window says about a box's connection, from its status event alone: one wording and
// one countdown (from nextAttemptAt and the shared clock) for the banner, the sidebar, the
// details and the rows, so no two places can disagree.
import type { SeedboxStatus } from '../../../electron/shared/contract';
import { currentLocale, i18n } from '../i18n';
import { formatDate, formatTime, secondsUntil } from './time';

/** The one label of the retry buttons. */
export function retryLabel(): string {
  return i18n.global.t('app.retryNow');
}

/** Rows of a box in these states show last known values: nothing refreshes them. */
export function isStale(status: SeedboxStatus | null | undefined): boolean {
  return status != null && status.state !== 'connected' && status.state !== 'connecting';
}

/** "Reconnecting in 12s", "Reconnecting…", "Not connected.": the countdown every view shows. */
export function reconnectText(status: SeedboxStatus | null | undefined, nowMs: number): string {
  const { t } = i18n.global;
  if (status?.state === 'reconnecting') {
    if (status.nextAttemptAt == null) return t('app.reconnecting');
    const seconds = secondsUntil(status.nextAttemptAt, nowMs);
    return seconds > 0 ? t('app.reconnectingIn', { seconds }) : t('app.reconnecting');
  }
  if (status?.state === 'disconnected') return t('app.disconnected');
  if (status?.state === 'failed') return t('app.notConnectedState');
  return t('app.connecting');
}

/** "offline since 14:03" (the time of day; the date too when it was not today). */
export function offlineSinceText(status: SeedboxStatus | null | undefined, nowMs: number): string {
  const { t } = i18n.global;
  if (status?.offlineSince == null) return t('app.offline');
  const locale = currentLocale();
  const today = new Date(nowMs).toDateString() === new Date(status.offlineSince).toDateString();
  const time = formatTime(status.offlineSince, locale);
  return t('app.offlineSince', { since: today ? time : `${formatDate(status.offlineSince, locale)} ${time}` });
}

/** The banner's and the failed state's line: why, then what happens next. */
export function statusLine(status: SeedboxStatus | null | undefined, nowMs: number): string {
  const reason = status?.error?.message ?? (status?.state === 'reconnecting' ? i18n.global.t('app.connectionLost') : '');
  if (status?.state === 'reconnecting') return `${reason} ${reconnectText(status, nowMs)}`;
  return reason || reconnectText(status, nowMs);
}

/** Why an action on rows of these boxes cannot run now, or null when it can. */
export function blockedReason(boxes: readonly { name: string; status: SeedboxStatus | null | undefined }[], nowMs: number): string | null {
  const down = boxes.filter(({ status }) => status?.state !== 'connected');
  if (down.length === 0) return null;
  const [first] = down;
  const { t } = i18n.global;
  const what =
    down.length === 1
      ? t('app.boxIs', { name: first!.name, state: isStale(first!.status) ? offlineSinceText(first!.status, nowMs) : t('app.notConnectedYet') })
      : t('app.boxesNotConnected', { names: down.map((box) => box.name).join(', ') });
  return t('app.notPossibleNow', { what });
}
