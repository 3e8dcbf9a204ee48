import { describe, expect, it } from 'vitest';
import { TORRENT_STATES } from '../../../../electron/shared/model';
import { sessionCookie } from '../../../../electron/core/clients/qbittorrent/session';
import { SyncState } from '../../../../electron/core/clients/qbittorrent/maindata';
import {
  normalizeFiles,
  normalizePeers,
  normalizeState,
  normalizeTorrent,
  priorityFromRaw,
  splitTags,
  stateMessage,
} from '../../../../electron/core/clients/qbittorrent/normalize';

const ID = 'a'.repeat(40);

describe('qBittorrent state mapping', () => {
  it('maps every state qBittorrent 4.x and 5.x report', () => {
    const expected: Record<string, string> = {
      error: 'error',
      missingFiles: 'error',
      uploading: 'seeding',
      pausedUP: 'paused',
      stoppedUP: 'paused',
      queuedUP: 'queued',
      stalledUP: 'seeding',
      checkingUP: 'checking',
      forcedUP: 'seeding',
      allocating: 'downloading',
      downloading: 'downloading',
      metaDL: 'metadata',
      forcedMetaDL: 'metadata',
      pausedDL: 'paused',
      stoppedDL: 'paused',
      queuedDL: 'queued',
      stalledDL: 'downloading',
      checkingDL: 'checking',
      forcedDL: 'downloading',
      checkingResumeData: 'checking',
      moving: 'checking',
      unknown: 'error',
    };
    for (const [raw, state] of Object.entries(expected)) expect({ raw, state: normalizeState(raw) }).toEqual({ raw, state });
    expect(new Set(Object.values(expected))).toEqual(new Set(TORRENT_STATES));
  });

  it('explains error states and names states it does not know', () => {
    expect(stateMessage('missingFiles')).toMatch(/files .* missing/);
    expect(stateMessage('error')).toMatch(/error/);
    expect(normalizeState('somethingNew')).toBe('error');
    expect(stateMessage('somethingNew')).toContain('"somethingNew"');
    expect(stateMessage('stalledUP')).toBe('');
  });
});

describe('qBittorrent field normalization', () => {
  it('splits tags exactly as qBittorrent joins them', () => {
    expect(splitTags('')).toEqual([]);
    expect(splitTags(undefined)).toEqual([]);
    expect(splitTags('a b, ü, x')).toEqual(['a b', 'ü', 'x']);
  });

  it('maps file priorities 0 / 1 / 6 / 7 and the libtorrent values between', () => {
    expect([0, 1, 2, 5, 6, 7].map(priorityFromRaw)).toEqual(['skip', 'normal', 'normal', 'normal', 'high', 'high']);
  });

  it('reads the private flag from 5.x maindata (null for a magnet without metadata), else from a look at its properties', () => {
    const raw = { name: 'n', state: 'metaDL' };
    expect(normalizeTorrent(ID, { ...raw, private: null }, { trackerHosts: [], queueing: false }).private).toBeNull();
    expect(normalizeTorrent(ID, { ...raw, private: false }, { trackerHosts: [], queueing: false, checked: { verdict: { trackerStatus: null, trackerMessage: '', seedsTotal: -1, peersTotal: -1 }, private: true } }).private).toBe(false);
    expect(normalizeTorrent(ID, raw, { trackerHosts: [], queueing: false, checked: { verdict: { trackerStatus: 'ok', trackerMessage: '', seedsTotal: -1, peersTotal: -1 }, private: true } })).toMatchObject({ private: true, trackerStatus: 'ok' });
    expect(normalizeTorrent(ID, raw, { trackerHosts: [], queueing: false })).toMatchObject({ private: null, trackerStatus: null, trackerMessage: '' });
  });

  it('reads eta 8640000 as unknown, and queue positions only while queueing is on', () => {
    const raw = { name: 'n', state: 'downloading', progress: 0.5, eta: 8_640_000, priority: 3 };
    expect(normalizeTorrent(ID, raw, { trackerHosts: [], queueing: true })).toMatchObject({ etaSeconds: null, queuePosition: 3 });
    expect(normalizeTorrent(ID, { ...raw, eta: 120 }, { trackerHosts: [], queueing: false })).toMatchObject({ etaSeconds: 120, queuePosition: null });
    // Without the trackers map (before 4.5) the working tracker gives the host.
    expect(normalizeTorrent(ID, { ...raw, tracker: 'https://t.example:443/a?passkey=x' }, { trackerHosts: [], queueing: false }).trackerHosts).toEqual([
      't.example',
    ]);
  });

  it('keeps file paths when the files do not share the torrent’s root folder', () => {
    const files = [
      { index: 0, name: 'other/a', size: 10, progress: 0.5, priority: 1 },
      { index: 1, name: 'b', size: 4, progress: 1, priority: 7 },
    ];
    expect(normalizeFiles(files, 'other')).toEqual([
      { index: 0, path: 'other/a', sizeBytes: 10, doneBytes: 5, priority: 'normal' },
      { index: 1, path: 'b', sizeBytes: 4, doneBytes: 4, priority: 'high' },
    ]);
  });

  it('normalizes peers, IPv6 included', () => {
    expect(
      normalizePeers({
        '127.0.0.1:6881': { ip: '127.0.0.1', port: 6881, client: 'qBittorrent/4.5.2', progress: 0.25, dl_speed: 10, up_speed: 20 },
        '[::1]:51413': { client: 'Transmission 3.00' },
      }),
    ).toEqual([
      { address: '127.0.0.1', port: 6881, client: 'qBittorrent/4.5.2', progress: 0.25, downRate: 10, upRate: 20 },
      { address: '::1', port: 51413, client: 'Transmission 3.00', progress: 0, downRate: 0, upRate: 0 },
    ]);
  });
});

