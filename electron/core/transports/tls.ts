// TLS over any Connector's stream, with certificate pinning. Seedboxes often run self-signed
// certificates: instead of a bare handshake error we report the certificate's fingerprint so
// the user can pin it, and with a pin we trust exactly that certificate and nothing else.

import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { SeedboxError, type ErrorDetails } from '../../shared/errors';
import { describeEndpoint, toTransportError } from './connect';
import type { Connector, Endpoint, TlsOptions } from './types';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A pin as typed by a person ("AA:BB:…", spaces, any case) as 64 lower-case hex digits. */
export function normalizeFingerprint(fingerprint: string): string {
  const normalized = fingerprint.replace(/[:\s]/g, '').toLowerCase();
  if (!SHA256_HEX.test(normalized)) {
    throw new SeedboxError(
      'invalid-argument',
      'The pinned certificate fingerprint must be a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed.',
    );
  }
  return normalized;
}

/** SHA-256 of the certificate's DER encoding, as 64 lower-case hex digits. */
export function sha256Fingerprint(certificate: { raw: Uint8Array }): string {
  return createHash('sha256').update(certificate.raw).digest('hex');
}

/** "AA:BB:CC:…", the way browsers and `openssl x509 -fingerprint` show it. */
export function formatFingerprint(fingerprint: string): string {
  return (fingerprint.replace(/[:\s]/g, '').toUpperCase().match(/../g) ?? []).join(':');
}

/**
 * Opens a TLS session over `connector`'s stream to `endpoint` and verifies the server before
 * returning: nothing of the caller's has been written yet when it resolves or rejects.
 * `host` is the name the certificate must carry (unless tlsOptions.serverName overrides it);
 * `description` names the endpoint in messages (defaults to host:port).
 */
export async function connectTls(
  endpoint: Endpoint,
  host: string,
  tlsOptions: TlsOptions,
  connector: Connector,
  signal: AbortSignal,
  description: string = describeEndpoint(endpoint),
): Promise<tls.TLSSocket> {
  const expectedPin = tlsOptions.pinnedSha256 === undefined ? undefined : normalizeFingerprint(tlsOptions.pinnedSha256);
  const serverName = tlsOptions.serverName ?? host;
  const raw = await connector(endpoint, signal);

  const socket = tls.connect({
    socket: raw,
    host: serverName,
    // SNI carries names only; RFC 6066 forbids IP addresses there.
    ...(net.isIP(serverName) === 0 ? { servername: serverName } : {}),
    ...(tlsOptions.ca === undefined ? {} : { ca: tlsOptions.ca }),
    // Not "trust anything": the certificate is verified below (pin, or CA chain and host
    // name) before any byte is written. Letting the handshake finish is what lets us show
    // an untrusted certificate's fingerprint so the user can decide to pin it.
    rejectUnauthorized: false,
  });
  const destroyBoth = (): void => {
    socket.destroy();
    raw.destroy();
  };

  try {
    await waitForSecureConnect(socket, signal);
    verifyPeer(socket, serverName, expectedPin, description);
    return socket;
  } catch (error) {
    destroyBoth();
    throw toTransportError(error, description);
  }
}

function waitForSecureConnect(socket: tls.TLSSocket, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: unknown): void => {
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onSecure = (): void => finish();
    const onError = (error: Error): void => finish(error);
    const onClose = (): void =>
      finish(Object.assign(new Error('the server closed the connection during the TLS handshake'), { code: 'ECONNRESET' }));
    const onAbort = (): void => finish(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    socket.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function verifyPeer(socket: tls.TLSSocket, serverName: string, expectedPin: string | undefined, description: string): void {
  const certificate = socket.getPeerCertificate(false);
  // An empty object when the server sent none (anonymous cipher suites).
  if (!certificate.raw) {
    throw new SeedboxError('tls-failed', `${description} presented no TLS certificate.`, { endpoint: description });
  }
  const presented = sha256Fingerprint(certificate);
  const about: ErrorDetails = {
    endpoint: description,
    presented: formatFingerprint(presented),
    subject: formatDistinguishedName(certificate.subject),
    issuer: formatDistinguishedName(certificate.issuer),
    validFrom: certificate.valid_from,
    validTo: certificate.valid_to,
  };

  if (expectedPin !== undefined) {
    if (presented === expectedPin) return;
    throw new SeedboxError(
      'tls-pin-mismatch',
      `The certificate presented by ${description} is not the one you pinned ` +
        `(pinned ${formatFingerprint(expectedPin)}, presented ${formatFingerprint(presented)}). ` +
        'If the server certificate was renewed on purpose, check the new fingerprint and pin it; ' +
        'otherwise someone may be intercepting the connection.',
      { ...about, expected: formatFingerprint(expectedPin) },
    );
  }

  const reason = socket.authorized ? identityProblem(serverName, certificate) : authorizationProblem(socket.authorizationError);
  if (reason === undefined) return;
  throw new SeedboxError(
    'tls-untrusted',
    `The certificate presented by ${description} is not trusted: ${explainReason(reason)}. ` +
      `If you trust this server, pin its SHA-256 fingerprint: ${formatFingerprint(presented)}`,
    { ...about, reason },
  );
}

/** Node already checks the host name, but we check it again explicitly: it is the point. */
function identityProblem(serverName: string, certificate: tls.PeerCertificate): string | undefined {
  const error: NodeJS.ErrnoException | undefined = tls.checkServerIdentity(serverName, certificate);
  return error === undefined ? undefined : (error.code ?? error.message);
}

/** At run time Node gives the OpenSSL code as a string, though typed as an Error. */
function authorizationProblem(authorizationError: unknown): string {
  if (authorizationError instanceof Error) return authorizationError.message;
  return authorizationError === undefined || authorizationError === null ? 'UNKNOWN' : String(authorizationError);
}

const REASON_EXPLANATIONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by an authority that is not trusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is signed by an authority that is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is signed by an authority that is not trusted',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

function explainReason(reason: string): string {
  return REASON_EXPLANATIONS[reason] ?? reason;
}

function formatDistinguishedName(name: tls.Certificate | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => (value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`)))
    .join(', ');
}
