// Main's own language (tray, notifications, dialogs): the language preference, or the OS's.
import type { App } from 'electron';

/**
 * The OS's preferred languages, best first. Linux may report none (no desktop setting):
 * Chromium's own locale, taken from LANG and friends, is the OS's word then.
 */
export function systemLanguages(app: Pick<App, 'getPreferredSystemLanguages' | 'getLocale'>): string[] {
  const preferred = app.getPreferredSystemLanguages();
  return preferred.length > 0 ? preferred : [app.getLocale()];
}
