import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/src/api';
import { setLocale } from '../../../renderer/src/i18n';
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

  describe('in another language', () => {
    afterEach(() => setLocale('en'));

    it("says what the core's error code means in that language before the core's own (English) words", async () => {
      const wrapper = mount(ToastStack);
      const error = new ApiError('not-found', 'No torrent 0123 on "Box".');
      setLocale('de');
      useToastsStore().error('Start fehlgeschlagen', error);
      setLocale('zh-CN');
      useToastsStore().error('启动失败', error);
      await wrapper.vm.$nextTick();
      expect(wrapper.findAll('.detail').map((detail) => detail.text())).toEqual(['Nicht gefunden: No torrent 0123 on "Box".', expect.stringMatching(/^未找到.*No torrent 0123 on "Box"\.$/)]);
      wrapper.unmount();
    });
  });
});
