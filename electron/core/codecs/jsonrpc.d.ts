import type { XmlRpcValue } from './xmlrpc';
export type JsonRpcId = number | string;
/** True when the value holds bytes somewhere, i.e. when the call must go over XML-RPC instead. */
export declare function containsBinary(value: XmlRpcValue | readonly XmlRpcValue[]): boolean;
export declare function encodeJsonRpcRequest(method: string, params: readonly XmlRpcValue[], id: JsonRpcId): Buffer;
/** The result of a JSON-RPC response; an error object throws 'rpc-fault', anything else wrong 'protocol'. */
export declare function decodeJsonRpcResponse(body: Buffer, expectedId: JsonRpcId): XmlRpcValue;
