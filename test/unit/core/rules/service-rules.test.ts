// The rules:* channels as the window calls them (through the contract's validation), on a real
// settings file, and the in-app schedule (RulesRunner) on fake timers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { SeedboxRegistry } from '../../../../electron/core/config/registry';
import type { Notice } from '../../../../electron/core/events';
import type { RuleClient, RunBox } from '../../../../electron/core/rules/engine';
import { observe } from '../../../../electron/core/rules/unregistered';
import { MemorySecretStore } from '../../../../electron/core/secrets/memory-store';
import { dispatchInvoke } from '../../../../electron/core/service/dispatch';
import { RulesRunner } from '../../../../electron/core/service/rules/runner';
import { describeRulesRun } from '../../../../electron/core/service/rules/summary';
import { createSeedboxService } from '../../../../electron/core/service/seedbox-service';
import type { SeedboxServiceApi } from '../../../../electron/core/service/types';
import type { EventPayload, InvokeArgs, InvokeChannel, InvokeResult, RulesRunSummary, SerializedError } from '../../../../electron/shared/contract';
import { SeedboxError } from '../../../../electron/shared/errors';
import { SeedingSettingsSchema, type SeedingSettings } from '../../../../electron/shared/rules/settings';
import { modelTorrent } from '../../../helpers/model';
import { tempDir } from '../../../helpers/processes';

describe('the rules channels', () => {
  let service: SeedboxServiceApi;
  let configPath: string;
  let changes: EventPayload<'rules:changed'>[];

  beforeEach(() => {
    configPath = join(tempDir('rules-service'), 'seedbox-remote.json');
    const config = new ConfigFile({ path: configPath });
    const secretStore = new MemorySecretStore({ unavailableReason: 'tests' });
    service = createSeedboxService({ registry: new SeedboxRegistry({ config, secrets: secretStore }), config, secretStore, version: 'test', platform: 'linux' });
    changes = [];
    service.onEvent((channel, payload) => {
      if (channel === 'rules:changed') changes.push(payload as EventPayload<'rules:changed'>);
    });
  });

  async function call<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
    const envelope = await dispatchInvoke(service.handlers, channel, args, { validateResults: true });
    if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code });
    return envelope.value as InvokeResult<C>;
  }

  async function refusal(channel: InvokeChannel, args: unknown): Promise<SerializedError> {
    const envelope = await dispatchInvoke(service.handlers, channel, args, { validateResults: true });
    if (envelope.ok) throw new Error(`${channel} accepted ${JSON.stringify(args)}`);
    return envelope.error;
  }

  const RULE = { name: 'Ratio two', condition: 'ratio >= 2', action: 'remove-data' as const, scope: {}, options: {} };

  it.each([
    ['a rule that sets its own mode', 'rules:saveRule', { rule: { ...RULE, mode: 'live' } }],
    ['a rule that sets its own version', 'rules:saveRule', { rule: { ...RULE, version: 9 } }],
    ['a condition over the language limit', 'rules:saveRule', { rule: { ...RULE, condition: `ratio >= 2${' '.repeat(10_000)}` } }],
    ['an unknown action', 'rules:saveRule', { rule: { ...RULE, action: 'delete-everything' } }],
    ['an id outside the id pattern', 'rules:goLive', { id: '../x', version: 1 }],
    ['go live without the version previewed', 'rules:goLive', { id: 'rule-1' }],
    ['a schedule of one minute', 'rules:setSchedule', { everyMinutes: 1 }],
    ['a schedule over a day', 'rules:setSchedule', { everyMinutes: 1441 }],
    ['a space target setting its own mode', 'rules:setSpaceTarget', { target: { seedboxId: 'box-a', minFreeBytes: 1, mode: 'live' } }],
    ['a negative cap', 'rules:setCaps', { perRun: { maxTorrents: -1 } }],
    ['too many decisions per box', 'rules:preview', { decisionsPerBox: 100_000 }],
    ['a log of a million entries', 'rules:log', { limit: 1_000_000 }],
    ['a run without saying whether it is dry', 'rules:run', {}],
    ['an extra field', 'rules:get', { everything: true }],
  ])('refuses %s as invalid-argument, before any handler runs', async (_name, channel, args) => {
    expect(await refusal(channel as InvokeChannel, args)).toMatchObject({ code: 'invalid-argument' });
    expect(changes).toEqual([]);
  });

  it('saves a new rule in preview, goes live for the version previewed, refuses it after an edit, and tells the window each time', async () => {
    const saved = await call('rules:saveRule', { rule: RULE });
    expect(saved).toMatchObject({ name: 'Ratio two', mode: 'preview', version: 1, enabled: true });
    expect(changes.at(-1)!.settings.rules).toEqual([saved]);
    const live = await call('rules:goLive', { id: saved.id, version: 1 });
    expect(live.mode).toBe('live');
    const edited = await call('rules:saveRule', { rule: { ...RULE, id: saved.id, condition: 'ratio >= 3' } });
    expect(edited).toMatchObject({ mode: 'preview', version: 2 });
    // The window previewed version 1; version 2 is what would go live.
    expect(await refusal('rules:goLive', { id: saved.id, version: 1 })).toMatchObject({ code: 'refused' });
    expect((await call('rules:get', {})).settings.rules[0]).toMatchObject({ mode: 'preview', version: 2 });
    // The same file the CLI reads.
    expect(JSON.parse(readFileSync(configPath, 'utf8')).seeding.rules[0]).toMatchObject({ id: saved.id, condition: 'ratio >= 3', mode: 'preview' });
  });

  it('refuses a condition that does not parse with its position, and a space target for a box that is not saved', async () => {
    const error = await refusal('rules:saveRule', { rule: { ...RULE, condition: 'ratio >=' } });
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(/ratio >=|expected/i);
    expect(await refusal('rules:preview', { draft: { ...RULE, condition: 'ratoi > 1' } })).toMatchObject({ code: 'invalid-argument' });
    expect(await refusal('rules:setSpaceTarget', { target: { seedboxId: 'nobody', minFreeBytes: 1 } })).toMatchObject({ code: 'not-found' });
    expect(await refusal('rules:goLive', { id: 'rule-nothere', version: 1 })).toMatchObject({ code: 'not-found' });
    expect((await call('rules:get', {})).settings.rules).toEqual([]);
  });

  it('keeps the schedule, the pause and the caps in the settings', async () => {
    expect((await call('rules:get', {})).settings.schedule).toEqual({ everyMinutes: 15 });
    expect(await call('rules:setSchedule', { everyMinutes: 0 })).toEqual({ everyMinutes: 0 });
    await call('rules:setPaused', { paused: true });
    expect(await call('rules:setCaps', { perSeedbox: { maxTorrents: 3 } })).toMatchObject({ perSeedbox: { maxTorrents: 3 }, perRun: { maxTorrents: 50 } });
    const state = await call('rules:get', {});
    expect(state).toMatchObject({ running: false, nextRunAt: null, lastRun: null, settings: { paused: true, schedule: { everyMinutes: 0 } } });
  });
});

