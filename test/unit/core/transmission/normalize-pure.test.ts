import { describe, expect, it } from 'vitest';
import { normalizeState, normalizeTorrent, normalizeTrackers, torrentChanged } from '../../../../electron/core/clients/transmission/normalize';
import type { RawTorrent, RawTrackerStat } from '../../../../electron/core/clients/transmission/raw';

describe('transmission state mapping', () => {
  const state = (status: number, error = 0, metadataPercentComplete = 1) => normalizeState({ status, error, metadataPercentComplete });

  it('maps each status', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((status) => state(status))).toEqual([
      'paused',
      'checking', // check-wait: waiting for the verifier, not for a transfer slot
      'checking',
      'queued',
      'downloading',
      'queued',
      'seeding',
    ]);
  });

  it('shows a magnet still fetching its info as metadata, only while it is downloading', () => {
    expect(state(4, 0, 0.5)).toBe('metadata');
    expect(state(0, 0, 0)).toBe('paused');
    expect(state(3, 0, 0)).toBe('queued');
  });

  it('makes a local error an error, but keeps the activity for tracker warnings and errors', () => {
    expect(state(0, 3)).toBe('error');
    expect(state(4, 3)).toBe('error');
    expect(state(6, 1)).toBe('seeding');
    expect(state(4, 2)).toBe('downloading');
  });

  it('fills the message from errorString only when error is set, and hides Transmission’s special ratio and eta values', () => {
    const base = { hashString: 'AB'.repeat(20), status: 6, error: 2, errorString: 'Tracker gave HTTP response code 404', sizeWhenDone: 100, leftUntilDone: 40, uploadRatio: -2, eta: -1 } as Partial<RawTorrent>;
    const torrent = normalizeTorrent(base as RawTorrent);
    expect(torrent).toMatchObject({ id: 'ab'.repeat(20), state: 'seeding', message: 'Tracker gave HTTP response code 404', ratio: 0, etaSeconds: null, doneBytes: 60, labels: [], trackerHosts: [] });
    expect(normalizeTorrent({ ...base, error: 0 } as RawTorrent).message).toBe('');
    expect(normalizeTorrent({ ...base, eta: 30, uploadRatio: 1.5 } as RawTorrent)).toMatchObject({ etaSeconds: 30, ratio: 1.5 });
  });

  it('counts the peers we download from as seeds', () => {
    const torrent = normalizeTorrent({ hashString: 'a'.repeat(40), status: 4, peersConnected: 7, peersSendingToUs: 3 } as RawTorrent);
    expect(torrent).toMatchObject({ peersConnected: 4, seedsConnected: 3 });
  });
});

describe('transmission tracker mapping', () => {
  const tracker = (overrides: Partial<RawTrackerStat>): RawTrackerStat => ({
    announce: 'http://t.example/announce',
    tier: 0,
    announceState: 1,
    hasAnnounced: true,
    lastAnnounceSucceeded: true,
    lastAnnounceTimedOut: false,
    lastAnnounceResult: 'Success',
    seederCount: 4,
    leecherCount: 2,
    isBackup: false,
    ...overrides,
  });

  it('tells working, updating, failing and never contacted trackers apart', () => {
    expect(
      normalizeTrackers([
        tracker({}),
        tracker({ announceState: 3 }),
        tracker({ lastAnnounceSucceeded: false, lastAnnounceResult: 'Connection refused' }),
        tracker({ hasAnnounced: false, lastAnnounceSucceeded: false, seederCount: -1, leecherCount: -1 }),
      ]).map((item) => [item.status, item.message, item.seeders]),
    ).toEqual([
      ['working', '', 4],
      ['updating', '', 4],
      ['error', 'Connection refused', 4],
      ['not-contacted', '', -1],
    ]);
  });

  it('takes the largest swarm any tracker reports for the list', () => {
    const torrent = normalizeTorrent({ hashString: 'a'.repeat(40), status: 6, trackerStats: [tracker({}), tracker({ announce: 'https://[::1]:8/a', seederCount: 9, leecherCount: -1 })] } as RawTorrent);
    expect(torrent).toMatchObject({ seedsTotal: 9, peersTotal: 2, trackerHosts: ['t.example', '::1'] });
  });
});

describe('torrentChanged', () => {
  it('compares arrays by content', () => {
    const a = normalizeTorrent({ hashString: 'a'.repeat(40), status: 0, labels: ['x'] } as RawTorrent);
    expect(torrentChanged(a, { ...a, labels: ['x'] })).toBe(false);
    expect(torrentChanged(a, { ...a, labels: ['y'] })).toBe(true);
    expect(torrentChanged(a, { ...a, upRate: 1 })).toBe(true);
  });
});
