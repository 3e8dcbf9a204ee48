import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeResult, SeedboxStatus, TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent } from '../../../electron/shared/model';
import { composeCore, type ComposedCore } from '../../../electron/core/service/compose';
import { startFakeRtorrent, type FakeRtorrent } from '../../helpers/hostile/rtorrent';
import { startFakeTransmission, type FakeTransmission } from '../../helpers/hostile/transmission';
import { applyDelta, invokeService } from '../../helpers/service';
import { tempDir, waitFor } from '../../helpers/processes';

// The core service polling two boxes whose servers answer well, then turn hostile, then heal:
// the window keeps each box's last good list (no delta empties it), the box's status carries
// the error while it stays connected, and the error goes once the answers are good again.

let core: ComposedCore;
let rtorrent: FakeRtorrent;
let transmission: FakeTransmission;
let hostile = false;
const statuses: SeedboxStatus[] = [];
const windowView = new Map<string, Map<string, Torrent>>();

function apply(delta: TorrentDelta): void {
  applyDelta(windowView, delta);
}

async function invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  return invokeService(core.service.handlers, channel, args);
}

const lastStatus = (seedboxId: string): SeedboxStatus | undefined => statuses.filter((status) => status.seedboxId === seedboxId).at(-1);

beforeAll(async () => {
  rtorrent = await startFakeRtorrent({
    dialect: 'xmlrpc',
    torrents: [{ hash: 'A'.repeat(40), name: 'kept one' }],
    // Every list call, full or light (inside a system.multicall), answers rows of the wrong shape.
    hostile: (call) => (hostile && call.method === 'd.multicall2' ? { value: [['A'.repeat(40), { evil: true }]] } : undefined),
  });
  transmission = await startFakeTransmission({
    torrents: [{ hashString: 'b'.repeat(40), name: 'kept two' }],
    hostile: (call) => (hostile && call.method === 'torrent-get' ? { arguments: { torrents: { not: 'a list' } } } : undefined),
  });
  core = await composeCore({ configPath: join(tempDir('poller-hostile'), 'seedbox-remote.json'), version: 'test', platform: 'linux', memorySecrets: 'tests keep secrets in memory' });
  core.service.onEvent(<E extends EventChannel>(channel: E, payload: EventPayload<E>) => {
    if (channel === 'torrents:delta') apply(payload as TorrentDelta);
    if (channel === 'seedbox:status') statuses.push(payload as SeedboxStatus);
  });
  await invoke('preferences:update', { refreshIntervalMs: 500 });
  await core.service.start();
});

afterAll(async () => {
  await core?.service.stop();
  await Promise.all([rtorrent?.close(), transmission?.close()]);
});

describe('the poller with servers that turn hostile', () => {
  it('keeps the last good list of each box, shows the error while connected, and clears it when the answers heal', async () => {
    const rt = (await invoke('seedboxes:add', { seedbox: { name: 'rt', kind: 'rtorrent', url: rtorrent.url } })).id;
    const tr = (await invoke('seedboxes:add', { seedbox: { name: 'tr', kind: 'transmission', url: transmission.url } })).id;
    await waitFor('both lists to arrive', () => windowView.get(rt)?.size === 1 && windowView.get(tr)?.size === 1);

    hostile = true;
    await waitFor('both boxes to report the bad answers', () => lastStatus(rt)?.error != null && lastStatus(tr)?.error != null, 15_000);
    expect(lastStatus(rt)).toMatchObject({ state: 'connected', error: { code: 'protocol', message: expect.stringMatching(/rTorrent answered d\.multicall2 row 0/) } });
    expect(lastStatus(tr)).toMatchObject({ state: 'connected', error: { code: 'protocol', message: expect.stringMatching(/Transmission answered torrent-get field torrents with an object, expected a list/) } });
    // A few more refreshes go by, all bad: the window still shows what it had.
    const requestsBefore = rtorrent.calls.length;
    await waitFor('more refreshes', () => rtorrent.calls.length > requestsBefore + 3, 15_000);
    expect([...windowView.get(rt)!.values()].map((torrent) => torrent.name)).toEqual(['kept one']);
    expect([...windowView.get(tr)!.values()].map((torrent) => torrent.name)).toEqual(['kept two']);
    // A window that subscribes now gets the kept lists too, from the core's own state.
    const snapshots = new Map<string, TorrentDelta>();
    const stop = core.service.onEvent((channel, payload) => {
      if (channel === 'torrents:delta' && (payload as TorrentDelta).full) snapshots.set((payload as TorrentDelta).seedboxId, payload as TorrentDelta);
    });
    await invoke('torrents:subscribe', {});
    stop();
    expect(snapshots.get(rt)?.added.map((torrent) => torrent.name)).toEqual(['kept one']);
    expect(snapshots.get(tr)?.added.map((torrent) => torrent.name)).toEqual(['kept two']);

    hostile = false;
    await waitFor('the errors to clear', () => lastStatus(rt)?.error === null && lastStatus(tr)?.error === null, 15_000);
    expect(lastStatus(rt)?.state).toBe('connected');
    expect([...windowView.get(rt)!.values()].map((torrent) => torrent.name)).toEqual(['kept one']);
  });
});
