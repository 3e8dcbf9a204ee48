// `seedbox rules preview|live|run|log` against real rTorrent and Transmission. Torrents differ
// by label, size and tracker host (a floor on "localhost" protects: its minimum seeding
// time is a day); ratios are not used here. Cross-seeded twins are two torrents whose info differs
// only by a "source" key, so they have different hashes but the same name and files.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bencode from 'bencode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../electron/core/rules/audit-log';
import type { Decision } from '../../../electron/core/rules/engine';
import type { Torrent } from '../../../electron/shared/model';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { tempDir } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';

let rt: RtorrentInstance;
let tr: TransmissionInstance;
let config: string;
let data: string;

function seedbox(args: string[]): Promise<CliRun> {
  return runSeedbox(['--config', config, ...args], { env: { SEEDBOX_SECRET_STORE: 'memory' } });
}

async function add(box: string, name: string, labels: string[], options: { tracker?: string; source?: string; size?: number } = {}): Promise<void> {
  const made = makeTorrent({ dataParent: data, name, files: [{ path: '', content: filler(name, options.size ?? 3000) }], ...(options.tracker ? { trackers: [options.tracker] } : {}) });
  let bytes = made.bytes;
  if (options.source !== undefined) {
    const root = bencode.decode(Buffer.from(bytes)) as { info: Record<string, unknown> };
    root.info['source'] = options.source;
    bytes = bencode.encode(root);
  }
  const file = join(data, `${box}-${name}-${options.source ?? ''}.torrent`);
  writeFileSync(file, bytes);
  expect(await seedbox(['--seedbox', box, 'add', file, '--path', data, ...labels.flatMap((label) => ['--label', label])])).toMatchObject({ code: 0, stderr: '' });
}

async function torrents(box: string): Promise<Torrent[]> {
  const run = await seedbox(['--seedbox', box, 'list', '--json']);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Torrent[];
}

interface RunJson {
  paused: boolean;
  plans: { seedbox: { name: string }; decisions: Decision[]; bytesFreed: number }[];
  failures: unknown[];
}

async function rulesRun(args: string[]): Promise<RunJson> {
  const run = await seedbox(['rules', ...args, '--json']);
  const failed = (JSON.parse(run.stdout) as RunJson).plans.flatMap((plan) => plan.decisions.filter((decision) => decision.outcome === 'failed').map((decision) => decision.reason));
  expect(failed).toEqual([]);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as RunJson;
}

/** "box name: outcome operation" for each decision of one rule. */
function outcomes(result: RunJson, rule: string): string[] {
  return result.plans
    .flatMap((plan) => plan.decisions.filter((decision) => decision.rule.name === rule).map((decision) => `${plan.seedbox.name} ${decision.torrent.name}: ${decision.outcome} ${decision.operation}`))
    .sort();
}

