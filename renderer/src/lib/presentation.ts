// Words, icons and advice the window shows for states and errors.
import type { SeedboxStatus } from '../../../electron/shared/contract';
import type { Torrent, TorrentState } from '../../../electron/shared/model';
import { i18n, translated } from '../i18n';
import type { IconName } from './icons';
import type { StateFilter } from './torrent-view';

/** Each state's word in the current language (read afresh on each access). */
export const STATE_LABELS = translated<TorrentState>({
  downloading: 'common.state.downloading',
  seeding: 'common.state.seeding',
  paused: 'common.state.paused',
  queued: 'common.state.queued',
  checking: 'common.state.checking',
  metadata: 'common.state.metadata',
  error: 'common.state.error',
});

export const STATE_ICONS: Record<TorrentState, IconName> = {
  downloading: 'down',
  seeding: 'up',
  paused: 'pause',
  queued: 'hourglass',
  checking: 'refresh',
  metadata: 'magnet',
  error: 'alert',
};

export const FILTER_LABELS = translated<StateFilter>({
  downloading: 'common.state.downloading',
  seeding: 'common.state.seeding',
  paused: 'common.state.paused',
  queued: 'common.state.queued',
  checking: 'common.state.checking',
  error: 'common.state.error',
  active: 'common.state.active',
  'tracker-error': 'common.state.trackerError',
});
export const FILTER_ICONS: Record<StateFilter, IconName> = { ...STATE_ICONS, active: 'activity', 'tracker-error': 'alert' };

/** The row's tracker indicator: shown for a tracker that warns, fails or no longer knows the torrent. */
export function trackerIndicator(torrent: Pick<Torrent, 'trackerStatus' | 'trackerMessage'>): { tone: 'warning' | 'error'; text: string } | null {
  const { t } = i18n.global;
  const message = torrent.trackerMessage;
  switch (torrent.trackerStatus) {
    case 'unregistered':
      return { tone: 'error', text: message === '' ? t('table.trackerUnregistered') : t('table.trackerUnregisteredWith', { message }) };
    case 'error':
      return { tone: 'error', text: message === '' ? t('table.trackerError') : t('table.trackerErrorWith', { message }) };
    case 'warning':
      return { tone: 'warning', text: message === '' ? t('table.trackerWarning') : t('table.trackerWarningWith', { message }) };
    default:
      return null;
  }
}

type ErrorCode = NonNullable<SeedboxStatus['error']>['code'];

/** What to do next when a box cannot connect, by error code. */
export function adviceFor(code: ErrorCode | undefined): string {
  const { t } = i18n.global;
  switch (code) {
    case 'auth-failed':
      return t('app.advice.authFailed');
    case 'forbidden':
      return t('app.advice.forbidden');
    case 'tls-untrusted':
      return t('app.advice.tlsUntrusted');
    case 'tls-pin-mismatch':
      return t('app.advice.tlsPinMismatch');
    case 'tls-failed':
      return t('app.advice.tlsFailed');
    case 'connection-refused':
      return t('app.advice.connectionRefused');
    case 'host-unreachable':
      return t('app.advice.hostUnreachable');
    case 'timeout':
      return t('app.advice.timeout');
    case 'protocol':
      return t('app.advice.protocol');
    default:
      return t('app.advice.other');
  }
}
