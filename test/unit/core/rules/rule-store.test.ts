import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { CONFIG_VERSION } from '../../../../electron/core/config/schema';
import { RuleStore } from '../../../../electron/core/rules/rule-store';
import { RuleError } from '../../../../electron/shared/rules';
import { DEFAULT_CAPS, SeedingSettingsSchema } from '../../../../electron/shared/rules/settings';
import { rejectionOf } from '../../../helpers/errors';
import { tempDir } from '../../../helpers/processes';

let path: string;
let store: RuleStore;

beforeEach(() => {
  path = join(tempDir('rule-store'), 'seedbox-remote.json');
  let counter = 0;
  store = new RuleStore({ config: new ConfigFile({ path }), randomId: () => `${++counter}`.padStart(8, '0') });
});

function onDisk(): { version: number; seeding: Record<string, unknown> & { rules: Record<string, unknown>[] } } {
  return JSON.parse(readFileSync(path, 'utf8')) as never;
}

const RATIO = { name: 'Ratio reached', condition: 'ratio >= 2', action: 'remove' as const };

describe('RuleStore: rules', () => {
  it('adds a rule enabled, in preview, version 1, with an empty scope and safe options, and saves it', async () => {
    const rule = await store.add(RATIO);
    expect(rule).toEqual({
      id: 'rule-00000001',
      name: 'Ratio reached',
      enabled: true,
      mode: 'preview',
      version: 1,
      scope: { seedboxes: [], labels: [], trackers: [] },
      condition: 'ratio >= 2',
      action: 'remove',
      options: { reannounceBeforeRemove: false, allowIncompleteRemoveData: false },
    });
    expect(onDisk().version).toBe(CONFIG_VERSION);
    expect(onDisk().seeding.rules).toEqual([rule]);
  });

  it('refuses a second rule with the same name, ignoring case, and keeps the first', async () => {
    await store.add(RATIO);
    const error = await rejectionOf(store.add({ ...RATIO, name: ' ratio REACHED ', condition: 'ratio >= 3' }));
    expect(error).toMatchObject({ code: 'already-exists', message: 'There is already a rule named "Ratio reached"; names must differ (ignoring case).' });
    expect(onDisk().seeding.rules).toHaveLength(1);
  });

  it('refuses an invalid expression with its position and saves nothing', async () => {
    const error = await rejectionOf(store.add({ ...RATIO, condition: 'ratio >= ' }));
    expect(error).toBeInstanceOf(RuleError);
    expect(error).toMatchObject({ code: 'invalid-argument', position: { offset: 9, column: 10 } });
    expect(error.message).toMatch(/at column 10/);
    await store.add(RATIO);
    const editError = await rejectionOf(store.edit('Ratio reached', { condition: 'ratio >>= 2' }));
    expect(editError).toMatchObject({ code: 'invalid-argument', position: { column: 8 } });
    expect((await store.get('Ratio reached')).condition).toBe('ratio >= 2');
  });

  it('says which rule is unknown', async () => {
    for (const attempt of [store.get('nope'), store.edit('nope', { condition: 'ratio > 1' }), store.remove('nope'), store.setEnabled('nope', false), store.hold('nope')]) {
      expect(await rejectionOf(attempt)).toMatchObject({ code: 'not-found', message: 'No rule named "nope".' });
    }
  });

  it('finds a rule by name without case, or by id', async () => {
    const rule = await store.add(RATIO);
    expect((await store.get('RATIO REACHED')).id).toBe(rule.id);
    expect((await store.get(rule.id)).name).toBe('Ratio reached');
  });

  it('raises the version on each edit and puts a live rule back in preview when what it does changes', async () => {
    await store.add(RATIO);
    expect((await store.setLive('Ratio reached')).mode).toBe('live');
    const renamed = await store.edit('Ratio reached', { name: 'Ratio two' });
    expect(renamed).toMatchObject({ name: 'Ratio two', version: 2, mode: 'live' });
    for (const change of [{ condition: 'ratio >= 3' }, { action: 'stop' as const }, { scope: { labels: ['tv'] } }, { options: { reannounceBeforeRemove: true } }]) {
      await store.setLive('Ratio two');
      const edited = await store.edit('Ratio two', change);
      expect(edited.mode).toBe('preview');
    }
    expect(await store.get('Ratio two')).toMatchObject({
      version: 6,
      condition: 'ratio >= 3',
      action: 'stop',
      scope: { seedboxes: [], labels: ['tv'], trackers: [] },
      options: { reannounceBeforeRemove: true, allowIncompleteRemoveData: false },
    });
  });

  it('keeps the other scope lists when an edit gives one, and lowercases tracker hosts', async () => {
    await store.add({ ...RATIO, scope: { seedboxes: ['box-a'], labels: ['tv'] } });
    const edited = await store.edit('Ratio reached', { scope: { trackers: ['Tracker.Example.ORG'] } });
    expect(edited.scope).toEqual({ seedboxes: ['box-a'], labels: ['tv'], trackers: ['tracker.example.org'] });
    expect((await rejectionOf(store.edit('Ratio reached', { scope: { trackers: ['https://tracker.example.org/announce'] } }))).message).toMatch(
      /^scope\.trackers\.0: a tracker is given by its host name/,
    );
  });

  it('refuses a rename onto another rule’s name', async () => {
    await store.add(RATIO);
    await store.add({ ...RATIO, name: 'Old' });
    expect(await rejectionOf(store.edit('Old', { name: 'ratio reached' }))).toMatchObject({ code: 'already-exists' });
    expect((await store.edit('Old', { name: 'OLD' })).name).toBe('OLD');
  });

  it('enables, disables, holds, removes; a live rule confirmed at another version is refused', async () => {
    const rule = await store.add(RATIO);
    expect((await store.setEnabled('Ratio reached', false)).enabled).toBe(false);
    expect((await store.setEnabled('Ratio reached', true)).enabled).toBe(true);
    expect((await store.setLive('Ratio reached', 1)).mode).toBe('live');
    expect((await store.hold('Ratio reached')).mode).toBe('preview');
    await store.edit('Ratio reached', { condition: 'ratio >= 4' });
    expect(await rejectionOf(store.setLive('Ratio reached', 1))).toMatchObject({ code: 'refused' });
    expect((await store.get('Ratio reached')).mode).toBe('preview');
    expect(await store.remove('Ratio reached')).toMatchObject({ id: rule.id });
    expect(onDisk().seeding.rules).toEqual([]);
  });

  it('keeps a stored rule whose condition does not parse, disabled with the parser’s position, until its condition is fixed', async () => {
    await store.add(RATIO);
    await store.setLive('Ratio reached');
    const file = onDisk();
    file.seeding.rules[0]!['condition'] = 'ratio >= 2 and speed > 1';
    writeFileSync(path, JSON.stringify(file));

    const fresh = new RuleStore({ config: new ConfigFile({ path }) });
    const kept = await fresh.get('Ratio reached');
    expect(kept).toMatchObject({ enabled: false, condition: 'ratio >= 2 and speed > 1', problem: { offset: 15, line: 1, column: 16 } });
    expect(kept.problem!.message).toMatch(/^Expected a field name at column 16/);
    expect(await rejectionOf(fresh.setEnabled('Ratio reached', true))).toMatchObject({ code: 'invalid-argument' });
    expect(await rejectionOf(fresh.setLive('Ratio reached'))).toMatchObject({ code: 'invalid-argument' });

    const fixed = await fresh.edit('Ratio reached', { condition: 'ratio >= 2 and up_rate > 1MiB/s' });
    expect(fixed).toMatchObject({ enabled: true, mode: 'preview' });
    expect(fixed.problem).toBeUndefined();
    expect(onDisk().seeding.rules[0]).not.toHaveProperty('problem');
  });
});