beforeAll(async () => {
  const started = performance.now();
  expectCliBuilt();
  [rt, tr] = await Promise.all([startRtorrent(), startTransmission({ authentication: false })]);
  const dir = tempDir('rules-run');
  config = join(dir, 'seedbox-remote.json');
  data = join(dir, 'data');
  mkdirSync(data);
  expect((await seedbox(['boxes', 'add', 'RT', '--url', rt.url])).code).toBe(0);
  expect((await seedbox(['boxes', 'add', 'TR', '--client', 'transmission', '--url', tr.url])).code).toBe(0);
  // Seven CLI processes a box: both boxes at once, each box's in order (its twins share a name).
  await Promise.all(
    ['RT', 'TR'].map(async (box) => {
      await add(box, `${box} stop me`, ['stopme']);
      await add(box, `${box} keep going`, ['other']);
      await add(box, `${box} floor`, ['stopme'], { tracker: 'http://localhost:9/announce' });
      await add(box, `${box} twin`, ['gone']);
      await add(box, `${box} twin`, ['stay'], { source: 'other-tracker' });
      await add(box, `${box} many 1`, ['many']);
      await add(box, `${box} many 2`, ['many']);
    }),
  );
  expect((await seedbox(['rules', 'protect', 'tracker', 'localhost', '--min-seeding', '1d'])).code).toBe(0);
  console.info(`rules-run setup took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Two daemons and 17 CLI processes (each a Node start, ~1-3 s when another file runs beside
  // this one) outlast the 60 s default hook timeout under load, and a timed-out hook skips every test.
}, 240_000);

afterAll(async () => {
  await Promise.all([rt?.stop(), tr?.stop()]);
});

describe('seedbox rules preview, live, run and log on rtorrent and transmission', () => {
  it('a new rule only reports: preview and run change nothing; a tracker floor protects', async () => {
    expect((await seedbox(['rules', 'add', 'Stop', '--when', 'label == "stopme"', '--action', 'stop'])).code).toBe(0);
    const before = [...(await torrents('RT')), ...(await torrents('TR'))].map((torrent) => [torrent.name, torrent.state]);
    const preview = await rulesRun(['preview']);
    expect(outcomes(preview, 'Stop')).toEqual(['RT RT floor: protected stop', 'RT RT stop me: preview stop', 'TR TR floor: protected stop', 'TR TR stop me: preview stop']);
    expect(preview.plans[0]!.decisions.find((decision) => decision.outcome === 'protected')!.reason).toMatch(/^tracker floor localhost: seeding time \d+[smh]( \d+[sm])? below 1d$/);
    expect(outcomes(await rulesRun(['run']), 'Stop')).toEqual(outcomes(preview, 'Stop'));
    const after = [...(await torrents('RT')), ...(await torrents('TR'))].map((torrent) => [torrent.name, torrent.state]);
    expect(after).toEqual(before);
  });

  it('"rules live --yes" switches the rule; a run stops exactly the matching torrents, the floor still protects', async () => {
    const live = await seedbox(['rules', 'live', 'Stop', '--yes']);
    expect(live).toMatchObject({ code: 0, stderr: '' });
    expect(live.stdout).toContain('If "Stop" (version 1) were live now:');
    expect(live.stdout).toContain('"Stop" is live (version 1).');
    expect(outcomes(await rulesRun(['run']), 'Stop')).toEqual(['RT RT floor: protected stop', 'RT RT stop me: done stop', 'TR TR floor: protected stop', 'TR TR stop me: done stop']);
    for (const box of ['RT', 'TR']) {
      const states = Object.fromEntries((await torrents(box)).map((torrent) => [torrent.name, torrent.state]));
      expect(states[`${box} stop me`]).toBe('paused');
      expect(states[`${box} floor`]).not.toBe('paused');
      expect(states[`${box} keep going`]).not.toBe('paused');
    }
    // Without a terminal, nobody can confirm.
    expect((await seedbox(['rules', 'add', 'Other', '--when', 'size > 1TiB', '--action', 'stop'])).code).toBe(0);
    expect(await seedbox(['rules', 'live', 'Other'])).toMatchObject({ code: 2 });
    expect(JSON.parse((await seedbox(['rules', 'show', 'Other', '--json'])).stdout)).toMatchObject({ mode: 'preview' });
  });

  it('remove-data of a cross-seeded twin removes the torrent and keeps the files its twin uses', async () => {
    expect((await seedbox(['rules', 'add', 'Gone', '--when', 'label == "gone"', '--action', 'remove-data'])).code).toBe(0);
    expect((await seedbox(['rules', 'live', 'Gone', '--yes'])).code).toBe(0);
    const result = await rulesRun(['run']);
    expect(outcomes(result, 'Gone')).toEqual(['RT RT twin: done remove', 'TR TR twin: done remove']);
    for (const plan of result.plans) expect(plan.bytesFreed).toBe(0);
    for (const box of ['RT', 'TR']) {
      const twins = (await torrents(box)).filter((torrent) => torrent.name === `${box} twin`);
      expect(twins.map((torrent) => torrent.labels)).toEqual([['stay']]);
      expect(existsSync(join(data, `${box} twin`))).toBe(true);
    }
  });

  it('the per-run cap stops a run after that many actions and says what it cut', async () => {
    expect((await seedbox(['rules', 'caps', '--per-run', '1'])).code).toBe(0);
    expect((await seedbox(['rules', 'add', 'Many', '--when', 'label == "many"', '--action', 'stop'])).code).toBe(0);
    expect((await seedbox(['rules', 'live', 'Many', '--yes'])).code).toBe(0);
    const result = await rulesRun(['run']);
    const many = outcomes(result, 'Many');
    expect(many.filter((line) => line.endsWith('done stop'))).toHaveLength(1);
    expect(many.filter((line) => line.endsWith('capped stop'))).toHaveLength(3);
    const capped = result.plans.flatMap((plan) => plan.decisions).find((decision) => decision.outcome === 'capped')!;
    expect(capped.reason).toBe('per-run cap of 1 torrents reached');
    const stopped = [...(await torrents('RT')), ...(await torrents('TR'))].filter((torrent) => torrent.labels.includes('many') && torrent.state === 'paused');
    expect(stopped).toHaveLength(1);
  });

  it('the audit log reads back every decision of the runs, not the previews', async () => {
    const log = await seedbox(['rules', 'log', '--json']);
    expect(log.code).toBe(0);
    const entries = JSON.parse(log.stdout) as AuditEntry[];
    const results = new Set(entries.map((entry) => entry.result));
    // skipped: the second live run of Stop finds its torrents already stopped.
    expect([...results].sort()).toEqual(['capped', 'done', 'preview', 'protected', 'skipped']);
    const removal = entries.find((entry) => entry.rule.name === 'Gone' && entry.seedbox.name === 'RT')!;
    expect(removal).toMatchObject({ action: 'remove-data', operation: 'remove', result: 'done', bytesFreed: 0, rule: { version: 1, mode: 'live' }, torrent: { name: 'RT twin' } });
    expect(removal.values).toEqual([expect.objectContaining({ field: 'label', text: expect.stringContaining('gone') })]);
    expect(removal.reason).toMatch(/cross-seeded twin/);
    // Two runs with Stop before this test: one in preview, one live.
    expect(entries.filter((entry) => entry.rule.name === 'Stop' && entry.result === 'preview')).toHaveLength(2);
    expect(entries.filter((entry) => entry.rule.name === 'Stop' && entry.result === 'done').map((entry) => entry.torrent.name).sort()).toEqual(['RT stop me', 'TR stop me']);
    expect(JSON.parse((await seedbox(['rules', 'log', '--since', '2099-01-01', '--json'])).stdout)).toEqual([]);
    expect((await seedbox(['rules', 'log', '--since', 'yesterday'])).code).toBe(2);
  });

  it('a space target starts in preview; once live it removes with data until the seeding space holds, never a protected torrent', async () => {
    expect((await seedbox(['rules', 'caps', '--per-run', '50'])).code).toBe(0);
    // Once "Many" (live) has stopped "RT many 2", RT seeds three torrents of 3000 bytes ("floor"
    // protected): at most 7 kB leaves one to remove.
    expect((await seedbox(['rules', 'target', 'RT', '--max-used', '7kB'])).code).toBe(0);
    const target = (result: RunJson): Decision[] => result.plans.flatMap((plan) => plan.decisions.filter((decision) => decision.rule.name === 'space target'));
    const previewed = target(await rulesRun(['run'])).map((decision) => decision.outcome);
    expect(previewed.length).toBeGreaterThan(0);
    expect(new Set(previewed)).toEqual(new Set(['preview']));
    const live = await seedbox(['rules', 'target-live', 'RT', '--yes']);
    expect(live).toMatchObject({ code: 0, stderr: '' });
    expect(live.stdout).toContain('The space target of "RT" is live.');
    const removed = target(await rulesRun(['run']));
    expect(removed.map((decision) => `${decision.outcome} ${decision.operation}`)).toEqual(['done remove-data']);
    const name = removed[0]!.torrent.name;
    expect(['RT keep going', 'RT twin']).toContain(name);
    expect((await torrents('RT')).map((torrent) => torrent.name)).not.toContain(name);
    expect(existsSync(join(data, name))).toBe(false);
    const preview = await seedbox(['rules', 'preview', '--seedbox', 'RT']);
    expect(preview.stdout).toMatch(/RT: holds: space target: seeding .* <= /);
  });
});
