// The catalogue is complete: every locale has exactly the English keys with the same named
// values, every message compiles, every key is used somewhere in the sources, and every key the
// sources name exists. Adding a string to one locale only, or leaving one behind, fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { baseCompile } from '@intlify/message-compiler';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, createTranslator, matchLocale, SUPPORTED_LOCALES } from '../../../electron/shared/i18n';

const root = join(import.meta.dirname, '../../..');
const catalogueDir = join(root, 'electron/shared/i18n');

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value as object, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

/** The named values a message uses ({name}), for comparing translations with English. */
function placeholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*\}/g)].map((m) => m[1]!))].sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === catalogueDir) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

const english = flatten(CATALOGUES.en);
const sources = [...sourceFiles(join(root, 'renderer/src')), ...sourceFiles(join(root, 'electron'))].map((path) => ({
  path: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

describe('the message catalogue', () => {
  it.each(SUPPORTED_LOCALES.filter((locale) => locale !== 'en'))('%s has exactly the English keys and named values', (locale) => {
    const translated = flatten(CATALOGUES[locale]);
    expect([...translated.keys()].filter((key) => !english.has(key)), 'keys English does not have').toEqual([]);
    expect([...english.keys()].filter((key) => !translated.has(key)), 'keys missing').toEqual([]);
    for (const [key, message] of english) {
      expect(placeholders(translated.get(key)!), `${locale} ${key}`).toEqual(placeholders(message));
      expect(translated.get(key)!.trim(), `${locale} ${key} is empty`).not.toBe('');
    }
  });

  it.each(SUPPORTED_LOCALES)('every %s message compiles', (locale) => {
    for (const [key, message] of flatten(CATALOGUES[locale])) {
      const errors: string[] = [];
      baseCompile(message, { onError: (error) => errors.push(error.message) });
      expect(errors, `${locale} ${key}: ${message}`).toEqual([]);
    }
  });

  it('every key is used in the sources, named literally', () => {
    const unused = [...english.keys()].filter((key) => !sources.some(({ text }) => text.includes(`'${key}'`) || text.includes(`"${key}"`)));
    expect(unused).toEqual([]);
  });

  it('every key the sources name exists', () => {
    // t('area.key'), $t("area.key"), keypath="area.key" and keys in MessageKey-typed tables.
    const areas = Object.keys(CATALOGUES.en).join('|');
    const named = new RegExp(String.raw`(?:\bt\(\s*|keypath=)['"]((?:${areas})\.[\w.-]+)['"]`, 'g');
    const missing = sources.flatMap(({ path, text }) =>
      [...text.matchAll(named)].map((m) => m[1]!).filter((key) => !english.has(key)).map((key) => `${path}: ${key}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('matchLocale', () => {
  it.each([
    [['de-AT', 'en-US'], 'de'],
    [['fr-FR', 'zh-Hans-CN'], 'zh-CN'],
    [['zh-TW', 'de'], 'de'],
    [['de_DE.UTF-8'], 'de'],
    [['zh_CN.UTF-8'], 'zh-CN'],
    [['C'], 'en'],
    [['fr'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (preferred, locale) => {
    expect(matchLocale(preferred)).toBe(locale);
  });
});

describe('createTranslator (main and the CLI)', () => {
  it('reads the same catalogue as the window', () => {
    expect(createTranslator('de')('common.justNow')).toBe('gerade eben');
    expect(createTranslator('en')('common.justNow')).toBe('just now');
  });
});
