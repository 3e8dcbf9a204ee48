import { describe, expect, it } from 'vitest';
import type { Torrent } from '../../../../electron/shared/model';
import { compile, evaluate, matches, parseOrThrow } from '../../../../electron/shared/rules';
import { modelTorrent } from '../../../helpers/model';

const NOW = Date.UTC(2026, 5, 1) / 1000;
const DAY = 86_400;

function torrent(fields: Partial<Torrent> = {}): Torrent {
  return { ...modelTorrent({ id: 'a'.repeat(40) }), ...fields };
}

function run(text: string, record: Torrent): ReturnType<typeof evaluate> {
  const compiled = compile(parseOrThrow(text));
  const result = evaluate(compiled, record, NOW);
  // The engine's fast path and the preview's path always agree.
  expect(matches(compiled, record, NOW)).toBe(result.matches);
  return result;
}

describe('the quoted policy', () => {
  // "Seed until the upload is twice the download, but accept a lower ratio for something nobody
  // else wants, and after a couple of months remove it whatever the ratio."
  const POLICY = 'ratio >= 2 or (leechers == 0 and ratio >= 1) or age > 60d';

  it.each([
    ['reached ratio 2', { ratio: 2.1, peersTotal: 10, addedAt: NOW - 5 * DAY }, true, ['ratio = 2.10 ≥ 2']],
    ['nobody wants it and ratio 1.2', { ratio: 1.2, peersTotal: 0, addedAt: NOW - 5 * DAY }, true, ['leechers = 0', 'ratio = 1.20 ≥ 1']],
    ['wanted, ratio 1.2, ten days old', { ratio: 1.2, peersTotal: 4, addedAt: NOW - 10 * DAY }, false, ['ratio = 1.20, not ≥ 2', 'leechers = 4, not = 0', 'age = 10d, not > 60d']],
    ['ratio 0.1 but 61 days old', { ratio: 0.1, peersTotal: 9, addedAt: NOW - 61 * DAY }, true, ['age = 61d > 60d']],
    ['nobody wants it but ratio 0.5', { ratio: 0.5, peersTotal: 0, addedAt: NOW - 10 * DAY }, false, ['ratio = 0.50, not ≥ 2', 'ratio = 0.50, not ≥ 1', 'age = 10d, not > 60d']],
    // The tracker never said how many leechers: unknown, so the rule does not act on a guess.
    ['leechers unknown, ratio 1.5', { ratio: 1.5, peersTotal: -1, addedAt: NOW - 10 * DAY }, false, ['leechers unknown']],
    ['added date unknown, ratio 0.3', { ratio: 0.3, peersTotal: 3, addedAt: null }, false, ['age unknown']],
  ] as const)('%s → %s', (_, fields, matched, explain) => {
    const result = run(POLICY, torrent(fields));
    expect(result.matches).toBe(matched);
    expect(result.explain.map((observation) => observation.text)).toEqual(explain);
  });
});

