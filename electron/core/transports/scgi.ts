// rTorrent's native interface: one SCGI request per connection (rTorrent closes it after
// each answer), over TCP or a Unix socket.

import type { Duplex } from 'node:stream';
import { SeedboxError } from '../../shared/errors';
import { encodeScgiRequest, parseScgiResponse, ScgiResponseParser, type ScgiResponseHead } from '../codecs/scgi';
import { BoundedCollector, describeEndpoint, resolveTransportOptions, settleOnce, withDeadline } from './connect';
import type { Endpoint, RpcResponse, RpcTransport, TransportOptions } from './types';

export function createScgiTransport(endpoint: Endpoint, options: TransportOptions = {}): RpcTransport {
  const { timeoutMs, maxResponseBytes, connector } = resolveTransportOptions(options);
  const description = describeScgiEndpoint(endpoint);

  return {
    description,
    async request(body, contentType) {
      const frame = encodeScgiRequest(body, { CONTENT_TYPE: contentType });
      return withDeadline(timeoutMs, description, async (signal) => {
        const socket = await connector(endpoint, signal);
        return exchange(socket, frame, signal, new BoundedCollector(maxResponseBytes, description), description);
      });
    },
  };
}

/** "scgi://127.0.0.1:5000" or "scgi:///home/me/.rtorrent.sock": spelled as the address is written. */
export function describeScgiEndpoint(endpoint: Endpoint): string {
  return endpoint.kind === 'unix' ? `scgi://${endpoint.path}` : `scgi://${describeEndpoint(endpoint)}`;
}

/** Writes the request and reads the answer until Content-Length is reached or the peer closes. */
function exchange(
  socket: Duplex,
  frame: Buffer,
  signal: AbortSignal,
  collector: BoundedCollector,
  description: string,
): Promise<RpcResponse> {
  return new Promise<RpcResponse>((resolve, reject) => {
    const parser = new ScgiResponseParser(description);
    const exchange = settleOnce(socket, signal, description, resolve, reject);
    const { settle, fail } = exchange;
    const finish = (): void => settle(() => toRpcResponse(parseScgiResponse(collector.toBuffer(), description), description));

    socket.on('data', (chunk: Buffer) => {
      if (exchange.settled) return;
      try {
        collector.append(chunk);
        const complete = parser.push(chunk);
        if (parser.head) rejectHttpServer(parser.head, description);
        if (complete) finish();
      } catch (error) {
        fail(error);
      }
    });
    socket.on('end', finish);
    socket.on('error', fail);
    // A Duplex from a custom connector may close without 'end' or 'error'.
    socket.on('close', () =>
      fail(new SeedboxError('connection-lost', `The connection to ${description} closed before the answer ended.`, {
        endpoint: description,
      })),
    );
    socket.write(frame);
  });
}

/**
 * An HTTP server handed an SCGI netstring answers "HTTP/1.1 400 Bad Request". Some SCGI
 * servers do use an HTTP status line, but only a success one is an answer to our request.
 */
function rejectHttpServer(head: ScgiResponseHead, description: string): void {
  if (head.statusSource !== 'http-status-line' || (head.status >= 200 && head.status < 300)) return;
  throw new SeedboxError(
    'protocol',
    `${description} does not look like an SCGI server (it answered like an HTTP server: "${head.status} ${head.statusText}"; use an http:// URL?).`,
    { endpoint: description, status: head.status },
  );
}

function toRpcResponse(
  response: { status: number; statusText: string; headers: Record<string, string>; body: Buffer },
  description: string,
): RpcResponse {
  if (response.status < 200 || response.status >= 300) {
    // The daemon's own error page (rTorrent says e.g. "Status: 500 Internal Server Error").
    throw new SeedboxError(
      'rpc-fault',
      `${description} answered with status ${response.status} ${response.statusText}`.trimEnd() + '.',
      { endpoint: description, status: response.status, statusText: response.statusText, body: excerpt(response.body) },
    );
  }
  return { body: response.body, headers: response.headers, status: response.status };
}

/** The start of an error body, for details: enough to recognise it, never the whole thing. */
function excerpt(body: Buffer): string {
  return body.subarray(0, 200).toString('utf8');
}
