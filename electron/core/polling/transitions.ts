import type { Torrent } from '../../shared/model';
import type { TorrentTransition } from '../events';

/**
 * The transitions worth acting on among a refresh's changed torrents: finished downloading
 * (progress reached 1 while downloading, or it turned to seeding with it), or fell into error.
 */
export function classifyTransitions(pairs: readonly { before: Torrent; after: Torrent }[]): TorrentTransition[] {
  const transitions: TorrentTransition[] = [];
  for (const { before, after } of pairs) {
    if (before.progress < 1 && after.progress >= 1 && (before.state === 'downloading' || after.state === 'seeding')) transitions.push({ kind: 'completed', before, after });
    if (after.state === 'error' && before.state !== 'error') transitions.push({ kind: 'errored', before, after });
  }
  return transitions;
}
