import { DAEMONS } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import {
  decodeMethodResponse,
  decodeMulticallResults,
  encodeMethodCall,
  isStruct,
  type XmlRpcValue,
} from '../../codecs/xmlrpc';
import { decodeMulticallRows, MulticallRowStream } from '../../codecs/xmlrpc-fast';
import { containsBinary, decodeJsonRpcMessage, decodeJsonRpcResponse, encodeJsonRpcRequest } from '../../codecs/jsonrpc';
import { parseServerJson } from '../../codecs/json';
import type { RpcTransport } from '../../transports/types';
import { checkAnswerOf, checkRows, rowFieldsOf } from './raw';

export type Dialect = 'xmlrpc' | 'jsonrpc';

export interface RpcCall {
  method: string;
  params: XmlRpcValue[];
}

export type CallResult = { ok: true; value: XmlRpcValue } | { ok: false; faultCode: number; faultString: string };

const XML = 'text/xml';
const JSON_TYPE = 'application/json';
/** JSON-RPC's "parse error": rTorrent answers it when a string it returns is not valid UTF-8. */
const JSON_INVALID_UTF8 = -32700;

/**
 * rTorrent's RPC in either dialect over any transport. JSON-RPC (rTorrent 0.15.2+, the jesec
 * fork) is used when the server offers it, because decoding JSON is two orders of magnitude
 * cheaper than XML; XML-RPC otherwise. Detected once per connection by `detectDialect`.
 */
export class RtorrentRpc {
  dialect: Dialect = 'xmlrpc';
  private nextId = 1;

  constructor(readonly transport: RpcTransport) {}

  /**
   * Asks for system.listMethods in JSON. An XML-only server (0.9.8) parses the body as XML and
   * answers with an XML fault; a JSON-capable one answers JSON. Returns the method list.
   */
  async detectDialect(): Promise<string[]> {
    const probe = await this.transport.request(encodeJsonRpcRequest('system.listMethods', [], this.nextId++), JSON_TYPE);
    const firstByte = probe.body.find((byte) => byte > 0x20);
    if (firstByte === 0x7b /* { */ || firstByte === 0x5b /* [ */) {
      let methods: XmlRpcValue | undefined;
      try {
        methods = decodeJsonRpcResponse(probe.body, this.nextId - 1);
      } catch (error) {
        // "JSON-RPC not supported" (switched off on the server, answered with id null) or a
        // JSON answer we cannot use: XML-RPC below will tell whether the server works at all.
        if (!(error instanceof SeedboxError)) throw error;
      }
      if (Array.isArray(methods)) {
        this.dialect = 'jsonrpc';
        return checkAnswerOf('system.listMethods', [], methods) as string[];
      }
    }
    this.dialect = 'xmlrpc';
    return (await this.call('system.listMethods', [])) as string[];
  }

