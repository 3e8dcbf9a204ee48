import type { Preferences } from '../shared/contract';
import type { Notice } from '../core/service/types';

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
};

/** What to show for a notice, or null when the user switched that kind off. */
export function noticeToNotification(notice: Notice, preferences: Pick<Preferences, 'notifications'>): NotificationContent | null {
  if (!preferences.notifications[PREFERENCE_OF[notice.kind]]) return null;
  switch (notice.kind) {
    case 'download-finished':
      return { title: 'Download finished', body: `${notice.torrentName}\non ${notice.seedboxName}` };
    case 'torrent-error':
      return { title: `Torrent error on ${notice.seedboxName}`, body: `${notice.torrentName}: ${notice.message}` };
    case 'seedbox-lost':
      return { title: `${notice.seedboxName} is unreachable`, body: notice.message };
    case 'seedbox-back':
      return { title: `${notice.seedboxName} is back`, body: 'The connection is restored.' };
  }
}

/** The torrent a click on this notice should show, if it is about one. */
export function noticeTarget(notice: Notice): { seedboxId: string; id: string } | null {
  return 'torrentId' in notice ? { seedboxId: notice.seedboxId, id: notice.torrentId } : null;
}

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  show(): void;
}

export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

/**
 * Returns a function showing notices as native notifications; a click calls `onClick` with the
 * notice. Shown notifications are kept referenced until closed: on some platforms one that is
 * garbage collected loses its click handler.
 */
export function createNotifier(options: {
  Notification: NotificationClass;
  preferences: () => Pick<Preferences, 'notifications'>;
  onClick: (notice: Notice) => void;
}): (notice: Notice) => void {
  const shown = new Set<NotificationLike>();
  return (notice) => {
    const content = noticeToNotification(notice, options.preferences());
    if (!content || !options.Notification.isSupported()) return;
    const notification = new options.Notification(content);
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      options.onClick(notice);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
}
