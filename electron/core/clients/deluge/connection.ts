// The Deluge 2.x daemon protocol: one long-lived TLS connection carrying frames of
// 0x01 + uint32 BE body length + zlib(rencode(message)). Requests are lists of
// (id, method, args, kwargs) (several per frame are allowed); the daemon answers each with
// (1, id, result) or (2, id, exc_name, exc_args, exc_kwargs, traceback), and pushes
// (3, event_name, args) for the events the session asked for. Many calls are in flight at
// once and answers come back in any order, matched by id.
//
// What a hostile daemon can cost us is bounded: a frame's compressed size (maxFrameBytes), its
// size once inflated (the inflate runs as a stream that stops at the cap rather than after it),
// and what decoding it may build (rencode.ts: nesting, values, estimated memory).

import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Duplex } from 'node:stream';
import { formatBytes } from '../../../shared/format';
import { SeedboxError, toSeedboxError, type ErrorCode } from '../../../shared/errors';
import { decodeRencode, encodeRencode, type RencodeDict, type RencodeValue } from '../../codecs/rencode';
import { parseAnswer } from '../answers';
import { describeEndpoint, resolveTransportOptions, toTransportError, withDeadline } from '../../transports/connect';
import { connectTls } from '../../transports/tls';
import type { Endpoint, TransportOptions } from '../../transports/types';
import { DaemonInfoAnswer, EventInterestAnswer, LoginAnswer } from './schemas';

export interface DelugeConnectionOptions extends TransportOptions {
  host: string;
  port: number;
  /**
   * Sent as daemon.login's client_version (Deluge 2 requires one, any text); default
   * "seedbox-remote". Callers that know the app version pass "seedbox-remote 0.1.0".
   */
  clientVersion?: string;
  /** Largest compressed frame accepted; default 64 MiB (and never above the inflated bound + 1 KiB). */
  maxFrameBytes?: number;
  // maxResponseBytes (TransportOptions) bounds a message once inflated; default 64 MiB here.
}

/** One request of a batch. */
export interface DelugeCall {
  method: string;
  args?: RencodeValue[];
  kwargs?: RencodeDict;
}

export type DelugeCallResult = { ok: true; value: RencodeValue } | { ok: false; error: SeedboxError };

export type DelugeEventListener = (name: string, args: RencodeValue[]) => void;

/** Deluge's auth levels (deluge/common.py). */
export const DELUGE_AUTH_LEVEL = { none: 0, readOnly: 1, normal: 5, admin: 10 } as const;

const PROTOCOL_VERSION = 0x01;
const HEADER_BYTES = 5;
/** A Deluge 1.3 daemon sends bare zlib streams; zlib's first byte is 0x78. */
const ZLIB_FIRST_BYTE = 0x78;
const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
/**
 * Largest message once inflated, unless maxResponseBytes says otherwise: the list of 10 000
 * torrents is 4.7 MB, and a few hundred KB of zeros would otherwise inflate to the 256 MiB
 * every transport allows.
 */
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/**
 * Smaller bodies inflate synchronously: cheaper than a thread-pool round trip. Small enough
 * that a bomb of this size (zlib inflates at most about 1 000 to 1) blocks for milliseconds.
 */
const ASYNC_INFLATE_FROM_BYTES = 16 * 1024;
const MAX_MESSAGE_CHARS = 500;

const RPC_RESPONSE = 1;
const RPC_ERROR = 2;
const RPC_EVENT = 3;

const inflateAsync = promisify(zlib.inflate);

interface PendingCall {
  method: string;
  resolve(value: RencodeValue): void;
  reject(error: SeedboxError): void;
  timer: ReturnType<typeof setTimeout>;
}

export class DelugeConnection {
  readonly description: string;
  #socket: Duplex;
  #nextId = 1;
  #pending = new Map<number, PendingCall>();
  #eventListeners = new Set<DelugeEventListener>();
  #closeListeners = new Set<(error: SeedboxError) => void>();
  #closedWith: SeedboxError | undefined;
  #timeoutMs: number;
  #maxInflatedBytes: number;
  #maxFrameBytes: number;
  #clientVersion: string;
  // Framing state.
  #chunks: Buffer[] = [];
  #buffered = 0;
  #bodyLength: number | undefined;
  #framesSeen = 0;
  /** Frames are handled strictly in order, even when one inflates on the thread pool. */
  #processing: Promise<void> = Promise.resolve();

