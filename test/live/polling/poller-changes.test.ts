import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TorrentDelta } from '../../../electron/shared/contract';
import { QbittorrentClient } from '../../../electron/core/clients/qbittorrent/client';
import { TransmissionClient } from '../../../electron/core/clients/transmission/client';
import type { PollChanges, TorrentClient } from '../../../electron/core/clients/types';
import { SeedboxSession } from '../../../electron/core/connections/session';
import { BoxPoller } from '../../../electron/core/polling/poller';
import { startQbittorrent } from '../../helpers/qbittorrent';
import { startTransmission } from '../../helpers/transmission';
import { waitFor } from '../../helpers/processes';
import { filler, makeTorrent } from '../../helpers/torrents';

// The poller fed with what qBittorrent (sync/maindata rid) and Transmission (recently-active)
// say changed, against the real daemons: additions and removals made by someone else arrive as
// deltas, and the poller's list stays the daemon's list.

interface Daemon {
  name: string;
  start(): Promise<{ client: () => TorrentClient; dataDir: string; stop(): Promise<void> }>;
}

interface Instance {
  dir: string;
  url: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

function daemon<I extends Instance>(name: string, startDaemon: () => Promise<I>, newClient: (instance: I) => TorrentClient): Daemon {
  return {
    name,
    async start() {
      const instance = await startDaemon();
      const dataDir = join(instance.dir, 'poller-data');
      mkdirSync(dataDir);
      return { client: () => newClient(instance), dataDir, stop: () => instance.stop() };
    },
  };
}

const DAEMONS: Daemon[] = [
  daemon('qBittorrent', () => startQbittorrent(), (qb) => new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password })),
  daemon('Transmission', () => startTransmission(), (tr) => new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password })),
];

describe.each(DAEMONS)('the poller over $name', (daemon) => {
  let stopDaemon: (() => Promise<void>) | undefined;
  afterAll(async () => stopDaemon?.());

  it('applies the changes the client hands over: additions and removals made elsewhere, nothing else', async () => {
    const started = await daemon.start();
    stopDaemon = started.stop;
    const other = started.client();
    const kept = makeTorrent({ dataParent: started.dataDir, name: 'kept', files: [{ path: '', content: filler('kept', 3000) }] });
    const keptId = await other.add({ kind: 'file', bytes: kept.bytes }, { savePath: started.dataDir, paused: true });

    const client = started.client();
    const answers: ('list' | 'full' | 'changes')[] = [];
    const poll = client.poll!.bind(client);
    client.poll = async (options) => {
      const answer = await poll(options);
      answers.push(Array.isArray(answer) ? 'list' : (answer as PollChanges).full ? 'full' : 'changes');
      return answer;
    };
    const session = new SeedboxSession({ seedboxId: 'box', open: async () => ({ client, close: () => client.close() }) });
    const deltas: TorrentDelta[] = [];
    const poller = new BoxPoller({ seedboxId: 'box', session, intervalMs: () => 100, light: () => false, onDelta: (delta) => deltas.push(delta) });
    try {
      poller.start();
      await session.start();
      await waitFor('the first list', () => deltas.some((delta) => delta.full));
      expect(deltas[0]!.added.map((torrent) => torrent.id)).toEqual([keptId]);

      const extra = makeTorrent({ dataParent: started.dataDir, name: 'short lived', files: [{ path: '', content: filler('short', 2000) }] });
      const extraId = await other.add({ kind: 'file', bytes: extra.bytes }, { savePath: started.dataDir, paused: true });
      await waitFor('the addition', () => deltas.some((delta) => !delta.full && delta.added.some((torrent) => torrent.id === extraId)));
      await other.remove([extraId], { deleteData: false });
      await waitFor('the removal', () => deltas.some((delta) => delta.removed.includes(extraId)));

      expect([...poller.torrentList].map((torrent) => torrent.id)).toEqual([keptId]);
      // The first answer is the whole list, the next ones only what changed.
      expect(answers[0]).toBe('full');
      expect(answers.slice(1).every((answer) => answer === 'changes')).toBe(true);
      expect(deltas.flatMap((delta) => delta.removed)).toEqual([extraId]);
    } finally {
      await poller.stop();
      await session.stop();
      await other.close();
    }
  });
});
