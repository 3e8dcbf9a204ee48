// The client calls a hostile-server battery drives, in the core and through the `seedbox`
// command, so each case names one action and both paths run the same thing.
import type { TorrentClient } from '../../../electron/core/clients/types';
import type { ErrorCode } from '../../../electron/shared/errors';

export type HostileAction = 'version' | 'list' | 'details' | 'stats' | 'limits' | 'start' | 'add';

/** What a hostile answer may end in: typed, and never 'internal' (exit 1, "a bug"). */
export const ACCEPTED_HOSTILE_CODES: readonly ErrorCode[] = ['protocol', 'connection-lost', 'timeout', 'response-too-large'];

/** Runs `action` on the client, about torrent `hash` (or adding `magnet`). */
export function runHostileAction(client: TorrentClient, action: HostileAction, hash: string, magnet: string): Promise<unknown> {
  switch (action) {
    case 'version':
      return client.connect();
    case 'list':
      return client.list();
    case 'details':
      return client.details(hash);
    case 'stats':
      return client.sessionStats();
    case 'limits':
      return client.getGlobalSpeedLimits();
    case 'start':
      return client.start([hash]);
    case 'add':
      return client.add({ kind: 'magnet', uri: magnet });
  }
}

/** The `seedbox` command line of the same action. */
export function hostileCliArgs(action: HostileAction, hash: string, magnet: string): string[] {
  const args: Record<HostileAction, string[]> = {
    version: ['version'],
    list: ['list'],
    details: ['info', hash],
    stats: ['stats'],
    limits: ['limits'],
    start: ['start', hash],
    add: ['add', magnet],
  };
  return args[action];
}
