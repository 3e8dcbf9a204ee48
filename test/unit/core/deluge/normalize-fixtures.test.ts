import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { TORRENT_FIELDS } from '../../../../electron/shared/model';
import {
  hostsOfTrackers,
  limitsFromRaw,
  limitToRaw,
  normalizeEvent,
  normalizeFiles,
  normalizePeers,
  normalizeTorrents,
  normalizeTrackers,
  trackerStatus,
} from '../../../../electron/core/clients/deluge/normalize';
import { LABEL_KEY, LIST_KEYS } from '../../../../electron/core/clients/deluge/raw';
import { DetailsAnswer, LimitsAnswer, SessionAnswer, TorrentsAnswer, TrackersAnswer } from '../../../../electron/core/clients/deluge/schemas';
import { parseAnswer } from '../../../../electron/core/clients/answers';

// Answers recorded from a real deluged 2.0.3 by test/fixtures/deluge/record.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fixture = (name: string): any => JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/deluge', name), 'utf8'));
/** A recorded answer read through the schema the client checks it with (so the schemas accept real answers). */
const answer = <S extends z.ZodType>(name: string, schema: S): z.output<S> => parseAnswer(schema, fixture(name), { source: 'the recording', call: name });

describe('Deluge normalizer on recorded answers', () => {
  const table = answer('list.json', TorrentsAnswer);
  const packId = Object.keys(table).find((id) => table[id]!.name === 'Partial pack')!;
  // The pack's trackers as deluged records them (whole announce entries), read as the list reads them.
  const trackers = parseAnswer(TrackersAnswer, { [packId]: { trackers: fixture('details-pack.json').trackers } }, { source: 'the recording', call: 'trackers' });
  const torrents = normalizeTorrents(table, (id) => hostsOfTrackers(trackers[id]?.trackers ?? []));
  const byName = (name: string) => torrents.find((torrent) => torrent.name === name)!;

  it('reads every torrent with exactly the model’s fields, from rows holding exactly the keys asked', () => {
    expect(torrents).toHaveLength(5);
    for (const torrent of torrents) expect(Object.keys(torrent).sort()).toEqual([...TORRENT_FIELDS].sort());
    for (const row of Object.values(fixture('list.json')) as object[]) expect(Object.keys(row).sort()).toEqual([...LIST_KEYS, LABEL_KEY].sort());
  });

  it('tells the states apart: paused, seeding, downloading, and a magnet without metadata', () => {
    expect(byName('paused – ünïcødé 名前')).toMatchObject({ id: '6e3ac10792fb8bd2819ea62d560404c3ed3796a7', state: 'paused', progress: 0, sizeBytes: 30_000, labels: ['movies'], queuePosition: 0, message: '' });
    expect(byName('seeding.iso')).toMatchObject({ state: 'seeding', progress: 1, sizeBytes: 70_000, doneBytes: 70_000, labels: ['music'], queuePosition: null, etaSeconds: null });
    expect(byName('missing data')).toMatchObject({ state: 'downloading', progress: 0, sizeBytes: 40_000, labels: [] });
    expect(byName('magnet only')).toMatchObject({ id: '0123456789abcdef0123456789abcdef01234567', state: 'metadata', sizeBytes: 0, progress: 0 });
  });

  it('lists the hosts of the announce URLs, not Deluge’s own short host', () => {
    expect(table[packId]!.tracker_host).toBe('127.0.0.1');
    expect(trackers[packId]!.trackers).toEqual([
      { url: 'http://127.0.0.1:9/announce', tier: 0 },
      { url: 'http://tracker.example.org:9/announce', tier: 1 },
    ]);
    expect(byName('Partial pack').trackerHosts).toEqual(['127.0.0.1', 'tracker.example.org']);
  });

  it("reads issue 13's values: seeding time, last transfer, private flag, and the tracker's verdict", () => {
    expect(byName('seeding.iso')).toMatchObject({ seedingSeconds: 4, lastActivityAt: null, private: true, trackerStatus: 'error', trackerMessage: 'Connection refused' });
    // A name that does not resolve is an unreachable tracker: an error, never "unregistered".
    expect(byName('Partial pack')).toMatchObject({ trackerStatus: 'error', trackerMessage: 'Host not found (non-authoritative), try again later' });
    expect(byName('Partial pack').lastActivityAt).toBeGreaterThan(1_700_000_000);
    expect(byName('paused – ünïcødé 名前')).toMatchObject({ seedingSeconds: 0, trackerStatus: null, trackerMessage: '' });
    // Without metadata there is no info dictionary, so no flag.
    expect(byName('magnet only').private).toBeNull();
  });

  it('computes done bytes of the wanted files and keeps Deluge’s counters', () => {
    const pack = byName('Partial pack');
    expect(pack).toMatchObject({ state: 'downloading', sizeBytes: 209_100, doneBytes: 209_100 - 12_492, peersConnected: 1, seedsConnected: 0, peersTotal: -1, seedsTotal: -1 });
    expect(pack.progress).toBeCloseTo(196_608 / 209_100, 6);
    expect(pack.addedAt).toBeGreaterThan(1_600_000_000);
    expect(pack.completedAt).toBeNull();
    expect(pack.savePath).toMatch(/^\/tmp\/seedbox-deluge-.*\/data$/);
  });

  it('reads files without the torrent’s folder, with progress and Deluge’s priorities', () => {
    expect(normalizeFiles(answer('details-pack.json', DetailsAnswer))).toEqual([
      { index: 0, path: 'disc 1/track.flac', sizeBytes: 200_000, doneBytes: 196_608, priority: 'high' },
      { index: 1, path: 'cover.jpg', sizeBytes: 9_000, doneBytes: 0, priority: 'normal' },
      { index: 2, path: 'notes.txt', sizeBytes: 100, doneBytes: 0, priority: 'low' },
    ]);
    expect(normalizeFiles(answer('details-leecher.json', DetailsAnswer)).map((file) => file.priority)).toEqual(['high', 'normal', 'skip']);
  });

  it('reads peers from "address:port"', () => {
    const [peer] = normalizePeers(answer('details-pack.json', DetailsAnswer));
    expect(peer).toMatchObject({ address: '127.0.0.1', client: 'Deluge/2.0.3 libtorrent/2.0.8.0', downRate: 0 });
    expect(peer!.port).toBeGreaterThan(1024);
    expect(peer!.progress).toBeCloseTo(12 / 13, 5);
    expect(normalizePeers(answer('details-leecher.json', DetailsAnswer))).toHaveLength(1);
  });

  it('does not pin a status with no current tracker on one of several trackers', () => {
    const details = answer('details-pack.json', DetailsAnswer);
    expect(details.tracker_status).toMatch(/^Error: /);
    expect(normalizeTrackers(details, { total_seeds: -1, total_peers: -1 })).toEqual([
      { url: 'http://127.0.0.1:9/announce', tier: 0, status: 'not-contacted', seeders: -1, leechers: -1, message: '' },
      { url: 'http://tracker.example.org:9/announce', tier: 1, status: 'not-contacted', seeders: -1, leechers: -1, message: '' },
    ]);
    const single = { ...details, trackers: details.trackers.slice(0, 1), tracker_status: 'Error: Connection refused' };
    expect(normalizeTrackers(single, { total_seeds: -1, total_peers: -1 })[0]).toMatchObject({ status: 'error', message: 'Connection refused' });
    expect(trackerStatus('Announce OK')).toEqual({ state: 'working', message: '' });
    expect(trackerStatus('Announce Sent')).toEqual({ state: 'updating', message: '' });
  });

  it('reads global limits in KiB/s and writes bytes back exactly', () => {
    expect(limitsFromRaw(answer('config-limits.json', LimitsAnswer))).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 0 });
    expect(limitsFromRaw({ max_download_speed: 97.65625, max_upload_speed: 0 })).toEqual({ downBytesPerSecond: 100_000, upBytesPerSecond: 0 });
    expect(limitToRaw(0)).toBe(-1);
    expect(limitToRaw(100_000)).toBe(97.65625);
    expect(limitToRaw(1_000_000_001)).toBe(976_563);
  });

  it('reads the session rates', () => {
    expect(answer('session.json', SessionAnswer)).toEqual({ payload_download_rate: 98_304, payload_upload_rate: 0 });
  });

  it('translates the four daemon events and ignores others', () => {
    const id = '8f32c0147d6f1cc4d3ec8e908b2e9ea2edf15e86';
    expect(normalizeEvent('TorrentAddedEvent', [id, false])).toEqual({ type: 'torrent-added', id });
    expect(normalizeEvent('TorrentRemovedEvent', [id])).toEqual({ type: 'torrent-removed', id });
    expect(normalizeEvent('TorrentStateChangedEvent', [id, 'Moving'])).toEqual({ type: 'torrent-state-changed', id, state: 'checking' });
    expect(normalizeEvent('TorrentFinishedEvent', [id])).toEqual({ type: 'torrent-finished', id });
    expect(normalizeEvent('SessionPausedEvent', [])).toBeUndefined();
  });
});
