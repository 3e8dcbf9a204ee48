// Relative times ("Added just now") tick on the window's one clock: they move on with nothing
// else re-rendering, in the table and in the details, even while the details get no answer.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DefineComponent } from 'vue';
import type { InvokeResult } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import DetailsPanelComponent from '../../../renderer/src/components/details/DetailsPanel.vue';
import TorrentTable from '../../../renderer/src/components/TorrentTable.vue';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { delta, torrent } from './torrent-fixtures';
import { useFakeLayout } from './fake-layout';

const callMock = vi.mocked(call);
const DetailsPanel = DetailsPanelComponent as DefineComponent<{ seedboxId: string; torrentId: string }>;
const START = Date.UTC(2026, 11, 4, 12, 0, 0);

useFakeLayout();

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  callMock.mockReset();
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('relative times', () => {
  it('tick in the table with nothing else changing', async () => {
    useTorrentsStore().applyDelta(delta('home', { full: true, added: [torrent(1, { addedAt: START / 1000 })] }));
    const wrapper = mount(TorrentTable, { attachTo: document.body });
    await flushPromises();
    const added = (): string => {
      const index = wrapper.findAll('.th').findIndex((th) => th.attributes('data-column') === 'added');
      expect(index).toBeGreaterThan(-1);
      return wrapper.findAll('.row')[0]!.findAll('.td')[index]!.text();
    };
    expect(added()).toBe('just now');
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(added()).toBe('3m ago');
    wrapper.unmount();
  });

  it('tick in the details while the next refresh is still waiting for an answer', async () => {
    const answer = structuredClone(DETAILS);
    answer.torrent.addedAt = START / 1000;
    // The first request answers; every later one hangs, as with a box that stopped answering.
    callMock.mockResolvedValueOnce(answer).mockImplementation(() => new Promise(() => undefined));
    const wrapper = mount(DetailsPanel, { props: { seedboxId: 'home', torrentId: answer.torrent.id }, global: { stubs: { SpeedGraph: true } } });
    await flushPromises();
    expect(wrapper.text()).toContain('just now');
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(wrapper.text()).not.toContain('just now');
    expect(wrapper.text()).toContain('3m ago');
    wrapper.unmount();
  });
});

const DETAILS: InvokeResult<'torrents:details'> = {
  torrent: torrent(1),
  files: [{ index: 0, path: 'a.bin', sizeBytes: 1024, doneBytes: 0, priority: 'normal' }],
  peers: [],
  trackers: [],
};
