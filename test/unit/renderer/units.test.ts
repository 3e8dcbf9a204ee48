// The units preference (binary KiB/MiB or decimal kB/MB) reaches every number on screen, live:
// changing it in Settings re-renders what is shown without a reload.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Preferences } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import StatusBar from '../../../renderer/src/components/StatusBar.vue';
import TorrentTable from '../../../renderer/src/components/TorrentTable.vue';
import { useUnits } from '../../../renderer/src/composables/units';
import { removalSummary } from '../../../renderer/src/lib/actions';
import { DEFAULT_PREFERENCES, useSettingsStore } from '../../../renderer/src/stores/settings';
import { useSeedboxesStore } from '../../../renderer/src/stores/seedboxes';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { delta, EMPTY_STATS, row, torrent } from './torrent-fixtures';
import { useFakeLayout } from './fake-layout';

const callMock = vi.mocked(call);

/** What main answers to preferences:update: the saved preferences with the change applied. */
function answerUpdates(): void {
  let saved: Preferences = structuredClone(DEFAULT_PREFERENCES);
  callMock.mockImplementation(async (channel, args) => {
    if (channel !== 'preferences:update') throw new Error(`unexpected call ${channel}`);
    saved = { ...saved, ...(args as Partial<Preferences>) };
    return saved as never;
  });
}

useFakeLayout();

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  callMock.mockReset();
  answerUpdates();
});

describe('the units preference', () => {
  it('formats with the current preference and follows a change', async () => {
    const units = useUnits();
    expect(units.value.bytes(1_500_000)).toBe('1.43 MiB');
    expect(units.value.rate(2048)).toBe('2.00 KiB/s');
    await useSettingsStore().update({ units: 'decimal' });
    expect(units.value.units).toBe('decimal');
    expect(units.value.bytes(1_500_000)).toBe('1.50 MB');
    expect(units.value.rate(2048)).toBe('2.05 kB/s');
    expect(callMock).toHaveBeenCalledWith('preferences:update', { units: 'decimal' });
  });

  it('names the data a removal deletes in the chosen units', () => {
    const rows = [row('home', 1, { doneBytes: 1_500_000 })];
    expect(removalSummary(rows, { deleteData: true }).consequence).toMatch(/^1\.43 MiB of downloaded data/);
    expect(removalSummary(rows, { deleteData: true, units: 'decimal' }).consequence).toMatch(/^1\.50 MB of downloaded data/);
  });

  it('changes what a size cell of the torrent table shows, without remounting', async () => {
    useTorrentsStore().applyDelta(delta('home', { full: true, added: [torrent(1, { sizeBytes: 1_500_000, downRate: 2048 })] }));
    const wrapper = mount(TorrentTable, { attachTo: document.body });
    await flushPromises();
    // Cells carry no column id: they are in the order of the header's columns.
    const cell = (column: string): string => {
      const index = wrapper.findAll('.th').findIndex((th) => th.attributes('data-column') === column);
      expect(index).toBeGreaterThan(-1);
      return wrapper.findAll('.row')[0]!.findAll('.td')[index]!.text();
    };
    expect(wrapper.findAll('.row')).toHaveLength(1);
    expect(cell('size')).toBe('1.43 MiB');
    expect(cell('downRate')).toBe('2.00 KiB/s');

    await useSettingsStore().update({ units: 'decimal' });
    await flushPromises();
    expect(cell('size')).toBe('1.50 MB');
    expect(cell('downRate')).toBe('2.05 kB/s');

    await useSettingsStore().update({ units: 'binary' });
    await flushPromises();
    expect(cell('size')).toBe('1.43 MiB');
    wrapper.unmount();
  });

  it('changes what the status bar shows, without remounting', async () => {
    useSeedboxesStore().setStats('home', { ...EMPTY_STATS, downRate: 2048, upRate: 1_000_000, freeSpaceBytes: 5_000_000_000 });
    const wrapper = mount(StatusBar);
    expect(wrapper.text()).toContain('2.00 KiB/s');
    expect(wrapper.text()).toContain('977 KiB/s');
    expect(wrapper.find('[data-test="free-space"]').text()).toBe('4.66 GiB free');

    await useSettingsStore().update({ units: 'decimal' });
    await flushPromises();
    expect(wrapper.text()).toContain('2.05 kB/s');
    expect(wrapper.text()).toContain('1.00 MB/s');
    expect(wrapper.find('[data-test="free-space"]').text()).toBe('5.00 GB free');
  });
});
