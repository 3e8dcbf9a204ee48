import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SeedboxError, type ErrorCode, type ErrorDetails } from '../../shared/errors';
import type { TorrentSummary } from './metainfo';

// Parses a .torrent the window hands over in a worker thread, so that no file, however crafted,
// stalls the main process (the window's IPC, polling, tray): the parse is capped by
// TORRENT_LIMITS, the worker's heap by WORKER_HEAP_MB, and its time by PARSE_TIMEOUT_MS.

export interface WorkerRequest {
  bytes: Uint8Array;
  fileName: string | undefined;
}

export type WorkerAnswer = { ok: true; summary: TorrentSummary } | { ok: false; error: { code: ErrorCode; message: string; details: ErrorDetails } };

/** The heap of one parse: TORRENT_LIMITS keep a decode within about 300 MB. */
const WORKER_HEAP_MB = 512;
const PARSE_TIMEOUT_MS = 30_000;
const WORKER_NAME = 'metainfo-worker';

/** The summary of a .torrent (the first files and the count), or the parser's SeedboxError. */
export async function readTorrentOffThread(bytes: Uint8Array, fileName?: string, options: { timeoutMs?: number } = {}): Promise<TorrentSummary> {
  const shownName = fileName ?? 'the file';
  const worker = startWorker();
  try {
    return await new Promise<TorrentSummary>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SeedboxError('invalid-torrent', `${shownName} took too long to read; it is not a usable .torrent.`, { fileName: shownName })),
        options.timeoutMs ?? PARSE_TIMEOUT_MS,
      );
      const settle = (): void => clearTimeout(timer);
      worker.once('message', (answer: WorkerAnswer) => {
        settle();
        if (answer.ok) resolve(answer.summary);
        else reject(new SeedboxError(answer.error.code, answer.error.message, answer.error.details));
      });
      worker.once('error', (error: Error & { code?: string }) => {
        settle();
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new SeedboxError('invalid-torrent', `${shownName} is too large to read; it is not a usable .torrent.`, { fileName: shownName })
            : new SeedboxError('internal', `The .torrent reader failed: ${error.message}`, { fileName: shownName }),
        );
      });
      worker.once('exit', (code) => {
        settle();
        reject(new SeedboxError('internal', `The .torrent reader stopped (exit code ${code}) before answering.`, { fileName: shownName }));
      });
      // A copy goes to the worker; the caller keeps its bytes.
      worker.postMessage({ bytes, fileName } satisfies WorkerRequest);
    });
  } finally {
    await worker.terminate();
  }
}

function startWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Running from the sources (tests, `npm run web` under tsx): Node cannot load TypeScript by
    // itself, so the worker registers tsx (a dev dependency) first. Bundles never take this path.
    // tsx is resolved from here where the runtime can, not from the worker's working directory.
    const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
    const source = new URL(`./${WORKER_NAME}.ts`, here).href;
    const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
    return new Worker(code, { eval: true, resourceLimits });
  }
  // Bundles (Electron's main, the CLI): the build emits the worker next to the entry file.
  return new Worker(new URL(`./${WORKER_NAME}${extname(new URL(here).pathname)}`, here), { resourceLimits });
}
