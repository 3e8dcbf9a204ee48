// SCGI framing (https://python.ca/scgi/protocol.txt), pure: no sockets here.
//
// Request: a netstring of NUL-terminated header name/value pairs, CONTENT_LENGTH first and
// SCGI=1 second (both required by the spec), then ',' and the body.
//
// Response: the spec leaves it to the application. rTorrent answers CGI-style,
//   "Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: N\r\n\r\n<body>"
// and other SCGI servers may use an HTTP/1.x status line instead of "Status:". We accept:
//   - an optional "HTTP/1.x NNN reason" first line, or a "Status: NNN reason" header
//     (with neither, the status is 200, as in CGI);
//   - lines ending in CRLF or bare LF, the block ending with an empty line;
//   - Content-Length, which makes the answer complete after that many body bytes; without it
//     the body runs to end of stream;
//   - no header block at all when the answer starts with '<', '{' or '[' (an XML or JSON
//     body sent bare, as some bridges do): the whole stream is the body, status 200.
// Anything else is a 'protocol' error; an answer cut short is 'connection-lost'.

import { SeedboxError } from '../../shared/errors';

/** Headers the framing owns; callers cannot override them. */
const RESERVED_REQUEST_HEADERS = new Set(['CONTENT_LENGTH', 'SCGI']);

/** rTorrent's whole header block is about 80 bytes; more than this is not an SCGI answer. */
export const MAX_SCGI_HEADER_BYTES = 16 * 1024;

const LF = 0x0a;
const CR = 0x0d;
/** First bytes of a bare XML or JSON body sent without any header block. */
const BARE_BODY_FIRST_BYTES = new Set([0x3c /* < */, 0x7b /* { */, 0x5b /* [ */]);

/** How messages name the peer when the caller does not say. */
const DEFAULT_SOURCE = 'The server';

const HTTP_STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;
const STATUS_HEADER_VALUE = /^(\d{3})(?: (.*))?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const HEADER_NAME_PREFIX = /^[!#$%&'*+.^_`|~0-9A-Za-z-]*$/;
const DECIMAL = /^\d+$/;

/**
 * Frames one SCGI request. `extraHeaders` adds CGI variables (CONTENT_TYPE, or a different
 * REQUEST_URI); CONTENT_LENGTH and SCGI are computed here and may not be given.
 */
export function encodeScgiRequest(body: Uint8Array, extraHeaders: Record<string, string> = {}): Buffer {
  const headers = new Map<string, string>([
    ['CONTENT_LENGTH', String(body.byteLength)],
    ['SCGI', '1'],
    ['REQUEST_METHOD', 'POST'],
    ['REQUEST_URI', '/RPC2'],
  ]);
  for (const [name, value] of Object.entries(extraHeaders)) {
    if (name === '' || name.includes('\0') || value.includes('\0')) {
      throw new SeedboxError(
        'invalid-argument',
        `SCGI header ${JSON.stringify(name)} cannot be sent: header names must be non-empty and neither names nor values may contain a NUL character.`,
        { header: name },
      );
    }
    if (RESERVED_REQUEST_HEADERS.has(name)) {
      throw new SeedboxError('invalid-argument', `SCGI header ${name} is computed by the framing and cannot be set.`, {
        header: name,
      });
    }
    headers.set(name, value);
  }

  let block = '';
  for (const [name, value] of headers) block += `${name}\0${value}\0`;
  const headerBytes = Buffer.from(block, 'utf8');
  return Buffer.concat([Buffer.from(`${headerBytes.byteLength}:`, 'latin1'), headerBytes, Buffer.from(','), body]);
}

/** What the header block of an answer said. */
export interface ScgiResponseHead {
  status: number;
  statusText: string;
  /** Lower-cased names; a repeated header's values are joined with ", ". */
  headers: Record<string, string>;
  /** How the status was given: it matters to tell an HTTP server from an SCGI one. */
  statusSource: 'http-status-line' | 'status-header' | 'default';
  /** Body length announced by Content-Length; undefined means "until end of stream". */
  contentLength: number | undefined;
  /** Where the body starts in the answer's bytes. */
  bodyOffset: number;
}

export interface ScgiResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Parses the header block at the start of `bytes`. Returns undefined while the block is
 * still incomplete; throws 'protocol' as soon as what is there cannot be an answer.
 */
export function parseScgiHead(bytes: Uint8Array, source = DEFAULT_SOURCE): ScgiResponseHead | undefined {
  const first = bytes[0];
  if (first === undefined) return undefined;
  if (BARE_BODY_FIRST_BYTES.has(first)) {
    return { status: 200, statusText: 'OK', headers: {}, statusSource: 'default', contentLength: undefined, bodyOffset: 0 };
  }

  const headers: Record<string, string> = {};
  let status: number | undefined;
  let statusText = '';
  let statusSource: ScgiResponseHead['statusSource'] = 'default';

  let lineStart = 0;
  for (;;) {
    const lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd === -1) {
      // Check the unfinished line now, so a non-answer fails on its first bytes.
      if (bytes.byteLength > MAX_SCGI_HEADER_BYTES) throw headersTooLong(source);
      if (bytes.byteLength - lineStart > 0) checkLinePrefix(bytes.subarray(lineStart), lineStart === 0, source);
      return undefined;
    }
    if (lineEnd + 1 > MAX_SCGI_HEADER_BYTES) throw headersTooLong(source);
    const contentEnd = lineEnd > lineStart && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    const line = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, contentEnd - lineStart).toString('latin1');
    const isFirstLine = lineStart === 0;
    lineStart = lineEnd + 1;

    if (line === '') {
      if (isFirstLine) throw malformed(source, 'the answer starts with an empty line');
      return {
        status: status ?? 200,
        statusText: status === undefined ? 'OK' : statusText,
        headers,
        statusSource,
        contentLength: parseContentLength(headers['content-length'], source),
        bodyOffset: lineStart,
      };
    }

    const statusLine = isFirstLine ? HTTP_STATUS_LINE.exec(line) : null;
    if (statusLine) {
      status = Number(statusLine[1]);
      statusText = statusLine[2] ?? '';
      statusSource = 'http-status-line';
      continue;
    }

    const header = HEADER_LINE.exec(line);
    if (!header) throw malformed(source, `this line is not a header: ${JSON.stringify(line.slice(0, 80))}`);
    const name = (header[1] ?? '').toLowerCase();
    const value = header[2] ?? '';
    if (name === 'status' && statusSource !== 'http-status-line') {
      const parsed = STATUS_HEADER_VALUE.exec(value);
      if (!parsed) throw malformed(source, `the Status header is not "NNN reason": ${JSON.stringify(value.slice(0, 80))}`);
      status = Number(parsed[1]);
      statusText = parsed[2] ?? '';
      statusSource = 'status-header';
    }
    if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') {
      throw malformed(source, `Transfer-Encoding "${value}" is not supported over SCGI`);
    }
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
}

