// Downloading to this computer, in the window: the context menu's entry, the files tab's ticked
// files, the dialog that queues them, the queue view with its actions, progress events and the
// status bar's indicator. The main process is the api mock; what the window sends is read back.
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { isReactive, nextTick, type DefineComponent } from 'vue';
import type { InvokeResult } from '../../../electron/shared/contract';
import type { FetchJob } from '../../../electron/shared/fetch';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { ApiError, call } from '../../../renderer/src/api';
import ContextMenu from '../../../renderer/src/components/ContextMenu.vue';
import DetailsPanelComponent from '../../../renderer/src/components/details/DetailsPanel.vue';
import FetchDialog from '../../../renderer/src/components/fetch/FetchDialog.vue';
import FetchView from '../../../renderer/src/components/fetch/FetchView.vue';
import StatusBar from '../../../renderer/src/components/StatusBar.vue';
import { useTorrentCommands } from '../../../renderer/src/composables/torrent-commands';
import { rowKey } from '../../../renderer/src/lib/torrent-view';
import { useFetchStore } from '../../../renderer/src/stores/fetch';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { useToastsStore } from '../../../renderer/src/stores/toasts';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { useUiStore } from '../../../renderer/src/stores/ui';
import { callsTo } from './api-mock';
import { delta, hash, torrent } from './torrent-fixtures';

const callMock = vi.mocked(call);
const DetailsPanel = DetailsPanelComponent as DefineComponent<{ seedboxId: string; torrentId: string }>;

function box(id: string, ssh: boolean): SeedboxView {
  return {
    id, name: `Box ${id}`, kind: 'rtorrent', url: 'scgi:///run/rtorrent.sock', username: '', tlsPinSha256: null, proxy: null,
    sshTunnel: ssh ? { host: 'seedbox.example', port: 22, username: 'me', auth: 'agent', privateKeyPath: null, hostKeySha256: null, remote: { kind: 'unix', path: '/run/rtorrent.sock' } } : null,
    pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
  };
}

let serial = 0;
function job(overrides: Partial<FetchJob> = {}): FetchJob {
  serial++;
  return {
    id: `job-${serial}`, seedboxId: 'a', torrentId: hash(serial), torrentName: `Show ${serial}`, fileIndexes: null, destination: '/home/me/Downloads',
    onExisting: 'refuse', state: 'queued', addedAt: 1_700_000_000_000 + serial, doneBytes: 0, totalBytes: 0, error: null, labelWhenDone: null, ...overrides,
  };
}

beforeEach(() => {
  localStorage.clear();
  document.body.innerHTML = '';
  setActivePinia(createPinia());
  callMock.mockReset();
  // The view's fetch-on-completion form asks for the saved rules as it mounts.
  callMock.mockImplementation((async (channel: string) => (channel === 'fetch:getAutoRules' ? [] : null)) as typeof call);
  const seedboxes = useSeedboxesStore();
  seedboxes.setList([box('a', true), box('b', false)]);
  const torrents = useTorrentsStore();
  torrents.applyDelta(delta('a', { full: true, added: [torrent(1, { name: 'Complete Show' }), torrent(2, { name: 'Half Show', progress: 0.5 })] }));
  torrents.applyDelta(delta('b', { full: true, added: [torrent(3, { name: 'Elsewhere' })] }));
});

/** Selects one row and returns the context menu's "Download to this computer…" entry. */
function fetchEntry(seedboxId: string, n: number) {
  const ui = useUiStore();
  ui.click(rowKey(seedboxId, hash(n)), { shift: false, toggle: false });
  return useTorrentCommands().menu().find((item) => item.kind === 'action' && item.id === 'fetch');
}

