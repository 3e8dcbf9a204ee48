// Runs a parsed rule against torrents. A value the client does not report is unknown, and
// unknown stays unknown through and/or/not (Kleene's three-valued logic): a rule matches only
// when it is true, so a missing seeding time can never make `not (seeding_time < 14d)` remove
// a torrent. Evaluation is total: any torrent record gives an answer, never a throw.
import type { Condition, Literal, Rule, Span } from './ast';
import type { Torrent } from '../model';
import { fieldNamed, type FieldSpec, type FieldValue, type NumericProperty, type NumericSource } from './fields';
import { compileGlob } from './glob';
import { formatBytes, formatDuration, formatPercent } from '../format';

/** true, false, or null for unknown. */
export type Truth = boolean | null;

/**
 * Each node of the tree becomes one closure, built once per rule: the engine runs every rule
 * over tens of thousands of torrents, and a closure per node keeps that to a few nanoseconds a
 * comparison (a tree walk that switched on node kinds cost three times as much). This is an
 * interpreter, not code generation: no text is ever turned into code.
 */
type Check = (torrent: Torrent, now: number) => Truth;

type Value = number | string | boolean;
type Test = (value: Value) => boolean;

interface Leaf {
  kind: 'leaf';
  field: FieldSpec;
  check: Check;
  /** Rough work per torrent: and/or try cheap operands first (see compileChain). */
  cost: number;
  source: Extract<Condition, { kind: 'compare' | 'in' | 'flag' }>;
}

type Node = { kind: 'and' | 'or'; operands: Node[]; check: Check; cost: number } | { kind: 'not'; operand: Node; check: Check; cost: number } | Leaf;

/** A number in the record, a value, a list of values, a pattern walked over the text. */
const COST = { number: 1, value: 2, many: 4, glob: 8 };

/** A rule ready to run over many torrents. */
export interface CompiledRule {
  rule: Rule;
  root: Node;
}

/** The positive test of a comparison: ==, an order, ~ or in; its negation is applied after. */
function testOf(condition: Leaf['source']): Test {
  if (condition.kind === 'flag') return (value) => value === true;
  if (condition.kind === 'in') {
    const wanted = new Set<Value>(condition.values.map((literal) => literal.value));
    return (value) => wanted.has(value);
  }
  const { operator } = condition;
  const wanted = condition.value.value;
  if (operator === '~' || operator === '!~') {
    const glob = compileGlob(String(wanted));
    return (value) => glob(value as string);
  }
  switch (operator) {
    case '<':
      return (value) => (value as number) < (wanted as number);
    case '<=':
      return (value) => (value as number) <= (wanted as number);
    case '>':
      return (value) => (value as number) > (wanted as number);
    case '>=':
      return (value) => (value as number) >= (wanted as number);
    default:
      return (value) => value === wanted;
  }
}

const NUMBER_ORDERS = ['==', '!=', '<', '<=', '>', '>='] as const;
type NumberOrder = (typeof NUMBER_ORDERS)[number];

/** One comparison of two numbers; a direct call, so the optimiser inlines it into the leaf. */
function holds(operator: NumberOrder, value: number, wanted: number): boolean {
  switch (operator) {
    case '==':
      return value === wanted;
    case '!=':
      return value !== wanted;
    case '<':
      return value < wanted;
    case '<=':
      return value <= wanted;
    case '>':
      return value > wanted;
    case '>=':
      return value >= wanted;
  }
}

/**
 * A number compared as it sits in the record: the same answer as read() then testOf(), without
 * the two calls. Unknown as in fields.ts's known() and since(): missing, NaN or negative.
 */
function holdsOn(value: number | null | undefined, now: number, since: boolean, operator: NumberOrder, wanted: number): Truth {
  if (value === null || value === undefined || !(value >= 0)) return null;
  if (!since) return holds(operator, value, wanted);
  const elapsed = now - value;
  if (Number.isNaN(elapsed)) return null;
  return holds(operator, elapsed > 0 ? elapsed : 0, wanted);
}

