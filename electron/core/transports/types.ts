import type { Duplex } from 'node:stream';
import type { DaemonSocket } from '../../shared/daemons/address';

/** Where a stream transport connects: a TCP port or a local Unix socket, as the catalogue reads an address. */
export type Endpoint = DaemonSocket;

/**
 * Opens the raw byte stream to an endpoint. The default dials directly; a SOCKS or HTTP
 * proxy, or an SSH tunnel, supplies its own, so transports never need to know about them.
 */
export type Connector = (endpoint: Endpoint, signal: AbortSignal) => Promise<Duplex>;

/** Pinning and verification for TLS connections. */
export interface TlsOptions {
  /**
   * SHA-256 fingerprint of the leaf certificate the user accepted, as 64 hex digits (colons
   * and case ignored). With a pin, the certificate must match it exactly, CA-signed or not.
   * Without one, normal CA verification applies.
   */
  pinnedSha256?: string;
  /** Server name to present and verify, when it differs from the host dialled. */
  serverName?: string;
  /**
   * Certificate authorities (PEM) to trust instead of the system store, for a private CA.
   * Only used when there is no pin.
   */
  ca?: string | Buffer;
}

export interface TransportOptions {
  /** Whole-call deadline in milliseconds, connect included. */
  timeoutMs?: number;
  /** Responses larger than this fail with 'response-too-large'. */
  maxResponseBytes?: number;
  connector?: Connector;
  tls?: TlsOptions;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Generous: a full rTorrent list of 50 000 torrents is about 40 MB of XML. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** One request and its complete answer; both rTorrent dialects (XML-RPC, JSON-RPC) use it. */
export interface RpcTransport {
  /**
   * Sends one request body with its content type and resolves with the full response body.
   * `onBody`, when given, also receives the body's bytes as they arrive (a successful answer's
   * only), so a caller can start reading a large answer before its end; what it throws fails
   * the request.
   */
  request(body: Uint8Array, contentType: string, onBody?: (chunk: Buffer) => void): Promise<RpcResponse>;
  /** For messages: "scgi://127.0.0.1:5000", "https://host/RPC2" (never with credentials). */
  readonly description: string;
}

export interface RpcResponse {
  body: Buffer;
  /** Lower-cased header names; SCGI answers carry CGI-style headers too. */
  headers: Record<string, string>;
  status: number;
}
