import type { CoreEventSource } from '../events';

/**
 * Turns what the core observes into notices (notifications are the shell's to show): a box lost
 * or back, a download finished, a torrent in error. Returns the unsubscribe function.
 */
export function watchNotices(events: CoreEventSource): () => void {
  const stopStatus = events.on('box:status', ({ seedboxName, previous, status }) => {
    const { seedboxId, state } = status;
    if (state === 'connected' && (previous === 'reconnecting' || previous === 'failed')) events.emit('notice', { kind: 'seedbox-back', seedboxId, seedboxName });
    if (previous === 'connected' && (state === 'reconnecting' || state === 'failed')) {
      events.emit('notice', { kind: 'seedbox-lost', seedboxId, seedboxName, message: status.error?.message ?? '' });
    }
  });
  const stopTransitions = events.on('torrents:transitions', ({ seedboxId, seedboxName, transitions }) => {
    for (const { kind, after } of transitions) {
      const base = { seedboxId, seedboxName, torrentId: after.id, torrentName: after.name };
      if (kind === 'completed') events.emit('notice', { kind: 'download-finished', ...base });
      else events.emit('notice', { kind: 'torrent-error', ...base, message: after.message });
    }
  });
  return () => {
    stopStatus();
    stopTransitions();
  };
}