type NumberCheck = (since: boolean, operator: NumberOrder, wanted: number) => Check;

/**
 * One closure per property, each reading it by name: a read by a computed name
 * (torrent[property]) shares one cache across every property, goes generic and boxes each
 * fractional number it reads, a heap allocation per torrent and comparison that made the
 * garbage collector the engine's largest cost. Named, the read stays in the closure's own cache
 * and the number is compared unboxed. Typed as every numeric property, so none can be missed.
 */
const NUMBER_CHECKS: { readonly [P in NumericProperty]: NumberCheck } = {
  progress: (since, operator, wanted) => (t, now) => holdsOn(t.progress, now, since, operator, wanted),
  sizeBytes: (since, operator, wanted) => (t, now) => holdsOn(t.sizeBytes, now, since, operator, wanted),
  doneBytes: (since, operator, wanted) => (t, now) => holdsOn(t.doneBytes, now, since, operator, wanted),
  uploadedBytes: (since, operator, wanted) => (t, now) => holdsOn(t.uploadedBytes, now, since, operator, wanted),
  downloadedBytes: (since, operator, wanted) => (t, now) => holdsOn(t.downloadedBytes, now, since, operator, wanted),
  ratio: (since, operator, wanted) => (t, now) => holdsOn(t.ratio, now, since, operator, wanted),
  downRate: (since, operator, wanted) => (t, now) => holdsOn(t.downRate, now, since, operator, wanted),
  upRate: (since, operator, wanted) => (t, now) => holdsOn(t.upRate, now, since, operator, wanted),
  etaSeconds: (since, operator, wanted) => (t, now) => holdsOn(t.etaSeconds, now, since, operator, wanted),
  peersConnected: (since, operator, wanted) => (t, now) => holdsOn(t.peersConnected, now, since, operator, wanted),
  peersTotal: (since, operator, wanted) => (t, now) => holdsOn(t.peersTotal, now, since, operator, wanted),
  seedsConnected: (since, operator, wanted) => (t, now) => holdsOn(t.seedsConnected, now, since, operator, wanted),
  seedsTotal: (since, operator, wanted) => (t, now) => holdsOn(t.seedsTotal, now, since, operator, wanted),
  addedAt: (since, operator, wanted) => (t, now) => holdsOn(t.addedAt, now, since, operator, wanted),
  completedAt: (since, operator, wanted) => (t, now) => holdsOn(t.completedAt, now, since, operator, wanted),
  queuePosition: (since, operator, wanted) => (t, now) => holdsOn(t.queuePosition, now, since, operator, wanted),
  seedingSeconds: (since, operator, wanted) => (t, now) => holdsOn(t.seedingSeconds, now, since, operator, wanted),
  lastActivityAt: (since, operator, wanted) => (t, now) => holdsOn(t.lastActivityAt, now, since, operator, wanted),
};

function numericCheck(source: NumericSource, operator: NumberOrder, wanted: number): Check {
  return NUMBER_CHECKS[source.property](source.since === true, operator, wanted);
}

function isNumberOrder(operator: string): operator is NumberOrder {
  return (NUMBER_ORDERS as readonly string[]).includes(operator);
}

