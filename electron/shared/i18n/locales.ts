// The languages the app speaks and how a person's preferred languages choose one. Apart from
// the catalogue, so the IPC contract can name the locales without loading any message.

export const SUPPORTED_LOCALES = ['en', 'de', 'zh-CN'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language by its own name, for the language setting. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', 'zh-CN': '简体中文' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported locale among a person's preferred languages, best first: BCP 47 tags from
 * the OS or browser ("de-AT", "zh-Hans-CN") or POSIX names from LANG ("de_DE.UTF-8"). Chinese in
 * traditional script (zh-TW, zh-HK, zh-Hant) is not matched to Simplified Chinese. English when
 * none matches.
 */
export function matchLocale(preferred: readonly string[]): Locale {
  for (const raw of preferred) {
    // POSIX: language[_territory][.codeset][@modifier]; "C" and "POSIX" name no language.
    const tag = raw.replace(/[.@].*$/, '').replace(/_/g, '-').toLowerCase();
    const [language, ...rest] = tag.split('-');
    if (language === 'en') return 'en';
    if (language === 'de') return 'de';
    if (language === 'zh' && !rest.some((part) => ['hant', 'tw', 'hk', 'mo'].includes(part))) return 'zh-CN';
  }
  return DEFAULT_LOCALE;
}