  private constructor(socket: Duplex, description: string, options: { timeoutMs: number; maxInflatedBytes: number; maxFrameBytes: number; clientVersion: string }) {
    this.#socket = socket;
    this.description = description;
    this.#timeoutMs = options.timeoutMs;
    this.#maxInflatedBytes = options.maxInflatedBytes;
    this.#maxFrameBytes = options.maxFrameBytes;
    this.#clientVersion = options.clientVersion;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error: Error) => this.#lost(error));
    socket.on('close', () => this.#lost(undefined));
  }

  /**
   * Dials the daemon and completes TLS, verifying its certificate (a pin, or a CA chain) before
   * anything is sent. Deluge's own certificate is self-signed, so the first connection fails
   * with 'tls-untrusted' whose details carry the fingerprint to pin.
   */
  static async open(options: DelugeConnectionOptions): Promise<DelugeConnection> {
    const resolved = resolveTransportOptions({ ...options, maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_MESSAGE_BYTES });
    const endpoint: Endpoint = { kind: 'tcp', host: options.host, port: options.port };
    const description = `the Deluge daemon at ${describeEndpoint(endpoint)}`;
    const socket = await withDeadline(resolved.timeoutMs, description, (signal) =>
      connectTls(endpoint, options.host, resolved.tls, resolved.connector, signal, description),
    );
    return new DelugeConnection(socket, description, {
      timeoutMs: resolved.timeoutMs,
      maxInflatedBytes: resolved.maxResponseBytes,
      maxFrameBytes: Math.min(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, resolved.maxResponseBytes + 1024),
      clientVersion: options.clientVersion ?? 'seedbox-remote',
    });
  }

  /** True once the connection is closed or lost; every call then fails with 'connection-lost'. */
  get closed(): boolean {
    return this.#closedWith !== undefined;
  }

  /** Calls one RPC method; rejects with a SeedboxError mapped from Deluge's exception. */
  call(method: string, args: RencodeValue[] = [], kwargs: RencodeDict = {}, options: { timeoutMs?: number } = {}): Promise<RencodeValue> {
    return this.#send([{ method, args, kwargs }], options.timeoutMs)[0]!;
  }

  /**
   * Sends several requests in one frame; each result is matched by id. Failures, a lost
   * connection included, come back per call rather than rejecting the whole batch.
   */
  async callBatch(calls: DelugeCall[], options: { timeoutMs?: number } = {}): Promise<DelugeCallResult[]> {
    if (calls.length === 0) return [];
    return Promise.all(
      this.#send(calls, options.timeoutMs).map((promise) =>
        promise.then(
          (value): DelugeCallResult => ({ ok: true, value }),
          (error: unknown): DelugeCallResult => ({ ok: false, error: toSeedboxError(error) }),
        ),
      ),
    );
  }

  /** daemon.info: the daemon's version, e.g. "2.0.3". Works before login. */
  async info(): Promise<string> {
    return parseAnswer(DaemonInfoAnswer, await this.call('daemon.info'), { source: this.description, call: 'daemon.info' });
  }

  /** daemon.login; resolves with the account's auth level (see DELUGE_AUTH_LEVEL). */
  async login(username: string, password: string): Promise<number> {
    const level = await this.call('daemon.login', [username, password], { client_version: this.#clientVersion });
    return parseAnswer(LoginAnswer, level, { source: this.description, call: 'daemon.login' });
  }

  /** Asks the daemon to push these events (names like "TorrentAddedEvent") to onEvent listeners. */
  async setEventInterest(names: string[]): Promise<void> {
    const answer = await this.call('daemon.set_event_interest', [names]);
    parseAnswer(EventInterestAnswer, answer, { source: this.description, call: 'daemon.set_event_interest' });
  }

  onEvent(listener: DelugeEventListener): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Called once, with the reason, when the connection ends for any reason (close() included). */
  onClose(listener: (error: SeedboxError) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Closes the connection; `reason` (a malformed event, say) is what pending and later calls fail with. */
  close(reason?: SeedboxError): void {
    this.#fail(reason ?? new SeedboxError('connection-lost', `The connection to ${this.description} was closed.`, { endpoint: this.description }));
  }

  // -------------------------------------------------------------------------------------------
  // Sending

  #send(calls: DelugeCall[], timeoutMs = this.#timeoutMs): Promise<RencodeValue>[] {
    if (this.#closedWith) {
      const cause = this.#closedWith;
      return calls.map(({ method }) => Promise.reject(this.#forCall(method, cause)));
    }
    const requests: RencodeValue[] = [];
    const ids: number[] = [];
    const promises = calls.map(({ method, args = [], kwargs = {} }) => {
      const id = this.#nextId++;
      ids.push(id);
      requests.push([id, method, args, kwargs]);
      return new Promise<RencodeValue>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#pending.delete(id);
          reject(
            new SeedboxError('timeout', `${capitalize(this.description)} did not answer ${method} within ${formatSeconds(timeoutMs)}.`, {
              endpoint: this.description,
              method,
              timeoutMs,
            }),
          );
        }, Math.min(timeoutMs, 2 ** 31 - 1));
        this.#pending.set(id, { method, resolve, reject, timer });
      });
    });
    let frame: Buffer;
    try {
      const body = zlib.deflateSync(encodeRencode(requests));
      frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
      frame[0] = PROTOCOL_VERSION;
      frame.writeUInt32BE(body.length, 1);
      body.copy(frame, HEADER_BYTES);
    } catch (error) {
      // The arguments could not be encoded: nothing was sent, only these calls fail.
      const failure = toSeedboxError(error);
      for (const id of ids) this.#settle(id, (call) => call.reject(failure));
      return promises;
    }
    this.#socket.write(frame);
    return promises;
  }

