import { SeedboxError } from '../../shared/errors';
/**
 * One XML-RPC value. `null` only comes out of decoding (<nil/>). Integers are JS numbers:
 * an <i8> beyond ±2^53 loses precision (rTorrent's byte counters stay far below that).
 */
export type XmlRpcValue = string | number | boolean | null | Uint8Array | XmlRpcValue[] | {
    [key: string]: XmlRpcValue;
};
export type XmlRpcStruct = {
    [key: string]: XmlRpcValue;
};
/** Deeper values are refused both ways: nothing rTorrent sends nests beyond a few levels. */
export declare const MAX_VALUE_DEPTH = 64;
/** A parameter we cannot send, named by its path ("params[1].name[0]"). */
export declare function invalidParam(path: string, problem: string): SeedboxError;
export declare function isStruct(value: unknown): value is XmlRpcStruct;
/** What a value is, for error messages. */
export declare function describeType(value: unknown): string;
/** rTorrent only takes 64-bit integers; a fraction or an inexact integer is a caller bug. */
export declare function assertEncodableInteger(value: number, path: string): void;
export declare function assertMethodName(method: string): void;
/** The first character of `text` that XML 1.0 cannot carry, described, or undefined. */
export declare function findIllegalXmlChar(text: string): string | undefined;
/** At most ~80 characters of what we received, printable, for an error message. */
export declare function describeReceived(received: string): string;
export declare function bodyToText(body: Buffer | Uint8Array | string): string;
/**
 * Raw XML character data → text: line ends normalized as XML requires, the five predefined
 * entities and numeric references decoded, in one linear pass with no count limit (50 000
 * torrent names full of &amp; are normal). Throws 'protocol' on a bare or unknown reference.
 */
export declare function decodeXmlText(raw: string): string;
/**
 * The integer in text[start, end) (an <i4>/<int>/<i8> body, surrounding whitespace allowed), or
 * undefined when it is not one. Reads digits in place: the torrent list holds ~10^5 of them.
 */
export declare function parseIntegerText(text: string, start?: number, end?: number): number | undefined;
/** Sets a struct member; "__proto__" from the wire becomes an ordinary key, not a prototype. */
export declare function setMember(struct: XmlRpcStruct, name: string, value: XmlRpcValue): void;
/** A complete <methodCall> document, UTF-8. */
export declare function encodeMethodCall(method: string, params: readonly XmlRpcValue[]): Buffer;
/**
 * The value of a <methodResponse>. A <fault> throws 'rpc-fault' with {faultCode, faultString};
 * anything that is not a well-formed methodResponse throws 'protocol'.
 */
export declare function decodeMethodResponse(xml: Buffer | string): XmlRpcValue;
export type MulticallResult = {
    ok: true;
    value: XmlRpcValue;
} | {
    ok: false;
    faultCode: number;
    faultString: string;
};
/** The per-call outcomes of a system.multicall answer: [value] on success, a fault struct otherwise. */
export declare function decodeMulticallResults(value: XmlRpcValue): MulticallResult[];
