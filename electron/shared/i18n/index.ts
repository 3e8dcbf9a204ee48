// The message catalogue: one for the window, main's own texts (tray, notifications, dialogs) and
// the CLI's human messages. Pure data and pure functions, so every layer can import it.
//
// How to add a message:
// 1. Pick the area file it belongs to: locales/<locale>/<area>.json (the area is the key's first
//    part: 'toolbar.start' lives in toolbar.json as { "start": "Start" }). Add it to en first,
//    then to every other locale (test/unit/shared/i18n.test.ts fails on a key missing in one
//    locale, on a key no source file names, and on a name used in the source that no locale has).
// 2. Name the key literally where it is used: t('toolbar.start'), never a key built from pieces
//    (the test finds uses by their literal text); map states to keys with a Record instead.
// 3. The syntax is vue-i18n's message format: {name} for a named value, and plurals as choices
//    separated by '|': "{n} torrent | {n} torrents" with t(key, count) (or t(key, { n }, count)).
//    A locale with one form (zh-CN) writes one choice. The characters { } @ $ | are syntax: write
//    them as {'{'} {'@'} and so on. Numbers, sizes, speeds and dates are not formatted in a
//    message: pass them formatted (electron/shared/format.ts, the renderer's useFormat()).
//
// How to add a locale: copy locales/en to locales/<tag> (a BCP 47 tag), translate every file, add
// the tag to SUPPORTED_LOCALES with its own name in LOCALE_NAMES and its catalogue to CATALOGUES.
import {
  compile,
  createCoreContext,
  fallbackWithLocaleChain,
  registerLocaleFallbacker,
  registerMessageCompiler,
  registerMessageResolver,
  resolveValue,
  translate,
} from '@intlify/core-base';
import de from './locales/de/index';
import en from './locales/en/index';
import zhCN from './locales/zh-CN/index';
import { DEFAULT_LOCALE, type Locale } from './locales';

export { DEFAULT_LOCALE, isLocale, LOCALE_NAMES, matchLocale, SUPPORTED_LOCALES, type Locale } from './locales';

/** The English catalogue's shape; every other locale has the same keys. */
export type MessageSchema = typeof en;
export const CATALOGUES: Record<Locale, MessageSchema> = { en, de: de as MessageSchema, 'zh-CN': zhCN as MessageSchema };

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
/** Every message key, 'area.key' (or deeper). */
export type MessageKey = Leaves<MessageSchema>;

// core-base is vue-i18n's engine without Vue: main and the CLI read the same messages with the
// same syntax as the window. It needs its compiler, resolver and fallback registered once.
registerMessageCompiler(compile);
registerMessageResolver(resolveValue);
registerLocaleFallbacker(fallbackWithLocaleChain);

export type Translate = (key: MessageKey, named?: Record<string, unknown>, plural?: number) => string;

/** t(key, named, count) for main and the CLI; the renderer uses vue-i18n's useI18n(). */
export function createTranslator(locale: Locale): Translate {
  const context = createCoreContext({
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: CATALOGUES,
    missingWarn: false,
    fallbackWarn: false,
  });
  return (key, named = {}, plural) => {
    const text = plural === undefined ? translate(context, key, named) : translate(context, key, plural, { named });
    // A key no locale has is a bug the catalogue test catches; show the key rather than nothing.
    return typeof text === 'string' ? text : key;
  };
}
