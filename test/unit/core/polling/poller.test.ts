import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TorrentDelta } from '../../../../electron/shared/contract';
import type { Torrent } from '../../../../electron/shared/model';
import type { SeedboxSession } from '../../../../electron/core/connections/session';
import type { PollChanges, PollOptions, TorrentClient } from '../../../../electron/core/clients/types';
import { SeedboxError } from '../../../../electron/shared/errors';
import { BoxPoller, SNAPSHOT_CHUNK, SNAPSHOT_FIRST_CHUNK, snapshotDeltas } from '../../../../electron/core/polling/poller';
import { classifyTransitions } from '../../../../electron/core/polling/transitions';
import { modelTorrent } from '../../../helpers/model';

function torrent(n: number): Torrent {
  return modelTorrent({ id: n.toString(16).padStart(40, '0'), name: `t ${n}`, sizeBytes: 100 * n, doneBytes: 100 * n, addedAt: n });
}

const list = (count: number): Torrent[] => Array.from({ length: count }, (_, index) => torrent(index + 1));
const stats: TorrentDelta['stats'] = { downRate: 0, upRate: 0, freeSpaceBytes: null, alternativeSpeedEnabled: null, count: 0, countsByState: {} as TorrentDelta['stats']['countsByState'] };

/** What a window does with a box's deltas (the renderer's store, reduced to membership and order). */
function apply(deltas: TorrentDelta[]): Map<string, Map<string, Torrent>> {
  const boxes = new Map<string, Map<string, Torrent>>();
  for (const delta of deltas) {
    if (delta.full || !boxes.has(delta.seedboxId)) boxes.set(delta.seedboxId, new Map());
    const box = boxes.get(delta.seedboxId)!;
    for (const added of delta.added) box.set(added.id, added);
    for (const id of delta.removed) box.delete(id);
  }
  return boxes;
}

describe('snapshotDeltas', () => {
  it('splits a list into a full first chunk and additions, which applied in order give the whole list', () => {
    const torrents = list(12);
    const deltas = snapshotDeltas({ seedboxId: 'box', torrents, stats, firstChunkSize: 5, chunkSize: 5 });
    expect(deltas.map((delta) => [delta.full, delta.added.length])).toEqual([
      [true, 5],
      [false, 5],
      [false, 2],
    ]);
    expect(deltas.every((delta) => delta.seedboxId === 'box' && delta.stats === stats && delta.changed.length === 0 && delta.removed.length === 0)).toBe(true);
    expect([...apply(deltas).get('box')!.values()]).toEqual(torrents);
  });

  it('replaces what the window had: a later snapshot drops torrents gone since', () => {
    const before = snapshotDeltas({ seedboxId: 'box', torrents: list(9), stats, firstChunkSize: 2, chunkSize: 4 });
    const after = snapshotDeltas({ seedboxId: 'box', torrents: list(3), stats, firstChunkSize: 2, chunkSize: 4 });
    expect([...apply([...before, ...after]).get('box')!.keys()]).toEqual(list(3).map((each) => each.id));
  });

  it('sends one full, empty delta for an empty box', () => {
    expect(snapshotDeltas({ seedboxId: 'box', torrents: [], stats })).toEqual([{ seedboxId: 'box', full: true, added: [], changed: [], removed: [], stats }]);
  });

  it('sends a small first chunk, then large ones, unless told, and refuses an empty chunk size', () => {
    const count = SNAPSHOT_FIRST_CHUNK + SNAPSHOT_CHUNK + 1;
    expect(snapshotDeltas({ seedboxId: 'box', torrents: list(count), stats }).map((delta) => delta.added.length)).toEqual([SNAPSHOT_FIRST_CHUNK, SNAPSHOT_CHUNK, 1]);
    expect(() => snapshotDeltas({ seedboxId: 'box', torrents: list(3), stats, chunkSize: 0 })).toThrow(/at least one/);
  });

  it('for any list and chunk size: one full delta first, no chunk over the size, the whole list in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }), fc.integer({ min: 1, max: 25 }), (count, firstChunkSize, chunkSize) => {
        const torrents = list(count);
        const deltas = snapshotDeltas({ seedboxId: 'b', torrents, stats, firstChunkSize, chunkSize });
        expect(deltas.map((delta) => delta.full)).toEqual(deltas.map((_, index) => index === 0));
        expect(deltas[0]!.added.length).toBe(Math.min(count, firstChunkSize));
        expect(deltas.slice(1).every((delta) => delta.added.length <= chunkSize)).toBe(true);
        expect(deltas).toHaveLength(1 + Math.ceil(Math.max(0, count - firstChunkSize) / chunkSize));
        expect([...apply(deltas).get('b')!.values()]).toEqual(torrents);
      }),
    );
  });
});

