// Issue 13 §4: the seeding-rule engine. plan() is pure: given the settings and each box's
// torrents it says, per torrent, which rule would act and how, or what stopped it (a protection,
// a cap, the global pause). run() re-reads each box right before acting, plans on that fresh
// list and acts only for live rules. Protections are checked before any rule's action and no
// rule overrides them. The tracker's "unregistered" counts only after its grace period
// (unregistered.ts): until then the tracker's verdict on that torrent reads as unknown.
import type { TorrentClient } from '../clients/types';
import { toSeedboxError, type SeedboxError } from '../../shared/errors';
import { compile, evaluate, fieldNamed, matcherOf, parse, type CompiledRule } from '../../shared/rules';
import type { Torrent } from '../../shared/model';
import { formatBytes, formatDuration } from '../../shared/format';
import { gracePassed, graceVerdict, observe, type BoxSightings } from './unregistered';
import { formatRuleAction, type CandidateOrder, type RuleAction, type SeedingRule, type SeedingSettings, type SpaceTarget, type TrackerFloor } from '../../shared/rules/settings';
import { SPACE_TARGET_RULE_ID, type BoxPlan, type Decision, type Operation, type Outcome, type SeedboxRef, type TargetReport } from '../../shared/rules/report';

// The report's types live with their schemas in shared/rules/report.ts; re-exported for the engine's callers.
export type { BoxPlan, Decision, DecisionValue, Operation, Outcome, SeedboxRef, TargetReport } from '../../shared/rules/report';

export interface BoxTorrents {
  seedbox: SeedboxRef;
  torrents: readonly Torrent[];
  /** Free bytes on the box (SessionStats.freeSpaceBytes); undefined or null when unknown. */
  freeBytes?: number | null;
  /** Since when its tracker has said "unregistered" (UnregisteredSightings); none: not checked yet, so no grace has passed. */
  sightings?: BoxSightings;
}

/** What caps have left in this run; shared across the boxes planned one after another. */
export interface CapBudget {
  live: { torrents: number; bytes: number };
  preview: { torrents: number; bytes: number };
}

interface RunnableRule {
  rule: SeedingRule;
  compiled: CompiledRule;
  /** matches() of this rule, looked up once: it runs for every torrent. */
  matches: (torrent: Torrent, now: number) => boolean;
  /** The label and tracker parts of its scope as sets, once per plan; undefined: any. */
  labels: ReadonlySet<string> | undefined;
  trackers: ReadonlySet<string> | undefined;
}

/** The protections looked up by what a torrent carries, once per plan rather than once per torrent. */
interface ProtectionIndex {
  labels: ReadonlySet<string>;
  /** Each floor by its host with its place in the settings: the first that holds a torrent back is the one reported. */
  floors: ReadonlyMap<string, { floor: TrackerFloor; order: number }>;
}

/** What plan() works from: the settings and what it derives from them once. */
interface Planning {
  settings: SeedingSettings;
  rules: readonly RunnableRule[];
  protections: ProtectionIndex;
}

export function newCapBudget(settings: SeedingSettings): CapBudget {
  const { maxTorrents, maxBytes } = settings.caps.perRun;
  // Preview rules are capped as live ones would be, on their own budget, so the preview shows the cut.
  return { live: { torrents: maxTorrents, bytes: maxBytes }, preview: { torrents: maxTorrents, bytes: maxBytes } };
}

/** Every box, one after another, under one run's caps. `now` is unix seconds. */
export function plan(settings: SeedingSettings, boxes: readonly BoxTorrents[], now: number): BoxPlan[] {
  const planning = planningOf(settings);
  const budget = newCapBudget(settings);
  return boxes.map((box) => planBox(planning, box, now, budget));
}

function planningOf(settings: SeedingSettings): Planning {
  const { labels, trackerFloors } = settings.protections;
  return {
    settings,
    rules: runnableRules(settings),
    protections: { labels: new Set(labels), floors: new Map(trackerFloors.map((floor, order) => [floor.host, { floor, order }])) },
  };
}

function setOrAny(values: readonly string[]): ReadonlySet<string> | undefined {
  return values.length === 0 ? undefined : new Set(values);
}

