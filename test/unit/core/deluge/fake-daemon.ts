// A small real TLS server speaking Deluge 2's framing, for the connection tests: it decodes
// every request frame and hands each request to the test, which answers however it likes
// (out of order, split into pieces, with garbage...).

import tls from 'node:tls';
import zlib from 'node:zlib';
import { decodeRencode, encodeRencode, type RencodeValue } from '../../../../electron/core/codecs/rencode';
import { listen, type KeyPair } from '../transports/fixtures';

export interface FakeRequest {
  id: number;
  method: string;
  args: RencodeValue[];
  kwargs: Record<string, RencodeValue>;
}

export interface FakeSession {
  socket: tls.TLSSocket;
  /** Writes one framed message (version byte, length, zlib(rencode(message))). */
  send(message: RencodeValue): void;
  reply(id: number, result: RencodeValue): void;
  error(id: number, name: string, args: RencodeValue[], traceback?: string): void;
  event(name: string, args: RencodeValue[]): void;
}

export interface FakeDaemon {
  port: number;
  /** Every request received, in arrival order. */
  requests: FakeRequest[];
  /** How many requests each received frame carried. */
  frameSizes: number[];
  /** Each received frame as sent, header included. */
  frames: Buffer[];
  sessions: FakeSession[];
}

export function frame(message: RencodeValue): Buffer {
  const body = zlib.deflateSync(encodeRencode(message));
  const header = Buffer.alloc(5);
  header[0] = 1;
  header.writeUInt32BE(body.length, 1);
  return Buffer.concat([header, body]);
}

/**
 * Starts the server. `handle` sees each request with its session; by default daemon.info
 * answers "2.0.3", and everything else is left unanswered.
 */
export async function startFakeDaemon(
  pair: KeyPair,
  handle: (request: FakeRequest, session: FakeSession) => void = defaultHandler,
): Promise<FakeDaemon> {
  const daemon: FakeDaemon = { port: 0, requests: [], frameSizes: [], frames: [], sessions: [] };
  const server = tls.createServer({ key: pair.key, cert: pair.cert }, (socket) => {
    socket.on('error', () => {});
    // Separate writes arrive promptly rather than after a delayed ACK.
    socket.setNoDelay(true);
    const session: FakeSession = {
      socket,
      send: (message) => socket.write(frame(message)),
      reply: (id, result) => session.send([1, id, result]),
      error: (id, name, args, traceback = 'Traceback (most recent call last):\n  File "secret.py"') =>
        session.send([2, id, name, args, {}, traceback]),
      event: (name, args) => session.send([3, name, args]),
    };
    daemon.sessions.push(session);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readUInt32BE(1);
        if (pending.length < 5 + length) return;
        const requests = decodeRencode(zlib.inflateSync(pending.subarray(5, 5 + length))) as RencodeValue[];
        daemon.frames.push(Buffer.from(pending.subarray(0, 5 + length)));
        pending = pending.subarray(5 + length);
        daemon.frameSizes.push(requests.length);
        for (const raw of requests) {
          const [id, method, args, kwargs] = raw as [number, string, RencodeValue[], Record<string, RencodeValue>];
          const request = { id, method, args, kwargs };
          daemon.requests.push(request);
          handle(request, session);
        }
      }
    });
  });
  server.on('tlsClientError', () => {});
  const running = await listen(server);
  daemon.port = running.port;
  return daemon;
}

export function defaultHandler(request: FakeRequest, session: FakeSession): void {
  if (request.method === 'daemon.info') session.reply(request.id, '2.0.3');
}
