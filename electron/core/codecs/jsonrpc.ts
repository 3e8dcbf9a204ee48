// JSON-RPC 2.0 for rTorrent 0.15+: the same methods and parameters as XML-RPC (the target ""
// first for d.* calls), the same value model, and an error object becomes the same 'rpc-fault'
// an XML-RPC fault does.
//
// JSON has no binary type, so a Uint8Array parameter is refused with 'invalid-argument':
// callers that upload bytes (load.raw, load.raw_start) must use the XML-RPC codec for that call.

import { SeedboxError } from '../../shared/errors';
import {
  assertEncodableInteger,
  assertMethodName,
  describeReceived,
  describeType,
  invalidParam,
  isStruct,
  MAX_VALUE_DEPTH,
  bodyToText,
} from './xmlrpc';
import type { XmlRpcValue } from './xmlrpc';

export type JsonRpcId = number | string;

/** True when the value holds bytes somewhere, i.e. when the call must go over XML-RPC instead. */
export function containsBinary(value: XmlRpcValue | readonly XmlRpcValue[]): boolean {
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) return value.some((item: XmlRpcValue) => containsBinary(item));
  if (isStruct(value)) return Object.values(value).some((member) => containsBinary(member));
  return false;
}

// With the u flag, a surrogate pair is one code point, so only unpaired halves match.
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u;

/** Refuses what rTorrent's JSON-RPC cannot take, naming the path; the value itself is sent as is. */
function assertJsonParam(value: unknown, path: string, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw invalidParam(path, `nested deeper than ${MAX_VALUE_DEPTH} levels (or cyclic)`);
  switch (typeof value) {
    case 'string':
      // JSON.stringify would write a lone surrogate as an escape no UTF-8 server can store.
      if (UNPAIRED_SURROGATE.test(value)) throw invalidParam(path, 'the string contains an unpaired surrogate');
      return;
    case 'number':
      assertEncodableInteger(value, path);
      return;
    case 'boolean':
      return;
    case 'object':
      if (value instanceof Uint8Array) {
        throw invalidParam(path, 'binary data cannot be sent over JSON-RPC (send this call over XML-RPC)');
      }
      if (Array.isArray(value)) {
        value.forEach((item: unknown, index) => assertJsonParam(item, `${path}[${index}]`, depth + 1));
        return;
      }
      if (isStruct(value)) {
        for (const [name, member] of Object.entries(value)) assertJsonParam(member, `${path}.${name}`, depth + 1);
        return;
      }
      break;
    default: // undefined, bigint, symbol, function: refused below.
  }
  throw invalidParam(path, `${describeType(value)} has no JSON-RPC form rTorrent accepts`);
}

export function encodeJsonRpcRequest(method: string, params: readonly XmlRpcValue[], id: JsonRpcId): Buffer {
  assertMethodName(method);
  params.forEach((param, index) => assertJsonParam(param, `params[${index}]`, 1));
  return Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, params, id }), 'utf8');
}

function protocolError(message: string): SeedboxError {
  return new SeedboxError('protocol', message);
}

/** JSON.parse output is already in the value model; only its depth needs bounding. */
function assertBoundedDepth(value: unknown, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) throw protocolError(`JSON-RPC response nested deeper than ${MAX_VALUE_DEPTH} levels`);
  if (typeof value !== 'object' || value === null) return;
  for (const member of Array.isArray(value) ? value : Object.values(value)) assertBoundedDepth(member, depth + 1);
}

function faultFrom(error: unknown): SeedboxError {
  if (isStruct(error) && typeof error.code === 'number' && typeof error.message === 'string') {
    const faultCode = error.code;
    const faultString = error.message;
    return new SeedboxError('rpc-fault', `${faultString} (fault ${faultCode})`, { faultCode, faultString });
  }
  return protocolError('Malformed JSON-RPC response: an error without a numeric code and a message');
}

/** The result of a JSON-RPC response; an error object throws 'rpc-fault', anything else wrong 'protocol'. */
export function decodeJsonRpcResponse(body: Buffer, expectedId: JsonRpcId): XmlRpcValue {
  const text = bodyToText(body);
  // JSON.parse itself takes any depth; the walks after it are bounded (assertBoundedDepth).
  let response: unknown;
  try {
    response = JSON.parse(text);
  } catch (error) {
    throw new SeedboxError('protocol', `Expected a JSON-RPC response, received ${describeReceived(text)}`, {}, { cause: error });
  }
  return decodeJsonRpcMessage(response, expectedId, () => describeReceived(text));
}

/** One already parsed response (an item of a batch, say): the result, or the 'rpc-fault' its error object stands for. */
export function decodeJsonRpcMessage(response: unknown, expectedId: JsonRpcId, received: () => string = () => describeType(response)): XmlRpcValue {
  if (!isStruct(response) || ('jsonrpc' in response && response.jsonrpc !== '2.0')) {
    throw protocolError(`Expected a JSON-RPC 2.0 response, received ${received()}`);
  }
  const hasResult = 'result' in response;
  const hasError = 'error' in response;
  if (hasResult === hasError) {
    throw protocolError('Malformed JSON-RPC response: it needs exactly one of "result" and "error"');
  }
  // A server that could not read our id answers an error with id null.
  const idMatches = response.id === expectedId || (hasError && response.id === null);
  if (!idMatches) {
    throw protocolError(`JSON-RPC response for id ${String(JSON.stringify(response.id)).slice(0, 40)} where ${JSON.stringify(expectedId)} was expected`);
  }
  if (hasError) throw faultFrom(response.error);
  const result = response.result as XmlRpcValue;
  assertBoundedDepth(result, 1);
  return result;
}
