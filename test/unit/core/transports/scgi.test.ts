import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectDirect } from '../../../../electron/core/transports/connect';
import { createScgiTransport } from '../../../../electron/core/transports/scgi';
import type { Connector, Endpoint } from '../../../../electron/core/transports/types';
import { closeAllServers, closedPort, listen, makeTempDir } from './fixtures';
import { rejectionOf as failure } from '../../../helpers/errors';

afterEach(closeAllServers);

const XML = 'text/xml';
const requestBody = Buffer.from('<?xml version="1.0"?><methodCall><methodName>system.pid</methodName></methodCall>');

interface ScgiRequest {
  headers: Record<string, string>;
  body: Buffer;
}

/** The server side of the framing, written independently of the codec under test. */
function readScgiRequest(socket: net.Socket): Promise<ScgiRequest> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const colon = buffered.indexOf(':');
      if (colon === -1) return;
      const headerLength = Number(buffered.subarray(0, colon).toString());
      const headerEnd = colon + 1 + headerLength;
      if (buffered.byteLength < headerEnd + 1) return;
      const fields = buffered.subarray(colon + 1, headerEnd).toString().split('\0');
      const headers: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) headers[fields[i] ?? ''] = fields[i + 1] ?? '';
      const bodyLength = Number(headers.CONTENT_LENGTH);
      if (buffered.byteLength < headerEnd + 1 + bodyLength) return;
      socket.off('data', onData);
      resolve({ headers, body: buffered.subarray(headerEnd + 1, headerEnd + 1 + bodyLength) });
    };
    socket.on('data', onData);
  });
}

/** An SCGI server: `answer` gets each request and its socket. */
async function scgiServer(
  answer: (request: ScgiRequest, socket: net.Socket) => void,
  where?: { path: string },
): Promise<{ endpoint: Endpoint; requests: ScgiRequest[] }> {
  const requests: ScgiRequest[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    void readScgiRequest(socket).then((request) => {
      requests.push(request);
      answer(request, socket);
    });
  });
  const running = await listen(server, where);
  const endpoint: Endpoint = where ? { kind: 'unix', path: where.path } : { kind: 'tcp', host: '127.0.0.1', port: running.port };
  return { endpoint, requests };
}

