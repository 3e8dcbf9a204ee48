import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SeedboxError } from '../../../../electron/shared/errors';
import type { SeedboxStatus } from '../../../../electron/shared/contract';
import type { TorrentClient } from '../../../../electron/core/clients/types';
import { SeedboxSession } from '../../../../electron/core/connections/session';
import { rejectionOf } from '../../../helpers/errors';

// The session's state machine with a scripted client; the real daemons going down and coming
// back are exercised by the service's live tests.
function scriptedClient(connect: () => Promise<unknown>, list: () => Promise<unknown> = async () => []): TorrentClient {
  return { connect, list, close: async () => undefined } as unknown as TorrentClient;
}

const INFO = { kind: 'rtorrent', version: '0.9.8', protocol: 'xmlrpc', capabilities: {} };

describe('SeedboxSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('connects, runs calls, and fails fast with "unavailable" while down', async () => {
    const session = new SeedboxSession({ seedboxId: 'box', open: async () => ({ client: scriptedClient(async () => INFO), close: async () => undefined }) });
    const error = await rejectionOf(session.run(async () => 1));
    expect(error.code).toBe('unavailable');
    await session.start();
    expect(session.status).toMatchObject({ state: 'connected', error: null, info: INFO });
    expect(await session.run(async () => 42)).toBe(42);
  });

  it('reconnects with growing, jittered delays and publishes the next attempt time', async () => {
    let attempts = 0;
    const statuses: SeedboxStatus[] = [];
    const session = new SeedboxSession({
      seedboxId: 'box',
      baseDelayMs: 1000,
      maxDelayMs: 8000,
      random: () => 1,
      open: async () => {
        attempts++;
        if (attempts < 5) throw new SeedboxError('connection-refused', 'nothing listens');
        return { client: scriptedClient(async () => INFO), close: async () => undefined };
      },
    });
    session.onStatus((status) => statuses.push(status));
    const startedAt = Date.now();
    await session.start();
    const delays: number[] = [];
    while (session.status.state !== 'connected') {
      expect(session.status.state).toBe('reconnecting');
      expect(session.status.error?.code).toBe('connection-refused');
      delays.push(session.status.nextAttemptAt! - Date.now());
      await vi.advanceTimersByTimeAsync(session.status.nextAttemptAt! - Date.now());
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    // Offline since the first failure, through every retry, until connected again.
    const offline = statuses.filter((status) => status.error !== null).map((status) => status.offlineSince);
    expect(new Set(offline)).toEqual(new Set([startedAt]));
    expect(statuses.at(-1)).toMatchObject({ state: 'connected', nextAttemptAt: null, offlineSince: null });
  });

  it('stops retrying when only the user can fix it', async () => {
    let attempts = 0;
    const session = new SeedboxSession({
      seedboxId: 'box',
      open: async () => {
        attempts++;
        throw new SeedboxError('auth-failed', 'Wrong password.');
      },
    });
    await session.start();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempts).toBe(1);
    expect(session.status).toMatchObject({ state: 'failed', nextAttemptAt: null, error: { code: 'auth-failed' } });
    expect((await rejectionOf(session.run(async () => 1))).message).toMatch(/not connected: Wrong password/);
  });

  it('reports a call that broke the connection as it failed, then reconnects (never repeats it)', async () => {
    let calls = 0;
    const client = scriptedClient(async () => INFO);
    const session = new SeedboxSession({ seedboxId: 'box', baseDelayMs: 100, random: () => 0, open: async () => ({ client, close: async () => undefined }) });
    await session.start();
    const error = await rejectionOf(
      session.run(async () => {
        calls++;
        throw new SeedboxError('connection-lost', 'reset');
      }),
    );
    expect(error.code).toBe('connection-lost');
    expect(calls).toBe(1);
    expect(session.status.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(session.status.state).toBe('connected');
    // A daemon's refusal is not a lost connection.
    await rejectionOf(session.run(async () => Promise.reject(new SeedboxError('not-found', 'no such torrent'))));
    expect(session.status.state).toBe('connected');
  });
});
