// The CLI's language for its human messages, from the POSIX locale variables: LC_ALL overrides
// LC_MESSAGES, which overrides LANG (an empty one counts as unset). --json output and error
// codes never depend on it.
import { createTranslator, matchLocale, type Locale, type Translate } from '../shared/i18n';

export function cliLocale(env: Record<string, string | undefined>): Locale {
  const chosen = [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((value) => value !== undefined && value !== '');
  return matchLocale(chosen === undefined ? [] : [chosen]);
}

export function cliTranslator(env: Record<string, string | undefined>): Translate {
  return createTranslator(cliLocale(env));
}
