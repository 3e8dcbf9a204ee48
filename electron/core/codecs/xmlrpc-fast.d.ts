import type { XmlRpcValue } from './xmlrpc';
export type MulticallRow = Array<string | number>;
/**
 * The rows of a d.multicall2 / t.multicall / f.multicall answer whose fields are all strings
 * and integers, or null when the answer is anything else (a fault, other types, a different
 * shape, malformed text). Never throws and never guesses.
 */
export declare function decodeMulticallRows(xml: Buffer): MulticallRow[] | null;
/**
 * Rows of a multicall answer: the fast scanner when it can, else the general decoder, whose
 * faults ('rpc-fault') and errors ('protocol') pass through. The result must be a list of lists.
 */
export declare function decodeMulticallRowsOrGeneral(xml: Buffer): XmlRpcValue[][];
