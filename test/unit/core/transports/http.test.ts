import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../../../../electron/core/transports/http';
import { closeAllServers, closedPort, listen, makeCertificates, type KeyPair, type TestCertificates } from './fixtures';
import { rejectionOf as failure } from '../../../helpers/errors';

afterEach(closeAllServers);

let certs: TestCertificates;
beforeAll(() => {
  certs = makeCertificates();
});

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const answerXml: Handler = (_, res) => {
  res.writeHead(200, { 'Content-Type': 'text/xml' });
  res.end('<methodResponse/>');
};

/** A web server that records every request; `handler` answers it once its body is read. */
async function webServer(handler: Handler, tlsPair?: KeyPair): Promise<{ origin: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = tlsPair ? https.createServer({ key: tlsPair.key, cert: tlsPair.cert }, onRequest) : http.createServer(onRequest);
  server.on('tlsClientError', () => {});
  const running = await listen(server);
  return { origin: `${tlsPair ? 'https' : 'http'}://127.0.0.1:${running.port}`, seen };
}

/** Basic auth the way a web server decodes it. */
function credentialsOf(request: SeenRequest | undefined): string | undefined {
  const header = request?.headers.authorization;
  if (header === undefined) return undefined;
  expect(header).toMatch(/^Basic /);
  return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
}

const call = Buffer.from('<?xml version="1.0"?><methodCall><methodName>system.pid</methodName></methodCall>');

