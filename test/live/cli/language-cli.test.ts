// The built `seedbox` command speaks the language LC_ALL, LC_MESSAGES or LANG names, on a real
// rtorrent: help, tables, summaries and error lines are translated, numbers and sizes are written
// the locale's way, and what scripts read (--json, exit statuses, error codes) does not change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';

const GERMAN = { LANG: 'de_DE.UTF-8' };
const CHINESE = { LANG: 'zh_CN.UTF-8' };
const LOCALES: Record<string, string>[] = [{}, GERMAN, CHINESE];

let rt: RtorrentInstance;
let config: string;
let id: string;

/** The command on this test's settings file, with no keychain and only the locale variables given. */
function seedbox(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runSeedbox(['--config', config, ...args], { env: { SEEDBOX_SECRET_STORE: 'memory', ...env } });
}

beforeAll(async () => {
  expectCliBuilt();
  rt = await startRtorrent();
  config = join(tempDir('language-cli'), 'seedbox-remote.json');
  const data = join(rt.dir, 'language-data');
  mkdirSync(data);
  const made = makeTorrent({ dataParent: data, name: 'Sprache 语言', files: [{ path: '', content: filler('l', 3000) }] });
  writeFileSync(join(data, 'one.torrent'), made.bytes);
  id = made.infoHash;
  expect(await runSeedbox(['--url', rt.url, 'add', join(data, 'one.torrent'), '--path', data, '--paused'])).toMatchObject({ code: 0, stdout: `${id}\n` });
});

afterAll(async () => {
  await rt?.stop();
});

