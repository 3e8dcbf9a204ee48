import { SeedboxError } from '../../../shared/errors';
import { type XmlRpcValue } from '../../codecs/xmlrpc';
import type { RpcTransport } from '../../transports/types';
export type Dialect = 'xmlrpc' | 'jsonrpc';
export interface RpcCall {
    method: string;
    params: XmlRpcValue[];
}
export type CallResult = {
    ok: true;
    value: XmlRpcValue;
} | {
    ok: false;
    faultCode: number;
    faultString: string;
};
/**
 * rTorrent's RPC in either dialect over any transport. JSON-RPC (rTorrent 0.15.2+, the jesec
 * fork) is used when the server offers it, because decoding JSON is two orders of magnitude
 * cheaper than XML; XML-RPC otherwise. Detected once per connection by `detectDialect`.
 */
export declare class RtorrentRpc {
    readonly transport: RpcTransport;
    dialect: Dialect;
    private nextId;
    constructor(transport: RpcTransport);
    /**
     * Asks for system.listMethods in JSON. An XML-only server (0.9.8) parses the body as XML and
     * answers with an XML fault; a JSON-capable one answers JSON. Returns the method list.
     */
    detectDialect(): Promise<string[]>;
    call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue>;
    /**
     * Several calls in one round trip, each with its own result or fault: system.multicall in
     * XML-RPC, a batch in JSON-RPC (rTorrent's JSON side has no system.multicall).
     */
    multicall(calls: RpcCall[]): Promise<CallResult[]>;
    /** Like multicall, but any fault throws (mapped by `describeFault`). */
    multicallAll(calls: RpcCall[], describeFault?: (call: RpcCall, faultCode: number, faultString: string) => SeedboxError): Promise<XmlRpcValue[]>;
    /** The hot list call (d.multicall2 and friends): rows of strings and integers, decoded on the fast path. */
    rows(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue[][]>;
    private jsonBatch;
    private xmlMulticall;
}
export declare function faultError(method: string, faultCode: number, faultString: string): SeedboxError;
/** XML-RPC -501 "Could not find info-hash." and JSON-RPC -32602 "...info-hash not found". */
export declare function isUnknownHashFault(faultCode: number, faultString: string): boolean;
