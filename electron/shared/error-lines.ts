// How an error from the core reads in the user's language, for the window and the CLI alike: its
// message stays the English one (it often quotes the daemon, and --json and logs carry it as is),
// after what its code means in the user's language; in English the message says it all.
import type { ErrorCode } from './errors';
import type { MessageKey, Translate } from './i18n';
import { DEFAULT_LOCALE, type Locale } from './i18n/locales';

const ERROR_TITLES: Record<ErrorCode, MessageKey> = {
  'invalid-argument': 'common.errorCodes.invalidArgument',
  'invalid-torrent': 'common.errorCodes.invalidTorrent',
  'connection-refused': 'common.errorCodes.connectionRefused',
  'connection-lost': 'common.errorCodes.connectionLost',
  'host-unreachable': 'common.errorCodes.hostUnreachable',
  timeout: 'common.errorCodes.timeout',
  protocol: 'common.errorCodes.protocol',
  'response-too-large': 'common.errorCodes.responseTooLarge',
  'auth-failed': 'common.errorCodes.authFailed',
  forbidden: 'common.errorCodes.forbidden',
  'tls-untrusted': 'common.errorCodes.tlsUntrusted',
  'tls-pin-mismatch': 'common.errorCodes.tlsPinMismatch',
  'tls-failed': 'common.errorCodes.tlsFailed',
  'not-found': 'common.errorCodes.notFound',
  'already-exists': 'common.errorCodes.alreadyExists',
  'rpc-fault': 'common.errorCodes.rpcFault',
  unsupported: 'common.errorCodes.unsupported',
  refused: 'common.errorCodes.refused',
  unavailable: 'common.errorCodes.unavailable',
  internal: 'common.errorCodes.internal',
};

/** `message` (an error's own, English) as a person in `locale` reads it. */
export function localizedErrorLine(code: ErrorCode, message: string, t: Translate, locale: Locale): string {
  const title = ERROR_TITLES[code];
  return locale === DEFAULT_LOCALE || title === undefined ? message : t('common.errorLine', { title: t(title), message });
}