describe('Download to this computer: the context menu and the dialog', () => {
  it('offers it for a complete torrent of a box with SSH, and says why not for the others', () => {
    expect(fetchEntry('a', 1)).toMatchObject({ label: 'Download to this computer…', disabled: false });
    expect(fetchEntry('b', 3)).toMatchObject({ disabled: true, hint: expect.stringContaining("with the seedbox's SSH settings: Box b has none") as unknown });
    expect(fetchEntry('a', 2)).toMatchObject({ disabled: true, hint: '“Half Show” is not complete on the seedbox yet: only complete data can be downloaded.' });
  });

  it('queues the chosen torrent to the Downloads folder from the menu, refusing to overwrite by default', async () => {
    const fetches = useFetchStore();
    callMock.mockImplementation(async (channel, args) => (channel === 'fetch:enqueue' ? job({ ...(args as object) }) : null) as never);
    const entry = fetchEntry('a', 1)!;
    const menu = mount(ContextMenu, { props: { at: { x: 10, y: 10, items: [entry] } }, attachTo: document.body });
    const dialog = mount(FetchDialog, { attachTo: document.body });
    document.querySelector<HTMLElement>('.context-menu [data-menu="fetch"]')!.click();
    await flushPromises();
    expect(fetches.request).toEqual([{ seedboxId: 'a', torrentId: hash(1), name: 'Complete Show', fileIndexes: null }]);
    expect(dialog.get('[data-test="fetch-names"]').text()).toBe('Complete Show');
    expect(dialog.get<HTMLInputElement>('input[name="fetch-folder"]').element.checked).toBe(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'fetch:enqueue')).toEqual([{ seedboxId: 'a', torrentId: hash(1), fileIndexes: null, destination: null, onExisting: 'refuse' }]);
    expect(fetches.request).toBeNull();
    menu.unmount();
    dialog.unmount();
  });

  it('queues to a folder picked in the native dialog, keeping both files when told', async () => {
    const fetches = useFetchStore();
    callMock.mockImplementation(async (channel) => (channel === 'fetch:chooseFolder' ? '/home/me/Media' : null) as never);
    const dialog = mount(FetchDialog, { attachTo: document.body });
    fetches.open([{ seedboxId: 'a', torrentId: hash(1), name: 'Complete Show', fileIndexes: [0, 2] }]);
    await flushPromises();
    expect(dialog.get('h2').text()).toBe('Download 2 files to this computer');
    await dialog.get('[data-test="fetch-choose-folder"]').trigger('click');
    await flushPromises();
    expect(dialog.get('[data-test="fetch-folder"]').text()).toBe('/home/me/Media');
    expect(dialog.get<HTMLInputElement>('#fetch-folder-chosen').element.checked).toBe(true);
    await dialog.get('input[value="keep-both"]').setValue(true);
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'fetch:enqueue')).toEqual([{ seedboxId: 'a', torrentId: hash(1), fileIndexes: [0, 2], destination: '/home/me/Media', onExisting: 'keep-both' }]);
    dialog.unmount();
  });

  it('queues each torrent of several, and names the one the queue refused with why', async () => {
    const fetches = useFetchStore();
    callMock.mockImplementation(async (channel, args) => {
      if (channel === 'fetch:enqueue' && (args as { seedboxId: string }).seedboxId === 'b') throw new ApiError('not-found', 'No seedbox b.');
      return job() as never;
    });
    const queued = await fetches.enqueue(
      [
        { seedboxId: 'a', torrentId: hash(1), name: 'Complete Show', fileIndexes: null },
        { seedboxId: 'b', torrentId: hash(3), name: 'Elsewhere', fileIndexes: null },
      ],
      null,
      'refuse',
    );
    expect(queued).toBe(false);
    expect(callsTo(callMock, 'fetch:enqueue').map((args) => args.torrentId)).toEqual([hash(1), hash(3)]);
    expect(useToastsStore().toasts.map((toast) => [toast.kind, toast.message, toast.detail])).toEqual([
      ['error', 'Could not queue “Elsewhere” for download', 'No seedbox b.'],
      ['success', 'Queued “Complete Show” for download', undefined],
    ]);
  });

  it('says why no folder can be chosen and stays on the Downloads folder', async () => {
    const fetches = useFetchStore();
    callMock.mockImplementation(async (channel) => {
      if (channel === 'fetch:chooseFolder') throw new ApiError('unsupported', 'This window cannot open a folder dialog: fetches go to the Downloads folder.');
      return null as never;
    });
    const dialog = mount(FetchDialog, { attachTo: document.body });
    fetches.open([{ seedboxId: 'a', torrentId: hash(1), name: 'Complete Show', fileIndexes: null }]);
    await flushPromises();
    await dialog.get('#fetch-folder-chosen').setValue(true);
    await flushPromises();
    expect(dialog.get('[role="alert"]').text()).toBe('This window cannot open a folder dialog: fetches go to the Downloads folder.');
    expect(dialog.get<HTMLInputElement>('input[name="fetch-folder"]').element.checked).toBe(true);
    expect(dialog.get<HTMLInputElement>('#fetch-folder-chosen').element.checked).toBe(false);
    dialog.unmount();
  });
});

