// The Rules view in a DOM with the bridge mocked: the condition checked as it is typed (the
// error at its spot), completion from the shared completer, the preview table, the live preview
// of a draft, and going live only through the confirmation, with the version that was shown.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, ref } from 'vue';
import { DRAFT_RULE_ID, type InvokeChannel, type InvokeResult, type RulesState } from '../../../electron/shared/contract';
import { SPACE_TARGET_RULE_ID, type BoxPlan, type Decision } from '../../../electron/shared/rules/report';
import { defaultSeedingSettings, type SeedingRule } from '../../../electron/shared/rules/settings';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import ConditionEditor from '../../../renderer/src/components/rules/ConditionEditor.vue';
import PreviewTable from '../../../renderer/src/components/rules/PreviewTable.vue';
import RulesView from '../../../renderer/src/components/RulesView.vue';
import { applyCompletion, checkCondition } from '../../../renderer/src/lib/rule-editor';
import { previewRows } from '../../../renderer/src/lib/rule-preview';
import { callsTo } from './api-mock';

const callMock = vi.mocked(call);

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  callMock.mockReset();
  document.body.innerHTML = '';
});

function mountEditor(initial: string): { wrapper: VueWrapper; text: () => string } {
  const text = ref(initial);
  const Host = defineComponent(() => () => h(ConditionEditor, { id: 'cond', label: 'Condition', modelValue: text.value, 'onUpdate:modelValue': (value: string) => (text.value = value) }));
  return { wrapper: mount(Host, { attachTo: document.body }), text: () => text.value };
}

/** Types into the textarea as a user does: the value, the cursor at its end, an input event. */
async function typeInto(wrapper: VueWrapper, value: string): Promise<void> {
  const area = wrapper.find('textarea').element as HTMLTextAreaElement;
  area.value = value;
  area.setSelectionRange(value.length, value.length);
  await wrapper.find('textarea').trigger('input');
}

describe('the condition editor', () => {
  it('checks the text as it is typed and marks the error at its spot', async () => {
    const { wrapper } = mountEditor('');
    expect(wrapper.find('[data-test="condition-status"]').text()).toMatch(/^Write a condition/);
    expect(wrapper.find('[data-test="error-mark"]').exists()).toBe(false);

    await typeInto(wrapper, 'ratio >= 2 and sise > 1GiB');
    const expected = checkCondition('ratio >= 2 and sise > 1GiB');
    expect(expected.ok).toBe(false);
    const status = wrapper.find('[data-test="condition-status"]').text();
    expect(status).toMatch(/^Line 1, column 16: /);
    expect(wrapper.find('textarea').attributes('aria-invalid')).toBe('true');
    // The mark sits on the character the parser points at, with the text before it untouched.
    const mark = wrapper.find('[data-test="error-mark"]');
    expect(mark.text()).toBe('s');
    expect(mark.element.previousElementSibling?.textContent).toBe('ratio >= 2 and ');

    // An expression cut short: the mark is at the end, where the missing part goes.
    await typeInto(wrapper, 'ratio >=');
    expect(wrapper.find('[data-test="error-mark"]').classes()).toContain('end');
    expect(wrapper.find('[data-test="condition-status"]').text()).toMatch(/^Line 1, column 9: /);

    await typeInto(wrapper, 'ratio >= 2 or age > 60d');
    expect(wrapper.find('[data-test="condition-status"]').text()).toBe('Valid. Reads ratio, age.');
    expect(wrapper.find('[data-test="error-mark"]').exists()).toBe(false);
    expect(wrapper.find('textarea').attributes('aria-invalid')).toBe('false');
  });

  it('offers the fields that fit as a word is typed, and Enter puts the chosen one in', async () => {
    const { wrapper, text } = mountEditor('');
    await typeInto(wrapper, 'seed');
    const area = wrapper.find('textarea');
    expect(area.attributes('aria-expanded')).toBe('true');
    const options = wrapper.findAll('[role="option"] code').map((option) => option.text());
    expect(options).toEqual(['seeders', 'seeding_time']);
    // ↓ then Enter: the second one, a space after it, the list closed.
    await area.trigger('keydown', { key: 'ArrowDown' });
    expect(area.attributes('aria-activedescendant')).toBe('cond-option-1');
    await area.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(text()).toBe('seeding_time ');
    expect(area.attributes('aria-expanded')).toBe('false');

    // Ctrl+Space after the field: its operators.
    const element = area.element as HTMLTextAreaElement;
    element.setSelectionRange(text().length, text().length);
    await area.trigger('keydown', { key: ' ', ctrlKey: true });
    const operators = wrapper.findAll('[role="option"] code').map((option) => option.text());
    expect(operators).toContain('>=');
    expect(operators).not.toContain('ratio');
    // Esc closes the list without leaving the field.
    await area.trigger('keydown', { key: 'Escape' });
    expect(area.attributes('aria-expanded')).toBe('false');
  });

  it('replaces only the word being typed', () => {
    expect(applyCompletion('ratio >= 2 an', { from: 11, to: 13, options: [] }, { label: 'and', detail: 'keyword' })).toEqual({ text: 'ratio >= 2 and ', cursor: 15 });
    expect(applyCompletion('ratio x', { from: 6, to: 6, options: [] }, { label: '>=', detail: 'operator' })).toEqual({ text: 'ratio >= x', cursor: 9 });
  });
});

