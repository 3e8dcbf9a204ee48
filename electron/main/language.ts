// Main's own language (tray, notifications, dialogs): the language preference, or the OS's.
import type { App } from 'electron';
import { createTranslator, DEFAULT_LOCALE, matchLocale, type Locale } from '../shared/i18n';

/**
 * The OS's preferred languages, best first. Linux may report none (no desktop setting):
 * Chromium's own locale, taken from LANG and friends, is the OS's word then.
 */
export function systemLanguages(app: Pick<App, 'getPreferredSystemLanguages' | 'getLocale'>): string[] {
  const preferred = app.getPreferredSystemLanguages();
  return preferred.length > 0 ? preferred : [app.getLocale()];
}

/**
 * The error box when the app cannot start, in the OS's language: the language preference is in
 * the settings that may be what failed. The error's own message follows as it is.
 */
export function startFailureBox(error: unknown, app: Pick<App, 'getPreferredSystemLanguages' | 'getLocale'>): { title: string; content: string } {
  let locale: Locale = DEFAULT_LOCALE;
  try {
    locale = matchLocale(systemLanguages(app));
  } catch {
    // The OS's languages could not be read: English, as the catalogue's fallback.
  }
  return { title: createTranslator(locale)('main.startFailed'), content: error instanceof Error ? error.message : String(error) };
}
