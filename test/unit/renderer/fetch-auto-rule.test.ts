// Fetch on completion in the fetch view, with the bridge mocked: the condition checked as typed,
// the folder only from the native dialog, and what the window sends to fetch:setAutoRule.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvokeArgs, InvokeChannel } from '../../../electron/shared/contract';
import type { FetchOnComplete } from '../../../electron/shared/fetch';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { ApiError, call } from '../../../renderer/src/api';
import FetchAutoRule from '../../../renderer/src/components/fetch/FetchAutoRule.vue';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { callsTo } from './api-mock';

const callMock = vi.mocked(call);
const saved: FetchOnComplete = { seedboxId: 'b', enabled: true, when: 'ratio >= 2', destination: '/home/me/Seen', addLabel: null, onExisting: 'refuse' };

function box(id: string): SeedboxView {
  return {
    id, name: `Box ${id}`, kind: 'rtorrent', url: 'scgi:///run/rtorrent.sock', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null,
    pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  callMock.mockReset();
  callMock.mockImplementation((async (channel: InvokeChannel, args: InvokeArgs<InvokeChannel>) => {
    if (channel === 'fetch:getAutoRules') return [saved];
    if (channel === 'fetch:chooseFolder') return '/home/me/TV';
    if (channel === 'fetch:setAutoRule') {
      const { seedboxId, rule } = args as InvokeArgs<'fetch:setAutoRule'>;
      if (rule?.addLabel === 'refused') throw new ApiError('refused', 'Fetches go to a folder chosen in the folder dialog.');
      return rule === null ? [] : [{ ...saved, ...rule, seedboxId }];
    }
    return null;
  }) as typeof call);
  useSeedboxesStore().setList([box('a'), box('b')]);
});

describe('fetch on completion in the window', () => {
  it('checks the condition as typed, takes the folder only from the dialog, and sends the rule', async () => {
    const wrapper = mount(FetchAutoRule);
    await flushPromises();
    const save = wrapper.find('[data-test="auto-save"]');
    expect(save.attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="auto-folder"]').text()).toBe('No folder chosen');
    // No text field for the folder: the page cannot make one up.
    expect(wrapper.findAll('input').map((input) => input.attributes('data-test'))).toEqual(['auto-when', 'auto-label']);

    await wrapper.find('[data-test="auto-when"]').setValue('ratio >=');
    expect(wrapper.find('[data-test="auto-when-status"]').text()).toMatch(/^Column 9: /);
    expect(wrapper.find('[data-test="auto-when"]').attributes('aria-invalid')).toBe('true');
    await wrapper.find('[data-test="auto-choose"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="auto-folder"]').text()).toBe('/home/me/TV');
    expect(save.attributes('disabled')).toBeDefined();

    await wrapper.find('[data-test="auto-when"]').setValue('label == "tv"');
    expect(wrapper.find('[data-test="auto-when-status"]').text()).toBe('Valid.');
    await wrapper.find('[data-test="auto-label"]').setValue(' fetched ');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'fetch:setAutoRule')).toEqual([{ seedboxId: 'a', rule: { when: 'label == "tv"', destination: '/home/me/TV', addLabel: 'fetched' } }]);

    // What main refuses is said, nothing else changes.
    await wrapper.find('[data-test="auto-label"]').setValue('refused');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test="auto-failure"]').text()).toBe('Fetches go to a folder chosen in the folder dialog.');
  });

  it('shows a box\'s saved rule and removes it', async () => {
    const wrapper = mount(FetchAutoRule);
    await flushPromises();
    await wrapper.find('[data-test="auto-box"]').setValue('b');
    expect((wrapper.find('[data-test="auto-when"]').element as HTMLInputElement).value).toBe('ratio >= 2');
    expect(wrapper.find('[data-test="auto-folder"]').text()).toBe('/home/me/Seen');
    await wrapper.find('[data-test="auto-remove"]').trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'fetch:setAutoRule')).toEqual([{ seedboxId: 'b', rule: null }]);
    expect(wrapper.find('[data-test="auto-remove"]').exists()).toBe(false);
  });
});