  // -------------------------------------------------------------------------------------------
  // Receiving

  #receive(chunk: Buffer): void {
    if (this.#closedWith) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    try {
      while (this.#closedWith === undefined) {
        if (this.#bodyLength === undefined) {
          if (this.#buffered === 0) return;
          this.#checkVersionByte(this.#chunks[0]![0]!);
          if (this.#buffered < HEADER_BYTES) return;
          const header = this.#take(HEADER_BYTES);
          const length = header.readUInt32BE(1);
          if (length > this.#maxFrameBytes) {
            throw new SeedboxError(
              'response-too-large',
              `${capitalize(this.description)} sent a message of ${formatBytes(length)}, more than the ${formatBytes(this.#maxFrameBytes)} limit; closed the connection.`,
              { endpoint: this.description, limit: this.#maxFrameBytes },
            );
          }
          this.#bodyLength = length;
        }
        if (this.#buffered < this.#bodyLength) return;
        const body = this.#take(this.#bodyLength);
        this.#bodyLength = undefined;
        this.#framesSeen++;
        this.#processing = this.#processing.then(() => this.#handleBody(body));
      }
    } catch (error) {
      this.#fail(toSeedboxError(error));
    }
  }

  #checkVersionByte(byte: number): void {
    if (byte === PROTOCOL_VERSION) return;
    if (this.#framesSeen === 0 && byte === ZLIB_FIRST_BYTE) {
      throw new SeedboxError('unsupported', 'This is a Deluge 1.x daemon; Seedbox Remote needs Deluge 2.0 or newer.', {
        endpoint: this.description,
      });
    }
    throw new SeedboxError(
      'protocol',
      `${capitalize(this.description)} sent something that is not a Deluge 2 message (it starts with byte 0x${byte.toString(16).padStart(2, '0')}); is that port really a Deluge daemon?`,
      { endpoint: this.description },
    );
  }

  /** Removes and returns the first `length` buffered bytes (which are all there). */
  #take(length: number): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    const taken = all.subarray(0, length);
    const rest = all.subarray(length);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return taken;
  }

  async #handleBody(body: Buffer): Promise<void> {
    if (this.#closedWith) return;
    try {
      const options = { maxOutputLength: this.#maxInflatedBytes };
      const inflated = body.length < ASYNC_INFLATE_FROM_BYTES ? zlib.inflateSync(body, options) : await inflateAsync(body, options);
      if (this.#closedWith) return;
      this.#dispatch(decodeRencode(inflated));
    } catch (error) {
      this.#fail(this.#bodyError(error));
    }
  }

  #bodyError(error: unknown): SeedboxError {
    if (error instanceof SeedboxError) return error;
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return new SeedboxError(
        'response-too-large',
        `A message from ${this.description} is larger than the ${formatBytes(this.#maxInflatedBytes)} limit once decompressed; closed the connection.`,
        { endpoint: this.description, limit: this.#maxInflatedBytes },
      );
    }
    return new SeedboxError('protocol', `${capitalize(this.description)} sent a message that does not decompress (${(error as Error).message}).`, {
      endpoint: this.description,
    });
  }

  #dispatch(message: RencodeValue): void {
    if (!Array.isArray(message) || message.length < 3) throw this.#malformed('a reply is not a (type, ...) list');
    const [type, second, third] = message;
    if (type === RPC_EVENT) {
      if (typeof second !== 'string' || !Array.isArray(third)) throw this.#malformed('an event has no name or arguments');
      for (const listener of this.#eventListeners) {
        try {
          listener(second, third);
        } catch {
          // A listener's bug must not break the connection for everyone else.
        }
      }
      return;
    }
    if (typeof second !== 'number') throw this.#malformed('a reply has no request id');
    if (type === RPC_RESPONSE) {
      this.#settle(second, (call) => call.resolve(third!));
    } else if (type === RPC_ERROR) {
      const [, , name, args, kwargs] = message;
      this.#settle(second, (call) => call.reject(mapDelugeException({ name, args, kwargs, method: call.method, description: this.description })));
    } else {
      throw this.#malformed(`unknown message type ${String(type)}`);
    }
  }

  /** Answers for calls that already timed out are dropped. */
  #settle(id: number, settle: (call: PendingCall) => void): void {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    settle(call);
  }

