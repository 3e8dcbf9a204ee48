import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeScgiRequest,
  MAX_SCGI_HEADER_BYTES,
  parseScgiHead,
  parseScgiResponse,
  ScgiResponseParser,
} from '../../../../electron/core/codecs/scgi';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('encodeScgiRequest', () => {
  it('frames a request byte for byte', () => {
    const frame = encodeScgiRequest(bytes('hello'), { CONTENT_TYPE: 'text/xml' });
    // 17 + 7 + 20 + 18 + 22 = 84 header bytes.
    const expected =
      '84:' +
      'CONTENT_LENGTH\x005\x00' +
      'SCGI\x001\x00' +
      'REQUEST_METHOD\x00POST\x00' +
      'REQUEST_URI\x00/RPC2\x00' +
      'CONTENT_TYPE\x00text/xml\x00' +
      ',hello';
    expect(frame.toString('latin1')).toBe(expected);
  });

  it('frames an empty body and lets the caller move REQUEST_URI', () => {
    const frame = encodeScgiRequest(new Uint8Array(), { REQUEST_URI: '/other' });
    expect(frame.toString('latin1')).toBe(
      '63:CONTENT_LENGTH\x000\x00SCGI\x001\x00REQUEST_METHOD\x00POST\x00REQUEST_URI\x00/other\x00,',
    );
  });

  it('counts the header length in bytes, not characters', () => {
    const frame = encodeScgiRequest(bytes('x'), { CONTENT_TYPE: 'text/xml; charset=é' });
    const colon = frame.indexOf(':');
    const length = Number(frame.subarray(0, colon).toString());
    expect(frame[colon + 1 + length]).toBe(','.charCodeAt(0));
    expect(frame.subarray(colon + 2 + length).toString()).toBe('x');
  });

  it.each([
    [{ 'BAD\0NAME': 'x' }],
    [{ CONTENT_TYPE: 'text/xml\0' }],
    [{ '': 'x' }],
    [{ CONTENT_LENGTH: '3' }],
    [{ SCGI: '2' }],
  ])('refuses unsendable headers %j', (headers) => {
    expect(errorOf(() => encodeScgiRequest(bytes('x'), headers)).code).toBe('invalid-argument');
  });
});

