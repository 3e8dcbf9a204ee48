import tls from 'node:tls';
import type { Connector, Endpoint, TlsOptions } from './types';
/** A pin as typed by a person ("AA:BB:…", spaces, any case) as 64 lower-case hex digits. */
export declare function normalizeFingerprint(fingerprint: string): string;
/** SHA-256 of the certificate's DER encoding, as 64 lower-case hex digits. */
export declare function sha256Fingerprint(certificate: {
    raw: Uint8Array;
}): string;
/** "AA:BB:CC:…", the way browsers and `openssl x509 -fingerprint` show it. */
export declare function formatFingerprint(fingerprint: string): string;
/**
 * Opens a TLS session over `connector`'s stream to `endpoint` and verifies the server before
 * returning: nothing of the caller's has been written yet when it resolves or rejects.
 * `host` is the name the certificate must carry (unless tlsOptions.serverName overrides it);
 * `description` names the endpoint in messages (defaults to host:port).
 */
export declare function connectTls(endpoint: Endpoint, host: string, tlsOptions: TlsOptions, connector: Connector, signal: AbortSignal, description?: string): Promise<tls.TLSSocket>;
