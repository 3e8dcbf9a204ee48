// Words, icons and advice the window shows for states and errors.
import type { SeedboxStatus } from '../../../electron/shared/contract';
import type { TorrentState } from '../../../electron/shared/model';
import type { IconName } from './icons';
import type { StateFilter } from './torrent-view';

export const STATE_LABELS: Record<TorrentState, string> = {
  downloading: 'Downloading',
  seeding: 'Seeding',
  paused: 'Paused',
  queued: 'Queued',
  checking: 'Checking',
  metadata: 'Metadata',
  error: 'Error',
};

export const STATE_ICONS: Record<TorrentState, IconName> = {
  downloading: 'down',
  seeding: 'up',
  paused: 'pause',
  queued: 'hourglass',
  checking: 'refresh',
  metadata: 'magnet',
  error: 'alert',
};

export const FILTER_LABELS: Record<StateFilter, string> = { ...STATE_LABELS, active: 'Active' };
export const FILTER_ICONS: Record<StateFilter, IconName> = { ...STATE_ICONS, active: 'activity' };

type ErrorCode = NonNullable<SeedboxStatus['error']>['code'];

/** What to do next when a box cannot connect, by error code. */
export function adviceFor(code: ErrorCode | undefined): string {
  switch (code) {
    case 'auth-failed':
      return 'Check the user name and password in this seedbox’s settings.';
    case 'forbidden':
      return 'The account may not do this: check its permissions on the seedbox.';
    case 'tls-untrusted':
      return 'The certificate is not trusted. Open the settings to check its fingerprint and trust it.';
    case 'tls-pin-mismatch':
      return 'The certificate changed since you trusted it. Make sure this is your server, then trust the new one in the settings.';
    case 'tls-failed':
      return 'The secure connection failed: check whether the address should use https.';
    case 'connection-refused':
      return 'Nothing answers at that address: is the daemon running and the port right?';
    case 'host-unreachable':
      return 'The host cannot be reached: check the address and your network connection.';
    case 'timeout':
      return 'The seedbox took too long to answer: it may be busy or the network slow.';
    case 'protocol':
      return 'Something answered, but not the expected client: check the address, port, path and client type.';
    default:
      return 'Check the seedbox settings, then retry.';
  }
}
