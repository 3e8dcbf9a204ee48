// The fetch:* channels as the window reaches them: every payload through the contract's
// validation, typed errors for what the queue cannot do, the queue file's lock and damage.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { fetchQueuePath } from '../../../../electron/core/fetch/queue';
import { MemorySecretStore } from '../../../../electron/core/secrets/memory-store';
import { createEventSource, type CoreEvents } from '../../../../electron/core/events';
import { FetchHost } from '../../../../electron/core/service/fetch/handlers';
import { dispatchInvoke } from '../../../../electron/core/service/dispatch';
import type { RegistryApi } from '../../../../electron/core/service/registry-api';
import { createSeedboxService } from '../../../../electron/core/service/seedbox-service';
import type { SeedboxServiceApi } from '../../../../electron/core/service/types';
import { PreferencesSchema, type InvokeChannel, type SerializedError } from '../../../../electron/shared/contract';
import { SeedboxError } from '../../../../electron/shared/errors';
import { FetchOnCompleteSchema } from '../../../../electron/shared/fetch';
import { tempDir } from '../../../helpers/processes';

const running: SeedboxServiceApi[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

/** A service with no seedboxes, its queue file in a fresh folder (or the one given). */
async function startService(options: { queueFile?: string; chooseFolder?: () => Promise<string | null> } = {}): Promise<SeedboxServiceApi> {
  const registry = { list: async () => [], preferences: async () => PreferencesSchema.parse({}) } as unknown as RegistryApi;
  const folder = tempDir('fetch-unit');
  const service = createSeedboxService({
    registry,
    config: new ConfigFile({ path: join(folder, 'seedbox-remote.json') }),
    secretStore: new MemorySecretStore({ unavailableReason: 'tests' }),
    version: 'test',
    platform: 'linux',
    log: () => undefined,
    fetch: {
      queueFile: options.queueFile ?? fetchQueuePath(join(folder, 'seedbox-remote.json')),
      downloadsFolder: tempDir('fetch-unit-downloads'),
      ...(options.chooseFolder ? { chooseFolder: options.chooseFolder } : {}),
      onCompleteRules: async () => [],
    },
  });
  running.push(service);
  await service.start();
  return service;
}

/** The error a call gets, as the window receives it. */
async function refusal(service: SeedboxServiceApi, channel: InvokeChannel, args: unknown): Promise<SerializedError> {
  const envelope = await dispatchInvoke(service.handlers, channel, args);
  if (envelope.ok) throw new Error(`${channel} was accepted`);
  return envelope.error;
}

const torrentId = 'a'.repeat(40);
const valid = { seedboxId: 'box', torrentId, fileIndexes: null, destination: null, onExisting: 'refuse' };

describe('fetch:* channels', () => {
  it('refuses malformed payloads before anything runs', async () => {
    const service = await startService();
    for (const args of [
      { ...valid, extra: 1 },
      { ...valid, torrentId: 'not a hash' },
      { ...valid, fileIndexes: [] },
      { ...valid, fileIndexes: [-1] },
      { ...valid, fileIndexes: [1.5] },
      { ...valid, onExisting: 'overwrite' },
      { ...valid, destination: '' },
      { ...valid, seedboxId: '../box' },
      { seedboxId: 'box', torrentId },
    ]) {
      expect((await refusal(service, 'fetch:enqueue', args)).code, JSON.stringify(args)).toBe('invalid-argument');
    }
    for (const channel of ['fetch:pause', 'fetch:resume', 'fetch:cancel', 'fetch:remove'] as const) {
      expect((await refusal(service, channel, { ids: [] })).code).toBe('invalid-argument');
      expect((await refusal(service, channel, { ids: ['../../etc'] })).code).toBe('invalid-argument');
      expect((await refusal(service, channel, { ids: ['0123abcd'] })).code).toBe('not-found');
    }
    expect((await refusal(service, 'fetch:jobs', { all: true })).code).toBe('invalid-argument');
  });

  it('answers for an unknown box, a made-up folder and a window without a folder dialog', async () => {
    const service = await startService();
    expect(await refusal(service, 'fetch:enqueue', valid)).toMatchObject({ code: 'not-found', message: 'There is no seedbox with id box.' });
    expect(await refusal(service, 'fetch:chooseFolder', {})).toMatchObject({ code: 'unsupported' });
    expect(await dispatchInvoke(service.handlers, 'fetch:jobs', {})).toEqual({ ok: true, value: [] });
  });

  it('one queue file, one process: a second service is told who works it; a damaged file is left alone', async () => {
    const queueFile = fetchQueuePath(join(tempDir('fetch-unit'), 'seedbox-remote.json'));
    await startService({ queueFile });
    const second = await startService({ queueFile });
    expect(await refusal(second, 'fetch:jobs', {})).toMatchObject({ code: 'refused', details: { reason: 'queue-busy', owner: 'Seedbox Remote' } });

    const damaged = fetchQueuePath(join(tempDir('fetch-unit'), 'seedbox-remote.json'));
    writeFileSync(damaged, '{"version":1,"jobs":[{');
    const third = await startService({ queueFile: damaged });
    expect(await refusal(third, 'fetch:jobs', {})).toMatchObject({ code: 'refused', message: expect.stringContaining('is damaged') });
  });

  it('the fetch-on-completion rule: a condition that parses, an absolute folder, one rule per box', () => {
    const rule = { seedboxId: 'box', when: 'label == "tv"', destination: '/home/me/TV' };
    expect(FetchOnCompleteSchema.parse(rule)).toEqual({ ...rule, enabled: true, addLabel: null, onExisting: 'refuse' });
    expect(FetchOnCompleteSchema.safeParse({ ...rule, when: 'label ==' }).success).toBe(false);
    expect(FetchOnCompleteSchema.safeParse({ ...rule, destination: 'TV' }).success).toBe(false);
    expect(FetchOnCompleteSchema.safeParse({ ...rule, destination: 'C:\\Users\\me\\TV' }).success).toBe(true);
  });
});

describe('the fetch bandwidth limit', () => {
  it('is set before the queue starts and changed live on the running queue', async () => {
    const folder = tempDir('fetch-unit');
    const host = new FetchHost({
      events: createEventSource<CoreEvents>(),
      boxes: { boxOf: () => { throw new Error('no boxes here'); } },
      queueFile: fetchQueuePath(join(folder, 'seedbox-remote.json')),
      downloadsFolder: folder,
      log: () => undefined,
    });
    host.bandwidthBytesPerSecond = 4096;
    await host.start();
    onTestFinished(() => host.stop());
    expect(host.queue.bandwidth.bytesPerSecond).toBe(4096);
    host.bandwidthBytesPerSecond = 0;
    expect(host.queue.bandwidth.bytesPerSecond).toBe(0);
    host.bandwidthBytesPerSecond = 1024 * 1024;
    expect(host.queue.bandwidth.bytesPerSecond).toBe(1024 * 1024);
  });
});

describe('fetch on completion from the window', () => {
  /** A host with one box ("box") whose settings file is real, and a folder dialog answering `picked`. */
  function hostWithBox(picked: string | null): { host: FetchHost; config: ConfigFile } {
    const config = new ConfigFile({ path: join(tempDir('fetch-auto'), 'seedbox-remote.json') });
    const host = new FetchHost({
      events: createEventSource<CoreEvents>(),
      boxes: {
        boxOf: (id) => {
          if (id !== 'box') throw new SeedboxError('not-found', `No seedbox ${id}.`);
          return {} as never;
        },
      },
      downloadsFolder: tempDir('fetch-auto-downloads'),
      chooseFolder: async () => picked,
      config,
      log: () => undefined,
    });
    return { host, config };
  }
  const call = async <C extends 'fetch:getAutoRules' | 'fetch:setAutoRule' | 'fetch:chooseFolder'>(host: FetchHost, channel: C, args: unknown): Promise<Envelope> =>
    dispatchInvoke(host.handlers() as never, channel, args);
  type Envelope = Awaited<ReturnType<typeof dispatchInvoke>>;

  it('writes the settings field the CLI writes, only to a folder picked in the dialog, with a condition that parses', async () => {
    const folder = tempDir('fetch-auto-chosen');
    const { host, config } = hostWithBox(folder);
    const rule = { when: 'label == "tv"', destination: folder, addLabel: 'fetched' };

    // Before the dialog: the folder is refused, nothing is written.
    const early = await call(host, 'fetch:setAutoRule', { seedboxId: 'box', rule });
    expect(early.ok ? null : early.error.code).toBe('refused');
    expect((await config.read()).fetchOnComplete).toEqual([]);

    await call(host, 'fetch:chooseFolder', {});
    const bad = await call(host, 'fetch:setAutoRule', { seedboxId: 'box', rule: { ...rule, when: 'ratio >=' } });
    expect(bad.ok ? null : bad.error.code).toBe('invalid-argument');
    expect(bad.ok ? '' : bad.error.message).toMatch(/^Fetch on completion: when: /);
    const unknown = await call(host, 'fetch:setAutoRule', { seedboxId: 'other', rule });
    expect(unknown.ok ? null : unknown.error.code).toBe('not-found');
    const malformed = await call(host, 'fetch:setAutoRule', { seedboxId: 'box', rule: { ...rule, extra: 1 } });
    expect(malformed.ok ? null : malformed.error.code).toBe('invalid-argument');
    expect((await config.read()).fetchOnComplete).toEqual([]);

    const set = await call(host, 'fetch:setAutoRule', { seedboxId: 'box', rule });
    const saved = { seedboxId: 'box', enabled: true, when: 'label == "tv"', destination: folder, addLabel: 'fetched', onExisting: 'refuse' as const };
    expect(set).toEqual({ ok: true, value: [saved] });
    expect((await config.read()).fetchOnComplete).toEqual([saved]);
    expect(await call(host, 'fetch:getAutoRules', {})).toEqual({ ok: true, value: [saved] });

    // Another run (no dialog yet): the saved folder may be kept while the condition changes.
    const next = hostWithBox(null);
    await next.config.update((draft) => ({ ...draft, fetchOnComplete: [saved] }));
    expect(await call(next.host, 'fetch:setAutoRule', { seedboxId: 'box', rule: { ...rule, when: 'ratio >= 2', addLabel: null } })).toEqual({ ok: true, value: [{ ...saved, when: 'ratio >= 2', addLabel: null }] });
    const elsewhere = await call(next.host, 'fetch:setAutoRule', { seedboxId: 'box', rule: { ...rule, destination: tempDir('made-up') } });
    expect(elsewhere.ok ? null : elsewhere.error.code).toBe('refused');

    expect(await call(host, 'fetch:setAutoRule', { seedboxId: 'box', rule: null })).toEqual({ ok: true, value: [] });
    expect((await config.read()).fetchOnComplete).toEqual([]);
  });
});