describe('RuleStore: a settings file edited by hand', () => {
  it('keeps a rule whose condition is longer than the language allows, marked, and the rest of the file', async () => {
    await store.add(RATIO);
    const file = onDisk();
    const long = `ratio > 1${' or ratio > 1'.repeat(1000)}`;
    file.seeding.rules.push({ ...file.seeding.rules[0]!, id: 'rule-long', name: 'Long', condition: long });
    writeFileSync(path, JSON.stringify(file));
    const rules = await new RuleStore({ config: new ConfigFile({ path }) }).list();
    expect(rules.map((rule) => [rule.name, rule.enabled, rule.problem?.message.slice(0, 40)])).toEqual([
      ['Ratio reached', true, undefined],
      ['Long', false, 'Expected at most 10000 characters at col'],
    ]);
  });
});

describe('RuleStore: protections, targets, caps, pause', () => {
  it('sets and replaces tracker floors by host, and refuses a floor with neither minimum', async () => {
    await store.setTrackerFloor({ host: 'Tracker.Example.org', minSeedingSeconds: 3 * 86_400 });
    const protections = await store.setTrackerFloor({ host: 'tracker.example.org', minSeedingSeconds: 14 * 86_400, minRatio: 1 });
    expect(protections.trackerFloors).toEqual([{ host: 'tracker.example.org', minSeedingSeconds: 14 * 86_400, minRatio: 1 }]);
    expect((await rejectionOf(store.setTrackerFloor({ host: 'other.org' }))).message).toMatch(/needs a minimum seeding time, a minimum ratio, or both/);
    expect((await store.removeTrackerFloor('TRACKER.example.org')).trackerFloors).toEqual([]);
    expect(await rejectionOf(store.removeTrackerFloor('tracker.example.org'))).toMatchObject({ code: 'not-found' });
  });

  it('protects and unprotects labels once each', async () => {
    await store.protectLabel('keep');
    expect((await store.protectLabel('keep')).labels).toEqual(['keep']);
    expect((await store.unprotectLabel('keep')).labels).toEqual([]);
    expect(await rejectionOf(store.unprotectLabel('keep'))).toMatchObject({ code: 'not-found' });
  });

  it('keeps one space target per seedbox, oldest first by default', async () => {
    await store.setSpaceTarget({ seedboxId: 'box-a', minFreeBytes: 100 } as never);
    await store.setSpaceTarget({ seedboxId: 'box-a', maxSeedingBytes: 500, order: 'lowest-ratio' });
    expect((await store.settings()).spaceTargets).toEqual([{ seedboxId: 'box-a', maxSeedingBytes: 500, order: 'lowest-ratio', mode: 'preview' }]);
    expect((await rejectionOf(store.setSpaceTarget({ seedboxId: 'box-b' } as never))).message).toMatch(/needs a free-space minimum/);
    await store.removeSpaceTarget('box-a');
    expect((await store.settings()).spaceTargets).toEqual([]);
  });

  it('switches a space target to live only while it is still the one shown', async () => {
    const shown = await store.setSpaceTarget({ seedboxId: 'box-a', minFreeBytes: 100 });
    await store.setSpaceTarget({ seedboxId: 'box-a', minFreeBytes: 200 });
    expect((await rejectionOf(store.setSpaceTargetLive(shown))).code).toBe('refused');
    expect((await store.settings()).spaceTargets[0]!.mode).toBe('preview');
    const again = (await store.settings()).spaceTargets[0]!;
    expect(await store.setSpaceTargetLive(again)).toMatchObject({ minFreeBytes: 200, mode: 'live' });
    expect((await store.settings()).spaceTargets).toEqual([{ seedboxId: 'box-a', minFreeBytes: 200, order: 'oldest', mode: 'live' }]);
  });

  it('has default caps, changes only the ones given, and refuses a negative one', async () => {
    expect((await store.settings()).caps).toEqual(DEFAULT_CAPS);
    expect(await store.setCaps({ perSeedbox: { maxTorrents: 5 } })).toEqual({ perRun: DEFAULT_CAPS.perRun, perSeedbox: { ...DEFAULT_CAPS.perSeedbox, maxTorrents: 5 } });
    expect(await rejectionOf(store.setCaps({ perRun: { maxBytes: -1 } }))).toMatchObject({ code: 'invalid-argument' });
  });

  it('pauses and resumes all rules', async () => {
    expect((await store.settings()).paused).toBe(false);
    await store.setPaused(true);
    expect(onDisk().seeding['paused']).toBe(true);
    await store.setPaused(false);
    expect((await store.settings()).paused).toBe(false);
  });
});

