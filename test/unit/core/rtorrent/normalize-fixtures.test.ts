import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeedboxError } from '../../../../electron/shared/errors';
import { TORRENT_FIELDS } from '../../../../electron/shared/model';
import { decodeMethodResponse, decodeMulticallResults, type XmlRpcValue } from '../../../../electron/core/codecs/xmlrpc';
import { decodeMulticallRows, decodeMulticallRowsOrGeneral } from '../../../../electron/core/codecs/xmlrpc-fast';
import {
  LIST_FIELDS,
  normalizeFiles,
  normalizePeers,
  normalizeTorrentRow,
  normalizeTrackers,
} from '../../../../electron/core/clients/rtorrent/normalize';

// Answers recorded from a real rtorrent 0.9.8 by test/fixtures/rtorrent/record.ts.
const fixture = (name: string): Buffer => readFileSync(join(import.meta.dirname, '../../../fixtures/rtorrent', name));

describe('rtorrent normalizer on recorded answers', () => {
  const rows = decodeMulticallRowsOrGeneral(fixture('list.xml'));
  const torrents = rows.map((row) => normalizeTorrentRow(row, 'rutorrent'));
  const byName = (name: string) => torrents.find((torrent) => torrent.name === name)!;

  it('decodes the list on the fast path, identically to the general decoder', () => {
    const fast = decodeMulticallRows(fixture('list.xml'));
    expect(fast).not.toBeNull();
    expect(fast).toEqual(decodeMethodResponse(fixture('list.xml')));
    expect(rows.every((row) => row.length === LIST_FIELDS.length)).toBe(true);
  });

  it('maps every state the recording holds', () => {
    expect(torrents.map((torrent) => torrent.state).sort()).toEqual(['downloading', 'metadata', 'paused', 'seeding']);
    for (const torrent of torrents) {
      expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrent.id).toMatch(/^[0-9a-f]{40}$/);
      expect(torrent.queuePosition).toBeNull();
    }
  });

  it('keeps escaped and non-ASCII names, and decodes ruTorrent labels', () => {
    expect(byName('paused & <escaped> "name"')).toMatchObject({ state: 'paused', progress: 0, sizeBytes: 30_000, labels: ['Movies, 2024'] });
    const seeding = byName('Seeding – ünïcødé 名前');
    expect(seeding).toMatchObject({ state: 'seeding', progress: 1, labels: ['music'], trackerHosts: ['127.0.0.1', '127.0.0.2'] });
    // A tracker that cannot be reached leaves a message but does not make the torrent an error.
    expect(seeding.message).toMatch(/^Tracker: /);
    expect(seeding.completedAt).toBeGreaterThan(1_700_000_000);
    // Only the high-priority file stays wanted after the recording skipped cover.jpg.
    expect(seeding.sizeBytes).toBeLessThanOrEqual(59_000);
  });

  it("reads issue 13's values: private flag, seeding time of this run, and an unreachable tracker as an error", () => {
    const seeding = byName('Seeding – ünïcødé 名前');
    expect(seeding).toMatchObject({ private: true, lastActivityAt: null, trackerStatus: 'error', trackerMessage: "Couldn't connect to server" });
    expect(seeding.seedingSeconds).toBeGreaterThanOrEqual(0);
    expect(byName('paused & <escaped> "name"').seedingSeconds).toBe(0);
    expect(torrents.find((torrent) => torrent.state === 'metadata')!.private).toBeNull();
  });

  it('reports a started torrent without data as downloading, and a magnet as fetching metadata', () => {
    expect(byName('missing data')).toMatchObject({ state: 'downloading', progress: 0, doneBytes: 0 });
    const magnet = torrents.find((torrent) => torrent.state === 'metadata')!;
    expect(magnet).toMatchObject({ id: '0123456789abcdef0123456789abcdef01234567', sizeBytes: 0, progress: 0 });
  });

  it('normalizes files, trackers and peers', () => {
    const files = normalizeFiles(decodeMethodResponse(fixture('files.xml')) as XmlRpcValue[][], 16 * 1024);
    expect(files).toEqual([
      { index: 0, path: 'disc 1/track.flac', sizeBytes: 50_000, doneBytes: 50_000, priority: 'high' },
      { index: 1, path: 'cover.jpg', sizeBytes: 9000, doneBytes: 9000, priority: 'skip' },
    ]);
    const trackers = normalizeTrackers(decodeMethodResponse(fixture('trackers.xml')) as XmlRpcValue[][], 'Tracker: [Couldn\'t connect to server]');
    expect(trackers.map((tracker) => [tracker.url, tracker.tier])).toEqual([
      ['http://127.0.0.1:9/announce', 0],
      ['http://127.0.0.2:9/announce', 1],
    ]);
    for (const tracker of trackers) expect(['error', 'updating', 'not-contacted']).toContain(tracker.status);
    expect(normalizePeers(decodeMethodResponse(fixture('peers.xml')) as XmlRpcValue[][])).toEqual([]);
  });

  it('turns rtorrent faults into typed errors, per call inside system.multicall', () => {
    let error: unknown;
    try {
      decodeMethodResponse(fixture('fault-unknown-hash.xml'));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SeedboxError);
    expect((error as SeedboxError).details).toMatchObject({ faultCode: -501, faultString: 'Could not find info-hash.' });
    const results = decodeMulticallResults(decodeMethodResponse(fixture('multicall-mixed.xml')));
    expect(results).toEqual([
      { ok: true, value: 'Seeding – ünïcødé 名前' },
      { ok: false, faultCode: -501, faultString: 'Could not find info-hash.' },
    ]);
  });
});
