import { describe, expect, expectTypeOf, it } from 'vitest';
import { join } from 'node:path';
import { ConfigFile } from '../../../electron/core/config/config-file';
import { tempDir } from '../../helpers/processes';
import { createEventSource, type CoreEvents, type Notice, type Totals } from '../../../electron/core/events';
import { composeHandlers } from '../../../electron/core/service/handlers';
import { createSeedboxService } from '../../../electron/core/service/seedbox-service';
import type { RegistryApi } from '../../../electron/core/service/registry-api';
import { MemorySecretStore } from '../../../electron/core/secrets/memory-store';
import { INVOKE_CHANNELS } from '../../../electron/shared/contract';
import { modelTorrent } from '../../helpers/model';

interface TestEvents {
  count: number;
  word: string;
}

describe('createEventSource', () => {
  it('delivers each payload to the subscribers of its name only, until they unsubscribe', () => {
    const events = createEventSource<TestEvents>();
    const counts: number[] = [];
    const words: string[] = [];
    const stopCount = events.on('count', (value) => counts.push(value));
    events.on('word', (value) => words.push(value));
    events.emit('count', 1);
    events.emit('word', 'a');
    stopCount();
    events.emit('count', 2);
    expect(counts).toEqual([1]);
    expect(words).toEqual(['a']);
    expect(events.has('count')).toBe(false);
    expect(events.has('word')).toBe(true);
  });

  it('keeps two subscriptions of one function apart: each unsubscribes alone', () => {
    const events = createEventSource<TestEvents>();
    const seen: number[] = [];
    const record = (value: number): void => void seen.push(value);
    const first = events.on('count', record);
    events.on('count', record);
    events.emit('count', 1);
    first();
    events.emit('count', 2);
    expect(seen).toEqual([1, 1, 2]);
  });

  it('reports a throwing subscriber and still delivers to the others, in order', () => {
    const reported: string[] = [];
    const events = createEventSource<TestEvents>({ reportError: (message) => reported.push(message) });
    const seen: string[] = [];
    events.on('word', (value) => seen.push(`before ${value}`));
    events.on('word', () => {
      throw new Error('a feature has a bug');
    });
    events.on('word', (value) => seen.push(`after ${value}`));
    expect(() => events.emit('word', 'x')).not.toThrow();
    expect(seen).toEqual(['before x', 'after x']);
    expect(reported).toEqual(['A subscriber to word failed: a feature has a bug']);
  });

  it('does not call a subscriber removed by an earlier one during the same emit', () => {
    const events = createEventSource<TestEvents>();
    const seen: string[] = [];
    let stopSecond = (): void => undefined;
    events.on('count', () => {
      seen.push('first');
      stopSecond();
    });
    stopSecond = events.on('count', () => seen.push('second'));
    events.emit('count', 1);
    expect(seen).toEqual(['first']);
  });

  it('types each payload by its name', () => {
    const events = createEventSource<CoreEvents>();
    events.on('notice', (notice) => expectTypeOf(notice).toEqualTypeOf<Notice>());
    events.on('totals', (totals) => expectTypeOf(totals).toEqualTypeOf<Totals>());
    events.on('torrents:transitions', ({ transitions }) => expectTypeOf(transitions[0]!.kind).toEqualTypeOf<'completed' | 'errored'>());
    // @ts-expect-error: a payload of another event
    events.emit('notice', { downRate: 0, upRate: 0, boxes: [] });
    // @ts-expect-error: no such event
    events.on('torrents:deltas', () => undefined);
  });
});

describe('the service on its event source', () => {
  function service(): ReturnType<typeof createSeedboxService> {
    const registry = {} as RegistryApi;
    return createSeedboxService({ registry, config: new ConfigFile({ path: join(tempDir('events'), 'seedbox-remote.json') }), secretStore: new MemorySecretStore({ unavailableReason: 'tests' }), version: 'test', platform: 'linux' });
  }

  it('derives notices from transitions and box states, and forwards statuses to the window', () => {
    const { events, onEvent } = service();
    const notices: Notice[] = [];
    const windowChannels: string[] = [];
    events.on('notice', (notice) => notices.push(notice));
    onEvent((channel) => windowChannels.push(channel));
    const before = modelTorrent({ id: 'a'.repeat(40), name: 'Film', state: 'downloading', progress: 0.5 });
    const after = { ...before, state: 'seeding' as const, progress: 1 };
    events.emit('torrents:transitions', { seedboxId: 'box', seedboxName: 'Box', transitions: [{ kind: 'completed', before, after }] });
    const status = { seedboxId: 'box', state: 'reconnecting' as const, nextAttemptAt: 1, offlineSince: 1, error: { code: 'timeout' as const, message: 'No answer.', details: {} }, info: null };
    events.emit('box:status', { seedboxName: 'Box', previous: 'connected', status });
    events.emit('box:status', { seedboxName: 'Box', previous: 'reconnecting', status: { ...status, state: 'connected', error: null, offlineSince: null, nextAttemptAt: null } });
    expect(notices).toEqual([
      { kind: 'download-finished', seedboxId: 'box', seedboxName: 'Box', torrentId: after.id, torrentName: 'Film' },
      { kind: 'seedbox-lost', seedboxId: 'box', seedboxName: 'Box', message: 'No answer.' },
      { kind: 'seedbox-back', seedboxId: 'box', seedboxName: 'Box' },
    ]);
    expect(windowChannels).toEqual(['seedbox:status', 'seedbox:status']);
  });

  it('composes one handler for every channel of the contract', () => {
    const { handlers } = service();
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort());
  });
});

describe('composeHandlers', () => {
  it('refuses a channel handled by two parts', () => {
    const part = { 'app:info': async () => ({ version: 'x', platform: 'linux', secretStore: { kind: 'memory' as const, unavailable: null } }) };
    // Cast: the type already refuses a table missing channels; this checks the run-time guard.
    expect(() => composeHandlers([part, part] as unknown as Parameters<typeof composeHandlers>[0])).toThrow('Two parts of the service handle app:info.');
  });
});