describe('the seeding settings schema', () => {
  it('refuses duplicate ids, names, tracker floors and space targets in a file', () => {
    const rule = { id: 'rule-1', name: 'A', enabled: true, mode: 'preview', version: 1, condition: 'ratio > 1', action: 'stop' };
    const messages = (input: unknown): string[] => SeedingSettingsSchema.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];
    expect(messages({ rules: [rule, { ...rule, name: 'B' }] })).toEqual(['duplicate rule id "rule-1"']);
    expect(messages({ rules: [rule, { ...rule, id: 'rule-2', name: ' a' }] })).toEqual(['duplicate rule name "a"']);
    expect(messages({ protections: { trackerFloors: [{ host: 'a.org', minRatio: 1 }, { host: 'A.org', minRatio: 2 }] } })).toEqual(['duplicate tracker floor for "a.org"']);
    expect(messages({ spaceTargets: [{ seedboxId: 'x', minFreeBytes: 1 }, { seedboxId: 'x', minFreeBytes: 2 }] })).toEqual(['duplicate space target for seedbox "x"']);
  });

  it('takes a label action as an object and nothing else', () => {
    const rule = { id: 'rule-1', name: 'A', enabled: true, mode: 'preview', version: 1, condition: 'ratio > 1' };
    expect(SeedingSettingsSchema.parse({ rules: [{ ...rule, action: { label: 'done', change: 'add' } }] }).rules[0]!.action).toEqual({ label: 'done', change: 'add' });
    expect(SeedingSettingsSchema.safeParse({ rules: [{ ...rule, action: 'delete' }] }).success).toBe(false);
    expect(SeedingSettingsSchema.safeParse({ rules: [{ ...rule, action: { label: '', change: 'add' } }] }).success).toBe(false);
  });
});
