// The Deluge client against a hostile daemon (test/helpers/hostile-deluge.ts): every wrong
// shape, bomb, garbage, truncation, reset and silence ends in a typed SeedboxError that says
// what was wrong (for a wrong shape, which field), never in a TypeError, a RangeError or a
// silent success, and a bomb is refused within a memory bound.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../../electron/core/clients/deluge/client';
import type { ClientEvent } from '../../../../electron/shared/model';
import { rejectionOf } from '../../../helpers/errors';
import { HOSTILE_DELUGE_CASES, HOSTILE_PASSWORD, HOSTILE_USER, TORRENT_ID, answer, startHostileDeluge } from '../../../helpers/hostile-deluge';
import { closeAllServers, makeCertificates, type TestCertificates } from '../transports/fixtures';

let certs: TestCertificates;
const clients: DelugeClient[] = [];

beforeAll(() => {
  certs = makeCertificates();
  // Built once, before any timing: the bombs themselves take a moment to make.
  for (const testCase of HOSTILE_DELUGE_CASES) testCase.misbehave.prepare?.();
}, 120_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await closeAllServers();
});

/** Generous for everything but the silent daemon: a bomb takes a while to send and refuse on a busy machine. */
function clientFor(port: number, timeoutMs = 20_000): DelugeClient {
  const client = new DelugeClient({
    kind: 'deluge',
    url: `deluge://127.0.0.1:${port}`,
    username: HOSTILE_USER,
    password: HOSTILE_PASSWORD,
    transport: { tls: { pinnedSha256: certs.selfSigned.fingerprint }, timeoutMs },
  });
  clients.push(client);
  return client;
}

describe('the Deluge client against a hostile daemon', () => {
  it('works against the honest daemon the cases start from', async () => {
    const { port } = await startHostileDeluge(certs.selfSigned);
    const client = clientFor(port);
    expect((await client.list()).map((torrent) => torrent.id)).toEqual([TORRENT_ID]);
    expect((await client.details(TORRENT_ID)).files).toHaveLength(1);
    await client.stop([TORRENT_ID]);
    await client.remove([TORRENT_ID], { deleteData: false });
    expect(await client.sessionStats()).toMatchObject({ downRate: 1024, freeSpaceBytes: 1_000_000_000 });
  });

  it.each(HOSTILE_DELUGE_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const { port } = await startHostileDeluge(certs.selfSigned, testCase);
    const error = await rejectionOf(testCase.call(clientFor(port, testCase.code === 'timeout' ? 1500 : undefined)));
    expect(error.code).toBe(testCase.code);
    if (testCase.field !== undefined) expect(error.details['field']).toBe(testCase.field);
    if (testCase.message) expect(error.message).toMatch(testCase.message);
    // One line a person can read: no JavaScript error text, no control characters, bounded.
    expect(error.message).not.toMatch(/TypeError|RangeError|is not a function|Cannot read properties|call stack/);
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.message.length).toBeLessThan(600);
  });

  it('ends the connection on a malformed event it asked for, saying why, and connects again', async () => {
    const { port, daemon } = await startHostileDeluge(certs.selfSigned);
    const client = clientFor(port);
    const events: ClientEvent[] = [];
    client.subscribe((event) => events.push(event));
    await client.connect();
    await client.poll({ light: false });
    daemon.sessions[0]!.event('TorrentAddedEvent', [42, false]);
    await expect.poll(() => events.at(-1)).toMatchObject({ type: 'disconnected', reason: expect.stringMatching(/TorrentAddedEvent field \[0\] with an integer, expected a string\./) });
    // An event we did not ask for is not read at all.
    expect((await client.list()).map((torrent) => torrent.id)).toEqual([TORRENT_ID]);
    daemon.sessions[1]!.event('SomeoneElsesEvent', [{ deeply: [[['odd']]] }]);
    expect((await client.list()).map((torrent) => torrent.id)).toEqual([TORRENT_ID]);
  });

  it('a torrent seen first in a diff without every key waits for the whole list', async () => {
    const other = 'f'.repeat(40);
    const { port, daemon } = await startHostileDeluge(certs.selfSigned, {
      method: 'core.get_torrents_status',
      misbehave: (request, session) => {
        const diff = request.args[2] === true;
        answer(diff ? { [other]: { name: 'half a row' } } : {})(request, session);
      },
    });
    const client = clientFor(port);
    for (let refresh = 0; refresh < 4; refresh++) expect(await client.poll({ light: false })).toEqual([]);
    // The half row a diff (diff=True) brought made the next refresh a full one (diff=False).
    const diffs = daemon.requests.filter((request) => request.method === 'core.get_torrents_status').map((request) => request.args[2]);
    expect(diffs.slice(diffs.indexOf(true))).toEqual([true, false]);
  });
});
