// The worker thread that parses .torrent files for readTorrentOffThread (metainfo-off-thread.ts):
// one request, one answer. Built as its own entry next to the main and CLI bundles.
import { parentPort } from 'node:worker_threads';
import { toSeedboxError } from '../../shared/errors';
import { parseTorrentFile, summarizeMetainfo } from './metainfo';
import type { WorkerAnswer, WorkerRequest } from './metainfo-off-thread';

parentPort?.once('message', ({ bytes, fileName }: WorkerRequest) => {
  let answer: WorkerAnswer;
  try {
    answer = { ok: true, summary: summarizeMetainfo(parseTorrentFile(bytes, fileName)) };
  } catch (error) {
    answer = { ok: false, error: toSeedboxError(error).toJSON() };
  }
  parentPort?.postMessage(answer);
});
