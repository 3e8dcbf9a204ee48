import type { ErrorCode, SeedboxError } from '../shared/errors';

/**
 * One exit status per kind of failure, so scripts can tell "fix your command" from "the box
 * is down" from "the torrent is gone". Documented in the README; do not renumber.
 */
export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  connection: 3,
  auth: 4,
  /** A TLS certificate or an SSH host key not trusted (not pinned, or not the pinned one). */
  tls: 5,
  notFound: 6,
  rpcFault: 7,
  invalidTorrent: 8,
  /**
   * Partly done: the rest went through. `rules run`: a rule's action failed on a daemon;
   * `fetch`: some files did not arrive (a local file in the way, a failed piece check, ...).
   */
  partlyDone: 9,
  /** fetch: not enough free space where the files were to go; nothing was written. */
  noSpace: 10,
  /** `rules live`: the person at the terminal did not confirm. */
  declined: 11,
  /** `fetch pause|resume|cancel|remove|run|--queue`: another process (the app) works the fetch queue. */
  queueBusy: 12,
} as const;

/** The status for an error: by its code, except where its reason says more. */
export function exitStatusOf(error: SeedboxError): number {
  if (error.details['reason'] === 'no-space') return EXIT.noSpace;
  if (error.details['reason'] === 'fetch-incomplete') return EXIT.partlyDone;
  if (error.details['reason'] === 'queue-busy') return EXIT.queueBusy;
  // An SSH host key not pinned, or not the pinned one: the server's identity, as a TLS certificate.
  if (error.details['reason'] === 'ssh-host-key-unknown' || error.details['reason'] === 'ssh-host-key-mismatch') return EXIT.tls;
  return exitCodeFor(error.code);
}

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid-argument':
      return EXIT.usage;
    case 'invalid-torrent':
      return EXIT.invalidTorrent;
    case 'connection-refused':
    case 'connection-lost':
    case 'host-unreachable':
    case 'timeout':
    case 'protocol':
    case 'response-too-large':
    case 'unavailable':
      return EXIT.connection;
    case 'auth-failed':
    case 'forbidden':
      return EXIT.auth;
    case 'tls-untrusted':
    case 'tls-pin-mismatch':
    case 'tls-failed':
      return EXIT.tls;
    case 'not-found':
      return EXIT.notFound;
    case 'rpc-fault':
    case 'already-exists':
    case 'unsupported':
    case 'refused':
      return EXIT.rpcFault;
    case 'internal':
      return EXIT.internal;
  }
}
