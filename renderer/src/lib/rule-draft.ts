// A rule as the editor holds it while it is written, and the conversions to and from what the
// contract carries (RuleDraftSchema). The action is split into a kind and a label, as the form
// asks for them.
import type { InvokeArgs } from '../../../electron/shared/contract';
import type { MessageKey } from '../../../electron/shared/i18n';
import { nameKey, type RuleAction, type SeedingRule } from '../../../electron/shared/rules/settings';
import { i18n } from '../i18n';

// The window's translator, in the language of the moment (a computed reading draftProblem follows
// a change of language).
const { t } = i18n.global;

export type RuleDraft = InvokeArgs<'rules:saveRule'>['rule'];
export type ActionKind = 'stop' | 'remove' | 'remove-data' | 'label-add' | 'label-remove';

/** The words for each action, in the order the editor offers them. */
export const ACTION_TEXT: Record<ActionKind, MessageKey> = {
  stop: 'rules.actions.stop',
  remove: 'rules.actions.remove',
  'remove-data': 'rules.actions.remove-data',
  'label-add': 'rules.actions.label-add',
  'label-remove': 'rules.actions.label-remove',
};

export interface EditorDraft {
  name: string;
  condition: string;
  seedboxes: string[];
  labels: string[];
  trackers: string[];
  actionKind: ActionKind;
  actionLabel: string;
  reannounceBeforeRemove: boolean;
  allowIncompleteRemoveData: boolean;
}

export function emptyDraft(): EditorDraft {
  return {
    name: '', condition: '', seedboxes: [], labels: [], trackers: [], actionKind: 'stop', actionLabel: '',
    reannounceBeforeRemove: false, allowIncompleteRemoveData: false,
  };
}

export function draftOf(rule: SeedingRule): EditorDraft {
  const { action } = rule;
  return {
    name: rule.name,
    condition: rule.condition,
    seedboxes: [...rule.scope.seedboxes],
    labels: [...rule.scope.labels],
    trackers: [...rule.scope.trackers],
    actionKind: typeof action === 'string' ? action : action.change === 'add' ? 'label-add' : 'label-remove',
    actionLabel: typeof action === 'string' ? '' : action.label,
    reannounceBeforeRemove: rule.options.reannounceBeforeRemove,
    allowIncompleteRemoveData: rule.options.allowIncompleteRemoveData,
  };
}

function actionOf(draft: EditorDraft): RuleAction {
  if (draft.actionKind === 'label-add' || draft.actionKind === 'label-remove') {
    return { label: draft.actionLabel.trim(), change: draft.actionKind === 'label-add' ? 'add' : 'remove' };
  }
  return draft.actionKind;
}

/** What rules:saveRule and rules:preview take; `id` given for an edit of a saved rule. */
export function ruleDraftOf(draft: EditorDraft, id: string | undefined): RuleDraft {
  return {
    ...(id === undefined ? {} : { id }),
    name: draft.name.trim(),
    condition: draft.condition,
    scope: { seedboxes: draft.seedboxes, labels: draft.labels, trackers: draft.trackers },
    action: actionOf(draft),
    options: { reannounceBeforeRemove: draft.reannounceBeforeRemove, allowIncompleteRemoveData: draft.allowIncompleteRemoveData },
  };
}

/** Why the draft cannot be saved yet (the condition's own error is shown at the condition), or null. */
export function draftProblem(draft: EditorDraft, conditionOk: boolean, takenNames: readonly string[]): string | null {
  const name = draft.name.trim();
  if (name === '') return t('rules.editor.problems.noName');
  if (takenNames.some((taken) => nameKey(taken) === nameKey(name))) return t('rules.editor.problems.nameTaken', { name });
  if (!conditionOk) return t('rules.editor.problems.conditionIncomplete');
  if ((draft.actionKind === 'label-add' || draft.actionKind === 'label-remove') && draft.actionLabel.trim() === '') return t('rules.editor.problems.noLabel');
  return null;
}

export function sameDraft(a: EditorDraft, b: EditorDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
