import type { TorrentClient } from '../../../electron/core/clients/types';
import { makeTorrent, type MadeTorrent } from '../../helpers/torrents';
import { waitForTorrent } from '../rtorrent/support';

/** Writes the data under `dataRoot`, has the daemon check and seed it; returns the torrent and its id. */
export async function seedCompleted(client: TorrentClient, dataRoot: string, name: string, files: { path: string; content: Buffer | string }[]): Promise<{ made: MadeTorrent; id: string }> {
  const made = makeTorrent({ dataParent: dataRoot, name, files });
  const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: dataRoot });
  await waitForTorrent(client, id, (torrent) => torrent.progress === 1 && torrent.state !== 'checking');
  return { made, id };
}