describe('the schedule (RulesRunner)', () => {
  const MINUTE = 60_000;
  let settings: SeedingSettings;
  let calls: string[];
  let failRemove: boolean;
  let summaries: RulesRunSummary[];
  let runner: RulesRunner;
  let gate: Promise<void> | undefined;

  function liveRule(mode: 'live' | 'preview' = 'live'): SeedingSettings['rules'][number] {
    return { id: 'rule-1', name: 'Done', enabled: true, mode, version: 1, condition: 'ratio >= 1', action: 'remove', scope: { seedboxes: [], labels: [], trackers: [] }, options: { reannounceBeforeRemove: false, allowIncompleteRemoveData: false } };
  }

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    settings = SeedingSettingsSchema.parse({ rules: [liveRule()], schedule: { everyMinutes: 15 } });
    calls = [];
    failRemove = false;
    summaries = [];
    gate = undefined;
    const client: RuleClient = {
      list: async () => {
        calls.push('list');
        await gate;
        return [modelTorrent({ id: 'a'.repeat(40), name: 'One', ratio: 2 }), modelTorrent({ id: 'b'.repeat(40), name: 'Two', ratio: 3, savePath: '/e' })];
      },
      sessionStats: async () => Promise.reject(new Error('not asked')),
      stop: async () => undefined,
      setLabels: async () => undefined,
      reannounce: async () => undefined,
      remove: async (ids) => {
        calls.push(`remove ${ids[0]!.slice(0, 1)}`);
        if (failRemove) throw new SeedboxError('rpc-fault', 'the daemon said no');
      },
    };
    const box: RunBox = { seedbox: { id: 'box-a', name: 'Box A' }, open: async () => ({ client, close: async () => undefined }) };
    runner = new RulesRunner({
      settings: async () => structuredClone(settings),
      boxes: () => [box],
      record: async () => undefined,
      // Nothing here is unregistered: a record that keeps nothing.
      sightings: { check: async (_seedboxId, torrents, now) => observe(undefined, torrents, now) },
      onRun: (summary) => summaries.push(summary),
      onChange: () => undefined,
      log: (message) => calls.push(`log ${message}`),
    });
  });
  afterEach(async () => {
    await runner.stop();
    vi.useRealTimers();
  });

  it('runs one interval after start and every interval after, never before', async () => {
    runner.start(settings);
    expect(runner.nextRunAt).toBe(Date.now() + 15 * MINUTE);
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['list', 'remove a', 'remove b']);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ trigger: 'schedule', dryRun: false, boxes: [{ seedbox: { name: 'Box A' }, done: 2, removed: 2, failed: 0 }] });
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls.filter((call) => call === 'list')).toHaveLength(2);
  });

  it('an action that failed is reported once and tried again only at the next interval', async () => {
    failRemove = true;
    runner.start(settings);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls).toEqual(['list', 'remove a', 'remove b']);
    expect(summaries[0]!.boxes[0]).toMatchObject({ done: 0, failed: 2 });
    await vi.advanceTimersByTimeAsync(15 * MINUTE - 1);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(6);
  });

  it('skips its runs while paused or while nothing is live; off at 0', async () => {
    settings = { ...settings, paused: true };
    runner.start(settings);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls).toEqual([]);
    settings = { ...settings, paused: false, rules: [liveRule('preview')] };
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls).toEqual([]);
    settings = { ...settings, rules: [liveRule('live')] };
    runner.reschedule({ everyMinutes: 0 });
    expect(runner.nextRunAt).toBeNull();
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(calls).toEqual([]);
  });

  it('follows a schedule changed in the file from its next run on', async () => {
    runner.start(settings);
    settings = { ...settings, schedule: { everyMinutes: 60 } };
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(calls.filter((call) => call === 'list')).toHaveLength(1);
    expect(runner.nextRunAt).toBe(Date.now() + 60 * MINUTE);
    await vi.advanceTimersByTimeAsync(59 * MINUTE);
    expect(calls.filter((call) => call === 'list')).toHaveLength(1);
  });

  it('one run at a time: Run now during a scheduled run is refused, clearly', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    runner.start(settings);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(runner.running).toBe(true);
    await expect(runner.runNow(false)).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/started by the schedule is under way/) });
    open();
    await vi.waitFor(() => expect(runner.running).toBe(false));
    const { summary } = await runner.runNow(true);
    expect(summary).toMatchObject({ trigger: 'manual', dryRun: true });
    // A dry run acts on nothing and is not the "last run".
    expect(calls.filter((call) => call.startsWith('remove'))).toHaveLength(2);
    expect(runner.lastRun?.trigger).toBe('schedule');
  });

  it('the pause stops a run under way before its next action', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const done = runner.runNow(false);
    await vi.waitFor(() => expect(calls).toEqual(['list']));
    runner.setPaused(true);
    open();
    const { summary, result } = await done;
    expect(calls).toEqual(['list']);
    expect(summary.boxes[0]).toMatchObject({ done: 0, failed: 2 });
    expect(result.plans[0]!.decisions.map((decision) => decision.reason)).toEqual(['Rules were paused during the run.', 'Rules were paused during the run.']);
  });
});

