// The seeding rules in the main process (rules:* channels) through the real core service, on a
// real rTorrent and a real Transmission: preview on the pollers' lists, Run now acting only for
// a live rule, goLive refused after an edit, the audit log read back, the notification's text,
// and the unregistered grace counted by the service's runs (a loopback tracker answers
// "Unregistered torrent"). Torrents differ by label only.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../electron/core/events';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { RuleStore } from '../../../electron/core/rules/rule-store';
import { UNREGISTERED_FILE_NAME } from '../../../electron/core/rules/unregistered';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { noticeToNotification } from '../../../electron/main/notifications';
import { DRAFT_RULE_ID, type EventChannel, type EventPayload, type InvokeArgs, type InvokeChannel, type InvokeResult, type RulesState, type TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent } from '../../../electron/shared/model';
import { rejectionOf } from '../../helpers/errors';
import { applyDelta, invokeService } from '../../helpers/service';
import { tempDir, waitFor } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startLoopbackTracker, type LoopbackTracker } from '../../helpers/tracker';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';

let core: ComposedCore;
let rt: RtorrentInstance;
let tr: TransmissionInstance;
let tracker: LoopbackTracker;
let configPath: string;
let data: string;
const notices: Notice[] = [];
const ruleStates: RulesState[] = [];
/** Every box's list as the window holds it, from the deltas. */
const windowView = new Map<string, Map<string, Torrent>>();
const ids: Record<string, string> = {};

function apply(delta: TorrentDelta): void {
  applyDelta(windowView, delta);
}

/** Calls the service as the window does: arguments and results checked against the contract. */
async function invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  return invokeService(core.service.handlers, channel, args, { validateResults: true });
}

const torrentNamed = (box: string, name: string): Torrent | undefined => [...(windowView.get(ids[box]!)?.values() ?? [])].find((torrent) => torrent.name === name);

async function add(box: string, name: string, label: string, trackers?: string[]): Promise<void> {
  const made = makeTorrent({ dataParent: data, name, files: [{ path: '', content: filler(name, 3000) }], ...(trackers ? { trackers } : {}) });
  const [result] = await invoke('torrents:add', { seedboxId: ids[box]!, sources: [{ kind: 'file', bytes: new Uint8Array(made.bytes), fileName: `${name}.torrent` }], options: { savePath: data, labels: [label] } });
  expect(result).toEqual({ ok: true, id: made.infoHash });
}

/** "box torrent: outcome operation" for each decision of one rule, sorted. */
function outcomes(result: InvokeResult<'rules:preview'>, ruleId: string): string[] {
  return result.plans
    .flatMap((plan) => plan.decisions.filter((decision) => decision.rule.id === ruleId).map((decision) => `${plan.seedbox.name} ${decision.torrent.name}: ${decision.outcome} ${decision.operation}`))
    .sort();
}

beforeAll(async () => {
  [rt, tr, tracker] = await Promise.all([startRtorrent(), startTransmission({ authentication: false }), startLoopbackTracker({ swarms: [] })]);
  const dir = tempDir('service-rules');
  data = join(dir, 'data');
  mkdirSync(data);
  configPath = join(dir, 'seedbox-remote.json');
  core = await composeCore({ configPath, version: 'test', platform: 'linux', memorySecrets: 'tests keep secrets in memory' });
  core.service.onEvent(<E extends EventChannel>(channel: E, payload: EventPayload<E>) => {
    if (channel === 'torrents:delta') apply(payload as TorrentDelta);
    if (channel === 'rules:changed') ruleStates.push(payload as RulesState);
  });
  core.service.events.on('notice', (notice) => notices.push(notice));
  await invoke('preferences:update', { refreshIntervalMs: 500 });
  await core.service.start();
  ids['RT'] = (await invoke('seedboxes:add', { seedbox: { name: 'RT', kind: 'rtorrent', url: rt.url } })).id;
  ids['TR'] = (await invoke('seedboxes:add', { seedbox: { name: 'TR', kind: 'transmission', url: tr.url } })).id;
  await waitFor('both boxes to connect', async () => (await invoke('seedboxes:statuses', {})).filter((status) => status.state === 'connected').length === 2, 30_000);
  for (const box of ['RT', 'TR']) {
    await add(box, `${box} stop me`, 'stopme');
    await add(box, `${box} keep going`, 'other');
    await add(box, `${box} gone`, 'gone');
  }
  await waitFor('every torrent to seed', () => ['RT', 'TR'].every((box) => ['stop me', 'keep going', 'gone'].every((name) => torrentNamed(box, `${box} ${name}`)?.state === 'seeding')), 60_000);
});

afterAll(async () => {
  await core?.service.stop();
  await Promise.all([rt?.stop(), tr?.stop(), tracker?.close()]);
});

