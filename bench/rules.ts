// The rules over 50 000 synthetic torrents on five boxes. Goals (issue 13 §7): all rules
// evaluated over all of them, as the engine plans a run (plan(): first matching rule, its
// explanation, protections, caps, twins, the unregistered grace; goal < 50 ms), and a preview
// update while typing (parse the edited rule, then plan again with it over every torrent;
// goal < 100 ms). Also the language alone: matches() torrent-major (each torrent against every
// rule, as the engine meets them) and rule-major, and one rule with its explanation. Pure
// computation: no daemon, no network. Besides wall time it prints CPU time, which says more
// when other work shares the cores.
import type { TorrentState } from '../electron/shared/model';
import { plan, type BoxTorrents } from '../electron/core/rules/engine';
import { observe } from '../electron/core/rules/unregistered';
import { compile, evaluate, matches, parseOrThrow, type CompiledRule } from '../electron/shared/rules';
import { SeedingSettingsSchema, type SeedingSettings } from '../electron/shared/rules/settings';
import type { Torrent, TrackerSummary } from '../electron/shared/model';
import type { BenchReport, Figure } from './report';
import { measure, measureTimes, percentile, type TimedSamples } from './stats';

const COUNT = 50_000;
const BOXES = 5;
const NOW = Date.UTC(2026, 5, 1) / 1000;
const DAY = 86_400;
const ENGINE_GOAL_MS = 50;
const PREVIEW_GOAL_MS = 100;

/** What people write: the quoted policy first, then the cases its users keep asking for. */
export const TYPICAL_RULES = [
  'ratio >= 2 or (leechers == 0 and ratio >= 1) or age > 60d',
  'tracker == "tracker3.example" and seeding_time > 14d',
  'label in ["tv", "movies"] and ratio >= 1.5',
  'unregistered',
  'state == "seeding" and idle > 7d and size > 10GiB',
  'name ~ "*linux*" and ratio > 3',
  'not private and seeders > 20 and age > 2w',
  'tracker_status in ["error", "unregistered"] and age > 1d',
  'complete and up_rate < 10KiB/s and leechers < 2',
  'label not in ["keep", "archive"] and (ratio >= 3 or seeding_time > 30d)',
];

const WORDS = ['ubuntu', 'debian', 'linux', 'podcast', 'lecture', 'dataset', 'archive', 'concert', 'nature', 'backup', 'mirror', 'docs'];
const LABELS = ['tv', 'movies', 'music', 'keep', 'archive', 'books'];
const STATES: TorrentState[] = ['seeding', 'seeding', 'seeding', 'seeding', 'downloading', 'paused', 'queued', 'error'];
const TRACKER_STATUS: TrackerSummary[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'warning', 'error', 'unregistered'];

function torrentOf(index: number): Torrent {
  const state = STATES[index % STATES.length]!;
  const size = 1e6 + ((index * 7919) % 50_000) * 4e5;
  const progress = state === 'seeding' ? 1 : ((index * 31) % 100) / 100;
  const downloaded = size * progress;
  const uploaded = downloaded * (((index * 13) % 60) / 10);
  const addedAt = NOW - ((index * 97) % 200) * DAY;
  return {
    id: index.toString(16).padStart(40, '0'),
    name: `${WORDS[index % WORDS.length]} ${WORDS[(index >> 3) % WORDS.length]} ${index}`,
    state,
    progress,
    sizeBytes: size,
    doneBytes: downloaded,
    uploadedBytes: uploaded,
    downloadedBytes: downloaded,
    ratio: downloaded > 0 ? uploaded / downloaded : 0,
    downRate: state === 'downloading' ? index % 100_000 : 0,
    upRate: index % 3 === 0 ? index % 50_000 : 0,
    etaSeconds: state === 'downloading' ? index % 86_400 : null,
    peersConnected: index % 5,
    peersTotal: index % 7 === 0 ? -1 : index % 40,
    seedsConnected: index % 3,
    seedsTotal: index % 60,
    labels: index % 4 === 0 ? [] : [LABELS[index % LABELS.length]!],
    savePath: '/srv/downloads',
    addedAt,
    completedAt: state === 'seeding' ? addedAt + DAY : null,
    trackerHosts: [`tracker${index % 12}.example`],
    message: '',
    queuePosition: null,
    // Issue 13 §1's values; every tenth torrent from a client that cannot tell.
    ...(index % 10 === 0
      ? { seedingSeconds: null, lastActivityAt: null, private: null, trackerStatus: null, trackerMessage: '' }
      : {
          seedingSeconds: state === 'seeding' ? NOW - addedAt - DAY : 0,
          lastActivityAt: NOW - ((index * 17) % 30) * DAY,
          private: index % 2 === 0,
          trackerStatus: TRACKER_STATUS[index % TRACKER_STATUS.length]!,
          trackerMessage: '',
        }),
  };
}