/** The enabled rules whose condition parses, in their order (the first that matches wins). */
export function runnableRules(settings: SeedingSettings): RunnableRule[] {
  const rules: RunnableRule[] = [];
  for (const rule of settings.rules) {
    if (!rule.enabled || rule.problem) continue;
    const parsed = parse(rule.condition);
    // markConditionProblem disables a rule that does not parse; this only guards a hand-built settings object.
    if (parsed.ok) {
      const compiled = compile(parsed.rule);
      rules.push({ rule, compiled, matches: matcherOf(compiled), labels: setOrAny(rule.scope.labels), trackers: setOrAny(rule.scope.trackers) });
    }
  }
  return rules;
}

function planBox(planning: Planning, box: BoxTorrents, now: number, budget: CapBudget): BoxPlan {
  const { settings } = planning;
  const candidates = decideEach(planning, box, now);
  const boxBudget = newBoxBudget(settings);
  applyCaps(settings, candidates, budget, boxBudget);
  // After the caps: a twin cut by a cap stays, so its partner must keep the data. A downgraded
  // removal has used cap bytes it will not free; the caps err on the side of doing less.
  keepSharedData(candidates, box.torrents);
  const spaceTarget = settings.spaceTargets.find((target) => target.seedboxId === box.seedbox.id);
  let report: TargetReport | undefined;
  if (spaceTarget) {
    // After the rules, on what they leave: a torrent a rule chose is not chosen twice.
    const targeted = planTarget(planning, spaceTarget, box, candidates);
    applyCaps(settings, targeted.decisions, budget, boxBudget);
    candidates.push(...targeted.decisions);
    report = targeted.report();
  }
  if (settings.paused) {
    for (const decision of candidates) if (decision.outcome === 'act') Object.assign(decision, { outcome: 'paused', reason: 'rules are paused' });
  }
  const bytesFreed = candidates.reduce((sum, decision) => sum + (decision.outcome === 'act' || decision.outcome === 'preview' ? decision.bytesFreed : 0), 0);
  return { seedbox: box.seedbox, decisions: candidates, bytesFreed, ...(report ? { target: report } : {}) };
}

/**
 * The rules' decision for each torrent of the box that one takes. A function of its own: the
 * optimiser compiles this loop on the fly while it runs, and in planBox() that code met the calls
 * after the loop without their feedback and was thrown away on every box, then compiled again.
 */
function decideEach(planning: Planning, box: BoxTorrents, now: number): Decision[] {
  const decisions: Decision[] = [];
  // The seedbox part of each scope, once per box rather than once per torrent.
  const boxRules = rulesOnBox(planning.rules, box.seedbox);
  const { seedbox, torrents, sightings } = box;
  // Indexed loops here and in decide(): an iterator per torrent is garbage the collector pays for.
  for (let index = 0; index < torrents.length; index++) {
    const decision = decide(planning, boxRules, seedbox, torrents[index]!, now, sightings);
    if (decision) decisions.push(decision);
  }
  return decisions;
}

const TARGET_STATES = new Set<Torrent['state']>(['seeding', 'paused']);

/**
 * A space target's removals, fewest first in its order. Candidates: complete torrents that are
 * seeding or stopped (never one still downloading, checking or in error: its data is not settled),
 * that no rule chose and no protection saves. A torrent with a cross-seeded twin on the box is no
 * candidate: removing it frees nothing while the twin stays, and a target does not remove whole
 * twin groups. Freed bytes are the daemon's sizes, an upper bound (hard links are not seen).
 */