describe('BoxPoller', () => {
  function pollerOver(lists: Torrent[][]): { poller: BoxPoller; deltas: TorrentDelta[]; ticks: () => number } {
    let calls = 0;
    const client = { list: async () => lists[Math.min(calls++, lists.length - 1)]!, sessionStats: async () => ({ freeSpaceBytes: 5, alternativeSpeedEnabled: false }) } as unknown as TorrentClient;
    const session = { connected: true, run: <T>(action: (client: TorrentClient) => Promise<T>) => action(client), reportRefresh: () => undefined } as unknown as SeedboxSession;
    const deltas: TorrentDelta[] = [];
    const poller = new BoxPoller({ seedboxId: 'box', session, intervalMs: () => 1, light: () => false, onDelta: (delta) => deltas.push(delta), statsEvery: 1000 });
    return { poller, deltas, ticks: () => calls };
  }

  it('sends its first list in chunks, then field deltas, and snapshots() chunks the current list', async () => {
    const first = list(SNAPSHOT_FIRST_CHUNK + SNAPSHOT_CHUNK + 7);
    const second = first.map((each, index) => (index === 3 ? { ...each, downRate: 42 } : each));
    const { poller, deltas, ticks } = pollerOver([first, second]);
    poller.start();
    await expect.poll(ticks).toBeGreaterThanOrEqual(2);
    await poller.stop();
    expect(deltas.slice(0, 3).map((delta) => [delta.full, delta.added.length])).toEqual([
      [true, SNAPSHOT_FIRST_CHUNK],
      [false, SNAPSHOT_CHUNK],
      [false, 7],
    ]);
    expect(deltas[2]!.stats.count).toBe(first.length);
    expect(deltas[3]).toMatchObject({ full: false, added: [], changed: [{ id: first[3]!.id, downRate: 42 }], removed: [] });
    expect([...apply(deltas.slice(0, 3)).get('box')!.values()]).toEqual(first);

    const snapshots = poller.snapshots();
    expect(snapshots.map((delta) => delta.full)).toEqual([true, false, false]);
    expect([...apply(snapshots).get('box')!.values()]).toEqual(second);
  });

  /** A poller over a client whose first poll() hands over `whole` in pieces of `piece` through onPartial, then fails or resolves. */
  function pollerOverPieces(whole: Torrent[], piece: number, outcome: 'resolve' | 'fail') {
    const events: string[] = [];
    const deltas: TorrentDelta[] = [];
    let polls = 0;
    const client = {
      poll: async (options: PollOptions) => {
        polls++;
        for (let start = 0; start < whole.length; start += piece) {
          options.onPartial?.(whole.slice(start, start + piece));
          events.push(`piece ${start}`);
          await new Promise((resolve) => setImmediate(resolve));
        }
        events.push('resolved');
        if (outcome === 'fail') throw new SeedboxError('connection-lost', 'gone mid-answer');
        return whole;
      },
      sessionStats: async () => ({ freeSpaceBytes: 5, alternativeSpeedEnabled: false }),
    } as unknown as TorrentClient;
    const reported: (string | null)[] = [];
    const session = { connected: true, run: <T>(action: (client: TorrentClient) => Promise<T>) => action(client), reportRefresh: (error: Error | null) => reported.push(error?.message ?? null) } as unknown as SeedboxSession;
    const poller = new BoxPoller({
      seedboxId: 'box',
      session,
      intervalMs: () => 60_000,
      light: () => false,
      onDelta: (delta) => {
        deltas.push(delta);
        events.push(`delta ${delta.full ? 'full' : 'more'} ${delta.added.length}`);
      },
      statsEvery: 1000,
    });
    return { poller, deltas, events, reported, polls: () => polls };
  }

  it("sends a first list's first rows while the client still reads the rest, then only what had not gone", async () => {
    const whole = list(SNAPSHOT_FIRST_CHUNK + SNAPSHOT_CHUNK + 700);
    const { poller, deltas, events } = pollerOverPieces(whole, 1000, 'resolve');
    poller.start();
    await expect.poll(() => events.includes('resolved') && deltas.length >= 3).toBe(true);
    await poller.stop();
    // The first chunk left as soon as it was read, long before the client's answer ended.
    expect(events.indexOf(`delta full ${SNAPSHOT_FIRST_CHUNK}`)).toBeLessThan(events.indexOf('piece 2000'));
    expect(events.indexOf(`delta more ${SNAPSHOT_CHUNK}`)).toBeLessThan(events.indexOf('resolved'));
    expect(deltas.map((delta) => [delta.full, delta.added.length])).toEqual([
      [true, SNAPSHOT_FIRST_CHUNK],
      [false, SNAPSHOT_CHUNK],
      [false, 700],
    ]);
    expect(deltas[0]!.stats.count).toBe(SNAPSHOT_FIRST_CHUNK);
    expect(deltas.at(-1)!.stats.count).toBe(whole.length);
    expect([...apply(deltas).get('box')!.values()]).toEqual(whole);
    expect(poller.listed).toBe(true);
  });

  it('gives a window that subscribes in the middle of a first list the rows already sent, and the rest after', async () => {
    const whole = list(SNAPSHOT_FIRST_CHUNK + SNAPSHOT_CHUNK + 700);
    const { poller, deltas, events } = pollerOverPieces(whole, 1000, 'resolve');
    let snapshot: TorrentDelta[] | undefined;
    poller.start();
    // A window (re)loaded after the first chunk went, before the answer ends.
    // (The client hands over one piece per turn of the event loop: looking once per turn.)
    while (!events.includes(`delta full ${SNAPSHOT_FIRST_CHUNK}`)) await new Promise((resolve) => setImmediate(resolve));
    snapshot = poller.snapshots();
    expect(events).not.toContain('resolved');
    const sentBefore = deltas.length;
    await expect.poll(() => events.includes('resolved') && deltas.length >= 3).toBe(true);
    await poller.stop();
    expect(snapshot.map((delta) => [delta.full, delta.added.length])).toEqual([[true, SNAPSHOT_FIRST_CHUNK]]);
    expect(snapshot[0]!.stats.count).toBe(SNAPSHOT_FIRST_CHUNK);
    // That window's view: its snapshot, then only what was sent after it.
    expect([...apply([...snapshot, ...deltas.slice(sentBefore)]).get('box')!.values()]).toEqual(whole);
    snapshot = poller.snapshots();
    expect([...apply(snapshot).get('box')!.values()]).toEqual(whole);
  });

  it('takes back the rows it sent when the first list fails part-way, and keeps no list', async () => {
    const whole = list(SNAPSHOT_FIRST_CHUNK + 10);
    const { poller, deltas, reported, polls } = pollerOverPieces(whole, 500, 'fail');
    poller.start();
    await expect.poll(() => reported.length).toBe(1);
    await poller.stop();
    expect(polls()).toBe(1);
    expect(reported).toEqual(['gone mid-answer']);
    expect(deltas.map((delta) => [delta.full, delta.added.length])).toEqual([
      [true, SNAPSHOT_FIRST_CHUNK],
      [true, 0],
    ]);
    expect(apply(deltas).get('box')!.size).toBe(0);
    expect(deltas[1]!.stats.count).toBe(0);
    expect(poller.listed).toBe(false);
    expect([...poller.torrentList]).toEqual([]);
  });

  /** A poller over a client whose poll() hands over `results` in turn; `failStats` makes sessionStats throw. */
  function pollerOverChanges(results: (Torrent[] | PollChanges)[], options: { failStats?: boolean } = {}) {
    let calls = 0;
    const client = {
      poll: async () => results[Math.min(calls++, results.length - 1)]!,
      list: async () => {
        throw new Error('a client with poll() is not listed');
      },
      sessionStats: async () => {
        if (options.failStats) throw new Error('stats refused');
        return { freeSpaceBytes: 5, alternativeSpeedEnabled: false };
      },
    } as unknown as TorrentClient;
    const reported: (string | null)[] = [];
    const session = { connected: true, run: <T>(action: (client: TorrentClient) => Promise<T>) => action(client), reportRefresh: (error: Error | null) => reported.push(error?.message ?? null) } as unknown as SeedboxSession;
    const deltas: TorrentDelta[] = [];
    const transitions: { before: Torrent | null; after: Torrent }[][] = [];
    const poller = new BoxPoller({
      seedboxId: 'box',
      session,
      intervalMs: () => 1,
      light: () => false,
      onDelta: (delta) => deltas.push(delta),
      onTransitions: (pairs) => transitions.push(pairs),
      statsEvery: options.failStats ? 1 : 1000,
    });
    const run = async (ticks: number): Promise<void> => {
      poller.start();
      await expect.poll(() => calls).toBeGreaterThanOrEqual(ticks);
      await poller.stop();
    };
    return { poller, deltas, transitions, reported, run };
  }

  it('applies the changes a client hands over: only the named torrents are compared, the others stay as they were', async () => {
    const first = list(5);
    const downloading = { ...first[2]!, state: 'downloading' as const, progress: 0.5 };
    const start: Torrent[] = first.map((each, index) => (index === 2 ? downloading : each));
    const results: PollChanges[] = [
      { full: true, changed: start, removed: [] },
      { full: false, changed: [{ ...downloading, state: 'seeding', progress: 1 }, torrent(9)], removed: [start[4]!.id, 'f'.repeat(40)] },
      { full: false, changed: [], removed: [] },
    ];
    const { poller, deltas, transitions, run } = pollerOverChanges(results);
    await run(3);
    expect(deltas[0]).toMatchObject({ full: true, added: start });
    expect(deltas[1]).toMatchObject({ full: false, added: [torrent(9)], changed: [{ id: start[2]!.id, state: 'seeding', progress: 1 }], removed: [start[4]!.id] });
    expect(deltas[1]!.stats.count).toBe(5);
    // Nothing changed in the third poll: nothing is pushed.
    expect(deltas).toHaveLength(2);
    // The new torrent goes along with no before: classifyTransitions decides whether it finished.
    expect(transitions).toEqual([[{ before: downloading, after: { ...downloading, state: 'seeding', progress: 1 } }, { before: null, after: torrent(9) }]]);
    // The torrents the client did not name are kept, not taken for removed.
    expect([...poller.torrentList].map((each) => each.id).sort()).toEqual([start[0]!.id, start[1]!.id, start[2]!.id, start[3]!.id, torrent(9).id].sort());
  });

  it('takes a full answer after changes as the whole list: what it leaves out is removed', async () => {
    const start = list(4);
    const { poller, deltas, run } = pollerOverChanges([
      { full: true, changed: start, removed: [] },
      { full: true, changed: [start[0]!, { ...start[1]!, name: 'renamed' }], removed: [] },
    ]);
    await run(2);
    expect(deltas[1]).toMatchObject({ full: false, added: [], changed: [{ id: start[1]!.id, name: 'renamed' }], removed: [start[2]!.id, start[3]!.id] });
    expect([...poller.torrentList]).toHaveLength(2);
  });

  it('keeps the changes it was handed when the session figures fail, and says why the status is not fresh', async () => {
    const start = list(2);
    const { poller, deltas, reported, run } = pollerOverChanges([{ full: true, changed: start, removed: [] }, { full: false, changed: [], removed: [start[0]!.id] }], { failStats: true });
    await run(2);
    // Figures every refresh here, so every refresh pushes a delta.
    expect(deltas.slice(0, 2).map((delta) => delta.removed)).toEqual([[], [start[0]!.id]]);
    expect([...poller.torrentList]).toEqual([start[1]]);
    expect(reported.slice(0, 2)).toEqual(['stats refused', 'stats refused']);
  });

  it('diffs a whole list from a client that returns one: a torrent left out is removed', async () => {
    const start = list(3);
    const { deltas, run } = pollerOverChanges([start, [start[0]!, { ...start[2]!, upRate: 7 }]]);
    await run(2);
    expect(deltas[1]).toMatchObject({ full: false, added: [], changed: [{ id: start[2]!.id, upRate: 7 }], removed: [start[1]!.id] });
  });
});

