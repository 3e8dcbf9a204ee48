// The CLI's human messages follow LC_ALL, LC_MESSAGES and LANG (in that order); nothing else does.
import { describe, expect, it } from 'vitest';
import { cliLanguage, cliLocale } from '../../../electron/cli/language';

describe("the CLI's language", () => {
  it.each([
    [{ LANG: 'de_DE.UTF-8' }, 'de'],
    [{ LANG: 'de_DE.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }, 'zh-CN'],
    [{ LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'de_DE', LC_ALL: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'zh_CN.UTF-8', LC_ALL: 'de_DE.UTF-8' }, 'de'],
    [{ LANG: 'de_DE.UTF-8', LC_ALL: '' }, 'de'],
    [{ LANG: 'fr_FR.UTF-8' }, 'en'],
    [{ LANG: 'zh_TW.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
  ] as const)('%j → %s', (env, locale) => {
    expect(cliLocale(env)).toBe(locale);
  });

  it('says its hints in that language', () => {
    expect(cliLanguage({ LANG: 'de_DE.UTF-8' }).t('cli.noPassword', { name: 'Box' })).toBe('Für „Box“ ist kein Passwort gespeichert: Geben Sie es mit --password-env VAR an.');
    expect(cliLanguage({}).t('cli.noPassword', { name: 'Box' })).toBe('No password is saved for "Box": give it with --password-env VAR.');
  });
});