describe('the files tab', () => {
  function details(): InvokeResult<'torrents:details'> {
    return {
      torrent: { ...torrent(1, { name: 'Complete Show', progress: 0.5 }) },
      files: [
        { index: 0, path: 'dir/a.bin', sizeBytes: 1024, doneBytes: 1024, priority: 'normal' },
        { index: 1, path: 'dir/b.bin', sizeBytes: 1024, doneBytes: 0, priority: 'normal' },
        { index: 2, path: 'c.txt', sizeBytes: 10, doneBytes: 10, priority: 'high' },
      ],
      peers: [],
      trackers: [],
    };
  }

  it('downloads the ticked complete files, and says why not for a file the box does not have yet', async () => {
    callMock.mockImplementation(async (channel) => (channel === 'torrents:details' ? details() : null) as never);
    const fetches = useFetchStore();
    const wrapper = mount(DetailsPanel, { props: { seedboxId: 'a', torrentId: hash(1) }, global: { stubs: { SpeedGraph: true } } });
    await flushPromises();
    await wrapper.get('[data-tab="files"]').trigger('click');
    const button = wrapper.get('[data-test="fetch-chosen"]');
    expect(button.attributes('aria-disabled')).toBe('true');
    expect(button.attributes('title')).toBe('Tick the files to download to this computer.');

    await wrapper.get('input[aria-label="Tick c.txt to download"]').setValue(true);
    await wrapper.get('input[aria-label="Tick a.bin to download"]').setValue(true);
    expect(wrapper.get('[data-test="files-fetch-bar"]').text()).toContain('2 files ticked, 1.01 KiB');
    // The folder shows that only some of its files are ticked.
    expect(wrapper.get<HTMLInputElement>('input[aria-label="Tick dir to download"]').element.indeterminate).toBe(true);
    await button.trigger('click');
    expect(fetches.request).toEqual([{ seedboxId: 'a', torrentId: hash(1), name: 'Complete Show', fileIndexes: [0, 2] }]);

    fetches.close();
    await wrapper.get('input[aria-label="Tick dir to download"]').setValue(true);
    expect(button.attributes('aria-disabled')).toBe('true');
    expect(wrapper.get('[data-test="files-fetch-bar"] [role="status"]').text()).toBe('dir/b.bin is not complete on the seedbox yet: only complete files can be downloaded.');
    await button.trigger('click');
    expect(fetches.request).toBeNull();
    wrapper.unmount();
  });

  it('says so on a box without SSH settings', async () => {
    callMock.mockImplementation(async (channel) => (channel === 'torrents:details' ? details() : null) as never);
    const wrapper = mount(DetailsPanel, { props: { seedboxId: 'b', torrentId: hash(1) }, global: { stubs: { SpeedGraph: true } } });
    await flushPromises();
    await wrapper.get('[data-tab="files"]').trigger('click');
    await wrapper.get('input[aria-label="Tick c.txt to download"]').setValue(true);
    expect(wrapper.get('[data-test="fetch-chosen"]').attributes('aria-disabled')).toBe('true');
    expect(wrapper.get('[data-test="files-fetch-bar"] [role="status"]').text()).toContain('Box b has none');
    wrapper.unmount();
  });
});

