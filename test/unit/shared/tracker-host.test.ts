import { describe, expect, it } from 'vitest';
import { trackerHost } from '../../../electron/shared/tracker-host';
import { SyncState } from '../../../electron/core/clients/qbittorrent/maindata';
import { parseTrackerSummary } from '../../../electron/core/clients/rtorrent/normalize';
import { normalizeTorrent as normalizeTransmission } from '../../../electron/core/clients/transmission/normalize';
import type { RawTorrent as RawTransmissionTorrent } from '../../../electron/core/clients/transmission/raw';

const ID = 'ab'.repeat(20);

/** Announce URL → the host every client lists it under. */
const TABLE: [string, string][] = [
  ['http://tracker.example.org/announce', 'tracker.example.org'],
  ['https://tracker.example.org:443/announce?passkey=abc', 'tracker.example.org'],
  ['udp://tracker.example.org:6969/announce', 'tracker.example.org'],
  ['udp://Tracker.EXAMPLE.org:6969', 'tracker.example.org'],
  ['HTTP://TRACKER.EXAMPLE.ORG/announce', 'tracker.example.org'],
  ['http://tracker.example.org./announce', 'tracker.example.org'],
  ['http://user:pa55@tracker.example.org:8080/announce', 'tracker.example.org'],
  ['http://user:p@ss@tracker.example.org/announce', 'tracker.example.org'],
  ['wss://tracker.example.org/announce', 'tracker.example.org'],
  ['http://tracker.example.org#frag', 'tracker.example.org'],
  ['http://[2001:DB8::1]:6969/announce', '2001:db8::1'],
  ['udp://[2001:db8::1]:6969', '2001:db8::1'],
  ['http://[::ffff:192.0.2.1]/announce', '::ffff:192.0.2.1'],
  ['http://192.0.2.7:2710/announce', '192.0.2.7'],
  ['udp://192.0.2.7', '192.0.2.7'],
  ['', ''],
  ['not a url', ''],
  ['tracker.example.org/announce', ''],
  ['http:///announce', ''],
  ['http://exa mple.org/announce', ''],
  ['http://[2001:db8::1/announce', ''],
  ['http://tracker.example.org:port/announce', ''],
];

describe('trackerHost', () => {
  it.each(TABLE)('%s → "%s"', (url, host) => {
    expect(trackerHost(url)).toBe(host);
  });
});

describe('every client lists an announce URL under the same host', () => {
  const announced = TABLE.filter(([, host]) => host !== '');

  it.each(announced)('%s', (url, host) => {
    const rtorrent = parseTrackerSummary(`${url}|0|0|1|0|0|0`).hosts;

    const transmission = normalizeTransmission({ hashString: ID, trackerStats: [{ announce: url }] } as unknown as RawTransmissionTorrent).trackerHosts;

    const sync = new SyncState();
    sync.apply({ rid: 1, full_update: true, torrents: { [ID]: { name: 'x' } }, trackers: { [url]: [ID] } });
    const qbittorrent = sync.get(ID)!.trackerHosts;

    expect({ rtorrent, transmission, qbittorrent }).toEqual({ rtorrent: [host], transmission: [host], qbittorrent: [host] });
  });
});
