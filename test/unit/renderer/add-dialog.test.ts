import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { InvokeArgs, InvokeChannel } from '../../../electron/shared/contract';

vi.mock('../../../renderer/src/api', async (importOriginal) => (await import('./api-mock')).mockedApi(importOriginal));

import { ApiError, call } from '../../../renderer/src/api';
import AddDialog from '../../../renderer/src/components/add/AddDialog.vue';
import type { AddSourceDraft } from '../../../renderer/src/lib/add-sources';
import { useSeedboxesStore, type SeedboxView } from '../../../renderer/src/stores/seedboxes';
import { useTorrentsStore } from '../../../renderer/src/stores/torrents';
import { callsTo } from './api-mock';
import { delta, EMPTY_STATS, torrent } from './torrent-fixtures';

const callMock = vi.mocked(call);
const GOOD_HASH = '1'.repeat(40);
const EXISTING_HASH = '3'.repeat(40);
const NEW_MAGNET_HASH = '4'.repeat(40);
/** A name a hostile .torrent or server could carry: markup and terminal escapes. */
const HOSTILE_NAME = '<img src=x onerror="window.pwned=1"><b>bold\u001b[31m\u202eevil';

function box(id: string, name: string): SeedboxView {
  return {
    id, name, kind: 'rtorrent', url: 'scgi://127.0.0.1:5000', username: '', tlsPinSha256: null, proxy: null, sshTunnel: null,
    pathMapping: [], sftpPathMapping: [], pollIntervalMs: null, labelStyle: 'rutorrent', secrets: { 'daemon-password': false, 'ssh-secret': false, 'proxy-password': false },
  };
}

const file = (fileName: string): AddSourceDraft => ({ kind: 'file', fileName, bytes: new TextEncoder().encode(fileName) });

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  callMock.mockReset();
  const seedboxes = useSeedboxesStore();
  seedboxes.setList([box('box-a', 'Box A'), box('box-b', 'Box B')]);
  for (const id of ['box-a', 'box-b']) {
    seedboxes.setStatus({
      seedboxId: id,
      state: 'connected',
      nextAttemptAt: null,
      offlineSince: null,
      error: null,
      info: {
        kind: 'rtorrent', version: '0.9.8', protocol: 'xmlrpc',
        capabilities: {
          labels: true, multipleLabels: id === 'box-b', queue: false, deleteData: true, moveStorage: true, alternativeSpeed: false, pushEvents: false,
          freeSpace: true, perTorrentSpeedLimits: false, filePriorities: ['skip', 'normal', 'high'], addFromUrl: true,
        },
      },
    });
  }
  useTorrentsStore().applyDelta(
    delta('box-a', { full: true, added: [torrent(3, { id: EXISTING_HASH, name: 'Already there', labels: ['iso'] })], stats: { ...EMPTY_STATS, count: 1 } }),
  );
});

function mockParsing(): void {
  // One stand-in for every channel: its answers are checked by what the component shows, not by the generic signature.
  callMock.mockImplementation((async (channel: InvokeChannel, args: unknown) => {
    if (channel === 'torrents:parseFile') {
      const { fileName } = args as InvokeArgs<'torrents:parseFile'>;
      if (fileName === 'broken.torrent') {
        // The parser's own shape: one sentence, the technical reason in the details.
        throw new ApiError('invalid-torrent', 'broken.torrent is not a torrent file.', { fileName, reason: 'it does not start with a bencoded dictionary.' });
      }
      if (fileName === 'dupe.torrent') return { infoHash: EXISTING_HASH, name: 'Already there', totalBytes: 1, fileCount: 1, files: [{ path: 'x', sizeBytes: 1 }], trackers: [], isPrivate: false };
      if (fileName === 'huge.torrent') {
        // Main sends only the first files of a torrent with thousands; the rest are counted.
        return { infoHash: GOOD_HASH, name: HOSTILE_NAME, totalBytes: 10_000, fileCount: 10_000, files: [{ path: `${HOSTILE_NAME}/1`, sizeBytes: 1 }, { path: 'b/2', sizeBytes: 1 }], trackers: [], isPrivate: false };
      }
      return {
        infoHash: GOOD_HASH, name: 'Good torrent', totalBytes: 3072, fileCount: 3, trackers: [], isPrivate: true,
        files: [{ path: 'album/01.flac', sizeBytes: 1024 }, { path: 'album/02.flac', sizeBytes: 1024 }, { path: 'album/cover.jpg', sizeBytes: 1024 }],
      };
    }
    if (channel === 'torrents:add') {
      const { sources } = args as InvokeArgs<'torrents:add'>;
      return sources.map((source) =>
        source.kind === 'url' ? { ok: false, error: { code: 'protocol', message: 'The URL did not return a torrent.', details: {} } } : { ok: true, id: source.kind === 'file' ? GOOD_HASH : NEW_MAGNET_HASH },
      );
    }
    return null;
  }) as typeof call);
}