/** The typical rules as saved settings (live, remove-data), with a tracker floor and a protected label. */
export function settingsWith(rules: readonly string[]): SeedingSettings {
  return SeedingSettingsSchema.parse({
    rules: rules.map((condition, index) => ({ id: `rule-${index}`, name: `Rule ${index}`, enabled: true, mode: 'live', version: 1, condition, action: 'remove-data' })),
    protections: { trackerFloors: [{ host: 'tracker5.example', minSeedingSeconds: 14 * DAY, minRatio: 1 }], labels: ['keep'] },
  });
}

/** Five boxes of 10 000, each with the unregistered torrents seen two hours and again now (their grace has passed). */
export function boxesOf(torrents: readonly Torrent[]): BoxTorrents[] {
  const size = COUNT / BOXES;
  return Array.from({ length: BOXES }, (_, box) => {
    const own = torrents.slice(box * size, (box + 1) * size);
    return { seedbox: { id: `box-${box}`, name: `Box ${box}` }, torrents: own, sightings: observe(observe(undefined, own, NOW - 7200), own, NOW) };
  });
}

/**
 * A library as rules meet it run after run: what they took earlier is gone, so only the torrents
 * that reached a rule since the last run match (1 in 100 here), and every other torrent is
 * evaluated against all ten rules. The synthetic generator alone makes 9 in 10 match rule 1: that
 * first run over a library never cleaned is measured too, as the worst case.
 */
export function steadyLibrary(rules: readonly CompiledRule[]): Torrent[] {
  const quiet: Torrent[] = [];
  const fresh: Torrent[] = [];
  for (let index = 0; quiet.length + fresh.length < COUNT; index++) {
    const torrent = torrentOf(index);
    const matched = rules.some((rule) => matches(rule, torrent, NOW));
    if (matched ? fresh.length < COUNT / 100 : quiet.length < COUNT - COUNT / 100) (matched ? fresh : quiet).push(torrent);
  }
  // Spread through the boxes, as new matches would be.
  return quiet.flatMap((torrent, index) => (index % 99 === 0 && fresh.length > 0 ? [fresh.pop()!, torrent] : [torrent])).concat(fresh);
}

