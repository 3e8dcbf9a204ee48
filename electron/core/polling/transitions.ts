import type { Torrent } from '../../shared/model';
import type { TorrentTransition } from '../events';

/**
 * The transitions worth acting on among a refresh's changed torrents: finished downloading
 * (progress reached 1 while downloading, or it turned to seeding with it), or fell into error.
 * A torrent new since the last list (before null) that is already complete finished within one
 * refresh if it downloaded anything; one that downloaded nothing was added with its data already
 * on the box (a cross-seed, a re-add), which is no download finishing.
 */
export function classifyTransitions(pairs: readonly { before: Torrent | null; after: Torrent }[]): TorrentTransition[] {
  const transitions: TorrentTransition[] = [];
  for (const { before, after } of pairs) {
    if (before === null) {
      if (after.progress >= 1 && after.downloadedBytes > 0) transitions.push({ kind: 'completed', before, after });
      else if (after.state === 'error') transitions.push({ kind: 'errored', before, after });
      continue;
    }
    if (before.progress < 1 && after.progress >= 1 && (before.state === 'downloading' || after.state === 'seeding')) transitions.push({ kind: 'completed', before, after });
    if (after.state === 'error' && before.state !== 'error') transitions.push({ kind: 'errored', before, after });
  }
  return transitions;
}