function compileLeaf(condition: Leaf['source']): Leaf {
  const field = fieldNamed(condition.field);
  // The parser accepted only known fields; a tree built by hand with another name is a bug.
  if (!field) throw new Error(`Unknown rule field ${condition.field}`);
  if (field.source && condition.kind === 'compare' && typeof condition.value.value === 'number' && isNumberOrder(condition.operator)) {
    return { kind: 'leaf', field, check: numericCheck(field.source, condition.operator, condition.value.value), cost: COST.number, source: condition };
  }
  const { read } = field;
  const test = testOf(condition);
  const negated = condition.kind === 'in' ? condition.negated : condition.kind === 'compare' && (condition.operator === '!=' || condition.operator === '!~');
  let check: Check;
  if (field.many) {
    // A positive test holds when one value passes; a negated one when none does.
    check = (torrent, now) => {
      const values = read(torrent, now) as readonly string[] | null | undefined;
      if (values === null || values === undefined) return null;
      for (let index = 0; index < values.length; index++) if (test(values[index]!)) return !negated;
      return negated;
    };
  } else {
    // undefined too: a record from an older model (or a client that left a field out) is unknown, not a crash.
    check = (torrent, now) => {
      const value = read(torrent, now) as Value | null | undefined;
      return value === null || value === undefined ? null : test(value) !== negated;
    };
  }
  const glob = condition.kind === 'compare' && (condition.operator === '~' || condition.operator === '!~');
  return { kind: 'leaf', field, check, cost: glob ? COST.glob : field.many ? COST.many : COST.value, source: condition };
}

/**
 * The operands are tried cheapest first: under Kleene's logic and/or give the same truth in any
 * order and a check has no side effects, so `name ~ "*linux*" and ratio > 3` skips the pattern
 * for every torrent whose ratio already says no. The explanation keeps the rule's own order.
 */
function compileChain(kind: 'and' | 'or', operands: readonly Node[]): Check {
  const checks = [...operands].sort((a, b) => a.cost - b.cost).map((operand) => operand.check);
  // and: false decides, or: true decides; otherwise one unknown operand makes the whole unknown.
  const decisive = kind === 'or';
  if (checks.length === 2) {
    const [first, second] = checks as [Check, Check];
    return (torrent, now) => {
      const a = first(torrent, now);
      if (a === decisive) return decisive;
      const b = second(torrent, now);
      if (b === decisive) return decisive;
      return a === null || b === null ? null : !decisive;
    };
  }
  return (torrent, now) => {
    let unknown = false;
    for (let index = 0; index < checks.length; index++) {
      const truth = checks[index]!(torrent, now);
      if (truth === decisive) return decisive;
      if (truth === null) unknown = true;
    }
    return unknown ? null : !decisive;
  };
}

function compileNode(condition: Condition): Node {
  switch (condition.kind) {
    case 'and':
    case 'or': {
      const operands = condition.operands.map(compileNode);
      return { kind: condition.kind, operands, check: compileChain(condition.kind, operands), cost: operands.reduce((sum, operand) => sum + operand.cost, 0) };
    }
    case 'not': {
      const operand = compileNode(condition.operand);
      const inner = operand.check;
      return {
        kind: 'not',
        operand,
        cost: operand.cost,
        check: (torrent, now) => {
          const truth = inner(torrent, now);
          return truth === null ? null : !truth;
        },
      };
    }
    default:
      return compileLeaf(condition);
  }
}

export function compile(rule: Rule): CompiledRule {
  return { rule, root: compileNode(rule.condition) };
}

/** The engine's path: does the rule hold for this torrent at `now` (unix seconds)? Unknown is no. */
export function matches(compiled: CompiledRule, torrent: Torrent, now: number): boolean {
  return compiled.root.check(torrent, now) === true;
}

/** matches() for one rule, taken once before a loop over many torrents (no lookup per call). */
export function matcherOf(compiled: CompiledRule): (torrent: Torrent, now: number) => boolean {
  const { check } = compiled.root;
  return (torrent, now) => check(torrent, now) === true;
}

/** One comparison the condition looked at, for the preview table and the audit log. */
export interface Observation {
  field: string;
  /** The value the torrent had (null: unknown). */
  value: FieldValue;
  /** That value for people: "2.30", "1.50 GiB", "61d 4h", "tv, movies", "unknown". */
  valueText: string;
  /** ">=", "in", ... or "" for a boolean field on its own. */
  operator: string;
  /** The other side as the rule writes it: "2", "14d", '["tv", "movies"]'. */
  operand: string;
  result: Truth;
  /** "ratio = 2.30 ≥ 2", "age = 12d, not > 60d", "seeding_time unknown". */
  text: string;
  span: Span;
}

