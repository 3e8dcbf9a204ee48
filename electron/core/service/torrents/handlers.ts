import type { SerializedError } from '../../../shared/contract';
import { toSeedboxError } from '../../../shared/errors';
import { readTorrentOffThread } from '../../torrent/metainfo-off-thread';
import type { BoxSet } from '../boxes';
import type { HandlerPart } from '../handlers';

type TorrentChannel =
  | 'torrents:details'
  | 'torrents:add'
  | 'torrents:start'
  | 'torrents:stop'
  | 'torrents:recheck'
  | 'torrents:reannounce'
  | 'torrents:remove'
  | 'torrents:move'
  | 'torrents:setLabels'
  | 'torrents:setFilePriority'
  | 'torrents:setSpeedLimits'
  | 'torrents:queue'
  | 'torrents:parseFile';

type Boxes = Pick<BoxSet, 'boxOf' | 'act'>;

/** Actions on the torrents of one box; each refreshes that box at once. */
export function torrentHandlers(deps: { boxes: Boxes }): HandlerPart<TorrentChannel> {
  const { boxes } = deps;
  return {
    'torrents:details': async ({ seedboxId, id }) => boxes.boxOf(seedboxId).session.run((client) => client.details(id)),
    'torrents:add': async ({ seedboxId, sources, options: addOptions }) => {
      const box = boxes.boxOf(seedboxId);
      const results: ({ ok: true; id: string } | { ok: false; error: SerializedError })[] = [];
      // One at a time: a bad file fails alone and the rest still go in.
      for (const source of sources) {
        try {
          // Checked off the main thread first: the client parses it again (for its id), but only
          // a file already known to be a torrent within the limits.
          if (source.kind === 'file') await readTorrentOffThread(source.bytes, source.fileName);
          // Each .torrent of the batch has its own files to skip.
          const options = source.kind === 'file' && source.skipFiles ? { ...addOptions, skipFiles: source.skipFiles } : addOptions;
          const id = await box.session.run((client) => client.add(source, options));
          results.push({ ok: true, id });
        } catch (thrown) {
          results.push({ ok: false, error: toSeedboxError(thrown).toJSON() as SerializedError });
        }
      }
      box.poller.refreshSoon();
      return results;
    },
    'torrents:start': async ({ seedboxId, ids }) => boxes.act(seedboxId, (client) => client.start(ids)),
    'torrents:stop': async ({ seedboxId, ids }) => boxes.act(seedboxId, (client) => client.stop(ids)),
    'torrents:recheck': async ({ seedboxId, ids }) => boxes.act(seedboxId, (client) => client.recheck(ids)),
    'torrents:reannounce': async ({ seedboxId, ids }) => boxes.act(seedboxId, (client) => client.reannounce(ids)),
    'torrents:remove': async ({ seedboxId, ids, deleteData }) => boxes.act(seedboxId, (client) => client.remove(ids, { deleteData })),
    'torrents:move': async ({ seedboxId, ids, targetDirectory }) => boxes.act(seedboxId, (client) => client.move(ids, targetDirectory)),
    'torrents:setLabels': async ({ seedboxId, ids, labels }) => boxes.act(seedboxId, (client) => client.setLabels(ids, labels)),
    'torrents:setFilePriority': async ({ seedboxId, id, fileIndexes, priority }) =>
      boxes.act(seedboxId, (client) => client.setFilePriority(id, fileIndexes, priority)),
    'torrents:setSpeedLimits': async ({ seedboxId, ids, downBytesPerSecond, upBytesPerSecond }) =>
      boxes.act(seedboxId, (client) => client.setTorrentSpeedLimits(ids, { downBytesPerSecond, upBytesPerSecond })),
    'torrents:queue': async ({ seedboxId, ids, move }) => boxes.act(seedboxId, (client) => client.moveInQueue(ids, move)),
    'torrents:parseFile': async ({ bytes, fileName }) => readTorrentOffThread(bytes, fileName),
  };
}

/** Pauses (or resumes) every torrent of one box that is not paused (or is), as the box last listed them. */
export async function pauseAll(boxes: Boxes, seedboxId: string, paused: boolean): Promise<void> {
  const box = boxes.boxOf(seedboxId);
  const ids = [...box.poller.torrentList].filter((torrent) => (torrent.state === 'paused') !== paused).map((torrent) => torrent.id);
  if (ids.length > 0) await boxes.act(seedboxId, (client) => (paused ? client.stop(ids) : client.start(ids)));
}