  /** One call; its answer checked against what that method must answer (raw.ts). */
  async call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    return checkAnswerOf(method, params, await this.uncheckedCall(method, params));
  }

  private async uncheckedCall(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    if (this.dialect === 'jsonrpc' && !containsBinary(params)) {
      const id = this.nextId++;
      const response = await this.transport.request(encodeJsonRpcRequest(method, params, id), JSON_TYPE);
      try {
        return decodeJsonRpcResponse(response.body, id);
      } catch (error) {
        if (!isInvalidUtf8Fault(error)) throw error;
        // Torrent names that are not UTF-8 cannot be sent as JSON: ask the same in XML.
      }
    }
    const response = await this.transport.request(encodeMethodCall(method, params), XML);
    return decodeMethodResponse(response.body);
  }

  /**
   * Several calls in one round trip, each with its own result or fault: system.multicall in
   * XML-RPC, a batch in JSON-RPC (rTorrent's JSON side has no system.multicall).
   */
  async multicall(calls: RpcCall[]): Promise<CallResult[]> {
    if (calls.length === 0) return [];
    if (this.dialect === 'jsonrpc' && !calls.some((call) => containsBinary(call.params))) {
      return this.jsonBatch(calls);
    }
    const value = await this.uncheckedCall('system.multicall', [calls.map((call) => ({ methodName: call.method, params: call.params }))]);
    return checkResults(calls, decodeMulticallResults(value));
  }

  /** Like multicall, but any fault throws (mapped by `describeFault`). */
  async multicallAll(calls: RpcCall[], describeFault?: (call: RpcCall, faultCode: number, faultString: string) => SeedboxError): Promise<XmlRpcValue[]> {
    const results = await this.multicall(calls);
    return results.map((result, index) => {
      if (result.ok) return result.value;
      const call = calls[index]!;
      throw describeFault?.(call, result.faultCode, result.faultString) ?? faultError(call.method, result.faultCode, result.faultString);
    });
  }

  /**
   * The hot list call (d.multicall2 and friends): rows of strings and integers, decoded on the
   * fast path. `onRows`, when given, receives every row exactly once, in order, checked: over
   * XML-RPC as the answer arrives (rTorrent writes a 50 000-torrent answer in seconds and sends
   * it at the end; its first rows are then read while the rest is still on the wire), or all at
   * the end when the answer is not of the streamable shape or comes as JSON.
   */
  async rows(method: string, params: XmlRpcValue[], onRows?: (rows: XmlRpcValue[][]) => void): Promise<XmlRpcValue[][]> {
    if (this.dialect === 'jsonrpc') {
      const rows = (await this.call(method, params)) as XmlRpcValue[][];
      onRows?.(rows);
      return rows;
    }
    const fields = rowFieldsOf(method, params) ?? [];
    const stream = onRows ? new MulticallRowStream() : undefined;
    const streamed: XmlRpcValue[][] = [];
    const response = await this.transport.request(
      encodeMethodCall(method, params),
      XML,
      stream &&
        ((chunk) => {
          const rows = stream.push(chunk);
          if (rows.length === 0) return;
          checkRows(method, rows, fields, streamed.length);
          for (const row of rows) streamed.push(row);
          onRows!(rows);
        }),
    );
    if (stream?.finish()) return streamed;
    // The fast scanner when the answer has rtorrent's own shape, else the general decoder; either way checked.
    const rows = checkAnswerOf(method, params, decodeMulticallRows(response.body) ?? decodeMethodResponse(response.body)) as XmlRpcValue[][];
    // Rows already handed over were read strictly from the same bytes: the decoders agree on them.
    if (onRows && rows.length > streamed.length) onRows(rows.slice(streamed.length));
    return streamed.length === 0 ? rows : [...streamed, ...rows.slice(streamed.length)];
  }

  private async jsonBatch(calls: RpcCall[]): Promise<CallResult[]> {
    const firstId = this.nextId;
    this.nextId += calls.length;
    const body = Buffer.concat([
      Buffer.from('['),
      ...calls.flatMap((call, index) => [index > 0 ? Buffer.from(',') : Buffer.alloc(0), encodeJsonRpcRequest(call.method, call.params, firstId + index)]),
      Buffer.from(']'),
    ]);
    const response = await this.transport.request(body, JSON_TYPE);
    const parsed = parseServerJson(response.body.toString('utf8'), DAEMONS.rtorrent.name);
    if (!Array.isArray(parsed)) {
      // One error object for the whole batch, e.g. invalid UTF-8 somewhere: redo it in XML.
      const error = isStruct(parsed) ? parsed.error : undefined;
      if (isStruct(error) && error.code === JSON_INVALID_UTF8) return this.xmlMulticall(calls);
      throw new SeedboxError('protocol', 'rTorrent answered a JSON-RPC batch with something other than a list.');
    }
    const byId = new Map<unknown, unknown>();
    for (const item of parsed) if (isStruct(item)) byId.set(item.id, item);
    const results = calls.map((_, index): CallResult => {
      const item = byId.get(firstId + index);
      if (item === undefined) throw new SeedboxError('protocol', 'rTorrent left a call of a JSON-RPC batch unanswered.');
      try {
        return { ok: true, value: decodeJsonRpcMessage(item, firstId + index) };
      } catch (error) {
        if (error instanceof SeedboxError && error.code === 'rpc-fault') {
          return { ok: false, faultCode: Number(error.details['faultCode']), faultString: String(error.details['faultString']) };
        }
        throw error;
      }
    });
    return checkResults(calls, results);
  }

  private async xmlMulticall(calls: RpcCall[]): Promise<CallResult[]> {
    const saved = this.dialect;
    this.dialect = 'xmlrpc';
    try {
      return await this.multicall(calls);
    } finally {
      this.dialect = saved;
    }
  }
}

/** One result per call, each successful one checked against what its method must answer. */
function checkResults(calls: readonly RpcCall[], results: CallResult[]): CallResult[] {
  if (results.length !== calls.length) {
    throw new SeedboxError('protocol', `rTorrent answered ${results.length} results to ${calls.length} calls.`);
  }
  return results.map((result, index) => {
    if (!result.ok) return result;
    const call = calls[index]!;
    return { ok: true, value: checkAnswerOf(call.method, call.params, result.value) };
  });
}

export function faultError(method: string, faultCode: number, faultString: string): SeedboxError {
  return new SeedboxError('rpc-fault', `rTorrent refused ${method}: ${faultString} (fault ${faultCode})`, { faultCode, faultString, method });
}

/** XML-RPC -501 "Could not find info-hash." and JSON-RPC -32602 "...info-hash not found". */
export function isUnknownHashFault(faultCode: number, faultString: string): boolean {
  return /info-hash/i.test(faultString) && (faultCode === -501 || faultCode === -32602);
}

function isInvalidUtf8Fault(error: unknown): boolean {
  return error instanceof SeedboxError && error.code === 'rpc-fault' && error.details['faultCode'] === JSON_INVALID_UTF8;
}
