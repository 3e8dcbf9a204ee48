// What every stream transport shares: dialling, the whole-call deadline, the response size
// bound and the translation of Node's socket errors into SeedboxErrors a person can act on.

import net from 'node:net';
import type { Duplex } from 'node:stream';
import { formatBytes } from '../../shared/format';
import { SeedboxError, type ErrorCode } from '../../shared/errors';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type Connector,
  type Endpoint,
  type TlsOptions,
  type TransportOptions,
} from './types';

/** "127.0.0.1:5000", "[::1]:5000" or the socket path. */
export function describeEndpoint(endpoint: Endpoint): string {
  if (endpoint.kind === 'unix') return endpoint.path;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}`;
}

/**
 * The default Connector: a direct TCP connection or a Unix socket. Rejects with Node's own
 * error (transports map it with toTransportError, naming their endpoint), or with the
 * signal's reason when aborted.
 */
export const connectDirect: Connector = (endpoint, signal) =>
  new Promise<Duplex>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket =
      endpoint.kind === 'tcp' ? net.connect({ host: endpoint.host, port: endpoint.port }) : net.connect({ path: endpoint.path });
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    const onError = (error: Error): void => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      if (endpoint.kind === 'tcp') socket.setNoDelay(true);
      resolve(socket);
    });
  });

export interface ResolvedTransportOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  connector: Connector;
  tls: TlsOptions;
}

/** Fills in the defaults and rejects nonsense bounds up front. */
export function resolveTransportOptions(options: TransportOptions = {}): ResolvedTransportOptions {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SeedboxError('invalid-argument', `The timeout must be a positive number of milliseconds (got ${timeoutMs}).`);
  }
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    throw new SeedboxError(
      'invalid-argument',
      `The response size limit must be a positive whole number of bytes (got ${maxResponseBytes}).`,
    );
  }
  return { timeoutMs, maxResponseBytes, connector: options.connector ?? connectDirect, tls: options.tls ?? {} };
}

/** setTimeout fires at once beyond this; longer deadlines are effectively "none". */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs one whole call (connect, send, receive) under a deadline. When it expires the signal
 * aborts with a 'timeout' SeedboxError, so whatever `run` opened can tear itself down, and
 * the returned promise rejects with it even if `run` ignores the signal.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  description: string,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        const error = new SeedboxError('timeout', `No complete answer from ${description} within ${formatMilliseconds(timeoutMs)}.`, {
          endpoint: description,
          timeoutMs,
        });
        controller.abort(error);
        reject(error);
      },
      Math.min(timeoutMs, MAX_TIMER_MS),
    );
  });
  try {
    return await Promise.race([run(controller.signal), expired]);
  } catch (error) {
    throw toTransportError(error, description);
  } finally {
    clearTimeout(timer);
  }
}

/** Destroys `stream` when `signal` aborts; returns the function that stops watching. */
export function destroyOnAbort(stream: Duplex, signal: AbortSignal): () => void {
  const onAbort = (): void => {
    stream.destroy();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

/**
 * Keeps a response's bytes up to a bound. The chunk that would cross it is refused with
 * 'response-too-large' (and what was kept is dropped), so memory never exceeds the bound.
 */
/**
 * One outcome per exchange: the first of answer, error, abort or timeout wins; the socket is
 * destroyed and the abort watch removed exactly once. `settle` takes a thunk so a parse error
 * inside it is mapped like any other failure.
 */
export function settleOnce<T>(
  socket: Duplex,
  signal: AbortSignal,
  description: string,
  resolve: (value: T) => void,
  reject: (error: SeedboxError) => void,
): { settle(outcome: () => T): void; fail(error: unknown): void; readonly settled: boolean } {
  let settled = false;
  const stopWatchingAbort = destroyOnAbort(socket, signal);
  const settle = (outcome: () => T): void => {
    if (settled) return;
    settled = true;
    stopWatchingAbort();
    socket.destroy();
    try {
      resolve(outcome());
    } catch (error) {
      reject(toTransportError(error, description));
    }
  };
  return {
    settle,
    fail: (error) =>
      settle(() => {
        throw error;
      }),
    get settled() {
      return settled;
    },
  };
}

export class BoundedCollector {
  #chunks: Buffer[] = [];
  #byteLength = 0;

  constructor(
    readonly maxBytes: number,
    readonly description: string,
  ) {}

  get byteLength(): number {
    return this.#byteLength;
  }

  append(chunk: Uint8Array): void {
    if (this.#byteLength + chunk.byteLength > this.maxBytes) {
      this.#chunks = [];
      throw new SeedboxError(
        'response-too-large',
        `The answer from ${this.description} is larger than the ${formatBytes(this.maxBytes)} limit; stopped reading it.`,
        { endpoint: this.description, limit: this.maxBytes },
      );
    }
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.#byteLength += chunk.byteLength;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks, this.#byteLength);
  }
}

/** What each errno means for the user; `{0}` is replaced by the endpoint description. */
const ERRNO_MEANINGS: Record<string, { code: ErrorCode; message: string }> = {
  ECONNREFUSED: { code: 'connection-refused', message: 'Could not connect to {0}: nothing is listening there (connection refused).' },
  ENOENT: { code: 'connection-refused', message: 'Could not connect to {0}: the socket file does not exist (is the daemon running?).' },
  EACCES: { code: 'forbidden', message: 'Could not connect to {0}: permission denied (check the socket file owner and mode).' },
  EPERM: { code: 'forbidden', message: 'Could not connect to {0}: operation not permitted.' },
  ECONNRESET: { code: 'connection-lost', message: 'The connection to {0} was reset before the answer ended.' },
  EPIPE: { code: 'connection-lost', message: 'The connection to {0} was closed while the request was being sent.' },
  ECONNABORTED: { code: 'connection-lost', message: 'The connection to {0} was aborted.' },
  ENOTFOUND: { code: 'host-unreachable', message: 'Could not connect to {0}: the host name does not resolve.' },
  EAI_AGAIN: { code: 'host-unreachable', message: 'Could not connect to {0}: the host name could not be resolved right now (DNS failure).' },
  EHOSTUNREACH: { code: 'host-unreachable', message: 'Could not connect to {0}: no route to the host.' },
  EHOSTDOWN: { code: 'host-unreachable', message: 'Could not connect to {0}: the host is down.' },
  ENETUNREACH: { code: 'host-unreachable', message: 'Could not connect to {0}: the network is unreachable.' },
  ENETDOWN: { code: 'host-unreachable', message: 'Could not connect to {0}: the network is down.' },
  ETIMEDOUT: { code: 'timeout', message: 'The connection to {0} timed out.' },
};

/** What OpenSSL says when the peer answers the ClientHello with something that is not TLS. */
const NOT_TLS_REASONS = ['wrong version number', 'packet length too long', 'http request', 'unknown protocol'];

/**
 * Any failure of a call to `description` as a SeedboxError: SeedboxErrors pass unchanged,
 * Node socket, HTTP parser and TLS errors get a code and a message naming the endpoint.
 */
export function toTransportError(error: unknown, description: string): SeedboxError {
  if (error instanceof SeedboxError) return error;
  if (!(error instanceof Error)) {
    return new SeedboxError('internal', `Unexpected failure talking to ${description}: ${String(error)}`, { endpoint: description });
  }
  const errno = (error as NodeJS.ErrnoException).code;
  const details = { endpoint: description, errno };
  const known = errno === undefined ? undefined : ERRNO_MEANINGS[errno];
  if (known) return new SeedboxError(known.code, known.message.replace('{0}', description), details, { cause: error });
  if (errno?.startsWith('HPE_')) {
    return new SeedboxError('protocol', `${description} sent a malformed HTTP answer (${error.message}).`, details, { cause: error });
  }
  if (errno?.startsWith('ERR_SSL_') || errno?.startsWith('ERR_TLS_') || errno === 'EPROTO') {
    // OpenSSL's `reason` is the readable part; `message` carries its internal error stack.
    const reason = (error as { reason?: unknown }).reason;
    const readable = typeof reason === 'string' ? reason : error.message;
    const hint = NOT_TLS_REASONS.some((r) => readable.includes(r))
      ? ' (the server does not speak TLS there: a plain http:// port?)'
      : '';
    return new SeedboxError('tls-failed', `The TLS connection to ${description} failed: ${readable}${hint}.`, details, {
      cause: error,
    });
  }
  if (errno !== undefined) {
    return new SeedboxError('connection-lost', `The connection to ${description} failed: ${error.message}.`, details, { cause: error });
  }
  return new SeedboxError('internal', `Unexpected failure talking to ${description}: ${error.message}`, details, { cause: error });
}

function formatMilliseconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
