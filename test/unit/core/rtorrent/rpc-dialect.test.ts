import { describe, expect, it } from 'vitest';
import { SeedboxError } from '../../../../electron/shared/errors';
import { decodeMethodResponse } from '../../../../electron/core/codecs/xmlrpc';
import { RtorrentRpc } from '../../../../electron/core/clients/rtorrent/rpc';
import type { RpcResponse, RpcTransport } from '../../../../electron/core/transports/types';

// No JSON-RPC rTorrent (0.15.2+, or the jesec fork) is packaged for these machines, so the JSON
// side is exercised against a scripted transport that answers in the shapes rTorrent's
// jsonrpc.cc produces (the XML side runs against the real 0.9.8 in test/live).
interface Seen {
  contentType: string;
  body: string;
}

function scripted(answer: (request: Seen) => string): { transport: RpcTransport; seen: Seen[] } {
  const seen: Seen[] = [];
  const transport: RpcTransport = {
    description: 'scripted',
    async request(body, contentType): Promise<RpcResponse> {
      const request = { contentType, body: Buffer.from(body).toString('utf8') };
      seen.push(request);
      return { status: 200, headers: {}, body: Buffer.from(answer(request)) };
    },
  };
  return { transport, seen };
}

const XML_FAULT_NOT_XML =
  '<?xml version="1.0" encoding="UTF-8"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-503</i4></value></member><member><name>faultString</name><value><string>Call XML not a proper XML-RPC call.  Call is not valid XML.  not well-formed</string></value></member></struct></value></fault></methodResponse>';
const xmlValue = (inner: string): string => `<?xml version="1.0"?><methodResponse><params><param><value>${inner}</value></param></params></methodResponse>`;

describe('rTorrent RPC dialect', () => {
  it('stays on XML-RPC when the JSON probe gets an XML fault back (rTorrent 0.9.8)', async () => {
    const { transport, seen } = scripted((request) =>
      request.contentType === 'application/json' ? XML_FAULT_NOT_XML : xmlValue('<array><data><value><string>system.listMethods</string></value></data></array>'),
    );
    const rpc = new RtorrentRpc(transport);
    expect(await rpc.detectDialect()).toEqual(['system.listMethods']);
    expect(rpc.dialect).toBe('xmlrpc');
    expect(seen.map((request) => request.contentType)).toEqual(['application/json', 'text/xml']);
  });

  it('speaks JSON-RPC when offered, with batches for several calls matched by id', async () => {
    const { transport, seen } = scripted((request) => {
      const parsed = JSON.parse(request.body);
      if (Array.isArray(parsed)) {
        // Answer out of order: replies must be matched by id, not by position.
        return JSON.stringify(
          parsed
            .map((call: { id: number; method: string; params: string[] }) =>
              call.params[0] === 'F'.repeat(40)
                ? { jsonrpc: '2.0', id: call.id, error: { code: -32602, message: 'invalid parameters: info-hash not found' } }
                : { jsonrpc: '2.0', id: call.id, result: `${call.method}:${call.params[0]}` },
            )
            .reverse(),
        );
      }
      return JSON.stringify({ jsonrpc: '2.0', id: parsed.id, result: parsed.method === 'system.listMethods' ? ['d.multicall2'] : [['AB'.repeat(20), 'name', 5]] });
    });
    const rpc = new RtorrentRpc(transport);
    expect(await rpc.detectDialect()).toEqual(['d.multicall2']);
    expect(rpc.dialect).toBe('jsonrpc');
    expect(await rpc.rows('d.multicall2', ['', 'main', 'd.hash=', 'd.name=', 'd.size_bytes='])).toEqual([['AB'.repeat(20), 'name', 5]]);
    const results = await rpc.multicall([
      { method: 'd.name', params: ['A'.repeat(40)] },
      { method: 'd.name', params: ['F'.repeat(40)] },
    ]);
    expect(results).toEqual([
      { ok: true, value: `d.name:${'A'.repeat(40)}` },
      { ok: false, faultCode: -32602, faultString: 'invalid parameters: info-hash not found' },
    ]);
    expect(seen.every((request) => request.contentType === 'application/json')).toBe(true);
  });

  it('sends binary parameters (load.raw) as XML-RPC base64 even in JSON mode', async () => {
    const { transport, seen } = scripted((request) =>
      request.contentType === 'application/json' ? JSON.stringify({ jsonrpc: '2.0', id: JSON.parse(request.body).id, result: [] }) : xmlValue('<i4>0</i4>'),
    );
    const rpc = new RtorrentRpc(transport);
    await rpc.detectDialect();
    expect(await rpc.call('load.raw', ['', new Uint8Array([100, 101])])).toBe(0);
    expect(seen.at(-1)).toMatchObject({ contentType: 'text/xml' });
    expect(seen.at(-1)!.body).toContain('<base64>ZGU=</base64>');
  });

  it('retries over XML-RPC when rTorrent cannot put a non-UTF-8 name into JSON', async () => {
    const { transport, seen } = scripted((request) => {
      if (request.contentType === 'text/xml') return xmlValue('<array><data><value><array><data><value><string>caf\u00e9</string></value></data></array></value></data></array>');
      const parsed = JSON.parse(request.body);
      if (parsed.method === 'system.listMethods') return JSON.stringify({ jsonrpc: '2.0', id: parsed.id, result: [] });
      return JSON.stringify({ jsonrpc: '2.0', id: parsed.id, error: { code: -32700, message: '[json.exception.type_error.316] invalid UTF-8 byte' } });
    });
    const rpc = new RtorrentRpc(transport);
    await rpc.detectDialect();
    expect(await rpc.call('d.multicall2', ['', 'main', 'd.name='])).toEqual([['caf\u00e9']]);
    expect(seen.map((request) => request.contentType)).toEqual(['application/json', 'application/json', 'text/xml']);
    expect(rpc.dialect).toBe('jsonrpc');
  });

  it('turns JSON-RPC errors into the same typed faults as XML-RPC', async () => {
    const { transport } = scripted((request) => {
      const parsed = JSON.parse(request.body);
      if (parsed.method === 'system.listMethods') return JSON.stringify({ jsonrpc: '2.0', id: parsed.id, result: [] });
      return JSON.stringify({ jsonrpc: '2.0', id: parsed.id, error: { code: -32601, message: 'method not found: d.nope' } });
    });
    const rpc = new RtorrentRpc(transport);
    await rpc.detectDialect();
    const error = await rpc.call('d.nope', ['']).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(SeedboxError);
    expect((error as SeedboxError).details).toMatchObject({ faultCode: -32601 });
    // Same shape as an XML-RPC fault decoded from the wire.
    expect(() => decodeMethodResponse(XML_FAULT_NOT_XML)).toThrow(SeedboxError);
  });
});
