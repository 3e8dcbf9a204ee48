// The seeding rules as main keeps them (rules:get, then rules:changed after every change and
// run), and the audit log's newest entries for the history. Replaced whole (shallowRef): the
// state is small, and the log's entries are never made deeply reactive.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { RulesState } from '../../../electron/shared/contract';
import type { AuditEntry } from '../../../electron/shared/rules/report';
import { call } from '../api';

/** How many of the newest log entries the history reads. */
export const HISTORY_LIMIT = 500;

export interface RuleActivity {
  /** ISO time of the rule's newest logged decision. */
  lastTime: string;
  /** Actions done, failed, and held back (protected, capped, paused) in the entries read. */
  done: number;
  failed: number;
  held: number;
  bytesFreed: number;
}

export const useRulesStore = defineStore('rules', () => {
  const state = shallowRef<RulesState | null>(null);
  const log = shallowRef<readonly AuditEntry[]>([]);
  const logLoading = shallowRef(false);

  const settings = computed(() => state.value?.settings ?? null);
  const rules = computed(() => settings.value?.rules ?? []);

  /** Per rule id, what its logged decisions say (the log is newest first). */
  const activity = computed(() => {
    const byRule = new Map<string, RuleActivity>();
    for (const entry of log.value) {
      let seen = byRule.get(entry.rule.id);
      if (!seen) byRule.set(entry.rule.id, (seen = { lastTime: entry.time, done: 0, failed: 0, held: 0, bytesFreed: 0 }));
      if (entry.result === 'done') {
        seen.done++;
        seen.bytesFreed += entry.bytesFreed;
      } else if (entry.result === 'failed') seen.failed++;
      else if (entry.result === 'protected' || entry.result === 'capped' || entry.result === 'paused') seen.held++;
    }
    return byRule;
  });

  async function load(): Promise<void> {
    state.value = await call('rules:get', {});
  }

  /** rules:changed, and the answers of the calls that change the state. */
  function apply(next: RulesState): void {
    state.value = next;
  }

  async function loadLog(): Promise<void> {
    logLoading.value = true;
    try {
      log.value = await call('rules:log', { limit: HISTORY_LIMIT });
    } finally {
      logLoading.value = false;
    }
  }

  return { state, settings, rules, log, logLoading, activity, load, apply, loadLog };
});
