import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../electron/core/clients/deluge/client';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { TransmissionClient } from '../../../electron/core/clients/transmission/client';
import type { TorrentClient } from '../../../electron/core/clients/types';
import { startDeluged } from '../../helpers/deluge';
import { DAEMON_CRASHED, RETRY_ONLY_AFTER_A_DAEMON_CRASH } from '../../helpers/daemon-crash';
import { waitFor, type Daemon } from '../../helpers/processes';
import { startQbittorrent } from '../../helpers/qbittorrent';
import { startRtorrent } from '../../helpers/rtorrent';
import { startTransmission } from '../../helpers/transmission';

// The live suite's answer to a daemon that crashes by itself (test/helpers/live-setup.ts): the
// test it hit fails with the crash, runs once more on the daemon started again, and passes.
// Every daemon helper starts its daemon again on the same state.

interface Box {
  client: TorrentClient;
  /** The daemon now: a relaunch replaces it. */
  daemon(): Daemon;
  stop(): Promise<void>;
}

const BOXES: [string, () => Promise<Box>][] = [
  ['deluged', async () => {
    const deluge = await startDeluged();
    const client = new DelugeClient({ kind: 'deluge', url: `deluge://127.0.0.1:${deluge.port}`, username: deluge.username, password: deluge.password, transport: { timeoutMs: 10_000, tls: { pinnedSha256: deluge.certificateSha256 } } });
    return { client, daemon: () => deluge.daemon, stop: () => deluge.stop() };
  }],
  ['qbittorrent-nox', async () => {
    const qb = await startQbittorrent();
    const client = new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password });
    return { client, daemon: () => qb.daemon, stop: () => qb.stop() };
  }],
  ['transmission-daemon', async () => {
    const tr = await startTransmission();
    const client = new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password });
    return { client, daemon: () => tr.daemon, stop: () => tr.stop() };
  }],
  ['rtorrent', async () => {
    const rt = await startRtorrent();
    return { client: new RtorrentClient({ kind: 'rtorrent', url: rt.url, transport: { timeoutMs: 10_000 } }), daemon: () => rt.daemon, stop: () => rt.stop() };
  }],
];

describe.each(BOXES)('a crash of %s under a test', (_name, start) => {
  let box: Box;
  const attempts: number[] = [];

  beforeAll(async () => {
    box = await start();
  }, 60_000);

  afterAll(async () => {
    await box?.client.close();
    await box?.stop();
  });

  it('is retried once, on the daemon started again', async ({ task }) => {
    attempts.push(task.result?.retryCount ?? 0);
    await box.client.list();
    if (attempts.length === 1) {
      const crashed = box.daemon();
      crashed.child.kill('SIGSEGV');
      await waitFor('the daemon to die', () => !crashed.running);
      await expect(box.client.list()).rejects.toThrow();
      return;
    }
    expect(attempts).toEqual([0, 1]);
    expect(box.daemon().running).toBe(true);
    expect(Array.isArray(await box.client.list())).toBe(true);
  }, 60_000);
});

describe('the retry condition', () => {
  it('retries nothing but a crash', () => {
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test(`${DAEMON_CRASHED}: deluged (exit SIGSEGV)`)).toBe(true);
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test('The connection to the Deluge daemon at 127.0.0.1:1 is closed; core.add_torrent_file was not answered.')).toBe(false);
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test("expected 'connection-refused' to be 'auth-failed'")).toBe(false);
  });
});