describe('the fetch queue view', () => {
  /** Each row as a user reads it: name, state, figures, error, and the buttons' accessible names. */
  function rowsOf(wrapper: ReturnType<typeof mount>) {
    return wrapper.findAll('li.job').map((row) => ({
      name: row.get('.name').text(),
      state: row.get('[data-test="job-state"]').text(),
      figures: row.get('[data-test="job-figures"]').text().replace(/\s+/g, ' '),
      error: row.find('[data-test="job-error"]').exists() ? row.get('[data-test="job-error"]').text() : null,
      buttons: row.findAll('button').map((button) => button.attributes('aria-label')),
    }));
  }

  it('lists every job, newest first, with what its state allows, and each button asks the queue', async () => {
    const fetches = useFetchStore();
    const done = job({ state: 'done', torrentName: 'Done Show', doneBytes: 2048, totalBytes: 2048 });
    const failed = job({ state: 'failed', torrentName: 'Failed Show', doneBytes: 512, totalBytes: 2048, error: { code: 'not-found', message: '/srv/x does not exist on the box (check the path mapping).' } });
    const paused = job({ state: 'paused', torrentName: 'Paused Show', doneBytes: 1024, totalBytes: 4096 });
    // Not started yet: the name comes from the table's row.
    const queued = job({ state: 'queued', torrentName: '', torrentId: hash(1), fileIndexes: [1] });
    fetches.apply([done, failed, paused, queued]);
    const wrapper = mount(FetchView, { attachTo: document.body });
    expect(rowsOf(wrapper)).toEqual([
      { name: 'Complete Show', state: 'Queued', figures: '-', error: null, buttons: ['Pause Complete Show', 'Cancel Complete Show'] },
      { name: 'Paused Show', state: 'Paused', figures: '1.00 KiB of 4.00 KiB', error: null, buttons: ['Resume Paused Show', 'Cancel Paused Show'] },
      {
        name: 'Failed Show', state: 'Failed', figures: '512 B of 2.00 KiB', error: '/srv/x does not exist on the box (check the path mapping).',
        buttons: ['Retry Failed Show', 'Cancel Failed Show', 'Remove Failed Show'],
      },
      { name: 'Done Show', state: 'Done', figures: '2.00 KiB of 2.00 KiB', error: null, buttons: ['Remove Done Show'] },
    ]);
    expect(wrapper.get('li.job[data-state="queued"] .meta').text()).toBe('1 file · from Box a · to /home/me/Downloads');

    for (const label of ['Pause Complete Show', 'Resume Paused Show', 'Retry Failed Show', 'Cancel Paused Show', 'Remove Done Show']) {
      await wrapper.get(`button[aria-label="${label}"]`).trigger('click');
    }
    await wrapper.get('[data-test="fetch-clear-finished"]').trigger('click');
    await flushPromises();
    expect(callsTo(callMock, 'fetch:pause')).toEqual([{ ids: [queued.id] }]);
    expect(callsTo(callMock, 'fetch:resume')).toEqual([{ ids: [paused.id] }, { ids: [failed.id] }]);
    expect(callsTo(callMock, 'fetch:cancel')).toEqual([{ ids: [paused.id] }]);
    expect(callsTo(callMock, 'fetch:remove')).toEqual([{ ids: [done.id] }, { ids: [done.id, failed.id] }]);
    wrapper.unmount();
  });

  it('toasts what the queue refused, and shows why the queue cannot be read', async () => {
    const fetches = useFetchStore();
    const running = job({ state: 'running' });
    fetches.apply([running]);
    callMock.mockRejectedValue(new ApiError('not-found', `No fetch job ${running.id}.`));
    const wrapper = mount(FetchView, { attachTo: document.body });
    await wrapper.get(`button[aria-label="Pause ${running.torrentName}"]`).trigger('click');
    await flushPromises();
    expect(useToastsStore().toasts.map((toast) => [toast.message, toast.detail])).toEqual([['Could not pause the download', `No fetch job ${running.id}.`]]);

    callMock.mockRejectedValue(new ApiError('unavailable', 'The fetch queue is not running.'));
    await fetches.load();
    await nextTick();
    expect(wrapper.get('[role="alert"]').text()).toBe('The fetch queue is not running.');
    wrapper.unmount();
  });

  it('moves a running job with its progress events, shows it in the status bar, and keeps nothing deep-reactive', async () => {
    const fetches = useFetchStore();
    const ui = useUiStore();
    const running = job({ state: 'running', torrentName: 'Running Show', totalBytes: 1024 * 1024 });
    const other = job({ state: 'queued', torrentName: 'Next Show' });
    fetches.apply([running, other]);
    const view = mount(FetchView, { attachTo: document.body });
    const bar = mount(StatusBar, { attachTo: document.body });
    const progressbar = () => view.get(`li.job[data-job="${running.id}"] [role="progressbar"]`);
    expect(progressbar().attributes('aria-valuenow')).toBe('0');
    expect(bar.get('[data-test="fetch-indicator"]').text()).toBe('Downloading 2 to this computer · 0%');

    fetches.applyProgress({ id: running.id, seedboxId: 'a', doneBytes: 512 * 1024, totalBytes: 1024 * 1024, bytesPerSecond: 100 * 1024, etaSeconds: 5 });
    await nextTick();
    expect(progressbar().attributes('aria-valuenow')).toBe('50');
    expect(progressbar().attributes('aria-label')).toBe('Progress of Running Show');
    expect(view.get(`li.job[data-job="${running.id}"] [data-test="job-figures"]`).text().replace(/\s+/g, ' ')).toBe('512 KiB of 1.00 MiB · 100 KiB/s · 5s left');
    expect(bar.get('[data-test="fetch-indicator"]').text()).toBe('Downloading 2 to this computer · 50.0% · 100 KiB/s');
    expect(isReactive(fetches.jobs[0])).toBe(false);

    await bar.get('[data-test="fetch-indicator"]').trigger('click');
    expect(ui.view).toBe('fetch');

    // Done: the last figures the job recorded, the bar full, and no indicator once nothing is left.
    fetches.apply([{ ...running, state: 'done', doneBytes: 1024 * 1024 }, { ...other, state: 'cancelled' }]);
    await nextTick();
    expect(progressbar().attributes('aria-valuenow')).toBe('100');
    expect(view.get(`li.job[data-job="${running.id}"] [data-test="job-figures"]`).text()).toBe('1.00 MiB of 1.00 MiB');
    expect(bar.find('[data-test="fetch-indicator"]').exists()).toBe(false);
    view.unmount();
    bar.unmount();
  });
});