export interface Evaluation {
  matches: boolean;
  truth: Truth;
  /**
   * The comparisons that decided the result: for a match, the ones that made it true (the first
   * true branch of an or, every branch of an and); for a miss, the ones that made it false.
   */
  explain: Observation[];
}

const SYMBOL: Record<string, string> = { '==': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥', '~': 'matches', '!~': 'does not match', in: 'in', 'not in': 'not in' };

function formatNumber(value: number): string {
  if (value === Infinity) return '∞';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** "2026-01-31 18:00 UTC"; the plain number where it is outside the dates JavaScript can show. */
function formatDate(unixSeconds: number): string {
  if (!(Math.abs(unixSeconds) < 8.64e12)) return String(unixSeconds);
  const iso = new Date(unixSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A field's value as the preview shows it. */
export function formatFieldValue(field: FieldSpec, value: FieldValue | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  // typeof, not Array.isArray: the latter does not narrow a readonly array away.
  if (typeof value === 'object') return value.length === 0 ? 'none' : value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  switch (field.type) {
    case 'percent':
      return formatPercent(value);
    case 'size':
      return formatBytes(value);
    case 'rate':
      // Not formatRate: its "-" for no transfer would read oddly beside "> 1MiB/s".
      return `${formatBytes(value)}/s`;
    case 'duration':
      return formatDuration(value);
    case 'date':
      return formatDate(value);
    default:
      return formatNumber(value);
  }
}

function operandText(source: Leaf['source']): { operator: string; operand: string } {
  switch (source.kind) {
    case 'flag':
      return { operator: '', operand: '' };
    case 'in':
      return { operator: source.negated ? 'not in' : 'in', operand: `[${source.values.map((literal: Literal) => literal.text).join(', ')}]` };
    case 'compare':
      return { operator: source.operator, operand: source.value.text };
  }
}

function observe(leaf: Leaf, torrent: Torrent, now: number): Observation {
  const value = leaf.field.read(torrent, now) ?? null;
  const result = leaf.check(torrent, now);
  const { operator, operand } = operandText(leaf.source);
  const name = leaf.field.name;
  const valueText = formatFieldValue(leaf.field, value);
  let text: string;
  if (result === null) text = `${name} unknown`;
  else if (operator === '') text = `${name} = ${valueText}`;
  else if (operator === '==' && result) text = `${name} = ${valueText}`;
  else text = `${name} = ${valueText}${result ? ' ' : ', not '}${SYMBOL[operator]} ${operand}`;
  return { field: name, value, valueText, operator, operand, result, text, span: leaf.source.span };
}

function explainNode(node: Node, torrent: Torrent, now: number): { truth: Truth; explain: Observation[] } {
  switch (node.kind) {
    case 'leaf': {
      const observation = observe(node, torrent, now);
      return { truth: observation.result, explain: [observation] };
    }
    case 'not': {
      const inner = explainNode(node.operand, torrent, now);
      return { truth: inner.truth === null ? null : !inner.truth, explain: inner.explain };
    }
    default: {
      const decisive = node.kind === 'or';
      const unknown: Observation[] = [];
      const settled: Observation[] = [];
      for (const operand of node.operands) {
        const inner = explainNode(operand, torrent, now);
        if (inner.truth === decisive) return { truth: decisive, explain: inner.explain };
        (inner.truth === null ? unknown : settled).push(...inner.explain);
      }
      return unknown.length > 0 ? { truth: null, explain: unknown } : { truth: !decisive, explain: settled };
    }
  }
}

/** The preview's path: the result and the values that decided it. */
export function evaluate(compiled: CompiledRule, torrent: Torrent, now: number): Evaluation {
  const { truth, explain } = explainNode(compiled.root, torrent, now);
  return { matches: truth === true, truth, explain };
}