describe('the seeding rules in the core service, on rtorrent and transmission', () => {
  let stopId = '';
  let goneId = '';

  it('previews saved rules and an unsaved draft on the lists the pollers hold, without touching a box', async () => {
    const stop = await invoke('rules:saveRule', { rule: { name: 'Stop', condition: 'label == "stopme"', action: 'stop', scope: {}, options: {} } });
    stopId = stop.id;
    expect(stop).toMatchObject({ mode: 'preview', version: 1 });
    expect(ruleStates.at(-1)!.settings.rules.map((rule) => rule.name)).toEqual(['Stop']);

    const started = performance.now();
    const preview = await invoke('rules:preview', { draft: { name: 'Gone?', condition: 'label == "gone"', action: 'remove-data', scope: {}, options: {} } });
    const took = performance.now() - started;
    expect(preview.failures).toEqual([]);
    expect(outcomes(preview, stopId)).toEqual(['RT RT stop me: preview stop', 'TR TR stop me: preview stop']);
    expect(outcomes(preview, DRAFT_RULE_ID)).toEqual(['RT RT gone: preview remove-data', 'TR TR gone: preview remove-data']);
    expect(preview.plans.every((plan) => plan.moreDecisions === 0)).toBe(true);
    // No daemon round trip: the answer comes from memory. The aim is well under 100 ms (13-23 ms
    // measured here); the bound leaves room for a machine loaded by other tests.
    console.info(`rules:preview with a draft over 2 boxes took ${took.toFixed(1)} ms`);
    expect(took).toBeLessThan(500);
    // A preview saves nothing.
    expect((await invoke('rules:get', {})).settings.rules.map((rule) => rule.name)).toEqual(['Stop']);
  });

  it('goLive takes the version previewed and is refused once the rule was edited', async () => {
    const gone = await invoke('rules:saveRule', { rule: { name: 'Gone', condition: 'label == "gone"', action: 'remove-data', scope: {}, options: {} } });
    goneId = gone.id;
    // The window previewed version 1, then the rule was edited (here by a second save).
    const edited = await invoke('rules:saveRule', { rule: { id: goneId, name: 'Gone', condition: 'label == "gone" and ratio >= 0', action: 'remove-data', scope: {}, options: {} } });
    expect(edited).toMatchObject({ mode: 'preview', version: 2 });
    const refused = await rejectionOf(invoke('rules:goLive', { id: goneId, version: 1 }));
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain('preview it again');
    expect((await invoke('rules:get', {})).settings.rules.find((rule) => rule.id === goneId)!.mode).toBe('preview');
    expect(await invoke('rules:goLive', { id: stopId, version: 1 })).toMatchObject({ mode: 'live', version: 1 });
  });

  it('Run now acts only for the live rule, on both daemons, and notifies what it did', async () => {
    const result = await invoke('rules:run', { dryRun: false });
    expect(result.failures).toEqual([]);
    expect(outcomes(result, stopId)).toEqual(['RT RT stop me: done stop', 'TR TR stop me: done stop']);
    expect(outcomes(result, goneId)).toEqual(['RT RT gone: preview remove-data', 'TR TR gone: preview remove-data']);
    expect(result.summary).toMatchObject({ trigger: 'manual', dryRun: false, boxes: [{ seedbox: { name: 'RT' }, done: 1, stopped: 1, removed: 0 }, { seedbox: { name: 'TR' }, done: 1, stopped: 1 }] });
    for (const box of ['RT', 'TR']) {
      await waitFor(`${box}'s stopped torrent to show as paused`, () => torrentNamed(box, `${box} stop me`)?.state === 'paused', 20_000);
      expect(torrentNamed(box, `${box} keep going`)?.state).toBe('seeding');
      // The preview rule removed nothing.
      expect(torrentNamed(box, `${box} gone`)?.state).toBe('seeding');
    }
    const notice = notices.find((candidate) => candidate.kind === 'rules-run');
    expect(notice).toBeDefined();
    const all = { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true };
    expect(noticeToNotification(notice!, { notifications: all, units: 'binary' })).toEqual({ title: 'Seeding rules acted', body: 'Stopped 1 torrent on RT\nStopped 1 torrent on TR' });
    expect(noticeToNotification(notice!, { notifications: { ...all, rulesRun: false } })).toBeNull();
    const state = ruleStates.at(-1)!;
    expect(state).toMatchObject({ running: false, lastRun: { trigger: 'manual', boxes: [{ done: 1 }, { done: 1 }] } });
    // The schedule is on by default and counts from start-up.
    expect(state.nextRunAt).toBeGreaterThan(Date.now());
  });

  it('a second run finds nothing left to stop, and the audit log reads back newest first', async () => {
    const again = await invoke('rules:run', { dryRun: false });
    expect(outcomes(again, stopId)).toEqual(['RT RT stop me: skipped stop', 'TR TR stop me: skipped stop']);
    expect(notices.filter((notice) => notice.kind === 'rules-run')).toHaveLength(1);
    const log = await invoke('rules:log', { limit: 100 });
    const times = log.map((entry) => Date.parse(entry.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const done = log.filter((entry) => entry.result === 'done');
    expect(done.map((entry) => `${entry.seedbox.name} ${entry.torrent.name} ${entry.rule.name} v${entry.rule.version} ${entry.operation}`).sort()).toEqual(['RT RT stop me Stop v1 stop', 'TR TR stop me Stop v1 stop']);
    expect(done[0]!.values).toContainEqual(expect.objectContaining({ field: 'label' }));
    expect(log.filter((entry) => entry.result === 'preview' && entry.rule.id === goneId)).toHaveLength(4);
    expect(await invoke('rules:log', { limit: 2 })).toEqual(log.slice(0, 2));
    expect(await invoke('rules:log', { since: Date.now() + 60_000, limit: 100 })).toEqual([]);
  });
});

describe('the service counts the unregistered grace like the CLI, on rtorrent and transmission', () => {
  const GRACE_SECONDS = 5;
  let cleanupId = '';
  const sightings = (): { checks: number; firstSeen: number }[] => {
    const file = join(configPath, '..', UNREGISTERED_FILE_NAME);
    if (!existsSync(file)) return [];
    const record = JSON.parse(readFileSync(file, 'utf8')) as { boxes: Record<string, Record<string, { checks: number; firstSeen: number }>> };
    return Object.values(record.boxes).flatMap((box) => Object.values(box));
  };
  const checks = (): number[] => sightings().map((sighting) => sighting.checks);
  const reasons = (result: InvokeResult<'rules:preview'>): string[] => result.plans.flatMap((plan) => plan.decisions.filter((decision) => decision.rule.id === cleanupId).map((decision) => decision.reason));

  beforeAll(async () => {
    // Set as `seedbox rules grace` does: through the settings file the service reads.
    await new RuleStore({ config: new ConfigFile({ path: configPath }) }).setUnregisteredGrace({ minChecks: 2, minSeconds: GRACE_SECONDS });
    cleanupId = (await invoke('rules:saveRule', { rule: { name: 'Cleanup', condition: 'unregistered and label == "unreg"', action: 'remove-data', scope: {}, options: {} } })).id;
    await invoke('rules:goLive', { id: cleanupId, version: 1 });
    // Added only now, so the runs above never saw them: no check counted yet.
    for (const box of ['RT', 'TR']) await add(box, `${box} unregistered`, 'unreg', [tracker.unregisteredUrl]);
    await waitFor('both trackers to say unregistered', () => ['RT', 'TR'].every((box) => torrentNamed(box, `${box} unregistered`)?.trackerStatus === 'unregistered'), 100_000);
  }, 120_000);

  it('a preview reads the record but counts no check: the pollers\' lists are not a fresh look', async () => {
    // rTorrent clears its tracker message while it announces again, so its verdict reads as a
    // plain error for a moment (which neither counts nor resets): preview until both are seen.
    const expected = ['RT RT unregistered: protected remove-data', 'TR TR unregistered: protected remove-data'];
    let preview = await invoke('rules:preview', {});
    await waitFor('a preview seeing both unregistered torrents', async () => {
      preview = await invoke('rules:preview', {});
      return JSON.stringify(outcomes(preview, cleanupId)) === JSON.stringify(expected);
    });
    expect(outcomes(preview, cleanupId)).toEqual(expected);
    for (const reason of reasons(preview)) expect(reason).toMatch(/^unregistered, not yet checked over the grace period; acts after 5s and 2 checks$/);
    expect(checks()).toEqual([]);
  });

  it('the first run counts a check and does not act; the preview then shows it', async () => {
    const first = await invoke('rules:run', { dryRun: false });
    expect(first.failures).toEqual([]);
    expect(outcomes(first, cleanupId)).toEqual(['RT RT unregistered: protected remove-data', 'TR TR unregistered: protected remove-data']);
    expect(checks()).toEqual([1, 1]);
    const preview = await invoke('rules:preview', {});
    for (const reason of reasons(preview)) expect(reason).toMatch(/^unregistered for \d+s, seen on 1 of 2 checks; acts after 5s and 2 checks$/);
    expect(checks()).toEqual([1, 1]);
    for (const box of ['RT', 'TR']) expect(existsSync(join(data, `${box} unregistered`))).toBe(true);
  }, 60_000);

  it('a run after the grace removes the unregistered torrents and their data', async () => {
    // The grace is time itself: nothing to poll for. It counts from each box's first check.
    const graceEnds = Math.max(...sightings().map((sighting) => sighting.firstSeen)) + GRACE_SECONDS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds * 1000 - Date.now())));
    const second = await invoke('rules:run', { dryRun: false });
    expect(second.failures).toEqual([]);
    expect(outcomes(second, cleanupId)).toEqual(['RT RT unregistered: done remove-data', 'TR TR unregistered: done remove-data']);
    for (const box of ['RT', 'TR']) {
      await waitFor(`${box}'s unregistered torrent to leave the list`, () => torrentNamed(box, `${box} unregistered`) === undefined, 20_000);
      expect(existsSync(join(data, `${box} unregistered`))).toBe(false);
      expect(torrentNamed(box, `${box} keep going`)?.state).toBe('seeding');
    }
  }, 60_000);
});
