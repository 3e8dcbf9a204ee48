import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/src/api';
import ToastStack from '../../../renderer/src/components/ToastStack.vue';
import { useToastsStore } from '../../../renderer/src/stores/toasts';

beforeEach(() => setActivePinia(createPinia()));

describe('an error toast', () => {
  it('says one sentence and keeps the technical reason behind "Details", which opens without dismissing', async () => {
    const wrapper = mount(ToastStack);
    useToastsStore().error('Could not add the torrent', new ApiError('invalid-torrent', 'notes.torrent is not a torrent file.', { fileName: 'notes.torrent', reason: 'it does not start with a bencoded dictionary.' }));
    await wrapper.vm.$nextTick();
    expect(wrapper.get('.message').text()).toBe('Could not add the torrent');
    expect(wrapper.get('.detail').text()).toBe('notes.torrent is not a torrent file.');
    const reason = wrapper.get<HTMLDetailsElement>('[data-test="toast-reason"]');
    expect(reason.element.open).toBe(false);
    expect(reason.text()).toContain('it does not start with a bencoded dictionary.');
    await reason.get('summary').trigger('click');
    expect(wrapper.findAll('.toast')).toHaveLength(1);
    wrapper.unmount();
  });
});
