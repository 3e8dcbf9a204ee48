// Every failure a user can meet is one of these codes, with a message written for a person
// (no stack trace, no raw dump) and, where useful, structured details the UI or CLI can show.

export const ERROR_CODES = [
  /** The caller asked for something malformed (bad id, bad option, bad URL). */
  'invalid-argument',
  /** A .torrent that is not one, a magnet without an info-hash, and so on. */
  'invalid-torrent',
  /** Nobody listens there (ECONNREFUSED, missing Unix socket). */
  'connection-refused',
  /** The connection broke mid-way (ECONNRESET, EPIPE, closed before the answer ended). */
  'connection-lost',
  /** Host name did not resolve, network unreachable. */
  'host-unreachable',
  'timeout',
  /** The peer answered, but not in the protocol we expected (an HTTP port for SCGI, HTML). */
  'protocol',
  /** The answer was larger than the configured bound. */
  'response-too-large',
  /** Wrong user name or password, or no credentials where some are needed. */
  'auth-failed',
  /** Logged in, but this account may not do that (read-only account, IP ban). */
  'forbidden',
  /** TLS could not be verified and no pin matches: details carry the presented certificate. */
  'tls-untrusted',
  /** The pinned certificate changed: details carry both fingerprints. */
  'tls-pin-mismatch',
  /** Any other TLS failure (handshake, protocol version). */
  'tls-failed',
  /** No torrent with that id on this seedbox. */
  'not-found',
  /** The torrent is already on that seedbox. */
  'already-exists',
  /** The daemon answered with an error of its own (an XML-RPC fault, a Deluge exception). */
  'rpc-fault',
  /** The client or daemon cannot do this (a capability that is false). */
  'unsupported',
  /** We refuse to do it because it is unsafe (deleting outside the torrent's folder). */
  'refused',
  /** The seedbox is not connected right now. */
  'unavailable',
  /** A bug of ours; the message says what. */
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export class SeedboxError extends Error {
  override readonly name = 'SeedboxError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  /** The plain form that crosses IPC and goes into --json error output. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isSeedboxError(value: unknown): value is SeedboxError {
  return value instanceof SeedboxError;
}

/** Wraps anything thrown into a SeedboxError, keeping a SeedboxError as it is. */
export function toSeedboxError(value: unknown): SeedboxError {
  if (value instanceof SeedboxError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new SeedboxError('internal', message, {}, { cause: value });
}
