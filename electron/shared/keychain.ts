// Why there is no keychain this run, as a code with its values: main, the window and the CLI
// each say it in their person's language (the catalogue's common.keychain), and the code itself
// stays locale-free on the wire and in logs' callers.
import { z } from 'zod';
import type { Locale, MessageKey, Translate } from './i18n';

export const KEYCHAIN_UNAVAILABLE_CODES = [
  /** SEEDBOX_SECRET_STORE=memory: switched off on purpose (tests, headless runs). */
  'switched-off',
  /** The native keychain module is not there. */
  'not-installed',
  /** The native keychain module is there but could not be loaded. */
  'not-loaded',
  /** The probe's process could not be started. */
  'not-checked',
  /** The probe's process ended without an answer. */
  'check-stopped',
  /** The probe did not answer within `seconds`. */
  'timeout',
  /** No keychain service (macOS, Windows). */
  'absent',
  /** No Secret Service on this Linux session. */
  'absent-linux',
  /** The keychain is locked and the unlock was refused. */
  'locked',
  /** Any other failure; `detail` is the OS's own message (not translated: it is the OS's). */
  'failed',
  /** A reason given in words by the caller (a test, a command-line switch); `detail` is it. */
  'given',
] as const;

export const keychainUnavailableSchema = z.object({
  code: z.enum(KEYCHAIN_UNAVAILABLE_CODES),
  seconds: z.number().nonnegative().optional(),
  detail: z.string().max(2000).optional(),
});
export type KeychainUnavailable = z.infer<typeof keychainUnavailableSchema>;

const WHY: Record<Exclude<KeychainUnavailable['code'], 'given'>, MessageKey> = {
  'switched-off': 'common.keychain.switchedOff',
  'not-installed': 'common.keychain.notInstalled',
  'not-loaded': 'common.keychain.notLoaded',
  'not-checked': 'common.keychain.notChecked',
  'check-stopped': 'common.keychain.checkStopped',
  timeout: 'common.keychain.timeout',
  absent: 'common.keychain.absent',
  'absent-linux': 'common.keychain.absentLinux',
  locked: 'common.keychain.locked',
  failed: 'common.keychain.failed',
};

/** Why there is no keychain, and what that means for passwords, in the translator's language. */
export function keychainUnavailableText(reason: KeychainUnavailable, t: Translate, locale: Locale): string {
  if (reason.code === 'given') return reason.detail ?? '';
  const seconds = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(reason.seconds ?? 0);
  const why = t(WHY[reason.code], { seconds, detail: reason.detail ?? '' });
  // Switched off on purpose: the sentence says itself what happens to passwords.
  if (reason.code === 'switched-off') return why;
  return t('common.keychain.sentence', { why, consequence: t('common.keychain.memoryOnly') });
}
