// Runs a parsed rule against torrents. A value the client does not report is unknown, and
// unknown stays unknown through and/or/not (Kleene's three-valued logic): a rule matches only
// when it is true, so a missing seeding time can never make `not (seeding_time < 14d)` remove
// a torrent. Evaluation is total: any torrent record gives an answer, never a throw.
import type { CompareOperator, Condition, Literal, Rule, Span } from './ast';
import { fieldNamed, type FieldSpec, type FieldValue, type RuleTorrent } from './fields';
import { compileGlob } from './glob';
import { formatBytes, formatDuration, formatPercent } from '../format';

/** true, false, or null for unknown. */
export type Truth = boolean | null;

type Test = (value: number | string | boolean) => boolean;

interface Leaf {
  kind: 'leaf';
  field: FieldSpec;
  /** The positive test (==, ~, in); `negated` flips it after looking at every value of a many-valued field. */
  test: Test;
  negated: boolean;
  source: Extract<Condition, { kind: 'compare' | 'in' | 'flag' }>;
}

type Node = { kind: 'and' | 'or'; operands: Node[] } | { kind: 'not'; operand: Node } | Leaf;

/** A rule ready to run over many torrents: each comparison's test built once. */
export interface CompiledRule {
  rule: Rule;
  root: Node;
}

function orderedTest(operator: CompareOperator, wanted: number): Test {
  switch (operator) {
    case '<':
      return (value) => (value as number) < wanted;
    case '<=':
      return (value) => (value as number) <= wanted;
    case '>':
      return (value) => (value as number) > wanted;
    case '>=':
      return (value) => (value as number) >= wanted;
    default:
      return (value) => value === wanted;
  }
}

function compileLeaf(condition: Leaf['source']): Leaf {
  const field = fieldNamed(condition.field);
  // The parser accepted only known fields; a tree built by hand with another name is a bug.
  if (!field) throw new Error(`Unknown rule field ${condition.field}`);
  switch (condition.kind) {
    case 'flag':
      return { kind: 'leaf', field, test: (value) => value === true, negated: false, source: condition };
    case 'in': {
      const wanted = new Set(condition.values.map((literal) => literal.value));
      return { kind: 'leaf', field, test: (value) => wanted.has(value), negated: condition.negated, source: condition };
    }
    case 'compare': {
      const { operator, value } = condition;
      const negated = operator === '!=' || operator === '!~';
      let test: Test;
      if (operator === '~' || operator === '!~') {
        const glob = compileGlob(String(value.value));
        test = (text) => glob(text as string);
      } else if (typeof value.value === 'number') test = orderedTest(operator, value.value);
      else {
        const wanted = value.value;
        test = (actual) => actual === wanted;
      }
      return { kind: 'leaf', field, test, negated, source: condition };
    }
  }
}

function compileNode(condition: Condition): Node {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return { kind: condition.kind, operands: condition.operands.map(compileNode) };
    case 'not':
      return { kind: 'not', operand: compileNode(condition.operand) };
    default:
      return compileLeaf(condition);
  }
}

export function compile(rule: Rule): CompiledRule {
  return { rule, root: compileNode(rule.condition) };
}

function leafTruth(leaf: Leaf, value: FieldValue | undefined): Truth {
  // undefined too: a record from an older model (or a client that left a field out) is unknown, not a crash.
  if (value === null || value === undefined) return null;
  let holds: boolean;
  if (Array.isArray(value)) {
    holds = false;
    for (const item of value as readonly string[]) {
      if (leaf.test(item)) {
        holds = true;
        break;
      }
    }
  } else holds = leaf.test(value as number | string | boolean);
  return leaf.negated ? !holds : holds;
}

function truthOf(node: Node, torrent: RuleTorrent, now: number): Truth {
  switch (node.kind) {
    case 'leaf':
      return leafTruth(node, node.field.read(torrent, now));
    case 'not': {
      const truth = truthOf(node.operand, torrent, now);
      return truth === null ? null : !truth;
    }
    default: {
      // and: false wins, else unknown wins; or: true wins, else unknown wins.
      const decisive = node.kind === 'or';
      let unknown = false;
      for (const operand of node.operands) {
        const truth = truthOf(operand, torrent, now);
        if (truth === decisive) return decisive;
        if (truth === null) unknown = true;
      }
      return unknown ? null : !decisive;
    }
  }
}

/** The engine's path: does the rule hold for this torrent at `now` (unix seconds)? Unknown is no. */
export function matches(compiled: CompiledRule, torrent: RuleTorrent, now: number): boolean {
  return truthOf(compiled.root, torrent, now) === true;
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

function observe(leaf: Leaf, torrent: RuleTorrent, now: number): Observation {
  const value = leaf.field.read(torrent, now) ?? null;
  const result = leafTruth(leaf, value);
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

function explainNode(node: Node, torrent: RuleTorrent, now: number): { truth: Truth; explain: Observation[] } {
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
export function evaluate(compiled: CompiledRule, torrent: RuleTorrent, now: number): Evaluation {
  const { truth, explain } = explainNode(compiled.root, torrent, now);
  return { matches: truth === true, truth, explain };
}