const rtorrentAnswer = (body: string): string =>
  `Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('createScgiTransport', () => {
  it('sends a framed request and reads an rTorrent answer by its Content-Length', async () => {
    // The server keeps the connection open: completion must come from Content-Length.
    const { endpoint, requests } = await scgiServer((_, socket) => socket.write(rtorrentAnswer('<methodResponse/>')));
    const transport = createScgiTransport(endpoint, { timeoutMs: 5000 });
    expect(transport.description).toBe(`scgi://127.0.0.1:${endpoint.kind === 'tcp' ? endpoint.port : 0}`);

    const response = await transport.request(requestBody, XML);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/xml');
    expect(response.body.toString()).toBe('<methodResponse/>');
    expect(requests[0]?.headers).toMatchObject({
      CONTENT_LENGTH: String(requestBody.byteLength),
      SCGI: '1',
      REQUEST_METHOD: 'POST',
      REQUEST_URI: '/RPC2',
      CONTENT_TYPE: XML,
    });
    expect(requests[0]?.body.equals(requestBody)).toBe(true);
  });

  it('uses one connection per call', async () => {
    const { endpoint, requests } = await scgiServer((_, socket) => socket.end(rtorrentAnswer('<ok/>')));
    const transport = createScgiTransport(endpoint);
    await Promise.all([transport.request(requestBody, XML), transport.request(requestBody, XML)]);
    expect(requests).toHaveLength(2);
  });

  it('reads to the end of the stream over a Unix socket when there is no Content-Length', async () => {
    const dir = makeTempDir();
    try {
      const { endpoint } = await scgiServer(
        (_, socket) => {
          socket.write('Status: 200 OK\r\nContent-Type: application/json\r\n\r\n{"result":');
          setTimeout(() => socket.end('1}'), 50);
        },
        { path: join(dir.path, 'rtorrent.sock') },
      );
      const transport = createScgiTransport(endpoint);
      expect(transport.description).toBe(`scgi://${join(dir.path, 'rtorrent.sock')}`);
      const response = await transport.request(Buffer.from('{}'), 'application/json');
      expect(response.body.toString()).toBe('{"result":1}');
    } finally {
      dir.remove();
    }
  });

  it('goes through the given connector', async () => {
    const { endpoint } = await scgiServer((_, socket) => socket.end(rtorrentAnswer('<ok/>')));
    const dialled: Endpoint[] = [];
    const connector: Connector = (target, signal) => {
      dialled.push(target);
      return connectDirect(target, signal);
    };
    await createScgiTransport(endpoint, { connector }).request(requestBody, XML);
    expect(dialled).toEqual([endpoint]);
  });

  it('says connection refused when nothing listens on the port', async () => {
    const port = await closedPort();
    const error = await failure(createScgiTransport({ kind: 'tcp', host: '127.0.0.1', port }).request(requestBody, XML));
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain(`scgi://127.0.0.1:${port}`);
  });

  it('says connection refused when the Unix socket does not exist', async () => {
    const dir = makeTempDir();
    try {
      const path = join(dir.path, 'missing.sock');
      const error = await failure(createScgiTransport({ kind: 'unix', path }).request(requestBody, XML));
      expect(error.code).toBe('connection-refused');
      expect(error.message).toContain(path);
    } finally {
      dir.remove();
    }
  });

  it('says connection lost when the server resets mid-answer', async () => {
    const { endpoint } = await scgiServer((_, socket) => {
      socket.write('Status: 200 OK\r\nContent-Length: 1000\r\n\r\n<methodResp');
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    const error = await failure(createScgiTransport(endpoint).request(requestBody, XML));
    expect(error.code).toBe('connection-lost');
  });

  it('says connection lost when the server closes before the announced length', async () => {
    const { endpoint } = await scgiServer((_, socket) => socket.end('Status: 200 OK\r\nContent-Length: 1000\r\n\r\n<partial'));
    const error = await failure(createScgiTransport(endpoint).request(requestBody, XML));
    expect(error.code).toBe('connection-lost');
    expect(error.details).toMatchObject({ receivedBytes: 8, expectedBytes: 1000 });
  });

  it('says connection lost when the server closes without answering', async () => {
    const { endpoint } = await scgiServer((_, socket) => socket.end());
    const error = await failure(createScgiTransport(endpoint).request(requestBody, XML));
    expect(error.code).toBe('connection-lost');
    expect(error.message).toContain('without answering');
  });

  it('times out within the deadline when the server never answers', async () => {
    const { endpoint } = await scgiServer(() => {});
    const started = Date.now();
    const error = await failure(createScgiTransport(endpoint, { timeoutMs: 300 }).request(requestBody, XML));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('scgi://127.0.0.1:');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
  });

  it('stops reading at once when the answer exceeds the bound', async () => {
    let serverSawClose!: () => void;
    const serverClosed = new Promise<void>((resolve) => (serverSawClose = resolve));
    const { endpoint } = await scgiServer((_, socket) => {
      socket.on('close', serverSawClose);
      socket.write('Status: 200 OK\r\n\r\n');
      // Streams forever: only the client giving up ends this.
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    const started = Date.now();
    const error = await failure(
      createScgiTransport(endpoint, { timeoutMs: 10_000, maxResponseBytes: 1024 * 1024 }).request(requestBody, XML),
    );
    expect(error.code).toBe('response-too-large');
    expect(error.details).toMatchObject({ limit: 1024 * 1024 });
    expect(Date.now() - started).toBeLessThan(3000);
    await serverClosed;
  });

  it('recognises an HTTP server on an scgi:// endpoint', async () => {
    const server = http.createServer((_, res) => res.end('hello'));
    const running = await listen(server);
    const error = await failure(
      createScgiTransport({ kind: 'tcp', host: '127.0.0.1', port: running.port }).request(requestBody, XML),
    );
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('does not look like an SCGI server');
    expect(error.message).toContain('use an http:// URL?');
    expect(error.details).toMatchObject({ status: 400 });
  });

  it('accepts an HTTP status line from an SCGI server that answers 200', async () => {
    const { endpoint } = await scgiServer((_, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n<ok/>'));
    const response = await createScgiTransport(endpoint).request(requestBody, XML);
    expect(response.body.toString()).toBe('<ok/>');
  });

  it('reports a non-200 Status as the daemon\'s own error', async () => {
    const { endpoint } = await scgiServer((_, socket) =>
      socket.end('Status: 500 Internal Server Error\r\nContent-Length: 13\r\n\r\nout of memory'),
    );
    const error = await failure(createScgiTransport(endpoint).request(requestBody, XML));
    expect(error.code).toBe('rpc-fault');
    expect(error.message).toContain('500 Internal Server Error');
    expect(error.details).toMatchObject({ status: 500, body: 'out of memory' });
  });

  it('calls garbage a protocol error', async () => {
    const { endpoint } = await scgiServer((_, socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n'));
    const error = await failure(createScgiTransport(endpoint).request(requestBody, XML));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('scgi://127.0.0.1:');
  });

  it('refuses a content type with a NUL before connecting', async () => {
    const port = await closedPort();
    const error = await failure(createScgiTransport({ kind: 'tcp', host: '127.0.0.1', port }).request(requestBody, 'text/xml\0'));
    expect(error.code).toBe('invalid-argument');
  });
});