describe('the seedbox command in German and Simplified Chinese', () => {
  it('prints its help in the language, with commands and options as they are typed', async () => {
    const english = await runSeedbox(['--help']);
    const german = await runSeedbox(['--help'], { env: GERMAN });
    const chinese = await runSeedbox(['--help'], { env: CHINESE });
    for (const run of [english, german, chinese]) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(english.stdout).toMatch(/^seedbox: remote control for BitTorrent daemons\n\nUsage: seedbox --client KIND/);
    expect(german.stdout).toMatch(/^seedbox: Fernsteuerung für BitTorrent-Daemons\n\nAufruf: seedbox --client KIND/);
    expect(german.stdout).toContain('\nBefehle:\n');
    expect(german.stdout).toMatch(/\n {2}list \[--json\] +alle Torrents\n/);
    expect(german.stdout).toContain('\nExit-Status: 0 ok, 2 Aufruf,');
    expect(chinese.stdout).toMatch(/^seedbox：BitTorrent 守护进程的远程控制\n\n用法： seedbox --client KIND/);
    expect(chinese.stdout).toMatch(/\n {2}list \[--json\] +所有种子\n/);
    expect(chinese.stdout).toContain('\n  rules preview [--seedbox N]... [--json]\n      每条已启用的规则现在会做什么');
    // The forms are the same words in every language: only what they do is translated.
    const forms = (help: string): string[] => [...help.matchAll(/^ {2}(\S+ [^\n]*?)(?: {2,}|\n {6})/gm)].map((match) => match[1]!.split(' ')[0]!);
    expect(forms(german.stdout)).toEqual(forms(english.stdout));
    expect(forms(chinese.stdout)).toEqual(forms(english.stdout));
  });

  it('LC_ALL wins over LC_MESSAGES and LANG; a language it does not speak falls back to English', async () => {
    const english = (await runSeedbox(['--help'])).stdout;
    const german = (await runSeedbox(['--help'], { env: GERMAN })).stdout;
    expect((await runSeedbox(['--help'], { env: { LANG: 'zh_CN.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8', LC_ALL: 'de_DE.UTF-8' } })).stdout).toBe(german);
    expect((await runSeedbox(['--help'], { env: { LANG: 'de_DE.UTF-8', LC_ALL: 'C' } })).stdout).toBe(english);
    expect(await runSeedbox(['--help'], { env: { LANG: 'fr_FR.UTF-8' } })).toEqual({ code: 0, stdout: english, stderr: '' });
    expect(await runSeedbox(['--help'], { env: { LC_ALL: 'tlh_KX.UTF-8', LANG: 'de_DE.UTF-8' } })).toEqual({ code: 0, stdout: english, stderr: '' });
  });

  it('lists torrents with translated column titles and sizes in the locale, and the same JSON in every locale', async () => {
    const german = await runSeedbox(['--url', rt.url, 'list'], { env: GERMAN });
    expect(german).toMatchObject({ code: 0, stderr: '' });
    expect(german.stdout.split('\n')[0]).toMatch(/^ID\s+ZUSTAND\s+FERTIG\s+GRÖSSE\s+RUNTER\s+HOCH\s+RATIO\s+LABELS\s+NAME$/);
    // 3000 bytes: a decimal comma in German.
    expect(german.stdout).toMatch(new RegExp(`^${id}\\s+paused\\s+0\\s?%\\s+2,93 KiB\\s.*Sprache 语言$`, 'm'));
    const chinese = await runSeedbox(['--url', rt.url, 'list'], { env: CHINESE });
    expect(chinese.stdout.split('\n')[0]).toMatch(/^ID\s+状态\s+完成\s+大小\s+下载\s+上传\s+分享率\s+标签\s+名称$/);
    expect(chinese.stdout).toContain('2.93 KiB');
    // A CJK character takes two columns on a terminal: the sizes start under their title.
    const [header, row] = chinese.stdout.split('\n');
    const column = (line: string, text: string): number => {
      const before = line.slice(0, line.indexOf(text));
      return [...before].length + (before.match(/[\u3000-\u9fff\uff00-\uff60]/g)?.length ?? 0);
    };
    expect(column(row!, '2.93 KiB')).toBe(column(header!, '大小'));
    expect(column(row!, 'Sprache')).toBe(column(header!, '名称'));

    const json = await Promise.all(LOCALES.map((env) => runSeedbox(['--url', rt.url, 'list', '--json'], { env })));
    for (const run of json) expect(run).toEqual({ ...json[0]!, code: 0, stderr: '' });
    expect(JSON.parse(json[0]!.stdout)).toHaveLength(1);

    const details = await runSeedbox(['--url', rt.url, 'info', id], { env: GERMAN });
    expect(details.stdout).toMatch(/^Fortschritt +0\s?% von 2,93 KiB$/m);
    expect(details.stdout).toContain('\nDateien (1):\n');
    const infoJson = await Promise.all(LOCALES.map((env) => runSeedbox(['--url', rt.url, 'info', id, '--json'], { env })));
    for (const run of infoJson) expect(run.stdout).toBe(infoJson[0]!.stdout);
  });

  it('says its summaries with the language’s plurals, and keeps --json the same', async () => {
    expect(await seedbox(['boxes', 'add', 'Heim', '--url', rt.url], GERMAN)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^„Heim“ hinzugefügt \(heim-[a-z0-9]{6}\)\.\n$/), stderr: '' });
    expect(await seedbox(['boxes', 'test', 'Heim'], GERMAN)).toEqual({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 Torrent\n', stderr: '' });
    expect(await seedbox(['boxes', 'test', 'Heim'], CHINESE)).toEqual({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 个种子\n', stderr: '' });
    expect(await seedbox(['boxes', 'test', 'Heim'])).toEqual({ code: 0, stdout: 'rtorrent 0.9.8 (xmlrpc), 1 torrent\n', stderr: '' });
    const magnet = 'magnet:?xt=urn:btih:ABCDEF0123456789ABCDEF0123456789ABCDEF01&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa';
    expect(await runSeedbox(['--url', rt.url, 'add', magnet, '--paused'])).toMatchObject({ code: 0 });
    expect((await seedbox(['boxes', 'test', 'Heim'], GERMAN)).stdout).toBe('rtorrent 0.9.8 (xmlrpc), 2 Torrents\n');
    expect((await seedbox(['boxes', 'test', 'Heim'], CHINESE)).stdout).toBe('rtorrent 0.9.8 (xmlrpc), 2 个种子\n');
    expect((await seedbox(['boxes', 'test', 'Heim'])).stdout).toBe('rtorrent 0.9.8 (xmlrpc), 2 torrents\n');

    const table = await seedbox(['boxes', 'list'], CHINESE);
    expect(table.stdout.split('\n')[0]).toMatch(/^名称\s+客户端\s+用户\s+密码\s+固定\s+路由\s+ID\s+网址$/);
    for (const args of [['boxes', 'list', '--json'], ['boxes', 'test', 'Heim', '--json']]) {
      const runs = await Promise.all(LOCALES.map((env) => seedbox(args, env)));
      for (const run of runs) expect(run, args.join(' ')).toEqual({ ...runs[0]!, code: 0, stderr: '' });
    }
  });

  it('prints an error with its meaning in the language, and the same code, status and --json in every locale', async () => {
    const missing = 'f'.repeat(40);
    const english = await runSeedbox(['--url', rt.url, 'info', missing]);
    const german = await runSeedbox(['--url', rt.url, 'info', missing], { env: GERMAN });
    const chinese = await runSeedbox(['--url', rt.url, 'info', missing], { env: CHINESE });
    expect(english.code).toBe(6);
    expect(german.code).toBe(6);
    expect(chinese.code).toBe(6);
    const message = english.stderr.replace(/^seedbox: /, '');
    expect(german.stderr).toBe(`seedbox: Nicht gefunden: ${message}`);
    expect(chinese.stderr).toBe(`seedbox: 未找到：${message}`);
    const json = await Promise.all(LOCALES.map((env) => runSeedbox(['--url', rt.url, 'info', missing, '--json'], { env })));
    for (const run of json) expect(run).toEqual({ ...json[0]!, code: 6 });
    expect(JSON.parse(json[0]!.stderr)).toMatchObject({ error: { code: 'not-found' } });
  });
});
