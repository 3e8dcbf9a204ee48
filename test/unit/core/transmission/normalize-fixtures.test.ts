import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../../electron/shared/model';
import { normalizeFiles, normalizePeers, normalizeTorrent, normalizeTrackers, tableToRawTorrents } from '../../../../electron/core/clients/transmission/normalize';
import { LIST_FIELDS, type RawTorrent } from '../../../../electron/core/clients/transmission/raw';

// Answers recorded from a real transmission-daemon 3.00 by test/fixtures/transmission/record.ts.
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/transmission', name), 'utf8')) as Record<string, unknown>;

describe('transmission normalizer on recorded answers', () => {
  const table = fixture('list.json')['torrents'] as unknown[][];
  const torrents = tableToRawTorrents(table).map(normalizeTorrent);
  const byName = (name: string) => torrents.find((torrent) => torrent.name === name)!;

  it('reads the table format: the first row names exactly the requested fields', () => {
    expect(table[0]).toEqual([...LIST_FIELDS]);
    expect(torrents).toHaveLength(5);
    for (const torrent of torrents) {
      expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrent.id).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('maps every state the recording holds', () => {
    expect(torrents.map((torrent) => [torrent.name, torrent.state])).toEqual([
      ['paused & "quoted" name', 'paused'],
      ['Seeding – ünïcødé 名前', 'seeding'],
      ['missing data', 'downloading'],
      ['deleted behind its back', 'error'],
      ['magnet', 'metadata'],
    ]);
  });

  it('keeps quoted and non-ASCII names, labels, paths and queue positions', () => {
    const paused = byName('paused & "quoted" name');
    expect(paused).toMatchObject({ progress: 0, sizeBytes: 30_000, doneBytes: 0, labels: ['Movies 2024', 'ünï'], queuePosition: 0, ratio: 0, etaSeconds: null, message: '' });
    expect(paused.savePath).toMatch(/^\/tmp\/seedbox-transmission-[^/]+\/data$/);
    expect(paused.addedAt).toBeGreaterThan(1_700_000_000);
    expect(paused.completedAt).toBeNull();
    const seeding = byName('Seeding – ünïcødé 名前');
    expect(seeding).toMatchObject({ progress: 1, labels: ['music'], trackerHosts: ['127.0.0.1', '127.0.0.2'], queuePosition: 1, seedsTotal: -1, peersTotal: -1 });
    expect(seeding.private).toBe(true);
    expect(seeding.seedingSeconds).toBeGreaterThanOrEqual(0);
    expect(paused).toMatchObject({ seedingSeconds: 0, lastActivityAt: null, private: true });
    expect(byName('magnet').private).toBeNull();
    // cover.jpg is skipped, but shares its pieces with wanted files: only notes' tail is left out.
    expect(seeding.sizeBytes).toBe(59_700);
  });

  it('explains the local error and leaves magnets at zero size', () => {
    expect(byName('deleted behind its back').message).toMatch(/^No data found!/);
    expect(byName('missing data')).toMatchObject({ progress: 0, doneBytes: 0, sizeBytes: 40_000, message: '' });
    expect(byName('magnet')).toMatchObject({ id: '0123456789abcdef0123456789abcdef01234567', sizeBytes: 0, progress: 0 });
  });

  it('normalizes files (without the top folder), priorities, trackers and peers', () => {
    const raw = (fixture('details.json')['torrents'] as RawTorrent[])[0]!;
    expect(normalizeFiles(raw.files, raw.fileStats)).toEqual([
      { index: 0, path: 'disc 1/track.flac', sizeBytes: 50_000, doneBytes: 50_000, priority: 'high' },
      { index: 1, path: 'cover.jpg', sizeBytes: 9_000, doneBytes: 9_000, priority: 'skip' },
      { index: 2, path: 'notes.txt', sizeBytes: 700, doneBytes: 700, priority: 'low' },
    ]);
    expect(normalizeTrackers(raw.trackerStats)).toEqual([
      { url: 'http://127.0.0.1:9/announce', tier: 0, status: 'error', seeders: -1, leechers: -1, message: 'Could not connect to tracker' },
      { url: 'http://127.0.0.2:9/announce', tier: 1, status: 'error', seeders: -1, leechers: -1, message: 'Could not connect to tracker' },
    ]);
    // Nobody listens on port 9: an unreachable tracker is an error, never "unregistered".
    expect(normalizeTorrent(raw)).toMatchObject({ trackerStatus: 'error', trackerMessage: 'Could not connect to tracker', private: true });
    expect(normalizePeers(raw.peers)).toEqual([]);
    // The same torrent as in the list, but for what moved between the two recordings (its first announce, a second of seeding).
    const { trackerStatus: _status, trackerMessage: _message, seedingSeconds: _seeding, lastActivityAt: _activity, ...stable } = byName('Seeding – ünïcødé 名前');
    expect(normalizeTorrent(raw)).toMatchObject(stable);
  });

  it('reports removals in recently-active answers by numeric id', () => {
    const recent = fixture('recently-active.json');
    expect(recent['removed']).toEqual([5]);
    expect(tableToRawTorrents(recent['torrents'] as unknown[][]).map((raw) => raw.name)).not.toContain('magnet');
  });

  it('holds the session facts the client reads', () => {
    const session = fixture('session-get.json');
    expect(session).toMatchObject({ 'rpc-version': 16, version: '3.00 (bb6b5a062e)', 'alt-speed-enabled': false, units: { 'speed-bytes': 1000 } });
    expect(fixture('session-stats.json')).toMatchObject({ downloadSpeed: 0, uploadSpeed: 0, torrentCount: 5 });
    expect(fixture('free-space.json')['size-bytes']).toBeGreaterThan(0);
    expect(fixture('torrent-add-duplicate.json')).toEqual({
      'torrent-duplicate': { hashString: 'd7ad329e034f92008d5be5b9f0bfd9a0a3a6d9f5', id: 1, name: 'paused & "quoted" name' },
    });
  });
});
