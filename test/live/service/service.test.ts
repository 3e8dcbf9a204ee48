import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeResult, SeedboxStatus, TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent } from '../../../electron/shared/model';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import type { Notice } from '../../../electron/core/events';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { applyDelta, invokeService } from '../../helpers/service';
import { tempDir, waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';
import { rejectionOf } from '../../helpers/errors';

// The core service as the window and the tray use it: real settings file, real rtorrents,
// events applied the way the renderer's store applies them.
let core: ComposedCore;
let rtA: RtorrentInstance;
let rtB: RtorrentInstance;
const statuses: SeedboxStatus[] = [];
const notices: Notice[] = [];
/** Every box's list as the window would hold it, rebuilt from the deltas alone. */
const windowView = new Map<string, Map<string, Torrent>>();
let configPath: string;

function apply(delta: TorrentDelta): void {
  applyDelta(windowView, delta);
}

beforeAll(async () => {
  [rtA, rtB] = await Promise.all([startRtorrent(), startRtorrent()]);
  configPath = join(tempDir('service'), 'seedbox-remote.json');
  core = await composeCore({ configPath, version: 'test', platform: 'linux', memorySecrets: 'tests keep secrets in memory' });
  core.service.onEvent(<E extends EventChannel>(channel: E, payload: EventPayload<E>) => {
    if (channel === 'torrents:delta') apply(payload as TorrentDelta);
    if (channel === 'seedbox:status') statuses.push(payload as SeedboxStatus);
  });
  core.service.events.on('notice', (notice) => notices.push(notice));
  await invoke('preferences:update', { refreshIntervalMs: 500 });
  await core.service.start();
});

afterAll(async () => {
  await core?.service.stop();
  await Promise.all([rtA?.stop(), rtB?.stop()]);
});

/** Calls the service as the window does: through the contract's validation. */
async function invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  return invokeService(core.service.handlers, channel, args);
}

const stateOf = (seedboxId: string): string | undefined => statuses.filter((status) => status.seedboxId === seedboxId).at(-1)?.state;

describe('the core service with two real rtorrents', () => {
  let idA = '';
  let idB = '';

  it('adds seedboxes, connects them, and keeps them in the settings file without secrets', async () => {
    idA = (await invoke('seedboxes:add', { seedbox: { name: 'Box A', kind: 'rtorrent', url: rtA.url } })).id;
    idB = (await invoke('seedboxes:add', { seedbox: { name: 'Box B', kind: 'rtorrent', url: rtB.url } })).id;
    await waitFor('both boxes to connect', () => stateOf(idA) === 'connected' && stateOf(idB) === 'connected');
    expect((await invoke('seedboxes:statuses', {})).map((status) => status.info?.version)).toEqual(['0.9.8', '0.9.8']);
    const file = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(file.seedboxes.map((box: { name: string }) => box.name)).toEqual(['Box A', 'Box B']);
  });

  it('pushes a full snapshot, then field-level deltas as torrents are added and started', async () => {
    const data = join(rtA.dir, 'data');
    mkdirSync(data);
    const made = makeTorrent({ dataParent: data, name: 'service ünï', files: [{ path: '', content: filler('svc', 20_000) }] });
    const [result] = await invoke('torrents:add', {
      seedboxId: idA,
      sources: [{ kind: 'file', bytes: new Uint8Array(made.bytes), fileName: 'svc.torrent' }],
      options: { savePath: data, paused: true },
    });
    expect(result).toEqual({ ok: true, id: made.infoHash });
    await waitFor('the delta adding it', () => windowView.get(idA)?.get(made.infoHash)?.state === 'paused');

    await invoke('torrents:start', { seedboxId: idA, ids: [made.infoHash] });
    await waitFor('the torrent to seed, as told by deltas', () => windowView.get(idA)?.get(made.infoHash)?.state === 'seeding', 20_000);
    expect(notices).toContainEqual({ kind: 'download-finished', seedboxId: idA, seedboxName: 'Box A', torrentId: made.infoHash, torrentName: 'service ünï' });

    // A window that subscribes later gets everything as one full snapshot per box.
    const late = new Map<string, TorrentDelta>();
    const stop = core.service.onEvent((channel, payload) => {
      if (channel === 'torrents:delta' && (payload as TorrentDelta).full) late.set((payload as TorrentDelta).seedboxId, payload as TorrentDelta);
    });
    await invoke('torrents:subscribe', {});
    stop();
    expect(late.get(idA)?.added.map((torrent) => torrent.id)).toEqual([made.infoHash]);
    expect(late.get(idB)?.added).toEqual([]);
    expect(late.get(idA)?.stats).toMatchObject({ count: 1, countsByState: { seeding: 1 } });
  });

  it('answers bad arguments and unknown boxes with typed errors', async () => {
    expect((await rejectionOf(invoke('torrents:details', { seedboxId: 'nope', id: 'a'.repeat(40) }))).code).toBe('not-found');
    expect((await rejectionOf(invoke('torrents:details', { seedboxId: idB, id: 'a'.repeat(40) }))).code).toBe('not-found');
  });

  it('notices a box going down, fails its requests fast, and brings it back', async () => {
    await rtB.kill();
    // The next refresh finds the socket gone.
    await waitFor('box B to be reconnecting', () => stateOf(idB) === 'reconnecting', 10_000);
    const down = statuses.filter((status) => status.seedboxId === idB).at(-1)!;
    // Refused when the next refresh dials a missing socket; lost when one was under way.
    expect(['connection-refused', 'connection-lost']).toContain(down.error?.code);
    expect(down.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
    expect(notices.some((notice) => notice.kind === 'seedbox-lost' && notice.seedboxId === idB)).toBe(true);
    const started = Date.now();
    expect((await rejectionOf(invoke('torrents:start', { seedboxId: idB, ids: ['b'.repeat(40)] }))).code).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(200);
    // Box A is not disturbed.
    expect(stateOf(idA)).toBe('connected');

    await rtB.restart();
    await waitFor('box B to come back', () => stateOf(idB) === 'connected', 30_000);
    expect(notices.some((notice) => notice.kind === 'seedbox-back' && notice.seedboxId === idB)).toBe(true);
  });

  it('fails a box for good (no retries) when only the user can fix it, and tests settings step by step', async () => {
    const report = await invoke('seedboxes:test', { seedbox: { name: 'probe', kind: 'rtorrent', url: rtA.url } });
    expect(report).toMatchObject({ ok: true, torrentCount: 1, info: { version: '0.9.8' } });
    const broken = await invoke('seedboxes:test', { seedbox: { name: 'probe', kind: 'rtorrent', url: 'scgi:///nonexistent/rt.sock' } });
    expect(broken.ok).toBe(false);
    expect(broken.error?.code).toBe('connection-refused');
    expect(broken.steps.at(-1)).toMatchObject({ ok: false, step: 'connect' });
  });

  it('removes a seedbox: its session stops and it leaves the settings file', async () => {
    await invoke('seedboxes:remove', { id: idB });
    expect((await invoke('seedboxes:list', {})).map((box) => box.id)).toEqual([idA]);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).seedboxes).toHaveLength(1);
  });
});