function planTarget(planning: Planning, target: SpaceTarget, box: BoxTorrents, ruled: readonly Decision[]): { decisions: Decision[]; report: () => TargetReport } {
  const decisions: Decision[] = [];
  const free = box.freeBytes ?? undefined;
  if (target.minFreeBytes !== undefined && free === undefined) {
    return { decisions, report: () => ({ status: 'unchecked', message: `cannot be checked: the client does not report free space (keep ${formatBytes(target.minFreeBytes!)} free)` }) };
  }
  const seeding = box.torrents.reduce((sum, torrent) => sum + (torrent.state === 'seeding' ? Math.max(0, torrent.sizeBytes) : 0), 0);
  const byId = new Map(box.torrents.map((torrent) => [torrent.id, torrent]));
  // What the rules' own removals free counts toward the target (the removals the caps let through).
  let freed = 0;
  let seedingFreed = 0;
  for (const decision of ruled) {
    if (decision.operation !== 'remove-data' || decision.outcome !== 'act') continue;
    freed += decision.bytesFreed;
    if (byId.get(decision.torrent.id)?.state === 'seeding') seedingFreed += decision.bytesFreed;
  }
  const shortBy = (): { free: number; seeding: number } => ({
    free: target.minFreeBytes === undefined ? 0 : target.minFreeBytes - (free! + freed),
    seeding: target.maxSeedingBytes === undefined ? 0 : seeding - seedingFreed - target.maxSeedingBytes,
  });
  const describe = (): string => {
    const parts: string[] = [];
    if (target.minFreeBytes !== undefined) parts.push(`free ${formatBytes(free!)} ${free! < target.minFreeBytes ? '<' : '>='} ${formatBytes(target.minFreeBytes)}`);
    if (target.maxSeedingBytes !== undefined) parts.push(`seeding ${formatBytes(seeding)} ${seeding > target.maxSeedingBytes ? '>' : '<='} ${formatBytes(target.maxSeedingBytes)}`);
    return `space target: ${parts.join(', ')}`;
  };
  const reason = describe();
  const initiallyShort = shortBy();
  const twins = new Map<string, number>();
  for (const torrent of box.torrents) twins.set(twinKey(torrent), (twins.get(twinKey(torrent)) ?? 0) + 1);
  const chosen = new Set(ruled.map((decision) => decision.torrent.id));
  const candidates = box.torrents
    .filter((torrent) => TARGET_STATES.has(torrent.state) && torrent.progress >= 1 && !chosen.has(torrent.id) && twins.get(twinKey(torrent)) === 1)
    .filter((torrent) => protectionFor(planning.protections, 'remove-data', false, torrent) === undefined)
    .sort(candidateOrder(target.order));
  for (const torrent of candidates) {
    const need = shortBy();
    if (need.free <= 0 && need.seeding <= 0) break;
    const bytes = Math.max(0, torrent.sizeBytes);
    const seedingBytes = torrent.state === 'seeding' ? bytes : 0;
    // Only a removal that helps the part that does not hold yet.
    if (!((need.free > 0 && bytes > 0) || (need.seeding > 0 && seedingBytes > 0))) continue;
    decisions.push({
      seedbox: box.seedbox,
      torrent: { id: torrent.id, name: torrent.name, trackers: [...torrent.trackerHosts], sizeBytes: torrent.sizeBytes, savePath: torrent.savePath },
      rule: { id: SPACE_TARGET_RULE_ID, name: 'space target', version: 1, mode: target.mode },
      action: 'remove-data',
      operation: 'remove-data',
      outcome: target.mode === 'live' ? 'act' : 'preview',
      reason,
      values: [],
      bytesFreed: bytes,
      bytesFreedUpperBound: true,
      reannounce: false,
    });
    freed += bytes;
    seedingFreed += seedingBytes;
  }
  return {
    decisions,
    // Called after the caps: what they cut frees nothing.
    report: () => {
      if (initiallyShort.free <= 0 && initiallyShort.seeding <= 0) return { status: 'holds', message: reason };
      freed -= decisions.reduce((sum, decision) => sum + (decision.outcome === 'capped' ? decision.bytesFreed : 0), 0);
      seedingFreed -= decisions.reduce((sum, decision) => sum + (decision.outcome === 'capped' && byId.get(decision.torrent.id)?.state === 'seeding' ? decision.bytesFreed : 0), 0);
      const after = shortBy();
      const planned = decisions.filter((decision) => decision.outcome !== 'capped').length;
      if (after.free <= 0 && after.seeding <= 0) return { status: 'reached', message: `${reason}; holds after ${planned} removal(s), at most ${formatBytes(freed)} freed` };
      return { status: 'short', message: `${reason}; still short after ${planned} removal(s)${planned < decisions.length ? ' (caps reached)' : ''}` };
    },
  };
}

