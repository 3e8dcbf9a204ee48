import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containsBinary, decodeJsonRpcResponse, encodeJsonRpcRequest } from '../../../../electron/core/codecs/jsonrpc';
import { MAX_VALUE_DEPTH } from '../../../../electron/core/codecs/xmlrpc';
import type { XmlRpcValue } from '../../../../electron/core/codecs/xmlrpc';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('encodeJsonRpcRequest', () => {
  it('writes a JSON-RPC 2.0 request with rTorrent method names and targets', () => {
    const body = encodeJsonRpcRequest('d.multicall2', ['', 'main', 'd.name=', 5, true, ['x'], { k: 'v' }], 7);
    expect(JSON.parse(body.toString('utf8'))).toEqual({
      jsonrpc: '2.0',
      method: 'd.multicall2',
      params: ['', 'main', 'd.name=', 5, true, ['x'], { k: 'v' }],
      id: 7,
    });
    expect(JSON.parse(encodeJsonRpcRequest('system.listMethods', [], 'a').toString()).id).toBe('a');
  });

  it('carries any well-formed Unicode', () => {
    const body = encodeJsonRpcRequest('x', ['été 日本 😀 \u0000 "q" \\'], 1);
    expect(JSON.parse(body.toString('utf8')).params).toEqual(['été 日本 😀 \u0000 "q" \\']);
  });

  it('refuses binary data, telling the caller to use XML-RPC', () => {
    const error = errorOf(() => encodeJsonRpcRequest('load.raw_start', ['', new Uint8Array([1, 2])], 1));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain('params[1]');
    expect(error.message).toContain('XML-RPC');
    expect(containsBinary(['', [{ data: new Uint8Array(1) }]])).toBe(true);
    expect(containsBinary(['', [{ data: 'x' }], 1])).toBe(false);
  });

  it('refuses doubles, NaN, null, undefined and unpaired surrogates, naming the path', () => {
    for (const bad of [1.5, Number.NaN, 2 ** 60, null, undefined, '\uDC00x']) {
      const error = errorOf(() => encodeJsonRpcRequest('x', [{ a: [bad] }] as unknown as XmlRpcValue[], 1));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toContain('params[0].a[0]');
    }
    expect(errorOf(() => encodeJsonRpcRequest('bad name', [], 1)).code).toBe('invalid-argument');
  });
});

describe('decodeJsonRpcResponse', () => {
  it('returns the result', () => {
    expect(decodeJsonRpcResponse(json({ jsonrpc: '2.0', id: 3, result: [['name', 12, 'x&y']] }), 3)).toEqual([['name', 12, 'x&y']]);
    expect(decodeJsonRpcResponse(json({ jsonrpc: '2.0', id: 'q', result: null }), 'q')).toBeNull();
    expect(decodeJsonRpcResponse(json({ jsonrpc: '2.0', id: 1, result: '  007  ' }), 1)).toBe('  007  ');
  });

  it('turns an error object into rpc-fault, like an XML-RPC fault', () => {
    const error = errorOf(() =>
      decodeJsonRpcResponse(json({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'Method not found' } }), 1),
    );
    expect(error.code).toBe('rpc-fault');
    expect(error.message).toBe('Method not found (fault -32601)');
    expect(error.details).toEqual({ faultCode: -32601, faultString: 'Method not found' });
    // A server that could not read the request answers with id null.
    const parseError = errorOf(() =>
      decodeJsonRpcResponse(json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }), 1),
    );
    expect(parseError.code).toBe('rpc-fault');
  });

  it.each([
    ['not JSON', Buffer.from('<html>502</html>')],
    ['empty', Buffer.alloc(0)],
    ['a JSON array', json([1])],
    ['a wrong version', json({ jsonrpc: '1.0', id: 1, result: 1 })],
    ['a wrong id', json({ jsonrpc: '2.0', id: 2, result: 1 })],
    ['a result with id null', json({ jsonrpc: '2.0', id: null, result: 1 })],
    ['neither result nor error', json({ jsonrpc: '2.0', id: 1 })],
    ['both result and error', json({ jsonrpc: '2.0', id: 1, result: 1, error: { code: 1, message: 'x' } })],
    ['a malformed error', json({ jsonrpc: '2.0', id: 1, error: 'boom' })],
    ['a truncated body', Buffer.from('{"jsonrpc":"2.0","id":1,"result":[1,2')],
  ])('throws protocol for %s', (_, body) => {
    const error = errorOf(() => decodeJsonRpcResponse(body, 1));
    expect(error.code).toBe('protocol');
    expect(error.message.length).toBeLessThan(200);
  });

  it('keeps "__proto__" an ordinary key', () => {
    const result = decodeJsonRpcResponse(Buffer.from('{"jsonrpc":"2.0","id":1,"result":{"__proto__":{"polluted":1}}}'), 1);
    expect(Object.keys(result as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects deep nesting with protocol', () => {
    // Levels of values, the innermost scalar included, as for XML-RPC.
    const nested = (levels: number): Buffer =>
      Buffer.from(`{"jsonrpc":"2.0","id":1,"result":${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}}`);
    expect(decodeJsonRpcResponse(nested(MAX_VALUE_DEPTH), 1)).toBeDefined();
    for (const levels of [MAX_VALUE_DEPTH + 1, 100_000]) {
      expect(errorOf(() => decodeJsonRpcResponse(nested(levels), 1)).code).toBe('protocol');
    }
  });

  it('round-trips every encodable value (property)', () => {
    const { value } = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary' }),
        fc.maxSafeInteger(),
        fc.boolean(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), fc.oneof(fc.nat(), fc.string()), (params, id) => {
        const request = JSON.parse(encodeJsonRpcRequest('echo', params, id).toString('utf8')) as { params: XmlRpcValue[] };
        const answer = json({ jsonrpc: '2.0', id, result: request.params });
        expect(decodeJsonRpcResponse(answer, id)).toEqual(params);
      }),
      { numRuns: 300 },
    );
  });

  it('gives a value or a SeedboxError for arbitrary bodies (property)', () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ unit: 'binary', maxLength: 200 }).map((text) => Buffer.from(text)),
      fc.jsonValue().map((value) => json(value)),
      fc.record({ jsonrpc: fc.constant('2.0'), id: fc.constant(1), result: fc.jsonValue() }).map(json),
      fc.record({ jsonrpc: fc.constant('2.0'), id: fc.constant(1), error: fc.jsonValue() }).map(json),
    );
    fc.assert(
      fc.property(body, (bytes) => {
        try {
          decodeJsonRpcResponse(bytes, 1);
        } catch (error) {
          expect(error).toBeInstanceOf(SeedboxError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
