import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventChannel, EventPayload } from '../shared/contract';
import { fromWire, toWire } from '../shared/wire';
import { dispatchInvoke } from '../core/service/dispatch';
import { readRendererFile, RENDERER_FILE_TYPES } from '../core/static/renderer-files';
import { contentSecurityPolicy } from '../shared/content-security-policy';
import type { SeedboxServiceApi } from '../core/service/types';

export interface HarnessOptions {
  service: SeedboxServiceApi;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built bridge script (out/web/seedbox-bridge.js). */
  bridgeScript: string;
  host?: string;
  port?: number;
}

export interface Harness {
  /** Open this (it carries the token in its fragment). */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** The same policy as the app's own page; 'self' covers the harness's WebSocket in Chromium. */
const CSP = contentSecurityPolicy({ dev: false });

/**
 * Serves the built window on 127.0.0.1 with window.seedbox bound to the real core service over
 * a loopback WebSocket, so the real UI runs against the real core in a browser where Electron
 * cannot run. Only loopback binds; every WebSocket needs the random token, our own Origin and
 * our own Host (against DNS rebinding); every call goes through the contract's validation.
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/.test(host)) {
    throw new Error(`The harness only listens on loopback, not on ${host}: it gives full control of your seedboxes.`);
  }
  const token = randomBytes(24).toString('base64url');
  let origin = '';

  const server = createServer((request, response) => {
    void serveFile(request, response).catch(() => {
      response.writeHead(500).end();
    });
  });

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== new URL(origin).host) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Wrong Host header.');
      return;
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path === '/seedbox-bridge.js') {
      send(response, 200, RENDERER_FILE_TYPES['.js']!, await readFile(options.bridgeScript));
      return;
    }
    const file = await readRendererFile(options.rendererDir, path);
    if (file.status !== 200) {
      response.writeHead(file.status, { 'Content-Type': 'text/plain' }).end(file.status === 404 ? 'Not found.' : 'Refused.');
      return;
    }
    let body = file.body;
    if (file.path.endsWith('.html')) {
      // The bridge must define window.seedbox before the app's module script runs.
      body = Buffer.from(body.toString('utf8').replace('<head>', '<head>\n    <script src="/seedbox-bridge.js"></script>'));
    }
    send(response, 200, file.type, body);
  }

  function send(response: ServerResponse, status: number, type: string, body: Buffer): void {
    response.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    response.end(body);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({
    server,
    path: '/bridge',
    maxPayload: 256 * 1024 * 1024,
    verifyClient: ({ req, origin: requestOrigin }: { req: IncomingMessage; origin: string }) => {
      const given = Buffer.from(new URL(req.url ?? '', origin).searchParams.get('token') ?? '');
      const expected = Buffer.from(token);
      return requestOrigin === origin && req.headers.host === new URL(origin).host && given.length === expected.length && timingSafeEqual(given, expected);
    },
  });
  const stopEvents = options.service.onEvent(<E extends EventChannel>(channel: E, payload: EventPayload<E>) => {
    const message = toWire({ type: 'event', channel, payload });
    for (const socket of sockets) socket.send(message);
  });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      void (async () => {
        let message: { type?: unknown; id?: unknown; channel?: unknown; args?: unknown };
        try {
          message = fromWire(String(data)) as typeof message;
        } catch {
          return;
        }
        if (message.type !== 'invoke' || typeof message.id !== 'number' || typeof message.channel !== 'string') return;
        const envelope = await dispatchInvoke(options.service.handlers, message.channel, message.args);
        if (socket.readyState === socket.OPEN) socket.send(toWire({ type: 'result', id: message.id, envelope }));
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    async close() {
      stopEvents();
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
