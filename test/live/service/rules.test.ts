// The seeding rules in the main process (rules:* channels) through the real core service, on a
// real rTorrent and a real Transmission: preview on the pollers' lists, Run now acting only for
// a live rule, goLive refused after an edit, the audit log read back, the notification's text.
// Torrents differ by label only.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notice } from '../../../electron/core/events';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { noticeToNotification } from '../../../electron/main/notifications';
import { DRAFT_RULE_ID, type EventChannel, type EventPayload, type InvokeArgs, type InvokeChannel, type InvokeResult, type RulesState, type TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent } from '../../../electron/shared/model';
import { rejectionOf } from '../../helpers/errors';
import { applyDelta, invokeService } from '../../helpers/service';
import { tempDir, waitFor } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, type TransmissionInstance } from '../../helpers/transmission';

let core: ComposedCore;
let rt: RtorrentInstance;
let tr: TransmissionInstance;
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

async function add(box: string, name: string, label: string): Promise<void> {
  const made = makeTorrent({ dataParent: data, name, files: [{ path: '', content: filler(name, 3000) }] });
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
  [rt, tr] = await Promise.all([startRtorrent(), startTransmission({ authentication: false })]);
  const dir = tempDir('service-rules');
  data = join(dir, 'data');
  mkdirSync(data);
  core = await composeCore({ configPath: join(dir, 'seedbox-remote.json'), version: 'test', platform: 'linux', memorySecrets: 'tests keep secrets in memory' });
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
  await Promise.all([rt?.stop(), tr?.stop()]);
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
