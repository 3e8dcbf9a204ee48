// The CLI's human messages follow LC_ALL, LC_MESSAGES and LANG (in that order); nothing else does.
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes';
import { cliLanguage, cliLocale } from '../../../electron/cli/language';
import { progressLine } from '../../../electron/cli/fetch';
import { cliOut, runCli } from '../../../electron/cli/run';

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

describe("the CLI's mistakes in the user's language", () => {
  async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env });
    return { code, stdout, stderr };
  }

  it('says a usage error in German or Chinese, and the same English --json with the same status in every locale', async () => {
    expect(await run(['info'])).toEqual({ code: EXIT.usage, stdout: '', stderr: 'seedbox: "info" takes exactly one torrent id. Usage: seedbox info ID [--json]\n' });
    expect(await run(['info'], { LANG: 'de_DE.UTF-8' })).toEqual({ code: EXIT.usage, stdout: '', stderr: 'seedbox: „info“ nimmt genau eine Torrent-ID. Aufruf: seedbox info ID [--json]\n' });
    expect(await run(['frobnicate'], { LANG: 'zh_CN.UTF-8' })).toEqual({ code: EXIT.usage, stdout: '', stderr: 'seedbox: 未知命令“frobnicate”。运行“seedbox --help”查看列表。\n' });
    const locales: Record<string, string>[] = [{}, { LANG: 'de_DE.UTF-8' }, { LC_ALL: 'zh_CN.UTF-8' }];
    const json = await Promise.all(locales.map((env) => run(['info', '--json'], env)));
    for (const result of json) expect(result).toEqual(json[0]);
    expect(JSON.parse(json[0]!.stderr)).toEqual({ error: { code: 'invalid-argument', message: '"info" takes exactly one torrent id. Usage: seedbox info ID [--json]', details: {} } });
  });
});

describe("the CLI's questions", () => {
  /** The answers typed, in turn; the prompts shown are collected. */
  function terminal(env: Record<string, string>, answers: string[]): { confirm: (question: string) => Promise<boolean>; prompts: string[] } {
    const prompts: string[] = [];
    const out = cliOut({ stdout: () => undefined, stderr: () => undefined, env, ask: async (prompt) => (prompts.push(prompt), answers.shift() ?? '') });
    return { confirm: out.confirm!, prompts };
  }

  it('asks in the language and takes its yes (and the English one); anything else, or nothing, is no', async () => {
    const german = terminal({ LANG: 'de_DE.UTF-8' }, ['j', ' Ja ', 'y', 'n', '', 'nein']);
    const answers = [];
    for (let turn = 0; turn < 6; turn++) answers.push(await german.confirm('„Stop“ live schalten?'));
    expect(answers).toEqual([true, true, true, false, false, false]);
    expect(german.prompts[0]).toBe('„Stop“ live schalten? [j/N] ');
    const chinese = terminal({ LANG: 'zh_CN.UTF-8' }, ['是', 'yes', '否']);
    expect([await chinese.confirm('切换？'), await chinese.confirm('切换？'), await chinese.confirm('切换？')]).toEqual([true, true, false]);
    const english = terminal({}, ['j', 'yes']);
    expect([await english.confirm('Switch?'), await english.confirm('Switch?')]).toEqual([false, true]);
    expect(english.prompts[0]).toBe('Switch? [y/N] ');
  });

  it('has nobody to ask without a terminal', () => {
    expect(cliOut({ stdout: () => undefined, stderr: () => undefined, env: { LANG: 'de_DE.UTF-8' } }).confirm).toBeUndefined();
  });
});

describe("a fetch's progress line", () => {
  it('is said and numbered in the language', () => {
    const progress = { doneBytes: 1.5 * 1024 ** 2, totalBytes: 3 * 1024 ** 2, bytesPerSecond: 1024 ** 2, etaSeconds: 65 };
    expect(progressLine('Show', progress, cliLanguage({}))).toBe('Show  50.0%  1.50 MiB of 3.00 MiB  1.00 MiB/s  ETA 1m 5s');
    expect(progressLine('Show', progress, cliLanguage({ LANG: 'de_DE.UTF-8' }))).toMatch(/^Show {2}50,0\s% {2}1,50 MiB von 3,00 MiB {2}1,00 MiB\/s {2}Restzeit 1\sMin\.?,? 5\sSek\.?$/);
    expect(progressLine('Show', { ...progress, etaSeconds: null }, cliLanguage({ LANG: 'zh_CN.UTF-8' }))).toBe('Show  50.0%  1.50 MiB / 3.00 MiB  1.00 MiB/s');
  });
});