describe('createHttpTransport over http', () => {
  it('POSTs to /RPC2 when the URL has no path, and returns the answer', async () => {
    const { origin, seen } = await webServer(answerXml);
    for (const url of [origin, `${origin}/`]) {
      const transport = createHttpTransport({ url });
      expect(transport.description).toBe(`${origin}/RPC2`);
      const response = await transport.request(call, 'text/xml');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/xml');
      expect(response.body.toString()).toBe('<methodResponse/>');
    }
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/RPC2'],
      ['POST', '/RPC2'],
    ]);
    expect(seen[0]?.headers['content-type']).toBe('text/xml');
    expect(seen[0]?.headers.host).toBe(new URL(origin).host);
    expect(seen[0]?.body).toBe(call.toString());
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('keeps an explicit path and query', async () => {
    const { origin, seen } = await webServer(answerXml);
    await createHttpTransport({ url: `${origin}/rutorrent/plugins/httprpc/action.php?x=1` }).request(call, 'text/xml');
    expect(seen[0]?.url).toBe('/rutorrent/plugins/httprpc/action.php?x=1');
  });

  it('sends basic auth from the options', async () => {
    const { origin, seen } = await webServer(answerXml);
    await createHttpTransport({ url: origin, username: 'alice', password: 'sécret:1' }).request(call, 'text/xml');
    expect(credentialsOf(seen[0])).toBe('alice:sécret:1');
  });

  it('takes credentials from the URL, percent-decoded, and never shows them', async () => {
    const { origin, seen } = await webServer(answerXml);
    const url = origin.replace('http://', 'http://us%40er:p%3Ass%20w%C3%B6rd@');
    const transport = createHttpTransport({ url });
    expect(transport.description).toBe(`${origin}/RPC2`);
    await transport.request(call, 'text/xml');
    expect(credentialsOf(seen[0])).toBe('us@er:p:ss wörd');
  });

  it('lets the options win over the URL', async () => {
    const { origin, seen } = await webServer(answerXml);
    const url = origin.replace('http://', 'http://urluser:urlpass@');
    await createHttpTransport({ url, username: 'alice', password: 'secret' }).request(call, 'text/xml');
    await createHttpTransport({ url, password: 'other' }).request(call, 'text/xml');
    expect(credentialsOf(seen[0])).toBe('alice:secret');
    expect(credentialsOf(seen[1])).toBe('urluser:other');
  });

  it('says credentials are required, or wrong, on 401', async () => {
    const { origin } = await webServer((_, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="rtorrent"' });
      res.end();
    });
    const missing = await failure(createHttpTransport({ url: origin }).request(call, 'text/xml'));
    expect(missing.code).toBe('auth-failed');
    expect(missing.message).toContain('requires credentials');
    const wrong = await failure(createHttpTransport({ url: origin, username: 'a', password: 'hunter2' }).request(call, 'text/xml'));
    expect(wrong.code).toBe('auth-failed');
    expect(wrong.message).toContain('Wrong user name or password');
    expect(wrong.message).not.toContain('hunter2');
    expect(JSON.stringify(wrong.details)).not.toContain('hunter2');
  });

  it('says forbidden on 403', async () => {
    const { origin } = await webServer((_, res) => {
      res.writeHead(403);
      res.end('go away');
    });
    const error = await failure(createHttpTransport({ url: origin }).request(call, 'text/xml'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(`${origin}/RPC2`);
  });

  it('explains a 404 as a wrong mount path', async () => {
    const { origin } = await webServer((_, res) => {
      res.writeHead(404);
      res.end('<html>not found</html>');
    });
    const error = await failure(createHttpTransport({ url: `${origin}/rpc` }).request(call, 'text/xml'));
    expect(error.code).toBe('protocol');
    expect(error.message).toMatch(/path in the address is probably wrong.*\/RPC2/);
    expect(error.details).toMatchObject({ status: 404 });
  });

  it('does not follow redirects but says where they point', async () => {
    const { origin, seen } = await webServer((_, res) => {
      res.writeHead(301, { Location: 'https://user:pw@elsewhere.example/RPC2' });
      res.end();
    });
    const error = await failure(createHttpTransport({ url: origin }).request(call, 'text/xml'));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('https://elsewhere.example/RPC2');
    expect(error.message).not.toContain('pw@');
    expect(seen).toHaveLength(1);
  });

  it.each([301, 302, 303, 307, 308])('never resends credentials on a %i redirect, to another server or the same one', async (status) => {
    const elsewhere = await webServer(answerXml);
    for (const location of [`${elsewhere.origin}/RPC2`, '/RPC2-moved', `http://u:12/ss@127.0.0.1:${new URL(elsewhere.origin).port}/RPC2`]) {
      const { origin, seen } = await webServer((_, res) => {
        res.writeHead(status, { Location: location });
        res.end();
      });
      const error = await failure(createHttpTransport({ url: origin, username: 'alice', password: 'secret' }).request(call, 'text/xml'));
      expect(error.code).toBe('protocol');
      expect(error.message).toMatch(/redirects are not followed/);
      // One request, the one asked for: the redirect is neither followed nor retried.
      expect(seen).toHaveLength(1);
      expect(credentialsOf(seen[0])).toBe('alice:secret');
      expect(`${error.message} ${JSON.stringify(error.details)}`).not.toMatch(/12\/ss|secret/);
    }
    expect(elsewhere.seen).toEqual([]);
  });

  it('reports other statuses as protocol errors', async () => {
    const { origin } = await webServer((_, res) => {
      res.writeHead(502, 'Bad Gateway');
      res.end();
    });
    const error = await failure(createHttpTransport({ url: origin }).request(call, 'text/xml'));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('502 Bad Gateway');
  });

  it('stops reading at once when the answer exceeds the bound', async () => {
    const { origin } = await webServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const started = Date.now();
    const error = await failure(
      createHttpTransport({ url: origin, maxResponseBytes: 512 * 1024, timeoutMs: 10_000 }).request(call, 'text/xml'),
    );
    expect(error.code).toBe('response-too-large');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('times out when the server never answers', async () => {
    const { origin } = await webServer(() => {});
    const started = Date.now();
    const error = await failure(createHttpTransport({ url: origin, timeoutMs: 300 }).request(call, 'text/xml'));
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('says connection refused when nothing listens', async () => {
    const port = await closedPort();
    const error = await failure(createHttpTransport({ url: `http://127.0.0.1:${port}` }).request(call, 'text/xml'));
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain(`http://127.0.0.1:${port}/RPC2`);
  });

  it('hints at scgi:// when the server hangs up without answering', async () => {
    // rTorrent's SCGI port drops an HTTP request that is not a netstring.
    const server = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.destroy());
      }),
    );
    const error = await failure(createHttpTransport({ url: `http://127.0.0.1:${server.port}` }).request(call, 'text/xml'));
    expect(error.code).toBe('connection-lost');
    expect(error.message).toContain('scgi://');
  });

  it('calls a malformed answer a protocol error', async () => {
    const server = await listen(
      net.createServer((socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.end('Status: 200 OK\r\nContent-Length: 2\r\n\r\nok'));
      }),
    );
    const error = await failure(createHttpTransport({ url: `http://127.0.0.1:${server.port}` }).request(call, 'text/xml'));
    expect(error.code).toBe('protocol');
  });

  it('refuses bad URLs without echoing them', async () => {
    expect(() => createHttpTransport({ url: 'http://user:hunter2@[bad' })).toThrow(
      expect.objectContaining({ code: 'invalid-argument', message: expect.not.stringContaining('hunter2') }),
    );
    expect(() => createHttpTransport({ url: 'scgi://127.0.0.1:5000' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => createHttpTransport({ url: 'http://%E0%A4%A@host/' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

describe('createHttpTransport over https', () => {
  it('talks to a self-signed server whose certificate is pinned', async () => {
    const { origin, seen } = await webServer(answerXml, certs.selfSigned);
    const transport = createHttpTransport({
      url: origin.replace('127.0.0.1', 'localhost'),
      username: 'alice',
      password: 'secret',
      tls: { pinnedSha256: certs.selfSigned.fingerprint },
    });
    const response = await transport.request(call, 'text/xml');
    expect(response.body.toString()).toBe('<methodResponse/>');
    expect(credentialsOf(seen[0])).toBe('alice:secret');
  });

  it('sends nothing, credentials least of all, when the pin does not match', async () => {
    const { origin, seen } = await webServer(answerXml, certs.selfSigned);
    const error = await failure(
      createHttpTransport({ url: origin, username: 'alice', password: 'secret', tls: { pinnedSha256: certs.leaf.fingerprint } }).request(
        call,
        'text/xml',
      ),
    );
    expect(error.code).toBe('tls-pin-mismatch');
    expect(error.details).toMatchObject({ presented: certs.selfSigned.fingerprint, expected: certs.leaf.fingerprint });
    expect(error.message).toContain(`${origin}/RPC2`);
    expect(seen).toHaveLength(0);
  });

  it('calls an unpinned self-signed certificate untrusted, with the fingerprint to pin', async () => {
    const { origin, seen } = await webServer(answerXml, certs.selfSigned);
    const error = await failure(createHttpTransport({ url: origin }).request(call, 'text/xml'));
    expect(error.code).toBe('tls-untrusted');
    expect(error.details.presented).toBe(certs.selfSigned.fingerprint);
    expect(error.message).toContain(certs.selfSigned.fingerprint);
    expect(seen).toHaveLength(0);
  });

  it('trusts a certificate from a private CA it is given', async () => {
    const { origin } = await webServer(answerXml, certs.leaf);
    for (const url of [origin, origin.replace('127.0.0.1', 'localhost')]) {
      const response = await createHttpTransport({ url, tls: { ca: certs.ca.cert } }).request(call, 'text/xml');
      expect(response.status).toBe(200);
    }
  });

  it('says a plain HTTP port is not TLS', async () => {
    const { origin } = await webServer(answerXml);
    const error = await failure(createHttpTransport({ url: origin.replace('http:', 'https:') }).request(call, 'text/xml'));
    expect(error.code).toBe('tls-failed');
    expect(error.message).toContain('does not speak TLS');
    expect(error.message).not.toContain('SSL routines');
  });
});
