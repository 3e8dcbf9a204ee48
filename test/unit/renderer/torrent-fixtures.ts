// Torrents and deltas for the window's tests.
import type { TorrentDelta } from '../../../electron/shared/contract';
import type { Torrent } from '../../../electron/shared/model';
import { toRow, type TorrentRow } from '../../../renderer/src/lib/torrent-view';

export function hash(n: number): string {
  return n.toString(16).padStart(40, '0');
}

export function torrent(n: number, overrides: Partial<Torrent> = {}): Torrent {
  return {
    id: hash(n),
    name: `Torrent ${n}`,
    state: 'seeding',
    progress: 1,
    sizeBytes: 1000 * n,
    doneBytes: 1000 * n,
    uploadedBytes: 0,
    downloadedBytes: 0,
    ratio: 0,
    downRate: 0,
    upRate: 0,
    etaSeconds: null,
    peersConnected: 0,
    peersTotal: 0,
    seedsConnected: 0,
    seedsTotal: 0,
    labels: [],
    savePath: '/data',
    addedAt: 1_700_000_000 + n,
    completedAt: null,
    trackerHosts: ['tracker.example'],
    message: '',
    queuePosition: null,
    seedingSeconds: null,
    lastActivityAt: null,
    private: null,
    trackerStatus: null,
    trackerMessage: '',
    ...overrides,
  };
}

export function row(seedboxId: string, n: number, overrides: Partial<Torrent> = {}): TorrentRow {
  return toRow(seedboxId, torrent(n, overrides));
}

export const EMPTY_STATS: TorrentDelta['stats'] = {
  downRate: 0,
  upRate: 0,
  freeSpaceBytes: null,
  alternativeSpeedEnabled: null,
  count: 0,
  countsByState: { downloading: 0, seeding: 0, paused: 0, queued: 0, checking: 0, metadata: 0, error: 0 },
};

export function delta(seedboxId: string, parts: Partial<Omit<TorrentDelta, 'seedboxId'>>): TorrentDelta {
  return { seedboxId, full: false, added: [], changed: [], removed: [], stats: EMPTY_STATS, ...parts };
}