/** First to go first; unknown values last; ties by id so a run is repeatable. */
function candidateOrder(order: CandidateOrder): (a: Torrent, b: Torrent) => number {
  const key: (torrent: Torrent) => number | null = {
    oldest: (torrent: Torrent) => torrent.addedAt,
    'lowest-ratio': (torrent: Torrent) => (torrent.ratio >= 0 ? torrent.ratio : null),
    'fewest-seeders': (torrent: Torrent) => (torrent.seedsTotal >= 0 ? torrent.seedsTotal : null),
    largest: (torrent: Torrent) => -torrent.sizeBytes,
    'longest-seeding': (torrent: Torrent) => (torrent.seedingSeconds === null ? null : -torrent.seedingSeconds),
    'least-recently-active': (torrent: Torrent) => torrent.lastActivityAt,
  }[order];
  return (a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) {
      if (ka === null) return 1;
      if (kb === null) return -1;
      return ka - kb;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** The rules whose seedbox scope takes this box (an empty scope takes every box). */
function rulesOnBox(rules: readonly RunnableRule[], seedbox: SeedboxRef): RunnableRule[] {
  return rules.filter(({ rule }) => rule.scope.seedboxes.length === 0 || rule.scope.seedboxes.includes(seedbox.id));
}

/** The label and tracker parts of a rule's scope; its seedboxes were checked per box (planBox). */
function inScope(rule: RunnableRule, torrent: Torrent): boolean {
  const { labels, trackers } = rule;
  if (labels !== undefined && !torrent.labels.some((label) => labels.has(label))) return false;
  if (trackers !== undefined && !torrent.trackerHosts.some((host) => trackers.has(host.toLowerCase()))) return false;
  return true;
}

function operationOf(action: RuleAction): Operation {
  if (typeof action === 'string') return action;
  return action.change === 'add' ? 'add-label' : 'remove-label';
}

/**
 * The torrent as rules see it while its "unregistered" grace runs: the tracker's verdict unknown
 * (unregistered, tracker_status and tracker_message alike), so no condition can act on it early
 * and `not unregistered` does not hold either.
 */
function withoutTrackerVerdict(torrent: Torrent): Torrent {
  return { ...torrent, trackerStatus: null, trackerMessage: '' };
}

function decide(planning: Planning, rules: readonly RunnableRule[], seedbox: SeedboxRef, torrent: Torrent, now: number, sightings: BoxSightings | undefined): Decision | undefined {
  const { settings } = planning;
  // The reason's text only for a torrent that waits (a few); the check for every unregistered one.
  const waitsForGrace = torrent.trackerStatus === 'unregistered' && !gracePassed(sightings?.[torrent.id], settings.unregisteredGrace, now);
  const seen = waitsForGrace ? withoutTrackerVerdict(torrent) : torrent;
  for (let index = 0; index < rules.length; index++) {
    const runnable = rules[index]!;
    if (!inScope(runnable, torrent)) continue;
    const { rule, compiled, matches } = runnable;
    // matches() first: the explanation is built only for the few torrents that match.
    let waiting = false;
    if (!matches(seen, now)) {
      // It would match on the tracker's word: it waits for the grace, and the preview says so.
      if (seen === torrent || !matches(torrent, now)) continue;
      waiting = true;
    }
    const evaluation = evaluate(compiled, waiting ? torrent : seen, now);
    const operation = operationOf(rule.action);
    const decision: Decision = {
      seedbox,
      torrent: { id: torrent.id, name: torrent.name, trackers: [...torrent.trackerHosts], sizeBytes: torrent.sizeBytes, savePath: torrent.savePath },
      rule: { id: rule.id, name: rule.name, version: rule.version, mode: rule.mode },
      action: formatRuleAction(rule.action),
      operation,
      outcome: rule.mode === 'live' ? 'act' : 'preview',
      reason: '',
      values: evaluation.explain.map(({ field, value, text }) => ({ field, value, text })),
      bytesFreed: operation === 'remove-data' ? Math.max(0, torrent.sizeBytes) : 0,
      bytesFreedUpperBound: operation === 'remove-data',
      reannounce: (operation === 'remove' || operation === 'remove-data') && rule.options.reannounceBeforeRemove,
    };
    if (waiting) return Object.assign(decision, { outcome: 'protected', reason: graceVerdict(sightings?.[torrent.id], settings.unregisteredGrace, now).reason, bytesFreed: 0 });
    const protection = protectionFor(planning.protections, operation, rule.options.allowIncompleteRemoveData, torrent);
    const nothingToDo = protection === undefined ? noOp(rule.action, torrent) : undefined;
    if (protection !== undefined) Object.assign(decision, { outcome: 'protected', reason: protection, bytesFreed: 0 });
    else if (nothingToDo !== undefined) Object.assign(decision, { outcome: 'skipped', reason: nothingToDo, bytesFreed: 0 });
    // The first rule that matches decides, even when a protection then holds it back.
    return decision;
  }
  return undefined;
}

/** The protection that saves the torrent from this rule, or undefined. */
function protectionFor(protections: ProtectionIndex, operation: Operation, allowIncomplete: boolean, torrent: Torrent): string | undefined {
  const label = torrent.labels.find((candidate) => protections.labels.has(candidate));
  if (label !== undefined) return `protected label "${label}"`;
  // A label change does not end seeding, so hit-and-run floors do not hold it back.
  if (operation === 'add-label' || operation === 'remove-label') return undefined;
  for (const floor of floorsOn(protections, torrent)) {
    const shortfall = floorShortfall(floor, torrent);
    if (shortfall !== undefined) return shortfall;
  }
  if (operation === 'remove-data' && !allowIncomplete && !(torrent.progress >= 1)) {
    return 'incomplete: remove-data takes only complete torrents unless the rule allows it';
  }
  return undefined;
}

/** The floors of the torrent's trackers in the settings' order; no list built for a torrent under none. */
function floorsOn(protections: ProtectionIndex, torrent: Torrent): readonly TrackerFloor[] {
  let found: { floor: TrackerFloor; order: number }[] | undefined;
  for (const host of torrent.trackerHosts) {
    const entry = protections.floors.get(host.toLowerCase());
    // Two spellings of one host name one floor, counted once.
    if (entry !== undefined && !found?.includes(entry)) (found ??= []).push(entry);
  }
  if (found === undefined) return [];
  return found.sort((a, b) => a.order - b.order).map(({ floor }) => floor);
}

/** Why the torrent has not met the floor yet, or undefined once it has. */
function floorShortfall(floor: TrackerFloor, torrent: Torrent): string | undefined {
  if (floor.minSeedingSeconds !== undefined) {
    const seeded = torrent.seedingSeconds;
    // Unknown seeding time protects: the floor is only passed when it is known to be passed.
    if (seeded === undefined || seeded === null || !(seeded >= floor.minSeedingSeconds)) {
      return `tracker floor ${floor.host}: seeding time ${seeded === undefined || seeded === null ? 'unknown' : formatDuration(Math.floor(seeded))} below ${formatDuration(floor.minSeedingSeconds)}`;
    }
  }
  if (floor.minRatio !== undefined && !(torrent.ratio >= 0 && torrent.ratio >= floor.minRatio)) {
    return `tracker floor ${floor.host}: ratio ${torrent.ratio >= 0 ? torrent.ratio.toFixed(2) : 'unknown'} below ${floor.minRatio}`;
  }
  return undefined;
}

/** Why acting would change nothing, or undefined. */
function noOp(action: RuleAction, torrent: Torrent): string | undefined {
  if (action === 'stop') return torrent.state === 'paused' ? 'already stopped' : undefined;
  if (typeof action === 'string') return undefined;
  const has = torrent.labels.includes(action.label);
  if (action.change === 'add' && has) return `already labelled "${action.label}"`;
  if (action.change === 'remove' && !has) return `not labelled "${action.label}"`;
  return undefined;
}

function twinKey(torrent: { savePath: string; name: string }): string {
  return `${torrent.savePath.replace(/\/+$/, '')}\u0000${torrent.name}`;
}

/**
 * Cross-seeding: torrents on one box with the same save path and name use the same files.
 * remove-data of one while a twin stays becomes a removal that keeps the data; when every twin
 * goes with its data, only the last deletes it (run() skips that one if an earlier twin failed).
 */
function keepSharedData(decisions: Decision[], torrents: readonly Torrent[]): void {
  // Taken before any downgrade below, which must not make a twin look as if it stays.
  const withData = new Map<string, { index: number; outcome: Outcome }>();
  for (const [index, decision] of decisions.entries()) {
    if (decision.operation === 'remove-data' && (decision.outcome === 'act' || decision.outcome === 'preview')) withData.set(decision.torrent.id, { index, outcome: decision.outcome });
  }
  if (withData.size === 0) return;
  // Twins share a name: only torrents named like one going with its data can be one (no key built for the rest).
  const names = new Set(decisions.map((decision) => decision.torrent.name));
  const groups = new Map<string, string[]>();
  for (const torrent of torrents) {
    if (!names.has(torrent.name)) continue;
    const key = twinKey(torrent);
    const group = groups.get(key);
    if (group) group.push(torrent.id);
    else groups.set(key, [torrent.id]);
  }
  for (const [index, decision] of decisions.entries()) {
    if (!withData.has(decision.torrent.id)) continue;
    const twins = (groups.get(twinKey(decision.torrent)) ?? []).filter((id) => id !== decision.torrent.id);
    if (twins.length === 0) continue;
    // A preview twin does not leave in a live run, and the other way round.
    const goingWithData = (id: string): boolean => withData.get(id)?.outcome === decision.outcome;
    const staying = twins.filter((id) => !goingWithData(id));
    const laterTwinDeletes = twins.some((id) => goingWithData(id) && withData.get(id)!.index > index);
    if (staying.length > 0 || laterTwinDeletes) {
      decision.operation = 'remove';
      decision.bytesFreed = 0;
      decision.bytesFreedUpperBound = false;
      decision.reason = staying.length > 0 ? `data kept: shared with ${staying.length} cross-seeded twin(s) that stay` : 'data kept: a cross-seeded twin removed after it deletes it';
    }
  }
}

/** Per box and per run, in order: what would go past a cap is cut and says so. */
type BoxBudget = Record<'act' | 'preview', { torrents: number; bytes: number }>;

function newBoxBudget(settings: SeedingSettings): BoxBudget {
  const { maxTorrents, maxBytes } = settings.caps.perSeedbox;
  return { act: { torrents: maxTorrents, bytes: maxBytes }, preview: { torrents: maxTorrents, bytes: maxBytes } };
}

function applyCaps(settings: SeedingSettings, decisions: Decision[], budget: CapBudget, box: BoxBudget): void {
  const { perSeedbox } = settings.caps;
  for (const decision of decisions) {
    if (decision.outcome !== 'act' && decision.outcome !== 'preview') continue;
    const run = decision.outcome === 'act' ? budget.live : budget.preview;
    const local = box[decision.outcome];
    let cut: string | undefined;
    if (local.torrents < 1) cut = `per-seedbox cap of ${perSeedbox.maxTorrents} torrents reached`;
    else if (decision.bytesFreed > local.bytes) cut = `per-seedbox cap of ${perSeedbox.maxBytes} bytes reached`;
    else if (run.torrents < 1) cut = `per-run cap of ${settings.caps.perRun.maxTorrents} torrents reached`;
    else if (decision.bytesFreed > run.bytes) cut = `per-run cap of ${settings.caps.perRun.maxBytes} bytes reached`;
    if (cut !== undefined) {
      Object.assign(decision, { outcome: 'capped', reason: cut });
      continue;
    }
    local.torrents -= 1;
    run.torrents -= 1;
    local.bytes -= decision.bytesFreed;
    run.bytes -= decision.bytesFreed;
  }
}

/** What run() needs of a box: a fresh list (with readTrackers where the client has it) and the actions. */
export type RuleClient = Pick<TorrentClient, 'list' | 'readTrackers' | 'stop' | 'remove' | 'setLabels' | 'reannounce' | 'sessionStats'>;

/**
 * The fresh list with the trackers read of every torrent whose verdict is still unknown and that a
 * rule reading tracker fields (seeders, unregistered, ...) has in scope: a client that learns them
 * a few torrents per refresh (qBittorrent) would otherwise show a cron run's new client the same
 * few torrents every time, and rules on the others could never act.
 */
async function withTrackersRead(rules: readonly RunnableRule[], seedbox: SeedboxRef, client: RuleClient, torrents: Torrent[]): Promise<Torrent[]> {
  const reading = rulesOnBox(rules, seedbox).filter(({ compiled }) => compiled.rule.fields.some((name) => fieldNamed(name)?.fromTrackers));
  if (!client.readTrackers || reading.length === 0) return torrents;
  const unknown = torrents.filter((torrent) => torrent.trackerStatus === null && reading.some((runnable) => inScope(runnable, torrent)));
  if (unknown.length === 0) return torrents;
  const read = new Map((await client.readTrackers(unknown.map((torrent) => torrent.id))).map((torrent) => [torrent.id, torrent]));
  return torrents.map((torrent) => read.get(torrent.id) ?? torrent);
}

export interface RunBox {
  seedbox: SeedboxRef;
  /** Opens the box; run() closes it. A box that cannot be opened is reported, the others run. */
  open(): Promise<{ client: RuleClient; close(): Promise<void> }>;
}

export interface RunResult {
  plans: BoxPlan[];
  failures: { seedbox: SeedboxRef; error: SeedboxError }[];
}

/** Where run() counts the checks that saw a tracker's "unregistered" (UnregisteredSightings). */
export interface SightingsStore {
  check(seedboxId: string, torrents: readonly Torrent[], now: number): Promise<BoxSightings>;
}

export interface RunOptions {
  /** Plan and report only; nothing acts, not even live rules. */
  dryRun?: boolean;
  /**
   * The shared record of unregistered sightings; each box's fresh list is one check. Without it
   * every check is the first, so no "unregistered" grace ever passes (nothing acts on it).
   */
  sightings?: SightingsStore;
  now?: () => number;
  /** Called with each box's decisions once they are final (the audit log). */
  record?: (plan: BoxPlan) => Promise<void>;
}

/**
 * One list() per box, right before acting on it, then the actions of its live rules, each once:
 * a failure is reported (outcome failed) and not retried; the next run tries again.
 */
export async function run(settings: SeedingSettings, boxes: readonly RunBox[], options: RunOptions = {}): Promise<RunResult> {
  const planning = planningOf(settings);
  const { rules } = planning;
  const budget = newCapBudget(settings);
  const now = options.now ?? ((): number => Date.now() / 1000);
  const result: RunResult = { plans: [], failures: [] };
  for (const box of boxes) {
    let opened: Awaited<ReturnType<RunBox['open']>> | undefined;
    try {
      opened = await box.open();
      const torrents = await withTrackersRead(rules, box.seedbox, opened.client, await opened.client.list());
      const freeBytes = await freeBytesFor(settings, box.seedbox, opened.client);
      const at = now();
      const sightings = options.sightings ? await options.sightings.check(box.seedbox.id, torrents, at) : observe(undefined, torrents, at);
      const boxPlan = planBox(planning, { seedbox: box.seedbox, torrents, freeBytes, sightings }, at, budget);
      if (!options.dryRun) await act(opened.client, boxPlan, torrents);
      result.plans.push(boxPlan);
      await options.record?.(boxPlan);
    } catch (thrown) {
      result.failures.push({ seedbox: box.seedbox, error: toSeedboxError(thrown) });
    } finally {
      await opened?.close().catch(() => undefined);
    }
  }
  return result;
}

/** Asked only of a box whose target needs it; a client that cannot tell leaves the target unchecked. */
async function freeBytesFor(settings: SeedingSettings, seedbox: SeedboxRef, client: RuleClient): Promise<number | null> {
  const target = settings.spaceTargets.find((candidate) => candidate.seedboxId === seedbox.id);
  if (target?.minFreeBytes === undefined) return null;
  return (await client.sessionStats()).freeSpaceBytes;
}

async function act(client: RuleClient, boxPlan: BoxPlan, torrents: readonly Torrent[]): Promise<void> {
  const labelsOf = new Map(torrents.map((torrent) => [torrent.id, torrent.labels]));
  const failedTwins = new Set<string>();
  for (const decision of boxPlan.decisions) {
    if (decision.outcome !== 'act') continue;
    const { id } = decision.torrent;
    if (decision.operation === 'remove-data' && failedTwins.has(twinKey(decision.torrent))) {
      Object.assign(decision, { outcome: 'skipped', reason: 'a cross-seeded twin could not be removed, so its data stays', bytesFreed: 0 });
      continue;
    }
    try {
      await perform(client, decision, labelsOf.get(id) ?? []);
      decision.outcome = 'done';
    } catch (thrown) {
      const error = toSeedboxError(thrown);
      Object.assign(decision, { outcome: 'failed', reason: error.message, bytesFreed: 0 });
      if (decision.operation === 'remove') failedTwins.add(twinKey(decision.torrent));
    }
  }
  boxPlan.bytesFreed = boxPlan.decisions.reduce((sum, decision) => sum + (decision.outcome === 'done' ? decision.bytesFreed : 0), 0);
}

async function perform(client: RuleClient, decision: Decision, labels: readonly string[]): Promise<void> {
  const ids = [decision.torrent.id];
  const label = decision.action.slice('label:+'.length);
  switch (decision.operation) {
    case 'stop':
      return client.stop(ids);
    case 'add-label':
      return client.setLabels(ids, [...labels, label]);
    case 'remove-label':
      return client.setLabels(
        ids,
        labels.filter((other) => other !== label),
      );
    case 'remove':
    case 'remove-data':
      if (decision.reannounce) await client.reannounce(ids);
      return client.remove(ids, { deleteData: decision.operation === 'remove-data' });
  }
}