  // -------------------------------------------------------------------------------------------
  // Failure

  #lost(error: Error | undefined): void {
    if (this.#closedWith) return;
    const cause = error === undefined ? undefined : toTransportError(error, this.description);
    const reason =
      cause?.code === 'connection-lost' || cause === undefined
        ? new SeedboxError('connection-lost', `The connection to ${this.description} was lost.`, { endpoint: this.description }, { cause })
        : cause;
    // Answers already received are still being handled; let them through first.
    void this.#processing.then(() => this.#fail(reason));
  }

  /** Ends the connection for good: every pending call and every later call fails. */
  #fail(reason: SeedboxError): void {
    if (this.#closedWith) return;
    this.#closedWith = reason;
    this.#chunks = [];
    this.#buffered = 0;
    this.#socket.destroy();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) {
      clearTimeout(call.timer);
      call.reject(this.#forCall(call.method, reason));
    }
    for (const listener of this.#closeListeners) {
      try {
        listener(reason);
      } catch {
        // As for event listeners.
      }
    }
  }

  #forCall(method: string, reason: SeedboxError): SeedboxError {
    if (reason.code !== 'connection-lost') {
      return new SeedboxError(reason.code, reason.message, { ...reason.details, method }, { cause: reason });
    }
    return new SeedboxError(
      'connection-lost',
      `The connection to ${this.description} is closed; ${method} was not answered.`,
      { endpoint: this.description, method },
      { cause: reason },
    );
  }

  #malformed(what: string): SeedboxError {
    return new SeedboxError('protocol', `${capitalize(this.description)} sent a malformed message: ${what}.`, { endpoint: this.description });
  }

}

/**
 * An RPC_ERROR reply as a SeedboxError: the code from Deluge's exception class, the message
 * from its own text (exc_args[0]); never the traceback.
 */
export function mapDelugeException(reply: {
  name: RencodeValue | undefined;
  args: RencodeValue | undefined;
  kwargs?: RencodeValue | undefined;
  method: string;
  description: string;
}): SeedboxError {
  const exception = typeof reply.name === 'string' ? reply.name : 'unknown';
  const args = Array.isArray(reply.args) ? reply.args : [];
  const text = typeof args[0] === 'string' ? clip(args[0]) : '';
  const details = { exception, method: reply.method, endpoint: reply.description };
  const said = text === '' ? '' : `: ${text}`;
  const make = (code: ErrorCode, message: string, extra: Record<string, string | number> = {}): SeedboxError =>
    new SeedboxError(code, message, { ...details, ...extra });

  switch (exception) {
    case 'BadLoginError':
    case 'AuthenticationRequired':
      return make('auth-failed', `${capitalize(reply.description)} refused the login${said || ': wrong user name or password'}.`);
    case 'NotAuthorizedError': {
      const [current, required] = args;
      const levels: Record<string, number> = typeof current === 'number' && typeof required === 'number' ? { level: current, required } : {};
      const why =
        current === DELUGE_AUTH_LEVEL.none
          ? 'this connection is not logged in'
          : `the account's level is too low` +
            (typeof current === 'number' && typeof required === 'number' ? ` (${current}; it needs ${required})` : '');
      return make('forbidden', `${capitalize(reply.description)} refused ${reply.method}: ${why}.`, levels);
    }
    case 'InvalidTorrentError':
      return make('invalid-torrent', `${capitalize(reply.description)} rejected the torrent${said}.`);
    case 'AddTorrentError':
      if (/already (in session|being added)/i.test(text)) {
        return make('already-exists', `That torrent is already on ${reply.description}${said}.`);
      }
      return make('rpc-fault', `${capitalize(reply.description)} could not add the torrent${said}.`);
    case 'IncompatibleClient': {
      const version = typeof args[0] === 'string' ? ` (daemon version ${clip(args[0])})` : '';
      return make('unsupported', `${capitalize(reply.description)}${version} does not accept this client as compatible.`);
    }
    case 'WrappedException': {
      // Python exceptions that are not Deluge's: args are (str(exception), type name, traceback).
      const type = typeof args[1] === 'string' ? clip(args[1]) : 'Exception';
      if (type === 'AttributeError' && text.startsWith('RPC call on invalid function')) {
        return make(
          'unsupported',
          `${capitalize(reply.description)} has no method ${reply.method} (is the plugin that provides it enabled?).`,
          { type },
        );
      }
      return make('rpc-fault', `${capitalize(reply.description)} failed in ${reply.method}: ${type}${said}.`, { type });
    }
    default:
      return make('rpc-fault', `${capitalize(reply.description)} failed in ${reply.method}: ${exception}${said}.`);
  }
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
