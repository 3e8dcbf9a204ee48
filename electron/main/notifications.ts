import type { Preferences } from '../shared/contract';
import type { Notice } from '../core/events';
import { describeRulesRun } from '../core/service/rules/summary';
import { createTranslator, DEFAULT_LOCALE, type Locale } from '../shared/i18n';

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
export function noticeToNotification(
  notice: Notice,
  preferences: Pick<Preferences, 'notifications'> & Partial<Pick<Preferences, 'units'>>,
  locale: Locale = DEFAULT_LOCALE,
): NotificationContent | null {
  // === false: a kind added later is on until the user switches it off.
  if (preferences.notifications[PREFERENCE_OF[notice.kind]] === false) return null;
  const t = createTranslator(locale);
  const named = 'seedboxName' in notice ? { box: notice.seedboxName } : {};
  switch (notice.kind) {
    case 'download-finished':
      return { title: t('main.notice.downloadFinished'), body: `${notice.torrentName}\n${t('main.notice.onBox', named)}` };
    case 'torrent-error':
      return { title: t('main.notice.torrentError', named), body: `${notice.torrentName}: ${notice.message}` };
    case 'seedbox-lost':
      return { title: t('main.notice.seedboxLost', named), body: notice.message };
    case 'seedbox-back':
      return { title: t('main.notice.seedboxBack', named), body: t('main.notice.seedboxBackBody') };
    case 'fetch-finished':
      return { title: t('main.notice.fetchFinished'), body: `${notice.torrentName}\n${t('main.notice.fetchedFromTo', { ...named, destination: notice.destination })}` };
    case 'fetch-failed':
      return { title: t('main.notice.fetchFailed', named), body: `${notice.torrentName}: ${notice.message}` };
    case 'rules-run':
      return describeRulesRun(notice.summary, preferences.units, locale);
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
  /** Main's language at the moment of the notice. */
  locale?: () => Locale;
  onClick: (notice: Notice) => void;
  maxLive?: number;
}): ((notice: Notice) => void) & { readonly held: number } {
  const maxLive = options.maxLive ?? MAX_LIVE_NOTIFICATIONS;
  // Insertion order: the first is the oldest.
  const live = new Set<NotificationLike>();
  const notify = (notice: Notice): void => {
    const content = noticeToNotification(notice, options.preferences(), options.locale?.() ?? DEFAULT_LOCALE);
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
