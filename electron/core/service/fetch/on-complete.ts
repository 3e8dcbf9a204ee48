// Fetch on completion (issue 15 §2): when a torrent of a box completes (the poller's
// transitions, which go on with the window closed to the tray) and matches the box's rule, it
// is queued for the rule's folder, with the label to add once it has arrived.
import { toSeedboxError } from '../../../shared/errors';
import type { FetchOnComplete } from '../../../shared/fetch';
import { compile, matches, parse } from '../../../shared/rules';
import type { CoreEventSource } from '../../events';
import type { FetchHost } from './handlers';

/** Returns the unsubscribe function. `rules` reads the saved rules afresh (the CLI may edit them). */
export function watchCompletions(options: {
  events: CoreEventSource;
  host: Pick<FetchHost, 'queue' | 'add'>;
  rules: () => Promise<readonly FetchOnComplete[]>;
  log: (message: string) => void;
}): () => void {
  const { events, host, log } = options;
  return events.on('torrents:transitions', ({ seedboxId, seedboxName, transitions }) => {
    const completed = transitions.filter((transition) => transition.kind === 'completed').map((transition) => transition.after);
    if (completed.length === 0) return;
    void (async () => {
      const rule = (await options.rules()).find((candidate) => candidate.seedboxId === seedboxId && candidate.enabled);
      if (!rule) return;
      const parsed = parse(rule.when);
      if (!parsed.ok) return log(`The fetch-on-completion rule of ${seedboxName} does not parse: ${parsed.error.message}`);
      const condition = compile(parsed.rule);
      const now = Math.floor(Date.now() / 1000);
      for (const torrent of completed) {
        if (!matches(condition, torrent, now)) continue;
        // Completing again (a recheck) does not fetch again what is queued or already home.
        const known = host.queue
          .list()
          .some((job) => job.seedboxId === seedboxId && job.torrentId === torrent.id && job.destination === rule.destination && job.state !== 'failed' && job.state !== 'cancelled');
        if (known) continue;
        try {
          host.add({
            seedboxId,
            torrentId: torrent.id,
            torrentName: torrent.name,
            destination: rule.destination,
            onExisting: rule.onExisting,
            labelWhenDone: rule.addLabel,
          });
        } catch (error) {
          events.emit('notice', { kind: 'fetch-failed', seedboxId, seedboxName, torrentId: torrent.id, torrentName: torrent.name, message: toSeedboxError(error).message });
        }
      }
    })().catch((error: unknown) => log(`Fetch on completion for ${seedboxName} failed: ${toSeedboxError(error).message}`));
  });
}
