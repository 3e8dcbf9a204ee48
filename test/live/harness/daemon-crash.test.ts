import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../electron/core/clients/deluge/client';
import { startDeluged, type DelugeInstance } from '../../helpers/deluge';
import { DAEMON_CRASHED, RETRY_ONLY_AFTER_A_DAEMON_CRASH } from '../../helpers/daemon-crash';
import { waitFor } from '../../helpers/processes';

// The live suite's answer to a daemon that crashes by itself (test/helpers/live-setup.ts): the
// test it hit fails with the crash, runs once more on the daemon started again, and passes.
describe('a daemon crash under a test', () => {
  let deluge: DelugeInstance;
  let client: DelugeClient;
  const attempts: number[] = [];

  beforeAll(async () => {
    deluge = await startDeluged();
    client = new DelugeClient({
      kind: 'deluge',
      url: `deluge://127.0.0.1:${deluge.port}`,
      username: deluge.username,
      password: deluge.password,
      transport: { timeoutMs: 10_000, tls: { pinnedSha256: deluge.certificateSha256 } },
    });
  });

  afterAll(async () => {
    await client?.close();
    await deluge?.stop();
  });

  it('is retried once, on the daemon started again', async ({ task }) => {
    attempts.push(task.result?.retryCount ?? 0);
    await client.list();
    if (attempts.length === 1) {
      const crashed = deluge.daemon;
      crashed.child.kill('SIGSEGV');
      await waitFor('deluged to die', () => !crashed.running);
      await expect(client.list()).rejects.toThrow();
      return;
    }
    expect(attempts).toEqual([0, 1]);
    expect(deluge.daemon.running).toBe(true);
    expect(Array.isArray(await client.list())).toBe(true);
  });

  it('retries nothing but a crash', () => {
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test(`${DAEMON_CRASHED}: deluged (exit SIGSEGV)`)).toBe(true);
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test('The connection to the Deluge daemon at 127.0.0.1:1 is closed; core.add_torrent_file was not answered.')).toBe(false);
    expect(RETRY_ONLY_AFTER_A_DAEMON_CRASH.test("expected 'connection-refused' to be 'auth-failed'")).toBe(false);
  });
});
