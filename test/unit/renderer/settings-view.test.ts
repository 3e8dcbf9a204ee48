// The Settings view with the bridge mocked: the rules-run and fetch notification switches (absent
// in an older settings file = on) and the fetch bandwidth limit, saved through preferences:update.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PreferencesSchema, type InvokeArgs, type InvokeChannel, type Preferences } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import SettingsView from '../../../renderer/src/components/SettingsView.vue';
import { useSettingsStore } from '../../../renderer/src/stores/settings';
import { callsTo } from './api-mock';

const callMock = vi.mocked(call);

beforeEach(() => {
  setActivePinia(createPinia());
  callMock.mockReset();
  // Main answers as the registry does: the changes merged and parsed by the contract's schema.
  let saved: Preferences = PreferencesSchema.parse({});
  callMock.mockImplementation((async (channel: InvokeChannel, args: InvokeArgs<InvokeChannel>) => {
    if (channel === 'preferences:update') return (saved = PreferencesSchema.parse({ ...saved, ...(args as object) }));
    if (channel === 'app:info') throw new Error('not in this test');
    return null;
  }) as typeof call);
});

async function mountView(preferences: Preferences = PreferencesSchema.parse({})): Promise<ReturnType<typeof mount>> {
  useSettingsStore().apply(preferences);
  const wrapper = mount(SettingsView, { global: { stubs: { AppIcon: true } } });
  await flushPromises();
  return wrapper;
}

describe('the settings view', () => {
  it('shows the rules-run and fetch switches on when an older settings file lacks them, and saves a switch-off', async () => {
    const wrapper = await mountView();
    for (const key of ['rulesRun', 'fetch'] as const) {
      expect((wrapper.find(`[data-test="notify-${key}"]`).element as HTMLInputElement).checked).toBe(true);
    }
    const fetchSwitch = wrapper.find('[data-test="notify-fetch"]');
    (fetchSwitch.element as HTMLInputElement).checked = false;
    await fetchSwitch.trigger('change');
    await flushPromises();
    expect(callsTo(callMock, 'preferences:update').at(-1)).toEqual({ notifications: expect.objectContaining({ fetch: false, downloadFinished: true }) });
    expect(useSettingsStore().preferences.notifications.fetch).toBe(false);

    const rules = wrapper.find('[data-test="notify-rulesRun"]');
    (rules.element as HTMLInputElement).checked = false;
    await rules.trigger('change');
    await flushPromises();
    expect(callsTo(callMock, 'preferences:update').at(-1)).toEqual({ notifications: expect.objectContaining({ rulesRun: false, fetch: false }) });
  });

  it('saves the fetch bandwidth limit in bytes per second, refuses a bad value with why and keeps the limit', async () => {
    const wrapper = await mountView();
    const input = wrapper.find('[data-test="fetch-limit"]');
    expect((input.element as HTMLInputElement).value).toBe('0');
    await input.setValue('512');
    await flushPromises();
    expect(callsTo(callMock, 'preferences:update').at(-1)).toEqual({ fetch: { limitBytesPerSecond: 512 * 1024 } });
    expect(useSettingsStore().preferences.fetch.limitBytesPerSecond).toBe(512 * 1024);

    const before = callsTo(callMock, 'preferences:update').length;
    for (const bad of ['-1', '1.5', '']) {
      await input.setValue(bad);
      expect(wrapper.find('[data-test="fetch-limit-error"]').text()).toBe('A whole number of KiB/s, 0 for no limit. Kept 512.');
      expect((input.element as HTMLInputElement).value).toBe('512');
    }
    expect(callsTo(callMock, 'preferences:update')).toHaveLength(before);

    await input.setValue('0');
    await flushPromises();
    expect(wrapper.find('[data-test="fetch-limit-error"]').exists()).toBe(false);
    expect(callsTo(callMock, 'preferences:update').at(-1)).toEqual({ fetch: { limitBytesPerSecond: 0 } });
  });
});