const BOX = { id: 'box-a', name: 'Box A' };

function decision(id: string, name: string, outcome: Decision['outcome'], extra: Partial<Decision> = {}): Decision {
  return {
    seedbox: BOX,
    torrent: { id, name, trackers: ['tracker.example.org'], sizeBytes: 1024 ** 3, savePath: '/data' },
    rule: { id: 'seeded', name: 'Seeded enough', version: 2, mode: 'preview' },
    action: 'remove-data',
    operation: 'remove-data',
    outcome,
    reason: '',
    values: [{ field: 'ratio', value: 2.5, text: 'ratio = 2.50' }],
    bytesFreed: outcome === 'preview' || outcome === 'act' ? 1024 ** 3 : 0,
    bytesFreedUpperBound: true,
    reannounce: false,
    ...extra,
  };
}

function plan(decisions: Decision[]): BoxPlan & { moreDecisions: number } {
  const bytesFreed = decisions.reduce((sum, item) => sum + item.bytesFreed, 0);
  return { seedbox: BOX, decisions, bytesFreed, moreDecisions: 0 };
}

describe('the preview table', () => {
  it('shows per box what is freed, each match with its values and each protected torrent with its protection', () => {
    const wrapper = mount(PreviewTable, {
      props: {
        caption: 'Now',
        plans: [plan([decision('h1', 'Old Show', 'preview'), decision('h2', 'Private One', 'protected', { reason: 'tracker floor tracker.example.org: seeding 3d < 14d' })])],
      },
    });
    expect(wrapper.find('[data-test="preview-box"]').text()).toContain('Box A');
    expect(wrapper.find('[data-test="preview-box"]').text()).toContain('1 to act on, 1 held back');
    // The client cannot see hard links: the figure is said to be an upper bound.
    expect(wrapper.find('[data-test="preview-box-freed"]').text()).toBe('≤ 1.00 GiB');
    const rows = wrapper.findAll('[data-test="preview-row"]');
    expect(rows.map((row) => row.attributes('data-torrent'))).toEqual(['h1', 'h2']);
    expect(rows[0]!.find('[data-test="preview-outcome"]').text()).toBe('Would act');
    expect(rows[0]!.find('[data-test="preview-why"]').text()).toBe('ratio = 2.50');
    expect(rows[1]!.find('[data-test="preview-outcome"]').text()).toBe('Protected');
    expect(rows[1]!.find('[data-test="preview-why"]').text()).toBe('tracker floor tracker.example.org: seeding 3d < 14d');
  });

  it('lists at most the cap, acting rows first, and says how many there are', () => {
    const many = Array.from({ length: 250 }, (_, index) => decision(`h${index}`, `T${index}`, index === 249 ? 'preview' : 'protected', { reason: 'protected label' }));
    const table = previewRows([plan(many)]);
    expect(table.total).toBe(250);
    expect(table.shown).toBe(200);
    const first = table.rows[1]!;
    expect(first.kind === 'decision' && first.decision.torrent.id).toBe('h249');
    const wrapper = mount(PreviewTable, { props: { caption: 'Now', plans: [plan(many)] } });
    expect(wrapper.findAll('[data-test="preview-row"]')).toHaveLength(200);
    expect(wrapper.find('[data-test="preview-capped"]').text()).toBe('· showing 200 of 250');
  });
});

