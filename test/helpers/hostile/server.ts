// A loopback server that answers like a daemon, then misbehaves on demand: wrong shapes, deep
// nesting, garbage, truncated bodies, resets mid-answer, silence. Framing is SCGI (rTorrent)
// or HTTP/1.1 (rTorrent behind a web server, Transmission, qBittorrent); what to answer is a
// function of the request, so a protocol fake (./rtorrent.ts, ./transmission.ts) only decides
// the body. Listens on 127.0.0.1 only.
import { createServer, type Server, type Socket } from 'node:net';

export interface FakeRequest {
  /** SCGI headers, or HTTP headers in lower case (plus ':path' and ':method'). */
  headers: Record<string, string>;
  body: Buffer;
}

export type Misbehaviour =
  /** A well-framed answer (status 200 unless given) carrying `body`. */
  | { kind: 'answer'; body: Buffer | string; status?: number; headers?: Record<string, string>; contentType?: string }
  /** Exactly these bytes instead of an answer, then the connection closes. */
  | { kind: 'bytes'; bytes: Buffer | string }
  /** The head and a part of the body, announcing the whole length, then the connection closes. */
  | { kind: 'truncated'; body: Buffer | string; sendBytes: number; contentType?: string }
  /** These bytes, then a TCP reset (RST) mid-answer. */
  | { kind: 'reset'; after: Buffer | string }
  /** Reads the request and never answers (the client's timeout must end it). */
  | { kind: 'silent' };

export type Framing = 'scgi' | 'http';

export interface FakeServer {
  host: string;
  port: number;
  /** Every request read so far, in order. */
  requests: FakeRequest[];
  close(): Promise<void>;
}

export interface FakeServerOptions {
  framing: Framing;
  respond(request: FakeRequest): Misbehaviour | Promise<Misbehaviour>;
}

const HEADER_LIMIT = 64 * 1024;

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let handled = false;
    socket.on('data', (chunk: Buffer) => {
      if (handled) return;
      buffered = Buffer.concat([buffered, chunk]);
      const request = options.framing === 'scgi' ? readScgiRequest(buffered) : readHttpRequest(buffered);
      if (!request) {
        if (buffered.length > HEADER_LIMIT * 64) socket.destroy();
        return;
      }
      handled = true;
      requests.push(request);
      void Promise.resolve(options.respond(request)).then(
        (misbehaviour) => act(socket, options.framing, misbehaviour),
        () => socket.destroy(),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the fake server has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function act(socket: Socket, framing: Framing, misbehaviour: Misbehaviour): void {
  switch (misbehaviour.kind) {
    case 'answer': {
      const body = Buffer.from(misbehaviour.body);
      socket.end(Buffer.concat([head(framing, misbehaviour.status ?? 200, body.length, misbehaviour.contentType, misbehaviour.headers), body]));
      return;
    }
    case 'bytes':
      socket.end(Buffer.from(misbehaviour.bytes));
      return;
    case 'truncated': {
      const body = Buffer.from(misbehaviour.body);
      socket.end(Buffer.concat([head(framing, 200, body.length, misbehaviour.contentType), body.subarray(0, misbehaviour.sendBytes)]));
      return;
    }
    case 'reset':
      socket.write(Buffer.from(misbehaviour.after), () => socket.resetAndDestroy());
      return;
    case 'silent':
      return;
  }
}

function head(framing: Framing, status: number, length: number, contentType = 'text/xml', extra: Record<string, string> = {}): Buffer {
  const lines = [
    framing === 'scgi' ? `Status: ${status} ${status === 200 ? 'OK' : 'Error'}` : `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}`,
    `Content-Type: ${contentType}`,
    `Content-Length: ${length}`,
    ...(framing === 'http' ? ['Connection: close'] : []),
    ...Object.entries(extra).map(([name, value]) => `${name}: ${value}`),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/** "<len>:<NUL-separated headers>,<body>" with CONTENT_LENGTH first; undefined until all of it is there. */
function readScgiRequest(bytes: Buffer): FakeRequest | undefined {
  const colon = bytes.indexOf(0x3a);
  if (colon === -1) return undefined;
  const headerLength = Number(bytes.subarray(0, colon).toString('latin1'));
  const headerEnd = colon + 1 + headerLength;
  if (bytes.length < headerEnd + 1) return undefined;
  const parts = bytes.subarray(colon + 1, headerEnd).toString('latin1').split('\0');
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < parts.length; index += 2) headers[parts[index]!] = parts[index + 1]!;
  const length = Number(headers['CONTENT_LENGTH'] ?? 0);
  const bodyStart = headerEnd + 1;
  if (bytes.length < bodyStart + length) return undefined;
  return { headers, body: bytes.subarray(bodyStart, bodyStart + length) };
}

function readHttpRequest(bytes: Buffer): FakeRequest | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [requestLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const [method = '', path = ''] = requestLine.split(' ');
  const headers: Record<string, string> = { ':method': method, ':path': path };
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (bytes.length < end + 4 + length) return undefined;
  return { headers, body: bytes.subarray(end + 4, end + 4 + length) };
}

/** `depth` arrays inside each other, as JSON text. */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** `depth` XML-RPC arrays inside each other, as a <value>. */
export function deepXmlValue(depth: number): string {
  return `${'<value><array><data>'.repeat(depth)}${'</data></array></value>'.repeat(depth)}`;
}
