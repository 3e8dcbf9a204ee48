import type { Preferences } from '../shared/contract';
import type { Notice } from '../core/events';
import { describeRulesRun } from '../core/service/rules/summary';

// Native notifications come from the service's notices, not from the page, so they work with
// the window closed. The policy (which kinds, what text) is pure; showing one is thin.

export interface NotificationContent {
  title: string;
  body: string;
}

const PREFERENCE_OF: Record<Notice['kind'], keyof Preferences['notifications']> = {
  'download-finished': 'downloadFinished',
  'torrent-error': 'torrentError',
  'seedbox-lost': 'seedboxLost',
  'seedbox-back': 'seedboxBack',
  'fetch-finished': 'fetch',
  'fetch-failed': 'fetch',
  'rules-run': 'rulesRun',
};

/** What to show for a notice, or null when the user switched that kind off. */
export function noticeToNotification(notice: Notice, preferences: Pick<Preferences, 'notifications'> & Partial<Pick<Preferences, 'units'>>): NotificationContent | null {
  // === false: a kind added later is on until the user switches it off.
  if (preferences.notifications[PREFERENCE_OF[notice.kind]] === false) return null;
  switch (notice.kind) {
    case 'download-finished':
      return { title: 'Download finished', body: `${notice.torrentName}\non ${notice.seedboxName}` };
    case 'torrent-error':
      return { title: `Torrent error on ${notice.seedboxName}`, body: `${notice.torrentName}: ${notice.message}` };
    case 'seedbox-lost':
      return { title: `${notice.seedboxName} is unreachable`, body: notice.message };
    case 'seedbox-back':
      return { title: `${notice.seedboxName} is back`, body: 'The connection is restored.' };
    case 'fetch-finished':
      return { title: 'Fetched to this computer', body: `${notice.torrentName}\nfrom ${notice.seedboxName} to ${notice.destination}` };
    case 'fetch-failed':
      return { title: `Fetch from ${notice.seedboxName} failed`, body: `${notice.torrentName}: ${notice.message}` };
    case 'rules-run':
      return describeRulesRun(notice.summary, preferences.units);
  }
}

/** The torrent a click on this notice should show, if it is about one. */
export function noticeTarget(notice: Notice): { seedboxId: string; id: string } | null {
  return 'torrentId' in notice ? { seedboxId: notice.seedboxId, id: notice.torrentId } : null;
}

export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

/** Live notifications kept at most; a burst (a box with many finished torrents) cannot grow it. */
export const MAX_LIVE_NOTIFICATIONS = 20;

/**
 * Returns a function showing notices as native notifications; a click calls `onClick` with the
 * notice. Shown notifications are kept referenced until clicked, closed or failed (on some
 * platforms one that is garbage collected loses its click handler). But 'close' "is not
 * guaranteed to be emitted in all cases" (docs/api/notification.md), so at most
 * MAX_LIVE_NOTIFICATIONS are held: the oldest is let go (not closed: it stays on screen, only
 * its click may be lost) for a new one.
 */
export function createNotifier(options: {
  Notification: NotificationClass;
  preferences: () => Pick<Preferences, 'notifications'> & Partial<Pick<Preferences, 'units'>>;
  onClick: (notice: Notice) => void;
  maxLive?: number;
}): ((notice: Notice) => void) & { readonly held: number } {
  const maxLive = options.maxLive ?? MAX_LIVE_NOTIFICATIONS;
  // Insertion order: the first is the oldest.
  const live = new Set<NotificationLike>();
  const notify = (notice: Notice): void => {
    const content = noticeToNotification(notice, options.preferences());
    if (!content || !options.Notification.isSupported()) return;
    for (const oldest of live) {
      if (live.size < maxLive) break;
      live.delete(oldest);
    }
    const notification = new options.Notification(content);
    live.add(notification);
    notification.on('click', () => {
      live.delete(notification);
      options.onClick(notice);
    });
    notification.on('close', () => live.delete(notification));
    notification.on('failed', () => live.delete(notification));
    notification.show();
  };
  return Object.defineProperty(notify, 'held', { get: () => live.size }) as typeof notify & { readonly held: number };
}