/**
 * Follows an answer as its bytes arrive, to know when it is complete without waiting for the
 * server to close. Keeps only the header block; the caller keeps the bytes (bounded).
 */
export class ScgiResponseParser {
  readonly #source: string;
  #headBytes: Buffer = Buffer.alloc(0);
  #head: ScgiResponseHead | undefined;
  #received = 0;

  /** `source` names the server in error messages ("scgi://127.0.0.1:5000"). */
  constructor(source = DEFAULT_SOURCE) {
    this.#source = source;
  }

  /** The parsed header block, once it has fully arrived. */
  get head(): ScgiResponseHead | undefined {
    return this.#head;
  }

  /** Total bytes seen so far. */
  get receivedBytes(): number {
    return this.#received;
  }

  /** True once Content-Length says the body is all there; never true for read-to-EOF answers. */
  get complete(): boolean {
    const head = this.#head;
    return head?.contentLength !== undefined && this.#received >= head.bodyOffset + head.contentLength;
  }

  /** Feeds the next bytes; returns `complete`. Throws 'protocol' on a malformed head. */
  push(chunk: Uint8Array): boolean {
    this.#received += chunk.byteLength;
    if (this.#head === undefined) {
      this.#headBytes = Buffer.concat([this.#headBytes, chunk]);
      this.#head = parseScgiHead(this.#headBytes, this.#source);
      if (this.#head !== undefined) this.#headBytes = Buffer.alloc(0);
    }
    return this.complete;
  }
}

/**
 * Parses a whole answer: everything the server sent up to the end of the stream (or up to
 * the point where the parser said `complete`). Bytes beyond Content-Length are ignored.
 */
export function parseScgiResponse(bytes: Uint8Array, source = DEFAULT_SOURCE): ScgiResponse {
  const head = parseScgiHead(bytes, source);
  if (head === undefined) {
    if (bytes.byteLength === 0) {
      throw new SeedboxError('connection-lost', `${source} closed the connection without answering.`);
    }
    throw new SeedboxError('connection-lost', `${source} closed the connection before the end of the answer headers.`, {
      receivedBytes: bytes.byteLength,
    });
  }
  const available = bytes.byteLength - head.bodyOffset;
  if (head.contentLength !== undefined && available < head.contentLength) {
    throw new SeedboxError(
      'connection-lost',
      `${source} closed the connection after ${available} of the ${head.contentLength} bytes it announced.`,
      { receivedBytes: available, expectedBytes: head.contentLength },
    );
  }
  const bodyEnd = head.contentLength === undefined ? bytes.byteLength : head.bodyOffset + head.contentLength;
  return {
    status: head.status,
    statusText: head.statusText,
    headers: head.headers,
    body: Buffer.from(bytes.subarray(head.bodyOffset, bodyEnd)),
  };
}

function parseContentLength(value: string | undefined, source: string): number | undefined {
  if (value === undefined) return undefined;
  if (!DECIMAL.test(value) || !Number.isSafeInteger(Number(value))) {
    throw malformed(source, `Content-Length is not a byte count: ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(value);
}

/** Rejects an unfinished first line early when it can no longer become a header or status line. */
function checkLinePrefix(partial: Uint8Array, isFirstLine: boolean, source: string): void {
  // A trailing CR is the first half of a line ending still in flight.
  const text = Buffer.from(partial.buffer, partial.byteOffset, partial.byteLength).toString('latin1').replace(/\r$/, '');
  const colon = text.indexOf(':');
  const name = colon === -1 ? text : text.slice(0, colon);
  if (HEADER_NAME_PREFIX.test(name)) return;
  const statusLinePrefix = text.slice(0, 'HTTP/1.x '.length);
  if (isFirstLine && ('HTTP/1.1 '.startsWith(statusLinePrefix) || 'HTTP/1.0 '.startsWith(statusLinePrefix))) return;
  throw malformed(source, `this line is not a header: ${JSON.stringify(text.slice(0, 80))}`);
}

function malformed(source: string, reason: string): SeedboxError {
  return new SeedboxError('protocol', `${source} sent an answer that is not a valid SCGI response: ${reason}.`);
}

function headersTooLong(source: string): SeedboxError {
  return new SeedboxError(
    'protocol',
    `${source} sent an answer that is not a valid SCGI response: its headers run past ${MAX_SCGI_HEADER_BYTES} bytes.`,
    { limit: MAX_SCGI_HEADER_BYTES },
  );
}
