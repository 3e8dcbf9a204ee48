import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeedboxStatus } from '../../../electron/shared/contract';
import AppSidebar from '../../../renderer/src/components/AppSidebar.vue';
import SeedboxItem from '../../../renderer/src/components/SeedboxItem.vue';
import type { SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { useSeedboxesStore } from '../../../renderer/src/stores/seedboxes';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { delta, torrent } from './torrent-fixtures';

const box: SeedboxView = {
  id: 'home',
  name: 'Home box',
  kind: 'rtorrent',
  url: 'http://127.0.0.1:5000/RPC2',
  username: '',
  tlsPinSha256: null,
  proxy: null,
  sshTunnel: null,
  pathMapping: [], sftpPathMapping: [],
  pollIntervalMs: null,
  labelStyle: 'rutorrent',
  secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
};

function status(overrides: Partial<SeedboxStatus>): SeedboxStatus {
  return { seedboxId: 'home', state: 'connected', nextAttemptAt: null, offlineSince: null, error: null, info: null, ...overrides };
}

const retryCalls: unknown[] = [];
beforeEach(() => {
  localStorage.clear();
  retryCalls.length = 0;
  setActivePinia(createPinia());
  // The bridge, reduced to what the sidebar calls.
  Object.defineProperty(window, 'seedbox', {
    configurable: true,
    value: {
      invoke: {
        'seedboxes:retry': async (args: unknown) => {
          retryCalls.push(args);
          return null;
        },
      },
      on: {},
    },
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a seedbox in the sidebar', () => {
  it('counts down to the next attempt while reconnecting, live', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    const wrapper = mount(SeedboxItem, {
      props: { box, status: status({ state: 'reconnecting', nextAttemptAt: Date.now() + 12_000 }), stats: null, count: 0, selected: false, retrying: false },
    });
    expect(wrapper.get('[data-test="line"]').text()).toBe('Reconnecting in 12s');
    await vi.advanceTimersByTimeAsync(5000);
    expect(wrapper.get('[data-test="line"]').text()).toBe('Reconnecting in 7s');
    await vi.advanceTimersByTimeAsync(8000);
    expect(wrapper.get('[data-test="line"]').text()).toBe('Reconnecting…');
    expect(wrapper.find('.dot-reconnecting').exists()).toBe(true);
    wrapper.unmount();
  });

  it('shows why it failed and offers Retry', async () => {
    const wrapper = mount(SeedboxItem, {
      props: {
        box,
        status: status({ state: 'failed', error: { code: 'auth-failed', message: 'rTorrent refused the user name or password.', details: {} } }),
        stats: null,
        count: 0,
        selected: false,
        retrying: false,
      },
    });
    expect(wrapper.get('[data-test="line"]').text()).toBe('rTorrent refused the user name or password.');
    expect(wrapper.get('[data-test="line"]').classes()).toContain('error');
    await wrapper.get('[data-test="retry"]').trigger('click');
    expect(wrapper.emitted('retry')).toHaveLength(1);
    expect(wrapper.emitted('select')).toBeUndefined();
  });

  it('shows speeds and the torrent count when connected, without a Retry button', () => {
    const wrapper = mount(SeedboxItem, {
      props: {
        box,
        status: status({}),
        stats: { downRate: 2048, upRate: 0, freeSpaceBytes: null, alternativeSpeedEnabled: null, count: 3, countsByState: {} },
        count: 3,
        selected: true,
        retrying: false,
      },
    });
    expect(wrapper.get('[data-test="line"]').text()).toBe('↓ 2.00 KiB/s  ↑ 0 B/s');
    expect(wrapper.find('[data-test="retry"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('3');
  });
});

describe('the sidebar', () => {
  it('retries a failed box through seedboxes:retry and lists live filter counts', async () => {
    const seedboxes = useSeedboxesStore();
    const torrents = useTorrentsStore();
    const ui = useUiStore();
    seedboxes.setList([box, { ...box, id: 'far', name: 'Far box' }]);
    seedboxes.setStatus(status({ seedboxId: 'far', state: 'failed', error: { code: 'timeout', message: 'No answer in 30 s.', details: {} } }));
    torrents.applyDelta(delta('home', { full: true, added: [torrent(1, { state: 'downloading', labels: ['tv'] }), torrent(2, { state: 'paused' })] }));
    const wrapper = mount(AppSidebar);
    const far = wrapper.get('[data-seedbox="far"]');
    expect(far.text()).toContain('No answer in 30 s.');
    await far.get('[data-test="retry"]').trigger('click');
    await vi.waitFor(() => expect(retryCalls).toEqual([{ seedboxId: 'far' }]));

    expect(wrapper.get('[data-filter="downloading"]').text()).toContain('1');
    expect(wrapper.get('[data-filter="paused"]').text()).toContain('1');
    expect(wrapper.text()).toContain('tv');
    await wrapper.get('[data-filter="paused"]').trigger('click');
    expect(ui.stateFilter).toBe('paused');
    expect(ui.rows.map((row) => row.name)).toEqual(['Torrent 2']);
    // A new delta moves the counts.
    torrents.applyDelta(delta('home', { changed: [{ id: torrent(1).id, state: 'paused' }] }));
    await wrapper.vm.$nextTick();
    expect(wrapper.get('[data-filter="paused"]').text()).toContain('2');

    await wrapper.get('[data-seedbox="far"]').trigger('click');
    expect(ui.seedboxId).toBe('far');
    await wrapper.get('[data-test="all-seedboxes"]').trigger('click');
    expect(ui.seedboxId).toBeNull();
  });
});
