// The Deluge client's tracker hosts come from the announce URLs (electron/shared/tracker-host.ts),
// not from Deluge's own short tracker_host, and the URLs are read once per torrent: again only
// when its tracker_host changes or on a new connection. Against a real TLS server speaking
// Deluge's framing, whose list rows follow deluged 2.0.3 (test/fixtures/deluge/list.json).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DelugeClient } from '../../../../electron/core/clients/deluge/client';
import type { RencodeValue } from '../../../../electron/core/codecs/rencode';
import { HOSTILE_PASSWORD, HOSTILE_USER, TORRENT_ID, honestRow, startHostileDeluge, type HostileDeluge } from '../../../helpers/hostile-deluge';
import type { FakeRequest } from './fake-daemon';
import { closeAllServers, makeCertificates, type TestCertificates } from '../transports/fixtures';

let certs: TestCertificates;
const clients: DelugeClient[] = [];

beforeAll(() => {
  certs = makeCertificates();
}, 120_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await closeAllServers();
});

/** A daemon with one torrent whose trackers the test changes; diffs carry only what changed. */
async function startDaemon(): Promise<HostileDeluge & { torrent: { tracker_host: string; trackers: RencodeValue[] } }> {
  // Deluge shortens "tracker.example.org" to "example.org"; the model keeps the whole host.
  const torrent = {
    tracker_host: 'example.org',
    trackers: [
      { url: 'udp://Tracker.Example.org:6969/announce', tier: 0, fails: 0, message: '' },
      { url: 'http://[::1]:9/announce?passkey=secret', tier: 1, fails: 0, message: '' },
      { url: 'https://tracker.example.org/announce', tier: 1, fails: 0, message: '' },
    ] as RencodeValue[],
  };
  let sentHost: string | undefined;
  const daemon = await startHostileDeluge(certs.selfSigned, {
    method: 'core.get_torrents_status',
    misbehave: (request, session) => {
      const [, keys, diff] = request.args as [unknown, string[], boolean | undefined];
      const row: Record<string, RencodeValue> = { ...honestRow(), ...torrent };
      let answer: Record<string, RencodeValue> = Object.fromEntries(keys.map((key) => [key, row[key]!]));
      if (diff === true) answer = sentHost === torrent.tracker_host ? {} : { tracker_host: torrent.tracker_host };
      if (keys.includes('tracker_host')) sentHost = torrent.tracker_host;
      session.reply(request.id, { [TORRENT_ID]: answer });
    },
  });
  return { ...daemon, torrent };
}

function clientFor(port: number): DelugeClient {
  const client = new DelugeClient({
    kind: 'deluge',
    url: `deluge://127.0.0.1:${port}`,
    username: HOSTILE_USER,
    password: HOSTILE_PASSWORD,
    transport: { tls: { pinnedSha256: certs.selfSigned.fingerprint } },
  });
  clients.push(client);
  return client;
}

const askedTrackers = (requests: FakeRequest[]): number =>
  requests.filter((request) => request.method === 'core.get_torrents_status' && (request.args[1] as string[]).includes('trackers')).length;

describe('Deluge tracker hosts', () => {
  it('are the hosts of the announce URLs, by the rule every client shares', async () => {
    const { port } = await startDaemon();
    const client = clientFor(port);
    const [torrent] = await client.list();
    expect(torrent!.trackerHosts).toEqual(['tracker.example.org', '::1']);
    expect((await client.poll({ light: false }))[0]!.trackerHosts).toEqual(['tracker.example.org', '::1']);
    // Details read the torrent's trackers anyway (here the fake's honest details: one tracker).
    expect((await client.details(TORRENT_ID)).torrent.trackerHosts).toEqual(['127.0.0.1']);
  });

  it('reads the trackers once per torrent, again when its tracker_host changes or on a new connection', async () => {
    const { port, daemon, torrent } = await startDaemon();
    const client = clientFor(port);
    await client.list();
    await client.list();
    for (let refresh = 0; refresh < 5; refresh++) await client.poll({ light: false });
    expect(askedTrackers(daemon.requests)).toBe(1);

    torrent.tracker_host = 'other.example.net';
    torrent.trackers = [{ url: 'http://tracker.other.example.net/announce', tier: 0 }];
    const [changed] = await client.poll({ light: false });
    expect(changed!.trackerHosts).toEqual(['tracker.other.example.net']);
    expect(askedTrackers(daemon.requests)).toBe(2);
    await client.poll({ light: false });
    expect(askedTrackers(daemon.requests)).toBe(2);

    // Trackers changed under the same tracker_host show after a reconnection.
    torrent.trackers = [{ url: 'http://second.other.example.net/announce', tier: 0 }];
    await client.close();
    expect((await client.list())[0]!.trackerHosts).toEqual(['second.other.example.net']);
    expect(askedTrackers(daemon.requests)).toBe(3);
  });
});
