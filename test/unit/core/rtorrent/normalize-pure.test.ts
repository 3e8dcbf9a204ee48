import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILE_FIELDS,
  LIST_FIELDS,
  NAME_FIELD,
  normalizeFiles,
  normalizePeers,
  normalizeState,
  normalizeTorrentRow,
  normalizeTrackers,
  parseTrackerSummary,
  PEER_FIELDS,
  PRIORITY_TO_RAW,
  SharedValues,
  shareRowStrings,
  TRACKER_FIELDS,
  TRACKER_SUMMARY_FIELD,
} from '../../../../electron/core/clients/rtorrent/normalize';
import type { XmlRpcValue } from '../../../../electron/core/codecs/xmlrpc';
import type { TorrentState } from '../../../../electron/shared/model';

type Field = (typeof LIST_FIELDS)[number];
const HASH = '0123456789ABCDEF0123456789ABCDEF01234567';

/** A d.multicall2 row in LIST_FIELDS order, from defaults plus the given fields. */
function row(fields: Partial<Record<Field, XmlRpcValue>>): XmlRpcValue[] {
  const defaults: Record<Field, XmlRpcValue> = {
    'd.hash=': HASH,
    [NAME_FIELD]: 'Some Torrent',
    'd.state=': 1,
    'd.is_active=': 1,
    'd.complete=': 0,
    'd.hashing=': 0,
    'd.is_meta=': 0,
    'd.size_bytes=': 1000,
    'd.completed_bytes=': 250,
    'd.left_bytes=': 750,
    'd.up.total=': 500,
    'd.down.total=': 250,
    'd.ratio=': 2000,
    'd.down.rate=': 50,
    'd.up.rate=': 10,
    'd.peers_connected=': 7,
    'd.peers_complete=': 3,
    'd.custom1=': '',
    'd.directory=': '/data/Some Torrent',
    'd.is_multi_file=': 1,
    'd.custom=addtime': '1700000000',
    'd.load_date=': 1600000000,
    'd.timestamp.finished=': 0,
    'd.message=': '',
    [TRACKER_SUMMARY_FIELD]: 'http://a.example/announce|12|34|1|0|1|1|||',
    'd.timestamp.started=': 0,
    'd.is_private=': 1,
  };
  const merged = { ...defaults, ...fields };
  return LIST_FIELDS.map((field) => merged[field]);
}

