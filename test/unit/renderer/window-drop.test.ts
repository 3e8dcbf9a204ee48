import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { call } from '../../../renderer/src/api';
import App from '../../../renderer/src/App.vue';
import { useToastsStore } from '../../../renderer/src/stores/toasts';

const callMock = vi.mocked(call);

beforeEach(() => {
  setActivePinia(createPinia());
  callMock.mockReset();
  // Lists are empty; app:info names no OS language (the window then asks the browser).
  callMock.mockImplementation(async (channel) => (channel === 'app:info' ? { version: 'test', platform: 'linux', systemLanguages: [], secretStore: { kind: 'memory', unavailable: null } } : []) as never);
});

let wrapper: ReturnType<typeof mount> | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

/** A .torrent whose bytes cannot be read, as when the file went away between drag and drop. */
function unreadableTorrent(): File {
  const file = new File([new Uint8Array([100])], 'gone.torrent', { type: 'application/x-bittorrent' });
  file.arrayBuffer = () => Promise.reject(new DOMException('The file could not be read.', 'NotReadableError'));
  return file;
}

describe('dropping on the window', () => {
  it('says so when a dropped .torrent cannot be read, instead of losing the error', async () => {
    wrapper = mount(App, { attachTo: document.body });
    await flushPromises();
    const drop = new Event('drop', { bubbles: true, cancelable: true });
    const transfer = { types: ['Files'], files: [unreadableTorrent()], getData: () => '' };
    Object.defineProperty(drop, 'dataTransfer', { value: transfer });
    window.dispatchEvent(drop);
    await flushPromises();
    expect(useToastsStore().toasts.map((toast) => [toast.kind, toast.message, toast.detail])).toContainEqual([
      'error',
      'Could not read the dropped or pasted file.',
      'The file could not be read.',
    ]);
  });
});
