// vue-i18n for the window (Composition API): the catalogue is electron/shared/i18n, shared with
// main and the CLI. Components call useI18n() and t('area.key'); the locale is set from the
// language preference (stores/settings.ts), which follows the OS unless the person chose one.
import { createI18n } from 'vue-i18n';
import { CATALOGUES, DEFAULT_LOCALE, type Locale, type MessageKey, type MessageSchema, type Translate } from '../../electron/shared/i18n';
import type { ErrorCode } from '../../electron/shared/errors';
import { localizedErrorLine } from '../../electron/shared/error-lines';
import { keychainUnavailableText, type KeychainUnavailable } from '../../electron/shared/keychain';
import { shortcutLabel, type KeyNames } from './lib/shortcuts';

// t('area.key') is type-checked against the English catalogue.
declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface DefineLocaleMessage extends MessageSchema {}
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: CATALOGUES,
  // Every key exists in every locale (test/unit/shared/i18n.test.ts); no console noise for tests.
  missingWarn: false,
  fallbackWarn: false,
});

/** Switches the window's language: messages, Intl formatting and the page's lang attribute. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** The current locale, for formatting outside components. */
export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

/**
 * A table of keys read as texts in the current language: `LABELS[state]` is translated at each
 * read, so templates and computeds that read it follow a change of language like t() does.
 */
export function translated<K extends string>(keys: Readonly<Record<K, MessageKey>>): Readonly<Record<K, string>> {
  const texts = {} as Record<K, string>;
  for (const key of Object.keys(keys) as K[]) {
    Object.defineProperty(texts, key, { enumerable: true, get: () => i18n.global.t(keys[key]) });
  }
  return texts;
}

/** The names of keys without a symbol, in the current language (read at each use, like translated()). */
const KEY_NAMES: KeyNames = translated({
  ctrl: 'common.keys.ctrl',
  shift: 'common.keys.shift',
  alt: 'common.keys.alt',
  del: 'common.keys.del',
  backspace: 'common.keys.backspace',
  space: 'common.keys.space',
});

/** A shortcut ("Shift+Del") as this OS writes it in the current language ("Umschalt+Entf", "⇧⌦"). */
export function localShortcut(written: string): string {
  return shortcutLabel(written, KEY_NAMES);
}

/** The window's t() in the shape the shared helpers take. */
const translate: Translate = (key, named = {}, plural) => (plural === undefined ? i18n.global.t(key, named) : i18n.global.t(key, named, plural));

/** Why there is no keychain this run (the core's code), said in the current language. */
export function keychainNote(reason: KeychainUnavailable): string {
  return keychainUnavailableText(reason, translate, currentLocale());
}

/** A core error's message (English, often quoting the daemon) after what its code means in the current language. */
export function errorLine(code: ErrorCode, message: string): string {
  return localizedErrorLine(code, message, translate, currentLocale());
}
