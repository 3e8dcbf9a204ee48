import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeTorrent as normalizeDeluge } from '../../../../electron/core/clients/deluge/normalize';
import type { RawTorrent as DelugeRaw } from '../../../../electron/core/clients/deluge/raw';
import { SyncState } from '../../../../electron/core/clients/qbittorrent/maindata';
import { normalizeTorrent as normalizeQbittorrent, trackerVerdict } from '../../../../electron/core/clients/qbittorrent/normalize';
import { normalizeTorrent as normalizeTransmission } from '../../../../electron/core/clients/transmission/normalize';
import type { RawTorrent as TransmissionRaw } from '../../../../electron/core/clients/transmission/raw';
import { fieldNamed } from '../../../../electron/shared/rules';
import { modelTorrent } from '../../../helpers/model';

// Issue 13, the live proof's finding: a swarm no tracker has counted must read as unknown (-1),
// never as 0, or `seeders < 3` holds for every torrent whose tracker is down. The raw values are
// what the real daemons answered for a torrent on an unreachable loopback tracker (dead) and on
// one that says 1 seeder (counted), on Debian 12 and 13 alike.

const ID = 'a'.repeat(40);
const seeders = (torrent: Parameters<NonNullable<ReturnType<typeof fieldNamed>>['read']>[0]): unknown => fieldNamed('seeders')!.read(torrent, 0);

describe('Transmission: trackerStats seederCount -1 until the tracker counts', () => {
  const stat = (seederCount: number, leecherCount: number) => ({ announce: 'http://127.0.0.1:1/announce', hasAnnounced: true, lastAnnounceSucceeded: seederCount >= 0, lastAnnounceResult: seederCount >= 0 ? 'Success' : 'Could not connect to tracker', seederCount, leecherCount });
  const row = (...trackerStats: object[]) => normalizeTransmission({ hashString: ID, status: 6, trackerStats } as unknown as TransmissionRaw);

  it('reads a dead tracker as an unknown swarm, and the rule field as unknown', () => {
    const dead = row(stat(-1, -1));
    expect(dead).toMatchObject({ seedsTotal: -1, peersTotal: -1 });
    expect(seeders(dead)).toBeNull();
    expect(row()).toMatchObject({ seedsTotal: -1, peersTotal: -1 });
  });

  it('takes a counting tracker over a dead one, and a counted 0 as 0', () => {
    expect(row(stat(-1, -1), stat(1, 0))).toMatchObject({ seedsTotal: 1, peersTotal: 0 });
    expect(row(stat(0, 0))).toMatchObject({ seedsTotal: 0, peersTotal: 0 });
  });
});

describe("Deluge: total_seeds is libtorrent's num_complete, -1 until a tracker counts", () => {
  // A row recorded from deluged 2.0.3, given a dead tracker's counts and two connected seeds.
  const recorded = Object.values(JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/deluge/list.json'), 'utf8')) as Record<string, DelugeRaw>)[0]!;

  it('never makes connected seeds the swarm', () => {
    const dead = normalizeDeluge({ ...recorded, total_seeds: -1, total_peers: -1, num_seeds: 2, num_peers: 1 }, []);
    expect(dead).toMatchObject({ seedsTotal: -1, peersTotal: -1, seedsConnected: 2, peersConnected: 1 });
    expect(seeders(dead)).toBeNull();
  });

  it('keeps what the tracker counted', () => {
    expect(normalizeDeluge({ ...recorded, total_seeds: 1, total_peers: 0, num_seeds: 0 }, [])).toMatchObject({ seedsTotal: 1, peersTotal: 0 });
  });
});

describe("qBittorrent: the swarm from torrents/trackers, not maindata's num_complete", () => {
  const pseudo = (url: string) => ({ url, status: 0, tier: -1, msg: 'This torrent is private', num_seeds: 0, num_leeches: 0, num_peers: 0, num_downloaded: 0 });
  const tracker = (num_seeds: number, msg: string) => ({ url: 'http://127.0.0.1:1/announce', status: num_seeds >= 0 ? 2 : 4, tier: 0, msg, num_seeds, num_leeches: num_seeds >= 0 ? 0 : -1, num_peers: 0, num_downloaded: -1 });
  const answers = {
    dead: [pseudo('** [DHT] **'), pseudo('** [PeX] **'), pseudo('** [LSD] **'), tracker(-1, 'Connection refused')],
    counted: [pseudo('** [DHT] **'), tracker(1, '')],
  };
  // maindata for the dead tracker's torrent: qBittorrent's fallback makes num_complete 0.
  const maindata = { name: 'n', state: 'stalledUP', num_complete: 0, num_incomplete: 0, num_seeds: 0, num_leechs: 0 };

  it('reads a dead tracker (num_seeds -1; the DHT/PeX/LSD rows say 0 but are no trackers) as unknown', () => {
    expect(trackerVerdict(answers.dead)).toEqual({ trackerStatus: 'error', trackerMessage: 'Connection refused', seedsTotal: -1, peersTotal: -1 });
    const torrent = normalizeQbittorrent(ID, maindata, { trackerHosts: [], queueing: false, checked: { verdict: trackerVerdict(answers.dead) } });
    expect(torrent).toMatchObject({ seedsTotal: -1, peersTotal: -1 });
    expect(seeders(torrent)).toBeNull();
  });

  it('is unknown until the client has looked at the trackers, whatever maindata says', () => {
    expect(normalizeQbittorrent(ID, { ...maindata, num_complete: 5 }, { trackerHosts: [], queueing: false })).toMatchObject({ seedsTotal: -1, peersTotal: -1, trackerStatus: null });
  });

  it('takes the count of a tracker that answered', () => {
    expect(trackerVerdict(answers.counted)).toEqual({ trackerStatus: 'ok', trackerMessage: '', seedsTotal: 1, peersTotal: 0 });
  });

  it('reports a torrent as changed when only its swarm did', () => {
    const sync = new SyncState();
    sync.apply({ rid: 1, full_update: true, torrents: { [ID]: maindata } });
    sync.setTrackerCheck(ID, { verdict: trackerVerdict(answers.counted) }, 1);
    sync.takeChanges();
    sync.setTrackerCheck(ID, { verdict: { ...trackerVerdict(answers.counted), seedsTotal: 4 } }, 2);
    expect(sync.takeChanges().changed).toEqual([ID]);
    expect(sync.get(ID)).toMatchObject({ seedsTotal: 4 });
  });
});

describe('the rule fields', () => {
  it('read -1 as unknown and mark the tracker-read fields', () => {
    expect(seeders(modelTorrent({ id: ID, seedsTotal: -1 }))).toBeNull();
    expect(['seeders', 'leechers', 'tracker_status', 'tracker_message', 'unregistered'].filter((name) => fieldNamed(name)?.fromTrackers)).toHaveLength(5);
    expect(fieldNamed('ratio')?.fromTrackers).toBeUndefined();
  });
});
