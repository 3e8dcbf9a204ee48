import type { Torrent } from '../../electron/shared/model';

/** A seeding torrent of the normalized model with plain defaults; give the id and whatever differs. */
export function modelTorrent(fields: Partial<Torrent> & { id: string }): Torrent {
  return {
    name: 't',
    state: 'seeding',
    progress: 1,
    sizeBytes: 100,
    doneBytes: 100,
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
    savePath: '/d',
    addedAt: null,
    completedAt: null,
    trackerHosts: ['a'],
    message: '',
    queuePosition: null,
    seedingSeconds: null,
    lastActivityAt: null,
    private: null,
    trackerStatus: null,
    trackerMessage: '',
    ...fields,
  };
}