describe('normalizeState', () => {
  const base = { started: true, active: true, complete: false, hashing: false, meta: false, message: '' };
  const table: [string, Partial<typeof base>, TorrentState][] = [
    ['hashing wins over everything', { hashing: true, started: false, active: false, message: 'boom', meta: true, complete: true }, 'checking'],
    ['hashing while running', { hashing: true }, 'checking'],
    ['a non-tracker message is an error', { message: 'Storage error: [File chunk write error: No space left on device]' }, 'error'],
    ['a non-tracker message on a stopped torrent is an error', { message: 'x', started: false }, 'error'],
    ['a message that only contains "Tracker: " later is an error', { message: 'Error. Tracker: [x]' }, 'error'],
    ['"Tracker:" without the space is an error', { message: 'Tracker:[x]' }, 'error'],
    ['a tracker message keeps downloading', { message: 'Tracker: [Timeout was reached]' }, 'downloading'],
    ['a tracker message keeps seeding', { message: 'Tracker: [Failure reason "unregistered torrent"]', complete: true }, 'seeding'],
    ['a tracker message keeps paused', { message: 'Tracker: [Could not resolve host]', started: false }, 'paused'],
    ['stopped is paused', { started: false, active: false }, 'paused'],
    ['stopped but active is paused', { started: false, active: true }, 'paused'],
    ['started but inactive is paused', { started: true, active: false }, 'paused'],
    ['stopped and complete is paused, not seeding', { started: false, complete: true }, 'paused'],
    ['stopped metadata is paused', { started: false, meta: true }, 'paused'],
    ['running metadata fetch is metadata', { meta: true }, 'metadata'],
    ['meta wins over complete', { meta: true, complete: true }, 'metadata'],
    ['complete and running is seeding', { complete: true }, 'seeding'],
    ['otherwise downloading', {}, 'downloading'],
  ];
  it.each(table)('%s', (_label, raw, expected) => {
    expect(normalizeState({ ...base, ...raw })).toBe(expected);
  });

  it('matches the full truth table (property)', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(),
        fc.constantFrom('', 'Tracker: [x]', 'Hash check on download completion found bad chunks', 'tracker: [lowercase]'),
        (started, active, complete, hashing, meta, message) => {
          const state = normalizeState({ started, active, complete, hashing, meta, message });
          let expected: TorrentState;
          if (hashing) expected = 'checking';
          else if (message !== '' && !message.startsWith('Tracker: ')) expected = 'error';
          else if (!started || !active) expected = 'paused';
          else if (meta) expected = 'metadata';
          else expected = complete ? 'seeding' : 'downloading';
          expect(state).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('parseTrackerSummary', () => {
  it('takes the hosts in order and the best seed and leecher counts', () => {
    expect(parseTrackerSummary('http://a/announce|3|7|1|0|1|1|||udp://b:1/x|5|2|1|0|1|1|||')).toMatchObject({ hosts: ['a', 'b'], seeds: 5, leechers: 7 });
  });

  it('returns nothing for an empty summary', () => {
    expect(parseTrackerSummary('')).toEqual({ hosts: [], seeds: -1, leechers: -1, reports: [] });
  });

  it('reads urls that themselves contain "|" from the right', () => {
    expect(parseTrackerSummary('http://t.example/announce?a=1|2&b=|3|4|1|0|1|1|||')).toMatchObject({ hosts: ['t.example'], seeds: 3, leechers: 4 });
    expect(parseTrackerSummary('https://x.example/p|q|r|9|1|1|0|1|1|||')).toMatchObject({ hosts: ['x.example'], seeds: 9, leechers: 1 });
  });

  it('lists a host once even with several trackers on it', () => {
    const summary = 'http://a.example/1|1|1|1|0|1|1|||https://a.example:443/2|2|2|1|0|1|1|||udp://c.example:80|0|0|1|0|1|1|||';
    expect(parseTrackerSummary(summary).hosts).toEqual(['a.example', 'c.example']);
  });

  it('skips malformed records and unparsable urls but keeps their counts', () => {
    expect(parseTrackerSummary('garbage|||only|one|||')).toEqual({ hosts: [], seeds: -1, leechers: -1, reports: [] });
    // A url that is not a URL still has counts.
    expect(parseTrackerSummary('not a url|4|6|1|0|1|1|||')).toMatchObject({ hosts: [], seeds: 4, leechers: 6 });
    // No url at all: "|1|2|1|0|1|1" has its first "|" at 0 and is skipped.
    expect(parseTrackerSummary('|1|2|1|0|1|1|||')).toEqual({ hosts: [], seeds: -1, leechers: -1, reports: [] });
  });

  it('counts only trackers that gave counts: an unreachable one (scrape_complete 0, scrape_time_last 0) leaves the swarm unknown', () => {
    // As rTorrent 0.9.8 answered for a tracker on a loopback port where nothing listens.
    expect(parseTrackerSummary('http://127.0.0.1:40087/announce|0|0|1|3|0|0|||')).toMatchObject({ hosts: ['127.0.0.1'], seeds: -1, leechers: -1 });
    // One tracker counted, another did not: the one that counted.
    expect(parseTrackerSummary('http://a/x|1|0|1|0|1|1796425142|||http://b/x|0|0|1|3|0|0|||')).toMatchObject({ seeds: 1, leechers: 0 });
    // A counted zero is a known zero.
    expect(parseTrackerSummary('http://a/x|0|0|1|0|1|1796425142|||')).toMatchObject({ seeds: 0, leechers: 0 });
    // An announce that succeeded without counts (success_counter 1, scrape_time_last 0) counts nothing.
    expect(parseTrackerSummary('http://a/x|0|0|1|0|1|0|||')).toMatchObject({ seeds: -1, leechers: -1 });
  });

  it('reads each enabled tracker\'s counters as a report; disabled trackers say nothing', () => {
    expect(parseTrackerSummary('http://a/x|0|0|1|2|5|1|||http://b/x|0|0|1|0|3|1|||http://c/x|0|0|1|0|0|1|||http://d/x|0|0|0|9|0|1|||').reports).toEqual([
      { outcome: 'error', message: '' },
      { outcome: 'ok', message: '' },
      { outcome: null, message: '' },
    ]);
  });

  it('never throws, and its counts are counts or -1 for unknown (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60, unit: fc.constantFrom('|', 'h', 't', 'p', ':', '/', 'a', '1', '-', '.', ' ') }), (summary) => {
        const parsed = parseTrackerSummary(summary);
        expect(parsed.seeds).toBeGreaterThanOrEqual(-1);
        expect(parsed.leechers).toBeGreaterThanOrEqual(-1);
        expect(new Set(parsed.hosts).size).toBe(parsed.hosts.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalizeTorrentRow', () => {
  it('translates a hand-made downloading multi-file row', () => {
    expect(normalizeTorrentRow(row({}), 'rutorrent')).toEqual({
      id: HASH.toLowerCase(),
      name: 'Some Torrent',
      state: 'downloading',
      progress: 0.25,
      sizeBytes: 1000,
      doneBytes: 250,
      uploadedBytes: 500,
      downloadedBytes: 250,
      ratio: 2,
      downRate: 50,
      upRate: 10,
      etaSeconds: 15,
      peersConnected: 4,
      peersTotal: 34,
      seedsConnected: 3,
      seedsTotal: 12,
      labels: [],
      savePath: '/data',
      addedAt: 1_700_000_000,
      completedAt: null,
      trackerHosts: ['a.example'],
      message: '',
      queuePosition: null,
      seedingSeconds: 0,
      lastActivityAt: null,
      private: true,
      trackerStatus: 'ok',
      trackerMessage: '',
    });
  });

  describe("issue 13's values", () => {
    const NOW = 1_800_000_000;
    const seeding = { 'd.complete=': 1, 'd.left_bytes=': 0, 'd.completed_bytes=': 1000 } as const;

    it('counts seeding time from the later of the last start and the finish, while complete and started', () => {
      const read = (fields: Partial<Record<Field, XmlRpcValue>>) => normalizeTorrentRow(row({ ...seeding, ...fields }), 'rutorrent', NOW).seedingSeconds;
      expect(read({ 'd.timestamp.finished=': NOW - 500, 'd.timestamp.started=': NOW - 900 })).toBe(500);
      // Restarted (by the user or with rTorrent) after finishing: only this run is known.
      expect(read({ 'd.timestamp.finished=': NOW - 5000, 'd.timestamp.started=': NOW - 60 })).toBe(60);
      // Stopped: how long earlier runs seeded is not known.
      expect(read({ 'd.timestamp.finished=': NOW - 500, 'd.state=': 0 })).toBeNull();
      // Never finished: nothing seeded yet.
      expect(normalizeTorrentRow(row({ 'd.timestamp.finished=': 0 }), 'rutorrent', NOW).seedingSeconds).toBe(0);
      // A box clock ahead of ours never makes it negative.
      expect(read({ 'd.timestamp.finished=': NOW + 30, 'd.timestamp.started=': NOW + 30 })).toBe(0);
    });

    it('reads the private flag, unknown while a magnet has no metadata', () => {
      expect(normalizeTorrentRow(row({ 'd.is_private=': 0 }), 'rutorrent').private).toBe(false);
      expect(normalizeTorrentRow(row({ 'd.is_meta=': 1 }), 'rutorrent').private).toBeNull();
    });

    it.each([
      ['Tracker: [Failure reason "Unregistered torrent"]', 'unregistered', 'Failure reason "Unregistered torrent"'],
      ['Tracker: [Failure reason "torrent not found"]', 'unregistered', 'Failure reason "torrent not found"'],
      ['Tracker: [Couldn\'t connect to server]', 'error', "Couldn't connect to server"],
      ['Tracker: [Timeout was reached]', 'error', 'Timeout was reached'],
    ] as const)('d.message %s is %s', (message, status, words) => {
      const torrent = normalizeTorrentRow(row({ 'd.message=': message }), 'rutorrent');
      expect([torrent.trackerStatus, torrent.trackerMessage]).toEqual([status, words]);
    });

    it('without a tracker message, the counters decide: failing is an error without words, none contacted is unknown', () => {
      const verdict = (summary: string) => {
        const torrent = normalizeTorrentRow(row({ [TRACKER_SUMMARY_FIELD]: summary }), 'rutorrent');
        return [torrent.trackerStatus, torrent.trackerMessage];
      };
      expect(verdict('http://a/x|0|0|1|3|0|1|||')).toEqual(['error', '']);
      expect(verdict('http://a/x|0|0|1|0|0|1|||')).toEqual([null, '']);
      expect(verdict('')).toEqual([null, '']);
      // A storage error is no tracker's verdict.
      expect(normalizeTorrentRow(row({ 'd.message=': 'Storage error: [disk full]' }), 'rutorrent').trackerStatus).toBe('ok');
    });
  });

  it('divides the permille ratio', () => {
    expect(normalizeTorrentRow(row({ 'd.ratio=': 1234 }), 'rutorrent').ratio).toBeCloseTo(1.234, 10);
    expect(normalizeTorrentRow(row({ 'd.ratio=': 0 }), 'rutorrent').ratio).toBe(0);
  });

  it('uses d.directory as the save path of a single file, and its parent for a multi-file torrent', () => {
    expect(normalizeTorrentRow(row({ 'd.is_multi_file=': 0, 'd.directory=': '/data/in' }), 'rutorrent').savePath).toBe('/data/in');
    expect(normalizeTorrentRow(row({ 'd.is_multi_file=': 1, 'd.directory=': '/data/in/Name' }), 'rutorrent').savePath).toBe('/data/in');
    expect(normalizeTorrentRow(row({ 'd.is_multi_file=': 1, 'd.directory=': '/data/in/Name/' }), 'rutorrent').savePath).toBe('/data/in');
    expect(normalizeTorrentRow(row({ 'd.is_multi_file=': 1, 'd.directory=': '/Name' }), 'rutorrent').savePath).toBe('/');
  });

  it('takes addedAt from the ruTorrent addtime stamp, else from d.load_date', () => {
    const added = (addtime: XmlRpcValue, loadDate: XmlRpcValue) =>
      normalizeTorrentRow(row({ 'd.custom=addtime': addtime, 'd.load_date=': loadDate }), 'rutorrent').addedAt;
    expect(added('1700000000', 1600000000)).toBe(1_700_000_000);
    expect(added('1700000000.7', 0)).toBe(1_700_000_000);
    expect(added('', 1600000000)).toBe(1_600_000_000);
    expect(added('  ', 1600000000)).toBe(1_600_000_000);
    expect(added('not a number', 1600000000)).toBe(1_600_000_000);
    expect(added('0', 1600000000)).toBe(1_600_000_000);
    expect(added('', 0)).toBeNull();
  });

  it('reports completedAt from d.timestamp.finished when set', () => {
    expect(normalizeTorrentRow(row({ 'd.timestamp.finished=': 1_710_000_000 }), 'rutorrent').completedAt).toBe(1_710_000_000);
  });

  it('computes the eta from what is left and the download rate', () => {
    const eta = (fields: Partial<Record<Field, XmlRpcValue>>) => normalizeTorrentRow(row(fields), 'rutorrent').etaSeconds;
    expect(eta({ 'd.left_bytes=': 1000, 'd.down.rate=': 300 })).toBe(3);
    expect(eta({ 'd.left_bytes=': 1000, 'd.down.rate=': 0 })).toBeNull();
    expect(eta({ 'd.complete=': 1, 'd.left_bytes=': 0, 'd.completed_bytes=': 1000 })).toBeNull();
  });

  it('counts connected peers without the seeds, never below zero', () => {
    expect(normalizeTorrentRow(row({ 'd.peers_connected=': 10, 'd.peers_complete=': 4 }), 'rutorrent').peersConnected).toBe(6);
    expect(normalizeTorrentRow(row({ 'd.peers_connected=': 2, 'd.peers_complete=': 5 }), 'rutorrent').peersConnected).toBe(0);
  });

  it('a complete torrent is at 100% and seeding', () => {
    const torrent = normalizeTorrentRow(row({ 'd.complete=': 1, 'd.completed_bytes=': 1000, 'd.left_bytes=': 0 }), 'rutorrent');
    expect(torrent).toMatchObject({ state: 'seeding', progress: 1, sizeBytes: 1000, doneBytes: 1000 });
  });

  it('counts only the selected size when some files are skipped', () => {
    // 1000 bytes in all, 400 wanted: 100 done + 300 left.
    const torrent = normalizeTorrentRow(row({ 'd.size_bytes=': 1000, 'd.completed_bytes=': 100, 'd.left_bytes=': 300 }), 'rutorrent');
    expect(torrent).toMatchObject({ sizeBytes: 400, doneBytes: 100, progress: 0.25 });
  });

  it('shows a magnet still fetching its metadata as empty', () => {
    const torrent = normalizeTorrentRow(row({ 'd.is_meta=': 1, 'd.size_bytes=': 1, 'd.completed_bytes=': 1, 'd.left_bytes=': 0 }), 'rutorrent');
    expect(torrent).toMatchObject({ state: 'metadata', progress: 0, sizeBytes: 0, doneBytes: 0 });
  });

  it('decodes labels in the seedbox style', () => {
    expect(normalizeTorrentRow(row({ 'd.custom1=': 'TV%2C%20HD' }), 'rutorrent').labels).toEqual(['TV, HD']);
    expect(normalizeTorrentRow(row({ 'd.custom1=': 'TV,HD%2C4K' }), 'flood').labels).toEqual(['TV', 'HD,4K']);
  });

  it('keeps the message and its state', () => {
    const broken = normalizeTorrentRow(row({ 'd.message=': 'Storage error: [x]' }), 'rutorrent');
    expect(broken).toMatchObject({ state: 'error', message: 'Storage error: [x]' });
    const trackerOnly = normalizeTorrentRow(row({ 'd.message=': 'Tracker: [Timeout]' }), 'rutorrent');
    expect(trackerOnly).toMatchObject({ state: 'downloading', message: 'Tracker: [Timeout]' });
  });

  it('reads numbers sent as strings (64-bit values) and survives missing cells', () => {
    const big = normalizeTorrentRow(row({ 'd.size_bytes=': '5000000000000', 'd.completed_bytes=': '5000000000000', 'd.left_bytes=': '0', 'd.complete=': 1 }), 'rutorrent');
    expect(big.sizeBytes).toBe(5_000_000_000_000);
    const empty = normalizeTorrentRow([], 'rutorrent');
    expect(empty).toMatchObject({ id: '', name: '', state: 'paused', progress: 0, sizeBytes: 0, etaSeconds: null, addedAt: null, labels: [] });
  });
});

describe('normalizeFiles, normalizePeers, normalizeTrackers', () => {
  it('field lists have the lengths the readers expect', () => {
    expect(LIST_FIELDS).toHaveLength(27);
    expect(FILE_FIELDS).toHaveLength(5);
    expect(PEER_FIELDS).toHaveLength(6);
    expect(TRACKER_FIELDS).toHaveLength(9);
    expect(PRIORITY_TO_RAW).toEqual({ skip: 0, normal: 1, high: 2 });
  });

  it('estimates file progress from chunks, capped at the file size', () => {
    const files = normalizeFiles(
      [
        ['a/b.bin', 100_000, 2, 7, 1],
        ['c.bin', 10, 1, 1, 0],
        ['d.bin', 50_000, 5, 5, 2],
        ['e.bin', 0, 0, 0, 9],
      ],
      16384,
    );
    expect(files).toEqual([
      { index: 0, path: 'a/b.bin', sizeBytes: 100_000, doneBytes: 32_768, priority: 'normal' },
      { index: 1, path: 'c.bin', sizeBytes: 10, doneBytes: 10, priority: 'skip' },
      { index: 2, path: 'd.bin', sizeBytes: 50_000, doneBytes: 50_000, priority: 'high' },
      { index: 3, path: 'e.bin', sizeBytes: 0, doneBytes: 0, priority: 'normal' },
    ]);
  });

  it('turns peer percent into a fraction', () => {
    expect(normalizePeers([['10.0.0.1', 51413, 'qBittorrent 4.6', 50, 100, 200]])).toEqual([
      { address: '10.0.0.1', port: 51413, client: 'qBittorrent 4.6', progress: 0.5, downRate: 100, upRate: 200 },
    ]);
  });

  it('derives tracker status, unknown counts as -1, and the tracker message only for errors', () => {
    const message = 'Tracker: [Failure reason "unregistered"]';
    const trackers = normalizeTrackers(
      [
        ['http://off/announce', 0, 0, 5, 5, 0, 3, 0],
        ['http://busy/announce', 0, 1, 0, 0, 0, 0, 1],
        ['http://bad/announce', 1, 1, 0, 0, 2, 0, 0],
        ['http://ok/announce', 1, 1, 12, 34, 0, 1, 0, 1796425142],
        ['http://new/announce', 2, 1, 0, 0, 0, 0, 0, 0],
        // Announced fine, but gave no counts (t.scrape_time_last 0): its 0 is no count.
        ['http://quiet/announce', 2, 1, 0, 0, 0, 1, 0, 0],
      ],
      message,
    );
    expect(trackers.map((tracker) => tracker.status)).toEqual(['disabled', 'updating', 'error', 'working', 'not-contacted', 'working']);
    expect(trackers[2]!.message).toBe('[Failure reason "unregistered"]');
    expect(trackers.filter((tracker) => tracker.message !== '')).toHaveLength(1);
    expect(trackers[3]).toMatchObject({ url: 'http://ok/announce', tier: 1, seeders: 12, leechers: 34 });
    expect(trackers[4]).toMatchObject({ seeders: -1, leechers: -1, tier: 2 });
    expect(trackers[5]).toMatchObject({ seeders: -1, leechers: -1 });
    expect(normalizeTrackers([['http://bad/announce', 0, 1, 0, 0, 1, 0, 0]], 'Storage error')[0]!.message).toBe('');
  });
});

describe('SharedValues: what repeats between torrents is held once', () => {
  const tracker = 'http://tracker.example:6969/announce|3|4|1|0|2|1700000000';
  const rowOf = (hash: string, seeds: number, label: string): XmlRpcValue[] =>
    row({
      'd.hash=': hash,
      'd.custom1=': encodeURIComponent(label),
      'd.directory=': `/srv/${'downloads'}`,
      [TRACKER_SUMMARY_FIELD]: tracker.replace('|3|', `|${seeds}|`),
    });

  it('gives the same torrents as without it, with one frozen label list and host list for equal values', () => {
    const shared = new SharedValues();
    const a = rowOf(HASH, 3, 'Linux ISOs');
    const b = rowOf(HASH.replace('0', 'F'), 9, 'Linux ISOs');
    const [sharedA, sharedB] = [a, b].map((each) => normalizeTorrentRow(shareRowStrings(each.slice(), shared), 'rutorrent', 1_700_000_100, shared));
    expect(sharedA).toEqual(normalizeTorrentRow(a, 'rutorrent', 1_700_000_100));
    expect(sharedB).toEqual(normalizeTorrentRow(b, 'rutorrent', 1_700_000_100));
    expect(sharedA!.labels).toBe(sharedB!.labels);
    expect(sharedA!.trackerHosts).toBe(sharedB!.trackerHosts);
    expect(sharedA!.seedsTotal).not.toBe(sharedB!.seedsTotal);
    expect(Object.isFrozen(sharedA!.labels) && Object.isFrozen(sharedA!.trackerHosts)).toBe(true);
    expect(() => sharedA!.labels.push('x')).toThrow();
  });

  it('forgets what it holds past its limit and still answers right', () => {
    const shared = new SharedValues(3);
    const labels = ['a', 'b', 'c', 'd', 'e'].map((label) => shared.labels(label, 'rutorrent'));
    expect(labels).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(shared.labels('e', 'rutorrent')).toBe(labels[4]);
  });
});
