// The tray's tooltip and the native notifications while the fetch queue works.
import { describe, expect, it } from 'vitest';
import { noticeToNotification } from '../../../electron/main/notifications';
import { fetchActivity, trayModel } from '../../../electron/main/tray';

const torrentId = 'a'.repeat(40);

describe('the tray and notifications while fetching', () => {
  const job = (id: string, state: 'running' | 'queued' | 'done') => ({
    id,
    seedboxId: 'box',
    torrentId,
    torrentName: id,
    fileIndexes: null,
    destination: '/d',
    onExisting: 'refuse' as const,
    state,
    addedAt: 0,
    doneBytes: 0,
    totalBytes: 0,
    error: null,
    labelWhenDone: null,
  });

  it('sums the running jobs in the tooltip, says how many wait, and says nothing once all is done', () => {
    const progress = new Map([
      ['a', { id: 'a', seedboxId: 'box', doneBytes: 512 * 1024, totalBytes: 1024 * 1024, bytesPerSecond: 1024 * 1024, etaSeconds: 1 }],
      ['b', { id: 'b', seedboxId: 'box', doneBytes: 0, totalBytes: 1024 * 1024, bytesPerSecond: 1024 * 1024, etaSeconds: 90 }],
    ]);
    const activity = fetchActivity([job('a', 'running'), job('b', 'running'), job('c', 'queued'), job('d', 'done')], progress);
    const model = trayModel(null, { closeToTray: true, startAtLogin: false }, { visible: true }, activity);
    expect(model.tooltip).toBe('Seedbox Remote\nFetching 2, 1 waiting: 25.0% at 2.00 MiB/s, 1m 30s left');
    expect(fetchActivity([job('d', 'done')], progress)).toBeNull();
    expect(trayModel(null, { closeToTray: true, startAtLogin: false }, { visible: true }, null).tooltip).toBe('Seedbox Remote');
  });

  it('shows a finished or failed fetch, under its own switch (missing = on)', () => {
    const base = { seedboxId: 'box', seedboxName: 'Box', torrentId, torrentName: 'Film' };
    const on = { notifications: { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true } };
    expect(noticeToNotification({ kind: 'fetch-finished', ...base, destination: '/home/me' }, on)).toEqual({ title: 'Fetched to this computer', body: 'Film\nfrom Box to /home/me' });
    expect(noticeToNotification({ kind: 'fetch-failed', ...base, message: 'No space.' }, on)).toEqual({ title: 'Fetch from Box failed', body: 'Film: No space.' });
    expect(noticeToNotification({ kind: 'fetch-failed', ...base, message: 'x' }, { notifications: { ...on.notifications, fetch: false } })).toBeNull();
    expect(noticeToNotification({ kind: 'fetch-finished', ...base, destination: '/d' }, { notifications: { ...on.notifications, fetch: false } })).toBeNull();
    // Downloads finishing on the box and fetches home are switched apart.
    expect(noticeToNotification({ kind: 'fetch-finished', ...base, destination: '/d' }, { notifications: { ...on.notifications, downloadFinished: false } })).not.toBeNull();
    expect(noticeToNotification({ kind: 'fetch-finished', ...base, destination: '/d' }, { notifications: { ...on.notifications, fetch: true } })).not.toBeNull();
  });
});