describe('classifyTransitions', () => {
  const downloading = { ...torrent(1), state: 'downloading' as const, progress: 0.5 };
  it('says a torrent finished when it reached all its data while downloading', () => {
    const after = { ...downloading, state: 'seeding' as const, progress: 1 };
    expect(classifyTransitions([{ before: downloading, after }])).toEqual([{ kind: 'completed', before: downloading, after }]);
  });

  it('says a torrent new since the last list finished when it is complete and downloaded something', () => {
    const quick = { ...torrent(2), downloadedBytes: 200 };
    expect(classifyTransitions([{ before: null, after: quick }])).toEqual([{ kind: 'completed', before: null, after: quick }]);
  });

  it('does not take a new torrent added with its data already on the box, or still downloading, for a finished one', () => {
    const crossSeed = { ...torrent(3), downloadedBytes: 0 };
    const stillGoing = { ...torrent(4), state: 'downloading' as const, progress: 0.3, downloadedBytes: 120 };
    expect(classifyTransitions([{ before: null, after: crossSeed }, { before: null, after: stillGoing }])).toEqual([]);
  });

  it('says a new torrent in error is in error', () => {
    const broken = { ...torrent(5), state: 'error' as const, progress: 0 };
    expect(classifyTransitions([{ before: null, after: broken }])).toEqual([{ kind: 'errored', before: null, after: broken }]);
  });
});
