import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeedboxStatus } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import StatusBar from '../../../renderer/src/components/StatusBar.vue';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { callsTo } from './api-mock';
import { EMPTY_STATS } from './torrent-fixtures';

const callMock = vi.mocked(call);

function box(id: string): SeedboxView {
  return {
    id, name: `Box ${id}`, kind: 'transmission', url: 'http://127.0.0.1:9091/transmission/rpc', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null,
    pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
  };
}

function status(seedboxId: string, state: SeedboxStatus['state'], alternativeSpeed: boolean): SeedboxStatus {
  const capabilities = {
    labels: true, multipleLabels: true, queue: true, deleteData: true, moveStorage: true, alternativeSpeed, pushEvents: false,
    freeSpace: true, perTorrentSpeedLimits: true, filePriorities: ['skip', 'normal', 'high'] as const, addFromUrl: true,
  };
  return {
    seedboxId, state, nextAttemptAt: null, offlineSince: state === 'connected' ? null : Date.now(), error: null,
    info: { kind: 'transmission', version: '4.1.0', protocol: 'jsonrpc', capabilities: { ...capabilities, filePriorities: [...capabilities.filePriorities] } },
  };
}

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  callMock.mockReset();
  callMock.mockResolvedValue(null);
});

/** What the status bar offers for limits, as a user sees it: every control with its label and whether it can be used. */
function limitControls(wrapper: ReturnType<typeof mount>): { text: string; disabled: boolean; title: string }[] {
  return wrapper
    .findAll('footer button')
    .map((button) => ({ text: button.text(), disabled: button.attributes('disabled') !== undefined, title: button.attributes('title') ?? '' }));
}

describe('the status bar limits control', () => {
  it('is one control whose label says the state, there while boxes come, go and connect', async () => {
    const seedboxes = useSeedboxesStore();
    const wrapper = mount(StatusBar, { attachTo: document.body });

    // No box yet: the control is in place, disabled, saying why.
    expect(limitControls(wrapper)).toEqual([{ text: 'Limits', disabled: true, title: 'No seedbox yet: add one to set its speed limits.' }]);

    // A box that is not connected yet: still the same one control, still saying why.
    seedboxes.setList([box('a'), box('b')]);
    seedboxes.setStatus(status('a', 'connecting', true));
    await flushPromises();
    expect(limitControls(wrapper)).toEqual([{ text: 'Limits', disabled: true, title: 'Speed limits can be set once a seedbox is connected.' }]);

    // Two connected boxes, one with an alternative speed mode that is off.
    seedboxes.setStatus(status('a', 'connected', true));
    seedboxes.setStatus(status('b', 'connected', false));
    seedboxes.setStats('a', { ...EMPTY_STATS, alternativeSpeedEnabled: false });
    seedboxes.setStats('b', { ...EMPTY_STATS, alternativeSpeedEnabled: null });
    await flushPromises();
    expect(limitControls(wrapper)).toEqual([
      { text: 'Limits: normal', disabled: false, title: 'Box a: normal speed\nBox b: normal speed (no alternative mode)' },
    ]);

    // Alternative speed on: the same control says so.
    seedboxes.setStats('a', { ...EMPTY_STATS, alternativeSpeedEnabled: true });
    await flushPromises();
    expect(limitControls(wrapper)).toEqual([
      { text: 'Limits: alternative speed', disabled: false, title: 'Box a: alternative speed\nBox b: normal speed (no alternative mode)' },
    ]);
    wrapper.unmount();
  });

  it('offers the limits of each connected box and the alternative speed switch', async () => {
    const seedboxes = useSeedboxesStore();
    seedboxes.setList([box('a'), box('b')]);
    seedboxes.setStatus(status('a', 'connected', true));
    seedboxes.setStatus(status('b', 'reconnecting', false));
    seedboxes.setStats('a', { ...EMPTY_STATS, alternativeSpeedEnabled: false });
    const wrapper = mount(StatusBar, { attachTo: document.body });
    await wrapper.get('[data-test="limits"]').trigger('click');
    const labels = [...document.querySelectorAll('.context-menu [role^="menuitem"] .label')].map((item) => item.textContent?.trim());
    expect(labels).toEqual(['Speed limits of Box a…', 'Alternative speed']);
    // A switch is a menuitemcheckbox that says its state (ARIA menu pattern).
    const switchItem = document.querySelector('.context-menu [data-menu="alt-speed"]')!;
    expect([switchItem.getAttribute('role'), switchItem.getAttribute('aria-checked')]).toEqual(['menuitemcheckbox', 'false']);
    document.querySelector<HTMLElement>('.context-menu [data-menu="alt-speed"]')!.click();
    await flushPromises();
    expect(callsTo(callMock, 'seedbox:setAlternativeSpeed')).toEqual([{ seedboxId: 'a', enabled: true }]);
    wrapper.unmount();
  });
});