describe('evaluate', () => {
  it.each([
    // Multi-valued fields: a positive test holds when one value matches, a negative one when none does.
    ['label == "tv"', { labels: ['movies', 'tv'] }, true],
    ['label == "tv"', { labels: [] }, false],
    ['label != "tv"', { labels: ['movies', 'tv'] }, false],
    ['label != "tv"', { labels: ['movies'] }, true],
    ['label != "tv"', { labels: [] }, true],
    ['label in ["tv", "movies"]', { labels: ['movies'] }, true],
    ['label not in ["tv", "movies"]', { labels: ['movies', 'music'] }, false],
    ['label not in ["tv", "movies"]', { labels: ['music'] }, true],
    ['label in []', { labels: ['music'] }, false],
    ['label !~ "*"', { labels: [] }, true],
    ['label !~ "*"', { labels: [''] }, false],
    ['tracker == "tracker.example.org"', { trackerHosts: ['dht', 'tracker.example.org'] }, true],
    ['tracker ~ "*.EXAMPLE.org"', { trackerHosts: ['tracker.example.org'] }, true],
    // Globs: * any run, ? one character, case-insensitive, whole name.
    ['name ~ "*.iso"', { name: 'Debian-13.ISO' }, true],
    ['name ~ "debian-??.iso"', { name: 'debian-13.iso' }, true],
    ['name ~ "debian-?.iso"', { name: 'debian-13.iso' }, false],
    ['name ~ "debian"', { name: 'debian-13.iso' }, false],
    ['name !~ "*beta*"', { name: 'app-Beta-2' }, false],
    ['name == "Debian"', { name: 'debian' }, false],
    // Units.
    ['size > 1GiB', { sizeBytes: 1024 ** 3 + 1 }, true],
    ['size > 1GB', { sizeBytes: 1e9 }, false],
    ['size >= 1GB', { sizeBytes: 1e9 }, true],
    ['up_rate > 1MiB/s', { upRate: 2 * 1024 ** 2 }, true],
    ['progress >= 50%', { progress: 0.5 }, true],
    ['progress < 100%', { progress: 1 }, false],
    ['uploaded > 0', { uploadedBytes: 1 }, true],
    ['age > 2w', { addedAt: NOW - 15 * DAY }, true],
    ['age > 90m', { addedAt: NOW - 80 * 60 }, false],
    ['added < 2026-01-01', { addedAt: Date.UTC(2025, 11, 31) / 1000 }, true],
    ['completed >= 2026-05-31T12:00Z', { completedAt: Date.UTC(2026, 4, 31, 12) / 1000 }, true],
    ['ratio > 100', { ratio: Infinity }, true],
    // States and booleans.
    ['state == "seeding"', { state: 'seeding' }, true],
    ['state in ["paused", "error"]', { state: 'seeding' }, false],
    ['complete', { progress: 1 }, true],
    ['complete', { progress: 0.99 }, false],
    ['not complete', { progress: 0.99 }, true],
    // Issue 13 §1's fields, once the record carries them.
    ['seeding_time > 14d', { seedingSeconds: 15 * DAY }, true],
    ['idle > 7d', { lastActivityAt: NOW - 8 * DAY }, true],
    ['private', { private: true }, true],
    ['private == false', { private: true }, false],
    ['unregistered', { trackerStatus: 'unregistered' }, true],
    ['unregistered', { trackerStatus: 'error' }, false],
    ['tracker_status in ["error", "unregistered"]', { trackerStatus: 'warning' }, false],
    ['tracker_message ~ "*not registered*"', { trackerStatus: 'unregistered', trackerMessage: 'Torrent not registered with this tracker' }, true],
  ] as Array<[string, Partial<Torrent>, boolean]>)('%s with %j → %s', (text, fields, matched) => {
    expect(run(text, torrent(fields)).matches).toBe(matched);
  });

  it('folds case beyond ASCII, and a pattern of many stars stays linear-ish, not exponential', () => {
    expect(run('name ~ "CAFÉ*"', torrent({ name: 'café au lait' })).matches).toBe(true);
    const started = performance.now();
    expect(run(`name ~ "${'*a'.repeat(20)}*b"`, torrent({ name: 'a'.repeat(5000) })).matches).toBe(false);
    // A regular expression of the same shape backtracks for minutes; the walk takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reads a field the model does not report yet as unknown, and unknown never matches, even negated', () => {
    for (const text of ['unregistered', 'not unregistered', 'seeding_time > 14d', 'not (seeding_time < 14d)', 'private != true', 'idle > 1d']) {
      const result = run(text, torrent());
      expect(result.truth, text).toBeNull();
      expect(result.matches, text).toBe(false);
    }
  });

  it('reads complete as unknown when progress is missing, null, NaN or negative, as progress itself reads', () => {
    for (const progress of [null, undefined, Number.NaN, -1]) {
      const record = { ...torrent(), progress } as unknown as Torrent;
      expect(run('complete', record).truth, String(progress)).toBeNull();
      expect(run('not complete', record).truth, String(progress)).toBeNull();
      expect(run('progress >= 0%', record).truth, String(progress)).toBeNull();
    }
    expect(run('complete', torrent({ progress: Infinity })).truth).toBe(true);
    expect(run('complete', torrent({ progress: 0 })).truth).toBe(false);
  });

  it('reads a time since as unknown when the clock it is measured from is not a number', () => {
    const compiled = compile(parseOrThrow('age > 1d or idle > 1d'));
    expect(evaluate(compiled, torrent({ addedAt: NOW - 5 * DAY, lastActivityAt: NOW }), Number.NaN).truth).toBeNull();
  });

  it('follows three-valued logic: false decides an and, true decides an or, over unknown', () => {
    const record = torrent({ ratio: 3 });
    expect(run('seeding_time > 1d and ratio > 5', record).truth).toBe(false);
    expect(run('seeding_time > 1d and ratio > 1', record).truth).toBeNull();
    expect(run('seeding_time > 1d or ratio > 1', record).truth).toBe(true);
    expect(run('seeding_time > 1d or ratio > 5', record).truth).toBeNull();
  });

  it('explains a match with the values that made it, and the other side as written', () => {
    const result = run('label in ["tv", "movies"] and size > 1.5GiB and seeders < 3 and added < 2026-01-31', torrent({ labels: ['tv'], sizeBytes: 2 * 1024 ** 3, seedsTotal: 1, addedAt: Date.UTC(2026, 0, 2, 3, 4) / 1000 }));
    expect(result.explain).toMatchObject([
      { field: 'label', value: ['tv'], operator: 'in', operand: '["tv", "movies"]', result: true, text: 'label = tv in ["tv", "movies"]' },
      { field: 'size', value: 2 * 1024 ** 3, valueText: '2.00 GiB', operator: '>', operand: '1.5GiB', result: true, text: 'size = 2.00 GiB > 1.5GiB' },
      { field: 'seeders', text: 'seeders = 1 < 3' },
      { field: 'added', text: 'added = 2026-01-02 03:04 UTC < 2026-01-31' },
    ]);
    expect(result.explain[1]!.span).toEqual({ start: 30, end: 43 });
  });

  it('explains values in their units: durations, percentages, speeds, unknowns, empty lists', () => {
    const text = (rule: string, fields: Partial<Torrent>): string[] => run(rule, torrent(fields)).explain.map((observation) => observation.text);
    expect(text('age > 60d', { addedAt: NOW - (3 * DAY + 7200) })).toEqual(['age = 3d 2h, not > 60d']);
    expect(text('progress < 50%', { progress: 0.25 })).toEqual(['progress = 25.0% < 50%']);
    expect(text('up_rate > 1MiB/s', { upRate: 0 })).toEqual(['up_rate = 0 B/s, not > 1MiB/s']);
    expect(text('label == "tv"', { labels: [] })).toEqual(['label = none, not = "tv"']);
    expect(text('eta < 1h', { etaSeconds: null })).toEqual(['eta unknown']);
    expect(text('not private', { private: false })).toEqual(['private = no']);
  });
});
