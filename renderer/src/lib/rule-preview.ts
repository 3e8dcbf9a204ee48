// The preview table's rows from the engine's plans: per box a heading (what it frees, its space
// target), then each torrent a rule would act on with the values that made it match, and each
// held back with what held it (a protection, a cap, the pause). Capped: a rule written too
// broadly can match tens of thousands of torrents, and the table shows the first ones and says
// how many there are.
import type { MessageKey } from '../../../electron/shared/i18n';
import type { AuditEntry, BoxPlan, Decision, Outcome } from '../../../electron/shared/rules/report';

export const PREVIEW_ROW_CAP = 200;

export type PreviewRow =
  | { kind: 'box'; key: string; name: string; acting: number; held: number; bytesFreed: number; upperBound: boolean; target: BoxPlan['target'] | null }
  | { kind: 'decision'; key: string; decision: Decision; acts: boolean; detail: string };

/** Outcomes where the rule does (or, in preview, would do) its action. */
const ACTING: ReadonlySet<Outcome> = new Set(['act', 'preview', 'done']);

/** The words for each outcome. */
export const OUTCOME_TEXT: Record<Outcome, MessageKey> = {
  act: 'rules.outcomes.act',
  preview: 'rules.outcomes.preview',
  protected: 'rules.outcomes.protected',
  capped: 'rules.outcomes.capped',
  paused: 'rules.outcomes.paused',
  skipped: 'rules.outcomes.skipped',
  done: 'rules.outcomes.done',
  failed: 'rules.outcomes.failed',
};

/** The values that made it match ("ratio = 2.50 · age = 61d", each text names its field), or why it was held back. */
export function decisionDetail(decision: Pick<Decision, 'outcome' | 'reason' | 'values'>): string {
  if (!ACTING.has(decision.outcome) && decision.reason) return decision.reason;
  const values = decision.values.map((value) => value.text).join(' · ');
  return decision.reason ? `${values} (${decision.reason})` : values;
}

/** The same for an audit-log entry, whose outcome is called result. */
export function entryDetail(entry: AuditEntry): string {
  return decisionDetail({ outcome: entry.result, reason: entry.reason, values: entry.values });
}

/** How many decisions over all boxes act (or, in preview, would act). */
export function actingCount(plans: readonly BoxPlan[]): number {
  return plans.reduce((sum, plan) => sum + plan.decisions.filter((decision) => ACTING.has(decision.outcome)).length, 0);
}

export interface PreviewTable {
  rows: PreviewRow[];
  /** Decisions over all boxes, shown or not. */
  total: number;
  shown: number;
}

/** Acting rows first in each box (what will happen), then those held back; at most `cap` decisions. */
export function previewRows(plans: readonly BoxPlan[], cap = PREVIEW_ROW_CAP): PreviewTable {
  const rows: PreviewRow[] = [];
  let total = 0;
  let shown = 0;
  for (const plan of plans) {
    const acting = plan.decisions.filter((decision) => ACTING.has(decision.outcome));
    const held = plan.decisions.filter((decision) => !ACTING.has(decision.outcome));
    total += plan.decisions.length;
    rows.push({
      kind: 'box',
      key: `box:${plan.seedbox.id}`,
      name: plan.seedbox.name,
      acting: acting.length,
      held: held.length,
      bytesFreed: plan.bytesFreed,
      upperBound: acting.some((decision) => decision.bytesFreedUpperBound && decision.bytesFreed > 0),
      target: plan.target ?? null,
    });
    for (const decision of [...acting, ...held]) {
      if (shown >= cap) continue;
      shown++;
      rows.push({
        kind: 'decision',
        key: `${plan.seedbox.id}:${decision.torrent.id}:${decision.rule.id}`,
        decision,
        acts: ACTING.has(decision.outcome),
        detail: decisionDetail(decision),
      });
    }
  }
  return { rows, total, shown };
}

/** The plans cut to the decisions of one rule, each box's bytes freed summed again over those. */
export function plansOfRule(plans: readonly BoxPlan[], isRule: (decision: Decision) => boolean): BoxPlan[] {
  return plans.map((plan) => {
    const decisions = plan.decisions.filter(isRule);
    const bytesFreed = decisions.reduce((sum, decision) => sum + (ACTING.has(decision.outcome) ? decision.bytesFreed : 0), 0);
    // A space target's report is about every rule together: not this rule's to show.
    return { seedbox: plan.seedbox, decisions, bytesFreed };
  });
}