describe('the notification of a run', () => {
  const box = (fields: Partial<RulesRunSummary['boxes'][number]>): RulesRunSummary['boxes'][number] => ({
    seedbox: { id: 'box-a', name: 'Box A' },
    done: 0,
    removed: 0,
    stopped: 0,
    labelled: 0,
    failed: 0,
    bytesFreed: 0,
    bytesFreedUpperBound: false,
    ...fields,
  });
  const summary = (boxes: RulesRunSummary['boxes'], failures: RulesRunSummary['failures'] = []): RulesRunSummary => ({ trigger: 'schedule', dryRun: false, startedAt: 0, finishedAt: 1, boxes, failures });

  it('says what was done per box, what failed, and which box could not be read', () => {
    const text = describeRulesRun(
      summary([box({ done: 4, removed: 3, stopped: 1, bytesFreed: 41 * 1024 ** 3, bytesFreedUpperBound: true }), box({ seedbox: { id: 'b', name: 'Box B' }, failed: 1 })], [
        { seedbox: { id: 'c', name: 'Box C' }, error: { code: 'timeout', message: 'No answer in 30 s.', details: {} } },
      ]),
    );
    expect(text).toEqual({
      title: 'Seeding rules: some actions failed',
      body: 'Removed 3 torrents and stopped 1 torrent on Box A, up to 41.0 GiB freed\n1 action failed on Box B\nBox C could not be read: No answer in 30 s.',
    });
  });

  it('speaks the language of the app, plurals and numbers included', () => {
    const run = summary([box({ done: 3, removed: 2, stopped: 1, bytesFreed: 2 * 1024 ** 3 })]);
    expect(describeRulesRun(run, 'binary', 'de')).toEqual({ title: 'Seeding-Regeln haben gehandelt', body: '2 Torrents entfernt und 1 Torrent gestoppt auf Box A, 2,00 GiB frei geworden' });
    expect(describeRulesRun(run, 'binary', 'zh-CN')).toEqual({ title: '做种规则已执行', body: 'Box A：移除了 2 个种子和停止了 1 个种子，释放了 2.00 GiB' });
  });

  it('is silent for a run that did nothing', () => {
    expect(describeRulesRun(summary([box({})]))).toBeNull();
    const notice: Notice = { kind: 'rules-run', summary: summary([box({ done: 1, labelled: 1 })]) };
    expect(describeRulesRun(notice.summary)).toEqual({ title: 'Seeding rules acted', body: 'Changed the labels of 1 torrent on Box A' });
  });
});
