import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { DefineComponent } from 'vue';
import type { InvokeResult } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import DetailsPanelComponent from '../../../renderer/src/components/details/DetailsPanel.vue';
import { useSeedboxesStore } from '../../../renderer/src/stores/seedboxes';

const callMock = vi.mocked(call);
/** The shim types every .vue file's props as `object`; the panel's own are these (defineProps in DetailsPanel.vue). */
const DetailsPanel = DetailsPanelComponent as DefineComponent<{ seedboxId: string; torrentId: string }>;
const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);

function details(id: string, name: string, downRate = 0): InvokeResult<'torrents:details'> {
  return {
    torrent: {
      id, name, state: 'downloading', progress: 0.5, sizeBytes: 2048, doneBytes: 1024, uploadedBytes: 0, downloadedBytes: 1024, ratio: 0,
      downRate, upRate: 0, etaSeconds: 60, peersConnected: 1, peersTotal: 3, seedsConnected: 1, seedsTotal: 2, labels: ['linux'],
      savePath: '/srv/data', addedAt: 1_700_000_000, completedAt: null, trackerHosts: ['tracker.example'], message: '', queuePosition: null, seedingSeconds: null, lastActivityAt: null, private: null, trackerStatus: null, trackerMessage: '',
    },
    files: [
      { index: 0, path: 'dir/a.bin', sizeBytes: 1024, doneBytes: 1024, priority: 'normal' },
      { index: 1, path: 'dir/b.bin', sizeBytes: 1024, doneBytes: 0, priority: 'normal' },
      { index: 2, path: 'c.txt', sizeBytes: 1, doneBytes: 0, priority: 'high' },
    ],
    peers: [{ address: '10.0.0.2', port: 51413, client: 'Transmission 4.0', progress: 0.25, downRate: 2048, upRate: 0 }],
    trackers: [{ url: 'http://tracker.example/announce', tier: 0, status: 'error', seeders: -1, leechers: 4, message: 'unregistered torrent' }],
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function mountPanel(torrentId = ID_A) {
  return mount(DetailsPanel, { props: { seedboxId: 'box-a', torrentId }, global: { stubs: { SpeedGraph: true } } });
}

beforeEach(() => {
  setActivePinia(createPinia());
  callMock.mockReset();
  vi.useFakeTimers();
  useSeedboxesStore().setStatus({
    seedboxId: 'box-a',
    state: 'connected',
    nextAttemptAt: null,
    offlineSince: null,
    error: null,
    info: {
      kind: 'rtorrent',
      version: '0.9.8',
      protocol: 'xmlrpc',
      capabilities: {
        labels: true, multipleLabels: false, queue: false, deleteData: true, moveStorage: true, alternativeSpeed: false, pushEvents: false,
        freeSpace: true, perTorrentSpeedLimits: false, filePriorities: ['skip', 'normal', 'high'], addFromUrl: true,
      },
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DetailsPanel', () => {
  it('shows the general fields in human units', async () => {
    callMock.mockResolvedValue(details(ID_A, 'Debian'));
    const wrapper = mountPanel();
    await flushPromises();
    const text = wrapper.text();
    expect(text).toContain('Debian');
    expect(text).toContain('50.0% (1.00 KiB of 2.00 KiB)');
    expect(text).toContain('/srv/data');
    expect(text).toContain('linux');
    expect(text).toContain('1m');
    wrapper.unmount();
  });

  it('shows the wanted size, and the whole size when files are skipped', async () => {
    const withSkipped = details(ID_A, 'Debian');
    withSkipped.torrent = { ...withSkipped.torrent, sizeBytes: 1025, doneBytes: 0, progress: 0 };
    withSkipped.files = withSkipped.files.map((file) => (file.index === 1 ? { ...file, priority: 'skip' } : file));
    callMock.mockResolvedValue(withSkipped);
    const wrapper = mountPanel();
    await flushPromises();
    const text = wrapper.text();
    expect(text).toContain('0% (0 B of 1.00 KiB wanted)');
    expect(text).toContain('1.00 KiB wanted of 2.00 KiB in all');
    wrapper.unmount();
  });

  it('refreshes every two seconds, never with two requests in flight, and stops on unmount', async () => {
    const first = deferred<InvokeResult<'torrents:details'>>();
    callMock.mockReturnValueOnce(first.promise);
    const wrapper = mountPanel();
    await flushPromises();
    expect(callMock).toHaveBeenCalledTimes(1);
    // The first answer is slow: no second request meanwhile, however long it takes.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(callMock).toHaveBeenCalledTimes(1);
    callMock.mockResolvedValue(details(ID_A, 'Debian'));
    first.resolve(details(ID_A, 'Debian'));
    await flushPromises();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(callMock).toHaveBeenCalledTimes(2);
    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(callMock).toHaveBeenCalledTimes(2);
  });

  it('drops the answer for the previous torrent once the selection changed', async () => {
    const slow = deferred<InvokeResult<'torrents:details'>>();
    callMock.mockReturnValueOnce(slow.promise).mockResolvedValue(details(ID_B, 'Second torrent'));
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.setProps({ torrentId: ID_B });
    await flushPromises();
    expect(wrapper.text()).toContain('Second torrent');
    slow.resolve(details(ID_A, 'First torrent'));
    await flushPromises();
    expect(wrapper.text()).toContain('Second torrent');
    expect(wrapper.text()).not.toContain('First torrent');
    expect(callMock.mock.calls.map(([, args]) => (args as { id: string }).id)).toEqual([ID_A, ID_B]);
    wrapper.unmount();
  });

  it('sets a folder priority on all its files, with only the priorities the client supports', async () => {
    callMock.mockImplementation(async (channel) => (channel === 'torrents:details' ? details(ID_A, 'Debian') : null) as never);
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.find('[data-tab="files"]').trigger('click');
    const folderRow = wrapper.findAll('tbody tr').find((row) => row.text().includes('dir'))!;
    expect(folderRow.text()).toContain('2.00 KiB');
    expect(folderRow.text()).toContain('50.0%');
    const select = folderRow.find('select');
    expect(select.findAll<HTMLOptionElement>('option:not([disabled])').map((option) => option.element.value)).toEqual(['skip', 'normal', 'high']);
    await select.setValue('skip');
    await flushPromises();
    expect(callMock).toHaveBeenCalledWith('torrents:setFilePriority', { seedboxId: 'box-a', id: ID_A, fileIndexes: [0, 1], priority: 'skip' });
    wrapper.unmount();
  });

  it('shows peers and trackers', async () => {
    callMock.mockResolvedValue(details(ID_A, 'Debian'));
    const wrapper = mountPanel();
    await flushPromises();
    await wrapper.find('[data-tab="peers"]').trigger('click');
    expect(wrapper.text()).toContain('10.0.0.2:51413');
    expect(wrapper.text()).toContain('Transmission 4.0');
    expect(wrapper.text()).toContain('2.00 KiB/s');
    await wrapper.find('[data-tab="trackers"]').trigger('click');
    const row = wrapper.find('tbody tr');
    expect(row.text()).toContain('http://tracker.example/announce');
    expect(row.text()).toContain('Error');
    expect(row.text()).toContain('?');
    expect(row.text()).toContain('unregistered torrent');
    wrapper.unmount();
  });

  it('keeps the last details and says so when a refresh fails', async () => {
    const { ApiError } = await import('../../../renderer/src/api');
    callMock.mockResolvedValueOnce(details(ID_A, 'Debian')).mockRejectedValue(new ApiError('unavailable', 'Box A is not connected.'));
    const wrapper = mountPanel();
    await flushPromises();
    await vi.advanceTimersByTimeAsync(2_000);
    await flushPromises();
    expect(wrapper.text()).toContain('Debian');
    expect(wrapper.text()).toContain('Not refreshed: Box A is not connected.');
    wrapper.unmount();
  });
});