describe('parseScgiResponse', () => {
  it('reads rTorrent\'s CGI-style answer', () => {
    const response = parseScgiResponse(
      bytes('Status: 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 8\r\n\r\n<a>b</a>trailing'),
    );
    expect(response.status).toBe(200);
    expect(response.statusText).toBe('OK');
    expect(response.headers).toEqual({ status: '200 OK', 'content-type': 'text/xml', 'content-length': '8' });
    expect(response.body.toString()).toBe('<a>b</a>');
  });

  it('accepts an HTTP status line', () => {
    const response = parseScgiResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    expect(response).toMatchObject({ status: 200, statusText: 'OK' });
    expect(response.body.toString()).toBe('ok');
  });

  it('reads a non-200 status', () => {
    const response = parseScgiResponse(bytes('Status: 500 Internal Server Error\r\n\r\nboom'));
    expect(response).toMatchObject({ status: 500, statusText: 'Internal Server Error' });
    expect(response.body.toString()).toBe('boom');
  });

  it('reads to the end without Content-Length, with bare LF line endings', () => {
    const response = parseScgiResponse(bytes('Content-Type: text/xml\n\n<methodResponse/>\n'));
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe('<methodResponse/>\n');
  });

  it('takes a bare XML or JSON body as the whole answer', () => {
    expect(parseScgiResponse(bytes('<?xml version="1.0"?><methodResponse/>')).body.toString()).toBe(
      '<?xml version="1.0"?><methodResponse/>',
    );
    expect(parseScgiResponse(bytes('{"result":1}'))).toMatchObject({ status: 200, headers: {} });
  });

  it('joins repeated headers', () => {
    expect(parseScgiResponse(bytes('X-A: 1\r\nx-a: 2\r\n\r\n')).headers['x-a']).toBe('1, 2');
  });

  it('says the connection was lost when the answer is cut short', () => {
    expect(errorOf(() => parseScgiResponse(new Uint8Array())).code).toBe('connection-lost');
    expect(errorOf(() => parseScgiResponse(bytes('Status: 200 OK\r\nContent-Le'))).code).toBe('connection-lost');
    const short = errorOf(() => parseScgiResponse(bytes('Content-Length: 10\r\n\r\n12345'), 'scgi://x:1'));
    expect(short.code).toBe('connection-lost');
    expect(short.message).toContain('scgi://x:1');
    expect(short.details).toMatchObject({ receivedBytes: 5, expectedBytes: 10 });
  });

  it.each([
    ['a line that is not a header', 'this is not a header\r\n\r\n'],
    ['a binary first line', '\x00\x01\x02'],
    ['a bad Content-Length', 'Content-Length: -3\r\n\r\n'],
    ['a bad Status', 'Status: OK\r\n\r\n'],
    ['an empty first line', '\r\n\r\nbody'],
    ['chunked encoding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'],
  ])('rejects %s as a protocol error', (_, answer) => {
    expect(errorOf(() => parseScgiResponse(bytes(answer))).code).toBe('protocol');
  });

  it('rejects a header block that never ends', () => {
    const endless = bytes(`X-Pad: ${'a'.repeat(MAX_SCGI_HEADER_BYTES)}`);
    expect(errorOf(() => parseScgiResponse(endless)).code).toBe('protocol');
  });

  it('never throws anything but a SeedboxError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        try {
          const response = parseScgiResponse(input);
          expect(response.body.byteLength).toBeLessThanOrEqual(input.byteLength);
        } catch (error) {
          expect(error).toBeInstanceOf(SeedboxError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but a SeedboxError on header-like text either', () => {
    const headerish = fc
      .array(fc.constantFrom('Status: ', '200', ' OK', 'HTTP/1.1 ', 'Content-Length: ', '5', ':', '\r\n', '\n', 'X', '<', 'é'), {
        maxLength: 30,
      })
      .map((parts) => bytes(parts.join('')));
    fc.assert(
      fc.property(headerish, (input) => {
        try {
          parseScgiResponse(input);
        } catch (error) {
          expect(error).toBeInstanceOf(SeedboxError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ScgiResponseParser', () => {
  const answer = bytes('Status: 200 OK\r\nContent-Length: 5\r\n\r\nhello');

  it('knows the answer is complete exactly at its last byte', () => {
    const parser = new ScgiResponseParser();
    for (let i = 0; i < answer.byteLength; i += 1) {
      const complete = parser.push(answer.subarray(i, i + 1));
      expect(complete).toBe(i === answer.byteLength - 1);
    }
    expect(parser.head).toMatchObject({ status: 200, contentLength: 5, statusSource: 'status-header' });
  });

  it('is never complete without Content-Length (read to end of stream)', () => {
    const parser = new ScgiResponseParser();
    expect(parser.push(bytes('Status: 200 OK\r\n\r\nsome body'))).toBe(false);
    expect(parser.head?.contentLength).toBeUndefined();
    expect(parser.push(bytes('<'))).toBe(false);
  });

  it('spots an HTTP server on its first bytes', () => {
    const parser = new ScgiResponseParser();
    parser.push(bytes('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    expect(parser.head).toMatchObject({ status: 400, statusSource: 'http-status-line' });
  });

  it('fails on garbage before the line ends', () => {
    const parser = new ScgiResponseParser('scgi://127.0.0.1:1');
    const error = errorOf(() => parser.push(bytes('\x16\x03\x01 binary')));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('scgi://127.0.0.1:1');
  });

  it('waits patiently on a status line or a CR arriving in pieces', () => {
    const parser = new ScgiResponseParser();
    for (const piece of ['HTTP/', '1.1 2', '00 OK\r', '\n', 'Content-Length: 0\r', '\n\r', '\n']) parser.push(bytes(piece));
    expect(parser.complete).toBe(true);
  });

  it('agrees with the whole-answer parser however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: answer.byteLength }), { maxLength: 6 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), answer.byteLength];
        const parser = new ScgiResponseParser();
        for (let i = 1; i < points.length; i += 1) parser.push(answer.subarray(points[i - 1], points[i]));
        expect(parser.complete).toBe(true);
        expect(parser.head).toEqual(parseScgiHead(answer));
      }),
    );
  });
});
