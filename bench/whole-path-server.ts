// The server side of bench/whole-path.ts, in a process of its own so that its memory is the
// app's alone: `npm run web`'s app (electron/web/start.ts: the real core, the harness, the built
// window) on the settings file given, reporting to the bench over the IPC channel when it serves,
// when each torrents:delta leaves the core, and its memory when asked.
// Usage (from the bench only): node --import tsx bench/whole-path-server.ts CONFIG_PATH
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NewSeedboxSchema, type NewSeedbox } from '../electron/shared/seedbox';

/** Epoch milliseconds with sub-millisecond precision, comparable across the bench's processes and the page. */
const now = (): number => performance.timeOrigin + performance.now();
const began = now();

export type ServerMessage =
  | { type: 'served'; url: string; began: number; served: number }
  | { type: 'delta'; at: number; added: number; changed: number; full: boolean }
  | { type: 'added'; at: number }
  /** The box's first 'connected': its poller asks for the first list at once. */
  | { type: 'connected'; at: number }
  | { type: 'memory'; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; heapUsedAfterGc: number; rssAfterGc: number };

/** `add`: a box whose password lives in this process's memory only (the settings file cannot carry it). */
export type ServerRequest = { type: 'memory' } | { type: 'stop' } | { type: 'add'; seedbox: NewSeedbox; password: string };

function send(message: ServerMessage): void {
  process.send?.(message);
}

const collectGarbage = ((): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const configPath = process.argv[2];
if (!configPath || !process.send) throw new Error('Started by bench/whole-path.ts only: node --import tsx bench/whole-path-server.ts CONFIG_PATH (with an IPC channel).');
const root = resolve(import.meta.dirname, '..');
const { startWebApp } = await import('../electron/web/start');
const app = await startWebApp({
  configPath,
  version: 'bench',
  rendererDir: resolve(root, 'out/renderer'),
  bridgeScript: resolve(root, 'out/web/seedbox-bridge.js'),
  memorySecrets: 'whole-path bench',
  log: (message) => console.warn(`[server] ${message}`),
});
let connected = false;
app.core.service.onEvent((channel, payload) => {
  if (channel === 'seedbox:status' && !connected && (payload as { state: string }).state === 'connected') {
    connected = true;
    send({ type: 'connected', at: now() });
  }
  if (channel !== 'torrents:delta') return;
  const delta = payload as { added: unknown[]; changed: unknown[]; full: boolean };
  send({ type: 'delta', at: now(), added: delta.added.length, changed: delta.changed.length, full: delta.full });
});
send({ type: 'served', url: app.harness.url, began, served: now() });

/**
 * As the window's editor adds a box with a password (checked as the IPC layer checks it): through the service (which starts the box's
 * connection; the registry alone only saves it, and the window then showed it connecting forever),
 * then its password, which restarts the connection with it.
 */
async function addBox(seedbox: NewSeedbox, password: string): Promise<void> {
  const view = await app.core.service.handlers['seedboxes:add']({ seedbox: NewSeedboxSchema.parse(seedbox) });
  await app.core.service.handlers['seedboxes:setSecret']({ id: view.id, purpose: 'daemon-password', secret: password });
}

process.on('message', (request: ServerRequest) => {
  if (request.type === 'memory') {
    const before = process.memoryUsage();
    collectGarbage();
    const after = process.memoryUsage();
    send({ type: 'memory', rss: before.rss, heapUsed: before.heapUsed, heapTotal: before.heapTotal, external: before.external, arrayBuffers: before.arrayBuffers, heapUsedAfterGc: after.heapUsed, rssAfterGc: after.rss });
  } else if (request.type === 'add') {
    addBox(request.seedbox, request.password).then(
      () => send({ type: 'added', at: now() }),
      (error: unknown) => {
        console.error('[server] adding the box failed:', error);
        process.exit(1);
      },
    );
  } else if (request.type === 'stop') {
    void app.close().finally(() => process.exit(0));
  }
});
