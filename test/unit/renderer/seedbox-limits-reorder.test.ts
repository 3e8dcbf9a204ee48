import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { ApiError, call } from '../../../renderer/src/api';
import AppSidebar from '../../../renderer/src/components/AppSidebar.vue';
import GlobalLimitsDialog from '../../../renderer/src/components/GlobalLimitsDialog.vue';
import { moveBefore, moveByStep } from '../../../renderer/src/lib/order';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { callsTo } from './api-mock';

const callMock = vi.mocked(call);

function box(id: string): SeedboxView {
  return {
    id, name: `Box ${id}`, kind: 'rtorrent', url: 'http://127.0.0.1:5000/RPC2', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null,
    pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
  };
}

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  callMock.mockReset();
  callMock.mockResolvedValue(null);
});

function openDialog() {
  useSeedboxesStore().setList([box('a')]);
  return mount(GlobalLimitsDialog, { props: { seedboxId: 'a' }, attachTo: document.body });
}

async function apply(wrapper: ReturnType<typeof openDialog>, down: string, up: string): Promise<void> {
  await wrapper.get('#global-limit-down').setValue(down);
  await wrapper.get('#global-limit-up').setValue(up);
  await wrapper.get('form').trigger('submit');
  await flushPromises();
}

describe('the global speed limits dialog', () => {
  it('sends the bytes per second of "500K", "2M" and "0" and closes', async () => {
    const wrapper = openDialog();
    expect(wrapper.text()).toContain('Speed limits of Box a');
    await apply(wrapper, '500K', '2M');
    expect(callsTo(callMock, 'seedbox:setGlobalLimits')).toEqual([{ seedboxId: 'a', downBytesPerSecond: 512_000, upBytesPerSecond: 2_097_152 }]);
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();

    const again = openDialog();
    await apply(again, '0', ' 0 ');
    expect(callsTo(callMock, 'seedbox:setGlobalLimits')[1]).toEqual({ seedboxId: 'a', downBytesPerSecond: 0, upBytesPerSecond: 0 });
    again.unmount();
  });

  it('refuses garbage with an inline error and sends nothing', async () => {
    const wrapper = openDialog();
    await apply(wrapper, 'fast', '2M');
    await apply(wrapper, '-1', '');
    await apply(wrapper, '5X', '1.5.2M');
    expect(callsTo(callMock, 'seedbox:setGlobalLimits')).toEqual([]);
    expect(wrapper.findAll('.dlg-error').map((error) => error.text())).toHaveLength(2);
    expect(wrapper.get('#global-limit-down').attributes('aria-invalid')).toBe('true');
    expect(wrapper.emitted('close')).toBeUndefined();
    // Fixing the fields clears the errors and sends.
    await apply(wrapper, '1M', '0');
    expect(wrapper.find('.dlg-error').exists()).toBe(false);
    expect(callsTo(callMock, 'seedbox:setGlobalLimits')).toEqual([{ seedboxId: 'a', downBytesPerSecond: 1_048_576, upBytesPerSecond: 0 }]);
    wrapper.unmount();
  });

  it('shows a refusal from the seedbox inline and stays open', async () => {
    callMock.mockRejectedValue(new ApiError('unsupported', 'This client has no global speed limits.', {}));
    const wrapper = openDialog();
    await apply(wrapper, '100K', '0');
    expect(wrapper.get('[data-test="global-limits-failure"]').text()).toContain('This client has no global speed limits.');
    expect(wrapper.emitted('close')).toBeUndefined();
    wrapper.unmount();
  });
});

describe('reordering the seedboxes', () => {
  it('moves ids before another or by one step', () => {
    expect(moveBefore(['a', 'b', 'c'], 'c', 'a')).toEqual(['c', 'a', 'b']);
    expect(moveBefore(['a', 'b', 'c'], 'a', null)).toEqual(['b', 'c', 'a']);
    expect(moveByStep(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveByStep(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
  });

  it('sends the new order for Alt+ArrowUp/Down on a focused box, and nothing at the ends', async () => {
    useSeedboxesStore().setList([box('a'), box('b'), box('c')]);
    const wrapper = mount(AppSidebar, { attachTo: document.body });
    await wrapper.get('[data-seedbox="b"]').trigger('keydown', { key: 'ArrowUp', altKey: true });
    await wrapper.get('[data-seedbox="b"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    await wrapper.get('[data-seedbox="a"]').trigger('keydown', { key: 'ArrowUp', altKey: true });
    await wrapper.get('[data-seedbox="b"]').trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:reorder')).toEqual([{ ids: ['b', 'a', 'c'] }, { ids: ['a', 'c', 'b'] }]);
    wrapper.unmount();
  });

  it('sends the new order when a box is dropped on another', async () => {
    useSeedboxesStore().setList([box('a'), box('b'), box('c')]);
    const wrapper = mount(AppSidebar, { attachTo: document.body });
    await wrapper.get('[data-seedbox="c"]').trigger('dragstart');
    // happy-dom lays nothing out: the pointer is below the middle of a zero-height box, so "after a".
    await wrapper.get('[data-seedbox="a"]').trigger('dragover', { clientY: 10 });
    await wrapper.get('[data-seedbox="a"]').trigger('drop');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:reorder')).toEqual([{ ids: ['a', 'c', 'b'] }]);

    await wrapper.get('[data-seedbox="a"]').trigger('dragstart');
    await wrapper.get('[data-test="drop-end"]').trigger('dragover');
    await wrapper.get('[data-test="drop-end"]').trigger('drop');
    await flushPromises();
    expect(callsTo(callMock, 'seedboxes:reorder')[1]).toEqual({ ids: ['b', 'c', 'a'] });
    wrapper.unmount();
  });
});