export async function benchRules(log: (line: string) => void): Promise<BenchReport> {
  const compiled = TYPICAL_RULES.map((text) => compile(parseOrThrow(text)));
  const steady = steadyLibrary(compiled);
  const boxes = boxesOf(steady);
  const settings = settingsWith(TYPICAL_RULES);
  const outcomesOf = (plans: ReturnType<typeof plan>): string => {
    const counts = new Map<string, number>();
    for (const decision of plans.flatMap((box) => box.decisions)) counts.set(decision.outcome, (counts.get(decision.outcome) ?? 0) + 1);
    return [...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ');
  };
  const planned = outcomesOf(plan(settings, boxes, NOW));

  // The goals first, with nothing else built yet: the other figures' libraries (another 100 000
  // torrents) and the first run's 48 000 decisions would make every collection during plan()
  // dearer than the app's. Each run is the whole plan() the app uses, its report checked. Runs
  // follow one another as previews do, each paying for the collections its own garbage causes;
  // the same runs right after a forced full collection are shown too (its sweeping lands in them).
  const runPlan = (): string => outcomesOf(plan(settings, boxes, NOW));
  const engine = await measureTimes(runPlan, { warmups: 5, runs: 31, collectBeforeEach: false, check: (outcomes) => assertSame(outcomes, planned) });
  // The user types the last character of the policy's first comparison: the edited rule is
  // parsed (the editor's validation), then the preview plans again with it in place.
  const typed = TYPICAL_RULES[0]!;
  const runPreviewUpdate = (): string => {
    parseOrThrow(typed);
    return outcomesOf(plan(settingsWith([typed, ...TYPICAL_RULES.slice(1)]), boxes, NOW));
  };
  const previewUpdate = await measureTimes(runPreviewUpdate, { warmups: 5, runs: 31, collectBeforeEach: false, check: (outcomes) => assertSame(outcomes, planned) });
  const engineAfterCollection = await measureTimes(runPlan, { warmups: 0, runs: 15, check: (outcomes) => assertSame(outcomes, planned) });

  const torrents = Array.from({ length: COUNT }, (_, index) => torrentOf(index));
  const uncleaned = boxesOf(torrents);
  const plannedUncleaned = outcomesOf(plan(settings, uncleaned, NOW));
  log(`plan: ${planned}; first run: ${plannedUncleaned}`);
  const matchCounts = compiled.map((rule) => torrents.filter((torrent) => matches(rule, torrent, NOW)).length);
  log(`matches per rule: ${matchCounts.join(', ')}`);

  const runEngine = (): number => {
    let matched = 0;
    for (const torrent of torrents) for (const rule of compiled) if (matches(rule, torrent, NOW)) matched++;
    return matched;
  };
  const runRuleMajor = (): number => {
    let matched = 0;
    for (const rule of compiled) for (const torrent of torrents) if (matches(rule, torrent, NOW)) matched++;
    return matched;
  };
  const torrentMajor = await measure(runEngine, { warmups: 3, runs: 15, check: (matched) => assertSame(matched, sum(matchCounts)) });
  const ruleMajor = await measure(runRuleMajor, { warmups: 3, runs: 15, check: (matched) => assertSame(matched, sum(matchCounts)) });
  const firstRun = await measure(() => outcomesOf(plan(settings, uncleaned, NOW)), { warmups: 1, runs: 7, check: (outcomes) => assertSame(outcomes, plannedUncleaned) });

  const runKeystroke = (): number => {
    const rule = compile(parseOrThrow(typed));
    let matched = 0;
    for (const torrent of torrents) if (evaluate(rule, torrent, NOW).matches) matched++;
    return matched;
  };
  const keystroke = await measure(runKeystroke, { warmups: 3, runs: 15, check: (matched) => assertSame(matched, matchCounts[0]!) });

  const parses = 1000;
  const parse = await measure(
    () => {
      for (let index = 0; index < parses; index++) parseOrThrow(TYPICAL_RULES[index % TYPICAL_RULES.length]!);
      return parses;
    },
    { warmups: 2, runs: 9 },
  );

  const figures: Figure[] = [
    { label: `engine: plan() of ${TYPICAL_RULES.length} rules × ${COUNT} torrents on ${BOXES} boxes`, samples: engine.wall, note: spread(engine) },
    { label: `preview update: parse the edited rule + plan() again`, samples: previewUpdate.wall, note: spread(previewUpdate) },
    { label: `plan() right after a forced full collection`, samples: engineAfterCollection.wall, note: spread(engineAfterCollection) },
    { label: `first run over a library never cleaned: plan(), 96 % match`, samples: firstRun },
    { label: `language: ${TYPICAL_RULES.length} rules × ${COUNT} torrents, matches(), torrent-major`, samples: torrentMajor },
    { label: `language: ${TYPICAL_RULES.length} rules × ${COUNT} torrents, matches(), rule-major`, samples: ruleMajor },
    { label: `language: parse + evaluate with explain, one rule × ${COUNT}`, samples: keystroke },
    { label: `${parses} parses of the typical rules`, samples: parse },
  ];
  return {
    title: 'rules: the rule language over 50 000 torrents',
    info: [
      ['torrents', `${COUNT} synthetic (every 10th without issue 13 §1's values)`],
      ['rules', TYPICAL_RULES.map((text, index) => `\n  ${index + 1}. ${text} (${matchCounts[index]} match)`).join('')],
      ['settings', 'every rule live, remove-data; a tracker floor (14d and ratio 1), a protected label, default caps'],
      ['plan', `${planned} (steady state: ${steady.length - COUNT / 100} torrents match no rule, ${COUNT / 100} do)`],
      ['first run', `${plannedUncleaned} (the generator's torrents as they come)`],
      ['runs', 'plan() and the preview update first, before the other figures build their libraries: 31 runs one after another after 5 warm-ups (then 15 with a full GC before each); the others 15 after 3 (first run 7 after 1), a full GC before each'],
    ],
    figures,
    ratios: [
      ['engine plan, CPU time (median)', `${engine.cpu.median.toFixed(1)} ms`],
      ['preview update, CPU time (median)', `${previewUpdate.cpu.median.toFixed(1)} ms`],
      ['per torrent and rule (matches, torrent-major)', `${((torrentMajor.median * 1e6) / (COUNT * TYPICAL_RULES.length)).toFixed(0)} ns`],
      ['per parse', `${((parse.median * 1000) / parses).toFixed(1)} µs`],
    ],
    goals: [
      { label: `all rules over ${COUNT} torrents (plan) < ${ENGINE_GOAL_MS} ms`, met: engine.wall.median < ENGINE_GOAL_MS, detail: `${engine.wall.median.toFixed(1)} ms median` },
      { label: `preview update while typing < ${PREVIEW_GOAL_MS} ms`, met: previewUpdate.wall.median < PREVIEW_GOAL_MS, detail: `${previewUpdate.wall.median.toFixed(1)} ms median` },
    ],
  };
}

/** The tail and the CPU time beside the median: p95 of wall time, then CPU median and p95 (the process's own, whatever else the cores did). */
function spread(timed: TimedSamples): string {
  return `p95 ${percentile(timed.wall.runs, 0.95).toFixed(1)}; CPU median ${timed.cpu.median.toFixed(1)}, p95 ${percentile(timed.cpu.runs, 0.95).toFixed(1)}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function assertSame<T>(actual: T, expected: T): void {
  if (actual !== expected) throw new Error(`matched ${actual} torrents, expected ${expected}`);
}
