import type { Duplex } from 'node:stream';
import { SeedboxError } from '../../shared/errors';
import { type Connector, type Endpoint, type TlsOptions, type TransportOptions } from './types';
/** "127.0.0.1:5000", "[::1]:5000" or the socket path. */
export declare function describeEndpoint(endpoint: Endpoint): string;
/**
 * The default Connector: a direct TCP connection or a Unix socket. Rejects with Node's own
 * error (transports map it with toTransportError, naming their endpoint), or with the
 * signal's reason when aborted.
 */
export declare const connectDirect: Connector;
export interface ResolvedTransportOptions {
    timeoutMs: number;
    maxResponseBytes: number;
    connector: Connector;
    tls: TlsOptions;
}
/** Fills in the defaults and rejects nonsense bounds up front. */
export declare function resolveTransportOptions(options?: TransportOptions): ResolvedTransportOptions;
/**
 * Runs one whole call (connect, send, receive) under a deadline. When it expires the signal
 * aborts with a 'timeout' SeedboxError, so whatever `run` opened can tear itself down, and
 * the returned promise rejects with it even if `run` ignores the signal.
 */
export declare function withDeadline<T>(timeoutMs: number, description: string, run: (signal: AbortSignal) => Promise<T>): Promise<T>;
/** Destroys `stream` when `signal` aborts; returns the function that stops watching. */
export declare function destroyOnAbort(stream: Duplex, signal: AbortSignal): () => void;
/**
 * Keeps a response's bytes up to a bound. The chunk that would cross it is refused with
 * 'response-too-large' (and what was kept is dropped), so memory never exceeds the bound.
 */
export declare class BoundedCollector {
    #private;
    readonly maxBytes: number;
    readonly description: string;
    constructor(maxBytes: number, description: string);
    get byteLength(): number;
    append(chunk: Uint8Array): void;
    toBuffer(): Buffer;
}
/**
 * Any failure of a call to `description` as a SeedboxError: SeedboxErrors pass unchanged,
 * Node socket, HTTP parser and TLS errors get a code and a message naming the endpoint.
 */
export declare function toTransportError(error: unknown, description: string): SeedboxError;
export declare function formatDuration(ms: number): string;
export declare function formatBytes(bytes: number): string;