describe('sync/maindata merging', () => {
  it('merges partial torrents, applies removals and resets on a full update', () => {
    const state = new SyncState();
    state.apply({ rid: 1, full_update: true, torrents: { [ID.toUpperCase()]: { name: 'x', state: 'pausedDL', size: 5 } }, server_state: { queueing: false } });
    expect(state.rid).toBe(1);
    expect(state.get(ID)).toMatchObject({ name: 'x', state: 'paused', sizeBytes: 5 });
    state.apply({ rid: 2, torrents: { [ID]: { state: 'downloading' } } });
    expect(state.get(ID)).toMatchObject({ name: 'x', state: 'downloading', sizeBytes: 5 });
    expect(state.takeChanges()).toEqual({ full: true, changed: [ID], removed: [] });

    // Removed and re-added between two takeChanges: reported as changed, not removed.
    state.apply({ rid: 3, torrents_removed: [ID] });
    state.apply({ rid: 4, torrents: { [ID]: { name: 'again' } } });
    expect(state.takeChanges()).toEqual({ full: false, changed: [ID], removed: [] });

    const other = 'b'.repeat(40);
    state.apply({ rid: 5, full_update: true, torrents: { [other]: { name: 'y' } } });
    expect(state.list().map((torrent) => torrent.id)).toEqual([other]);
    expect(state.takeChanges()).toEqual({ full: true, changed: [other], removed: [ID] });
    state.reset();
    expect(state.rid).toBe(0);
  });

  it('re-normalizes every torrent when the queue is switched on', () => {
    const state = new SyncState();
    state.apply({ rid: 1, full_update: true, torrents: { [ID]: { priority: 2 } }, server_state: { queueing: false } });
    expect(state.get(ID)!.queuePosition).toBeNull();
    state.takeChanges();
    state.apply({ rid: 2, server_state: { queueing: true } });
    expect(state.get(ID)!.queuePosition).toBe(2);
    expect(state.takeChanges().changed).toEqual([ID]);
  });
});

describe('the session cookie', () => {
  it('takes whatever name the server chose, preferring qBittorrent’s own', () => {
    expect(sessionCookie(['SID=abc+/=; HttpOnly; path=/; SameSite=Strict'])).toBe('SID=abc+/=');
    expect(sessionCookie(['QBT_SID_8080=xyz; HttpOnly; path=/'])).toBe('QBT_SID_8080=xyz');
    expect(sessionCookie(['proxy=1; path=/', 'QBT_SID_8080=xyz; path=/'])).toBe('QBT_SID_8080=xyz');
    expect(sessionCookie(['mysession=q; path=/'])).toBe('mysession=q');
    expect(sessionCookie([])).toBeUndefined();
  });
});