async function mountDialog(initialSources: AddSourceDraft[]) {
  const wrapper = mount(AddDialog, { props: { open: true, initialSources }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

function rowOf(wrapper: Awaited<ReturnType<typeof mountDialog>>, text: string) {
  const row = wrapper.findAll('li.source').find((candidate) => candidate.text().includes(text));
  if (!row) throw new Error(`no row with ${text}: ${wrapper.findAll('li.source').map((r) => r.text()).join(' | ')}`);
  return row;
}

describe('AddDialog', () => {
  it('reads every source locally: an invalid file says so on its row and does not block the others', async () => {
    mockParsing();
    const wrapper = await mountDialog([
      file('good.torrent'),
      file('broken.torrent'),
      { kind: 'magnet', uri: `magnet:?xt=urn:btih:${NEW_MAGNET_HASH}&dn=Some+show` },
      { kind: 'magnet', uri: 'magnet:?dn=no-hash' },
    ]);
    expect(rowOf(wrapper, 'Good torrent').text()).toContain('3.00 KiB');
    expect(rowOf(wrapper, 'Good torrent').text()).toContain(GOOD_HASH);
    // One sentence a user understands; the technical reason only behind "Details".
    const broken = rowOf(wrapper, 'broken.torrent');
    expect(broken.get('.row-message').text()).toBe('broken.torrent is not a torrent file.');
    const detail = broken.get<HTMLDetailsElement>('details[data-test="row-detail"]');
    expect(detail.element.open).toBe(false);
    expect(detail.get('summary').text()).toBe('Details');
    expect(detail.text()).toContain('it does not start with a bencoded dictionary.');
    expect(broken.text()).not.toContain('usable');
    expect(rowOf(wrapper, 'Some show').text()).toContain(NEW_MAGNET_HASH);
    expect(rowOf(wrapper, 'no-hash').text()).toContain('no info-hash');
    expect(wrapper.text()).toContain('2 of 4 will be added');
    expect(wrapper.find('button[type="submit"]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('flags a torrent the target box already has instead of adding it again', async () => {
    mockParsing();
    const wrapper = await mountDialog([file('dupe.torrent'), { kind: 'magnet', uri: `magnet:?xt=urn:btih:${EXISTING_HASH}` }, file('good.torrent')]);
    expect(wrapper.findAll('li.source').filter((row) => row.text().includes('Already on Box A'))).toHaveLength(2);
    expect(wrapper.text()).toContain('1 of 3 will be added to Box A');
    // On the other box nothing is a duplicate.
    await wrapper.find('#add-target').setValue('box-b');
    expect(wrapper.text()).not.toContain('Already on');
    await wrapper.find('#add-target').setValue('box-a');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const [add] = callsTo(callMock, 'torrents:add');
    expect(add!.sources).toHaveLength(1);
    expect(add!.sources[0]).toMatchObject({ kind: 'file', fileName: 'good.torrent' });
    wrapper.unmount();
  });

  it('adds all sources in one call, closes the rows that worked and shows the errors on theirs', async () => {
    mockParsing();
    const wrapper = await mountDialog([
      file('good.torrent'),
      { kind: 'magnet', uri: `magnet:?xt=urn:btih:${NEW_MAGNET_HASH}&dn=Some+show` },
      { kind: 'url', url: 'https://example.com/x.torrent' },
    ]);
    await wrapper.find('#add-save-path').setValue('/srv/incoming');
    await wrapper.find('#add-labels').setValue('music');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const adds = callsTo(callMock, 'torrents:add');
    expect(adds).toHaveLength(1);
    expect(adds[0]).toMatchObject({ seedboxId: 'box-a', options: { savePath: '/srv/incoming', labels: ['music'], paused: false } });
    expect(adds[0]!.sources.map((source) => source.kind)).toEqual(['file', 'magnet', 'url']);
    const rows = wrapper.findAll('li.source');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.text()).toContain('The URL did not return a torrent.');
    expect(wrapper.emitted('close')).toBeUndefined();
    // It says what was added where, and offers to close.
    const summary = wrapper.get('[data-testid="added-summary"]');
    expect(summary.text()).toMatch(/^Added 2 torrents to .+\. The ones below were not added\./);
    await summary.get('button').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);
    // The save path is remembered for this box.
    expect(localStorage.getItem('seedbox-remote.add.savePath.box-a')).toBe('/srv/incoming');
    wrapper.unmount();
  });

  it('sends the unticked files with their .torrent, so the add itself skips them', async () => {
    mockParsing();
    const wrapper = await mountDialog([file('good.torrent')]);
    await rowOf(wrapper, 'Good torrent').find('button[aria-expanded]').trigger('click');
    const cover = wrapper.findAll('.add-tree li').find((item) => item.text().includes('cover.jpg'))!;
    await cover.find('input[type="checkbox"]').setValue(false);
    expect(rowOf(wrapper, 'Good torrent').text()).toContain('Files 2/3');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    const [sent] = callsTo(callMock, 'torrents:add');
    expect(sent!.options.paused).toBe(false);
    expect(sent!.sources).toMatchObject([{ kind: 'file', fileName: 'good.torrent', skipFiles: [2] }]);
    // One call: nothing is set or started afterwards.
    expect(callsTo(callMock, 'torrents:setFilePriority')).toEqual([]);
    expect(callsTo(callMock, 'torrents:start')).toEqual([]);
    expect(wrapper.emitted('close')).toHaveLength(1);
    wrapper.unmount();
  });

  it('lists only the files main sent of a torrent with thousands, counts the rest, and shows markup in names as text', async () => {
    mockParsing();
    const wrapper = await mountDialog([file('huge.torrent')]);
    const row = rowOf(wrapper, 'huge.torrent');
    expect(row.find('.title').text()).toBe(HOSTILE_NAME);
    expect(row.find('img').exists()).toBe(false);
    expect(row.find('b').exists()).toBe(false);
    const files = row.findAll('button').find((button) => button.text().startsWith('Files'))!;
    expect(files.text()).toBe('Files 10000/10000');
    await files.trigger('click');
    expect(row.find('[data-test="unlisted-files"]').text()).toBe('Only the first 2 of 10000 files are listed; the other 9998 are always downloaded.');
    expect(row.find('.add-tree').text()).toContain(HOSTILE_NAME);
    expect(row.find('.add-tree img').exists()).toBe(false);
    // Unticking every listed file still leaves the unlisted ones: the torrent can be added.
    await row.findAll('.tree-actions button')[1]!.trigger('click');
    expect(files.text()).toBe('Files 9998/10000');
    expect(wrapper.text()).toContain('1 of 1 will be added');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
    wrapper.unmount();
  });

  it('reports a failed call on every row and lets Add try again', async () => {
    callMock.mockImplementation(async (channel) => {
      if (channel === 'torrents:add') throw new ApiError('unavailable', 'Box A is not connected.');
      return null;
    });
    const wrapper = await mountDialog([{ kind: 'magnet', uri: `magnet:?xt=urn:btih:${NEW_MAGNET_HASH}` }]);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('li.source').text()).toContain('Box A is not connected.');
    expect(wrapper.find('button[type="submit"]').attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('adds pasted magnets to the list and takes several labels where the client allows it', async () => {
    mockParsing();
    const wrapper = await mountDialog([]);
    await wrapper.find('#add-target').setValue('box-b');
    await wrapper.find('textarea').setValue(`magnet:?xt=urn:btih:${NEW_MAGNET_HASH}&dn=Pasted\nnot a link`);
    await wrapper.findAll('button').find((button) => button.text() === 'Add to list')!.trigger('click');
    expect(rowOf(wrapper, 'Pasted').exists()).toBe(true);
    expect(wrapper.find('label[for="add-labels"]').text()).toBe('Labels');
    await wrapper.find('#add-labels').setValue('tv, hd, tv');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(callsTo(callMock, 'torrents:add')[0]).toMatchObject({ seedboxId: 'box-b', options: { labels: ['tv', 'hd'] } });
    expect(localStorage.getItem('seedbox-remote.add.lastBox')).toBe('box-b');
    wrapper.unmount();
  });
});