const RULE: SeedingRule = {
  id: 'seeded',
  name: 'Seeded enough',
  enabled: true,
  mode: 'preview',
  version: 2,
  scope: { seedboxes: [], labels: [], trackers: [] },
  condition: 'ratio >= 2',
  action: 'remove-data',
  options: { reannounceBeforeRemove: false, allowIncompleteRemoveData: false },
};

function rulesState(rules: SeedingRule[]): RulesState {
  return { settings: { ...defaultSeedingSettings(), rules }, running: false, nextRunAt: null, lastRun: null };
}

function mockRules(state: { current: RulesState }, preview: BoxPlan[]): void {
  callMock.mockImplementation((async (channel: InvokeChannel) => {
    switch (channel) {
      case 'rules:get':
        return state.current;
      case 'rules:log':
        return [];
      case 'rules:preview':
        return { plans: preview.map((item) => ({ ...item, moreDecisions: 0 })), failures: [] } satisfies InvokeResult<'rules:preview'>;
      case 'rules:goLive': {
        const live = { ...state.current.settings.rules[0]!, mode: 'live' as const };
        state.current = rulesState([live]);
        return live;
      }
      default:
        throw new Error(`unexpected call ${channel}`);
    }
  }) as typeof call);
}

describe('the Rules view', () => {
  it('previews a draft as it is typed, through rules:preview with the draft', async () => {
    const state = { current: rulesState([]) };
    mockRules(state, [plan([decision('h1', 'Old Show', 'preview', { rule: { id: DRAFT_RULE_ID, name: 'New', version: 1, mode: 'preview' } })])]);
    const wrapper = mount(RulesView, { attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-test="new-rule"]').trigger('click');
    await wrapper.find('[data-test="rule-name"]').setValue('Seeded enough');
    await typeInto(wrapper, 'ratio >= 2');
    await vi.waitFor(() => expect(callsTo(callMock, 'rules:preview').at(-1)?.draft?.condition).toBe('ratio >= 2'));
    expect(callsTo(callMock, 'rules:preview').at(-1)?.draft).toMatchObject({ name: 'Seeded enough', action: 'stop' });
    await vi.waitFor(() => expect(wrapper.findAll('[data-test="preview-row"]').map((row) => row.attributes('data-torrent'))).toEqual(['h1']));
    // A condition cut short is not sent: the preview waits for it.
    const sent = callsTo(callMock, 'rules:preview').length;
    await typeInto(wrapper, 'ratio >=');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(callsTo(callMock, 'rules:preview')).toHaveLength(sent);
    expect(wrapper.find('[data-test="preview"] caption').text()).toMatch(/once the condition is complete/);
  });

  it('goes live only after showing what the rule would do now, with the version shown', async () => {
    const state = { current: rulesState([RULE]) };
    mockRules(state, [plan([decision('h1', 'Old Show', 'preview'), decision('h9', 'Another rule', 'preview', { rule: { id: 'other', name: 'Other', version: 1, mode: 'live' } })])]);
    const wrapper = mount(RulesView, { attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-rule="seeded"] .pick').trigger('click');
    await flushPromises();

    await wrapper.find('[data-test="go-live"]').trigger('click');
    await flushPromises();
    const dialog = wrapper.find('dialog[aria-label="Switch “Seeded enough” live"]');
    expect(dialog.exists()).toBe(true);
    // Only this rule's decisions, and nothing switched yet.
    await vi.waitFor(() => expect(dialog.findAll('[data-test="preview-row"]').map((row) => row.attributes('data-torrent'))).toEqual(['h1']));
    expect(dialog.find('caption').text()).toContain('1 torrent would be acted on now.');
    expect(callsTo(callMock, 'rules:goLive')).toEqual([]);

    // Cancel: still nothing.
    await dialog.findAll('button').find((button) => button.text() === 'Cancel')!.trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'rules:goLive')).toEqual([]);

    await wrapper.find('[data-test="go-live"]').trigger('click');
    await flushPromises();
    await wrapper.find('dialog form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'rules:goLive')).toEqual([{ id: 'seeded', version: 2 }]);
    await vi.waitFor(() => expect(wrapper.find('[data-rule="seeded"] [data-test="mode-pill"]').text()).toBe('Live'));
    expect(wrapper.find('[data-test="hold"]').exists()).toBe(true);
  });

  it("going live with a space target shows the target's own decisions only, not a rule's", async () => {
    const state = { current: rulesState([RULE]) };
    state.current.settings.spaceTargets = [{ seedboxId: BOX.id, minFreeBytes: 10 * 1024 ** 3, order: 'oldest', mode: 'preview' }];
    const target = { id: SPACE_TARGET_RULE_ID, name: 'space target', version: 1, mode: 'preview' as const };
    mockRules(state, [plan([decision('h1', 'Old Show', 'preview'), decision('h2', 'Oldest', 'preview', { rule: target }), decision('h3', 'Drafted', 'preview', { rule: { id: DRAFT_RULE_ID, name: 'New', version: 1, mode: 'preview' } })])]);
    const wrapper = mount(RulesView, { attachTo: document.body });
    await flushPromises();
    await wrapper.find('#rules-tab-targets').trigger('click');
    await flushPromises();
    await wrapper.find(`[data-seedbox="${BOX.id}"]`).findAll('button').find((button) => button.text() === 'Go live…')!.trigger('click');
    await flushPromises();
    const dialog = wrapper.find('dialog');
    await vi.waitFor(() => expect(dialog.findAll('[data-test="preview-row"]').map((row) => row.attributes('data-torrent'))).toEqual(['h2']));
  });

  it('refuses to go live while the shown rule has unsaved changes', async () => {
    const state = { current: rulesState([RULE]) };
    mockRules(state, []);
    const wrapper = mount(RulesView, { attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-rule="seeded"] .pick').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="go-live"]').attributes('disabled')).toBeUndefined();
    await typeInto(wrapper, 'ratio >= 3');
    expect(wrapper.find('[data-test="go-live"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="go-live"]').attributes('title')).toMatch(/Save the changes first/);
  });

  it('runs now only after a dry run was shown, saying which box it could not read', async () => {
    const state = { current: rulesState([{ ...RULE, mode: 'live' }]) };
    const failure = { seedbox: { id: 'box-b', name: 'Box B' }, error: { code: 'unavailable' as const, message: 'Box B is not connected.', details: {} } };
    const summary = { trigger: 'manual' as const, dryRun: false, startedAt: 1, finishedAt: 2, boxes: [{ seedbox: BOX, done: 1, failed: 0, bytesFreed: 1024 ** 3, bytesFreedUpperBound: true }], failures: [failure] };
    callMock.mockImplementation((async (channel: InvokeChannel, args: unknown) => {
      switch (channel) {
        case 'rules:get':
          return state.current;
        case 'rules:log':
          return [];
        case 'rules:run': {
          const { dryRun } = args as { dryRun: boolean };
          return { plans: [{ ...plan([decision('h1', 'Old Show', dryRun ? 'act' : 'done')]) }], failures: [failure], summary: { ...summary, dryRun } };
        }
        default:
          throw new Error(`unexpected call ${channel}`);
      }
    }) as typeof call);
    const wrapper = mount(RulesView, { attachTo: document.body });
    await flushPromises();
    await wrapper.find('[data-test="run-now"]').trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'rules:run')).toEqual([{ dryRun: true, decisionsPerBox: 200 }]);
    const dialog = wrapper.find('dialog[aria-label="Run the rules now"]');
    expect(dialog.find('[data-test="preview-outcome"]').text()).toBe('Will act');
    expect(dialog.find('[data-test="confirm-failure"]').text()).toBe('Left out: Box B: Box B is not connected.');
    await dialog.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'rules:run')).toEqual([
      { dryRun: true, decisionsPerBox: 200 },
      { dryRun: false, decisionsPerBox: 200 },
    ]);
    // The log is read again for the history.
    expect(callsTo(callMock, 'rules:log')).toHaveLength(2);
  });
});
