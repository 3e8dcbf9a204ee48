// The CLI's language for its human messages, from the POSIX locale variables: LC_ALL overrides
// LC_MESSAGES, which overrides LANG (an empty one counts as unset). --json output, error codes
// and exit statuses never depend on it.
import { createTranslator, matchLocale, type Locale, type Translate } from '../shared/i18n';

/** What human output needs to speak the user's language: the catalogue's t() and the locale for numbers. */
export interface CliLanguage {
  locale: Locale;
  t: Translate;
}

export function cliLocale(env: Record<string, string | undefined>): Locale {
  const chosen = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((value) => value !== undefined && value !== '');
  return matchLocale(chosen === undefined ? [] : [chosen]);
}

export function cliLanguage(env: Record<string, string | undefined>): CliLanguage {
  const locale = cliLocale(env);
  return { locale, t: createTranslator(locale) };
}

/** A table's column titles from the catalogue, in capitals as terminal tables have them. */
export function columnTitles(language: CliLanguage, titles: string[]): string[] {
  return titles.map((title) => title.toLocaleUpperCase(language.locale));
}
