import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TORRENT_FIELDS } from '../../../../electron/shared/model';
import { SyncState } from '../../../../electron/core/clients/qbittorrent/maindata';
import { normalizeFiles, normalizePeers, normalizeTrackers, trackerVerdict } from '../../../../electron/core/clients/qbittorrent/normalize';
import { FilesAnswer, MainDataAnswer, PeersAnswer, TrackersAnswer } from '../../../../electron/core/clients/qbittorrent/schemas';
import { parseAnswer } from '../../../../electron/core/clients/answers';
import type { z } from 'zod';

// Answers recorded from a real qbittorrent-nox 4.5.2 by test/fixtures/qbittorrent/record.ts,
// read through the schemas the client checks them with (so the schemas accept real answers).
const fixture = <S extends z.ZodType>(name: string, schema: S): z.output<S> =>
  parseAnswer(schema, JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/qbittorrent', name), 'utf8')), { source: 'the recording', call: name });

const MAGNET = '0123456789abcdef0123456789abcdef01234567';
const REMOVED = '8e4aab7e1dda49a19ad4ac738b5c6afa27d099c0';

describe('qBittorrent normalizer on recorded answers', () => {
  const state = new SyncState();
  state.apply(fixture('maindata-full.json', MainDataAnswer));
  const torrents = state.list();
  const byName = (name: string) => torrents.find((torrent) => torrent.name === name)!;

  it('maps every state the recording holds, with every model field', () => {
    expect(Object.fromEntries(torrents.map((torrent) => [torrent.name, torrent.state]))).toEqual({
      'magnet mägnet': 'metadata',
      'missing data': 'downloading',
      'paused & <escaped> "name"': 'paused',
      'queued behind': 'queued',
      'removed later': 'paused',
      'Seeding – ünïcødé 名前': 'seeding',
    });
    for (const torrent of torrents) {
      expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
      expect(torrent.id).toMatch(/^[0-9a-f]{40}$/);
      expect(torrent.message).toBe('');
      expect(torrent.etaSeconds).toBeNull();
    }
  });

  it("reads issue 13's values from maindata; 4.5 lists no private flag and no tracker health there", () => {
    expect(byName('Seeding – ünïcødé 名前')).toMatchObject({ seedingSeconds: 2, private: null, trackerStatus: null, trackerMessage: '' });
    expect(byName('Seeding – ünïcødé 名前').lastActivityAt).toBeGreaterThan(1_700_000_000);
    expect(byName('paused & <escaped> "name"').seedingSeconds).toBe(0);
  });

  it('takes the trackers\' verdict and the private flag from a look at torrents/trackers and torrents/properties', () => {
    const own = new SyncState();
    own.apply(fixture('maindata-full.json', MainDataAnswer));
    const seeding = own.list().find((torrent) => torrent.name === 'Seeding – ünïcødé 名前')!;
    own.takeChanges();
    own.setTrackerCheck(seeding.id, { verdict: trackerVerdict(fixture('trackers.json', TrackersAnswer)), private: true }, 1);
    expect(own.get(seeding.id)).toMatchObject({ private: true, trackerStatus: 'error' });
    // The recorded trackers could not be reached: an error, never "unregistered".
    expect(own.get(seeding.id)!.trackerMessage).not.toBe('');
    expect(own.takeChanges().changed).toEqual([seeding.id]);
    // The same verdict again changes nothing.
    own.setTrackerCheck(seeding.id, { verdict: trackerVerdict(fixture('trackers.json', TrackersAnswer)) }, 2);
    expect(own.takeChanges().changed).toEqual([]);
    expect(own.get(seeding.id)!.private).toBe(true);
    // Looked at longest ago comes last; never looked at comes first.
    expect(own.dueForTrackerCheck(100).at(-1)).toEqual({ id: seeding.id, needsPrivate: false });
  });

  it('reads tags as labels (never the category), sizes, paths and times', () => {
    const paused = byName('paused & <escaped> "name"');
    expect(paused).toMatchObject({ progress: 0, sizeBytes: 30_000, doneBytes: 0, labels: ['Movies 2024', 'ünï'], trackerHosts: ['127.0.0.1'] });
    expect(paused.labels).not.toContain('Films');
    expect(paused.savePath).toMatch(/\/data$/);
    expect(paused.completedAt).toBeNull();
    const seeding = byName('Seeding – ünïcødé 名前');
    expect(seeding).toMatchObject({ progress: 1, sizeBytes: 59_000, doneBytes: 59_000, labels: ['music'], ratio: 0 });
    expect([...seeding.trackerHosts].sort()).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(seeding.addedAt).toBeGreaterThan(1_700_000_000);
    expect(seeding.completedAt).toBeGreaterThanOrEqual(seeding.addedAt!);
  });

  it('shows queue positions while queueing is on: none for a seed, 1.. for downloads', () => {
    expect(byName('Seeding – ünïcødé 名前').queuePosition).toBeNull();
    expect(byName('paused & <escaped> "name"').queuePosition).toBe(1);
    expect(byName('queued behind').queuePosition).toBe(4);
    expect(byName('magnet mägnet')).toMatchObject({ id: MAGNET, queuePosition: 2, sizeBytes: 0, progress: 0 });
  });

  it('merges an incremental answer: the removal and the changed tags, nothing else', () => {
    const before = new Map(torrents.map((torrent) => [torrent.id, torrent]));
    expect(state.takeChanges()).toMatchObject({ full: true, removed: [] });
    state.apply(fixture('maindata-incremental.json', MainDataAnswer));
    const changes = state.takeChanges();
    const pausedId = byName('paused & <escaped> "name"').id;
    expect(changes).toEqual({ full: false, changed: [pausedId], removed: [REMOVED] });
    expect(state.has(REMOVED)).toBe(false);
    expect(state.get(pausedId)!.labels).toEqual(['added later', 'Movies 2024', 'ünï']);
    expect(state.size).toBe(5);
    // Untouched torrents keep their very objects (no needless re-normalizing).
    const seedingId = byName('Seeding – ünïcødé 名前').id;
    expect(state.get(seedingId)).toBe(before.get(seedingId));
  });

  it('normalizes files (without the root folder), trackers (without DHT/PeX/LSD) and peers', () => {
    expect(normalizeFiles(fixture('files.json', FilesAnswer), 'Seeding – ünïcødé 名前')).toEqual([
      { index: 0, path: 'disc 1/track.flac', sizeBytes: 50_000, doneBytes: 50_000, priority: 'high' },
      { index: 1, path: 'cover.jpg', sizeBytes: 9_000, doneBytes: 9_000, priority: 'skip' },
    ]);
    expect(normalizeTrackers(fixture('trackers.json', TrackersAnswer))).toEqual([
      { url: 'http://127.0.0.1:9/announce', tier: 0, status: 'error', seeders: -1, leechers: -1, message: 'Connection refused' },
      { url: 'http://127.0.0.2:9/announce', tier: 1, status: 'error', seeders: -1, leechers: -1, message: expect.any(String) },
    ]);
    expect(normalizePeers(fixture('peers.json', PeersAnswer).peers)).toEqual([]);
  });
});
