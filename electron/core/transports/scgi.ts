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
    async request(body, contentType, onBody) {
      const frame = encodeScgiRequest(body, { CONTENT_TYPE: contentType });
      return withDeadline(timeoutMs, description, async (signal) => {
        const socket = await connector(endpoint, signal);
        return exchange(socket, frame, signal, new BoundedCollector(maxResponseBytes, description), description, onBody);
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
  onBody?: (chunk: Buffer) => void,
): Promise<RpcResponse> {
  return new Promise<RpcResponse>((resolve, reject) => {
    const parser = new ScgiResponseParser(description);
    const exchange = settleOnce(socket, signal, description, resolve, reject);
    const { settle, fail } = exchange;
    const finish = (): void =>
      settle(() => {
        const head = parser.head;
        const available = parser.receivedBytes - (head?.bodyOffset ?? 0);
        if (onBody && head && head.status >= 200 && head.status < 300 && available >= (head.contentLength ?? 0)) {
          // Whoever read the body as it came (onBody) rarely needs it whole: it is joined only if
          // asked for, so a 50 MB answer is not held twice more (joined, then cut out) for nothing.
          const end = head.contentLength === undefined ? parser.receivedBytes : head.bodyOffset + head.contentLength;
          let body: Buffer | undefined;
          return {
            get body() {
              return (body ??= collector.toBuffer().subarray(head.bodyOffset, end));
            },
            headers: head.headers,
            status: head.status,
          };
        }
        return toRpcResponse(parseScgiResponse(collector.toBuffer(), description), description);
      });

    /** Where in the stream the body bytes handed to onBody end. */
    let handedTo = 0;
    socket.on('data', (chunk: Buffer) => {
      if (exchange.settled) return;
      try {
        collector.append(chunk);
        const chunkStart = parser.receivedBytes;
        const complete = parser.push(chunk);
        const head = parser.head;
        if (head) rejectHttpServer(head, description);
        if (head && onBody && head.status >= 200 && head.status < 300) {
          const start = Math.max(head.bodyOffset, handedTo);
          const end = Math.min(parser.receivedBytes, head.bodyOffset + (head.contentLength ?? Infinity));
          if (start < end) {
            // The head may have ended in an earlier piece (a bare body is known only once more arrives).
            onBody(start >= chunkStart ? chunk.subarray(start - chunkStart, end - chunkStart) : collector.toBuffer().subarray(start, end));
            handedTo = end;
          }
        }
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
