import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { freePort, tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';

let rt: RtorrentInstance;
let tr: TransmissionInstance;
let config: string;
let data: string;
const made: Record<string, MadeTorrent> = {};

/** The command on this test's settings file; no keychain (the boxes need no password). */
function seedbox(args: string[]): Promise<CliRun> {
  return runSeedbox(['--config', config, ...args], { env: { SEEDBOX_SECRET_STORE: 'memory' } });
}

async function addTorrent(box: string[], key: string, name: string, size: number, labels: string[]): Promise<void> {
  made[key] = makeTorrent({ dataParent: data, name, files: [{ path: '', content: filler(key, size) }] });
  const file = join(data, `${key}.torrent`);
  writeFileSync(file, made[key].bytes);
  const run = await seedbox([...box, 'add', file, '--path', data, '--paused', ...labels.flatMap((label) => ['--label', label])]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
}

beforeAll(async () => {
  expectCliBuilt();
  [rt, tr] = await Promise.all([startRtorrent(), startTransmission({ authentication: false })]);
  const dir = tempDir('rules-cli');
  config = join(dir, 'seedbox-remote.json');
  data = join(dir, 'data');
  mkdirSync(data);
  expect((await seedbox(['boxes', 'add', 'RT', '--url', rt.url])).code).toBe(0);
  expect((await seedbox(['boxes', 'add', 'TR', '--client', 'transmission', '--url', tr.url])).code).toBe(0);
  // Small tv torrents match the checks below; a large one, another label or none do not.
  await addTorrent(['--seedbox', 'RT'], 'rtSmallTv', 'rt small tv', 3000, ['tv']);
  await addTorrent(['--seedbox', 'RT'], 'rtBigTv', 'rt big tv', 40_000, ['tv']);
  await addTorrent(['--seedbox', 'RT'], 'rtSmallMovie', 'rt small movie', 3000, ['movies']);
  await addTorrent(['--seedbox', 'RT'], 'rtSmallNone', 'rt small unlabelled', 3000, []);
  await addTorrent(['--seedbox', 'TR'], 'trSmallTv', 'tr small tv', 2000, ['tv']);
  await addTorrent(['--seedbox', 'TR'], 'trBigMovie', 'tr big movie', 50_000, ['movies']);
});

afterAll(async () => {
  await Promise.all([rt?.stop(), tr?.stop()]);
});

interface CheckJson {
  matches: { seedbox: string | null; id: string; name: string; values: { field: string; valueText: string; text: string }[] }[];
  failures: { seedbox: string; error: { code: string; message: string } }[];
}

describe('seedbox rules check against rtorrent and transmission', () => {
  const expression = 'label == "tv" and size < 10KiB';

  it('lists the matching torrents of every saved box with the values that made them match', async () => {
    const run = await seedbox(['rules', 'check', expression, '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(run.stdout) as CheckJson;
    expect(result.failures).toEqual([]);
    expect(result.matches.map((match) => [match.seedbox, match.id, match.name]).sort()).toEqual(
      [
        ['RT', made['rtSmallTv']!.infoHash, 'rt small tv'],
        ['TR', made['trSmallTv']!.infoHash, 'tr small tv'],
      ].sort(),
    );
    const rtMatch = result.matches.find((match) => match.seedbox === 'RT')!;
    expect(rtMatch.values.map((value) => value.text)).toEqual(['label = tv', 'size = 2.93 KiB < 10KiB']);

    const table = await seedbox(['rules', 'check', expression]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEEDBOX\s+ID\s+NAME\s+BECAUSE$/);
    expect(lines).toHaveLength(3);
    expect(table.stdout).toContain(`${made['trSmallTv']!.infoHash}  tr small tv  label = tv; size = 1.95 KiB < 10KiB`);
  });

  it('checks only the boxes named, and says when nothing matches', async () => {
    const onlyTr = JSON.parse((await seedbox(['rules', 'check', expression, '--seedbox', 'TR', '--json'])).stdout) as CheckJson;
    expect(onlyTr.matches.map((match) => match.name)).toEqual(['tr small tv']);
    const none = await seedbox(['rules', 'check', 'label == "tv" and size > 1GiB']);
    expect(none).toMatchObject({ code: 0, stdout: 'No torrent matches.\n', stderr: '' });
  });

  it('checks a daemon given by --url as well', async () => {
    const run = await runSeedbox(['--url', rt.url, 'rules', 'check', 'label in ["movies"] or label !~ "*"', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const names = (JSON.parse(run.stdout) as CheckJson).matches.map((match) => match.name).sort();
    expect(names).toEqual(['rt small movie', 'rt small unlabelled']);
  });

  it('exits 2 with one line naming the position of a bad expression, before looking up any box', async () => {
    // An unknown box would exit 6: the expression is checked first.
    const run = await seedbox(['rules', 'check', 'label == "tv" and size < 10 KiB', '--seedbox', 'Nowhere']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('seedbox: Expected a size such as 500MiB or 2GB at column 26 (size is a size), found the number 10.\n');
    const json = await seedbox(['rules', 'check', 'ratio >=', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'invalid-argument', details: { column: 9, offset: 8 } } });
  });

  it('reports a box it cannot reach, still lists the others, and exits with the connection status', async () => {
    expect((await seedbox(['boxes', 'add', 'Down', '--url', `scgi://127.0.0.1:${await freePort()}`])).code).toBe(0);
    const run = await seedbox(['rules', 'check', expression]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('rt small tv');
    expect(run.stdout).toContain('tr small tv');
    expect(run.stderr).toMatch(/^seedbox: Down: .+\n$/);
    expect((await seedbox(['boxes', 'remove', 'Down'])).code).toBe(0);
  });
});

describe('seedbox rules: managing rules, protections, targets and caps in the settings file', () => {
  async function savedSettings() {
    return (await new ConfigFile({ path: config }).load()).config.seeding;
  }

  it('adds a rule in preview mode with its scope by seedbox id, and refuses a bad expression with its position', async () => {
    const bad = await seedbox(['rules', 'add', 'Ratio', '--when', 'ratio >= 2 or', '--action', 'remove']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/^seedbox: Expected .* at column 14, found the end of the rule\.\n$/);

    const run = await seedbox(['rules', 'add', 'Ratio', '--when', 'ratio >= 2 or (seeders < 3 and ratio >= 1) or age > 60d', '--action', 'remove-data', '--seedbox', 'RT', '--seedbox', 'TR', '--label', 'tv', '--tracker', 'Tracker.Example.org', '--reannounce', 'on', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const rule = JSON.parse(run.stdout) as Record<string, unknown>;
    const boxes = JSON.parse((await seedbox(['boxes', 'list', '--json'])).stdout) as { id: string; name: string }[];
    expect(rule).toMatchObject({
      name: 'Ratio',
      enabled: true,
      mode: 'preview',
      version: 1,
      action: 'remove-data',
      scope: { seedboxes: boxes.map((box) => box.id), labels: ['tv'], trackers: ['tracker.example.org'] },
      options: { reannounceBeforeRemove: true, allowIncompleteRemoveData: false },
    });
    expect((await savedSettings()).rules).toEqual([rule]);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toMatchObject({ version: 2 });
  });

  it('refuses a duplicate name, an unknown rule, an unknown seedbox and a bad action, changing nothing', async () => {
    const before = readFileSync(config, 'utf8');
    expect(await seedbox(['rules', 'add', 'ratio', '--when', 'ratio > 1', '--action', 'stop'])).toMatchObject({ code: 7, stderr: 'seedbox: There is already a rule named "Ratio"; names must differ (ignoring case).\n' });
    expect(await seedbox(['rules', 'show', 'Nope'])).toMatchObject({ code: 6, stderr: 'seedbox: No rule named "Nope".\n' });
    expect(await seedbox(['rules', 'add', 'Other', '--when', 'ratio > 1', '--action', 'stop', '--seedbox', 'Nowhere'])).toMatchObject({ code: 6, stderr: 'seedbox: No seedbox named "Nowhere".\n' });
    expect((await seedbox(['rules', 'add', 'Other', '--when', 'ratio > 1', '--action', 'delete'])).code).toBe(2);
    expect((await seedbox(['rules', 'add', 'Other', '--when', 'ratio > 1'])).stderr).toBe('seedbox: "rules add" needs --action stop|remove|remove-data|label:+L|label:-L.\n');
    expect((await seedbox(['rules', 'live', 'Ratio'])).code).toBe(2);
    expect(readFileSync(config, 'utf8')).toBe(before);
  });

  it('edits, lists, shows, enables, disables, holds and removes', async () => {
    const edit = await seedbox(['rules', 'edit', 'ratio', '--action', 'label:+done', '--tracker', '', '--json']);
    expect(edit.code).toBe(0);
    expect(JSON.parse(edit.stdout)).toMatchObject({ version: 2, mode: 'preview', action: { label: 'done', change: 'add' }, scope: { labels: ['tv'], trackers: [] } });
    expect((await seedbox(['rules', 'edit', 'Ratio'])).code).toBe(2);

    expect((await seedbox(['rules', 'disable', 'Ratio'])).stdout).toBe('Disabled: "Ratio".\n');
    const list = await seedbox(['rules', 'list']);
    expect(list.stdout).toMatch(/^NAME\s+STATE\s+ACTION\s+CONDITION\nRatio\s+preview, disabled\s+label:\+done\s+ratio >= 2 or/);
    expect((await seedbox(['rules', 'enable', 'Ratio'])).code).toBe(0);
    expect((await seedbox(['rules', 'hold', 'Ratio'])).stdout).toBe('Put in preview mode: "Ratio".\n');
    const show = await seedbox(['rules', 'show', 'Ratio']);
    expect(show.stdout).toMatch(/^Name\s+Ratio\n/m);
    expect(show.stdout).toMatch(/^Seedboxes\s+RT, TR\n/m);
    expect(show.stdout).toMatch(/^Version\s+2\n/m);

    expect((await seedbox(['rules', 'remove', 'Ratio'])).stdout).toBe('Removed: "Ratio".\n');
    expect((await savedSettings()).rules).toEqual([]);
  });

  it('sets protections, a space target, caps and the pause, and prints them', async () => {
    expect((await seedbox(['rules', 'protect', 'tracker', 'tracker.example.org', '--min-seeding', '14d', '--min-ratio', '1'])).code).toBe(0);
    expect((await seedbox(['rules', 'protect', 'label', 'keep'])).code).toBe(0);
    expect((await seedbox(['rules', 'protect', 'tracker', 'other.org'])).code).toBe(2);
    expect((await seedbox(['rules', 'target', 'RT', '--min-free', '10GiB', '--order', 'lowest-ratio'])).stdout).toBe('Set the space target of "RT": keep 10.0 GiB free; lowest-ratio first; preview.\n');
    expect((await seedbox(['rules', 'target', 'RT', '--min-free', '10 parsecs'])).code).toBe(2);
    expect((await seedbox(['rules', 'caps', '--per-box', '3', '--per-run-bytes', '100GiB'])).code).toBe(0);
    expect((await seedbox(['rules', 'pause'])).code).toBe(0);

    const settings = await savedSettings();
    const boxes = JSON.parse((await seedbox(['boxes', 'list', '--json'])).stdout) as { id: string; name: string }[];
    expect(settings).toMatchObject({
      paused: true,
      protections: { trackerFloors: [{ host: 'tracker.example.org', minSeedingSeconds: 14 * 86_400, minRatio: 1 }], labels: ['keep'] },
      spaceTargets: [{ seedboxId: boxes.find((box) => box.name === 'RT')!.id, minFreeBytes: 10 * 1024 ** 3, order: 'lowest-ratio' }],
      caps: { perRun: { maxTorrents: 50, maxBytes: 100 * 1024 ** 3 }, perSeedbox: { maxTorrents: 3 } },
    });
    const text = await seedbox(['rules', 'settings']);
    expect(text.stdout).toContain('Rules: paused\n');
    expect(text.stdout).toContain('  tracker tracker.example.org: until seeding 14d and ratio 1\n');
    expect(text.stdout).toContain('  RT: keep 10.0 GiB free; lowest-ratio first; preview\n');

    expect((await seedbox(['rules', 'resume'])).code).toBe(0);
    expect((await seedbox(['rules', 'unprotect', 'label', 'keep'])).code).toBe(0);
    expect((await seedbox(['rules', 'untarget', 'RT'])).code).toBe(0);
    expect(await savedSettings()).toMatchObject({ paused: false, protections: { labels: [] }, spaceTargets: [] });
  });
});
