// An SSH connection whose `connector` opens one forwarded channel per transport connection,
// so any transport (SCGI, HTTP, Deluge) can reach a daemon that only listens on the seedbox
// itself: a loopback TCP port (direct-tcpip) or a Unix socket such as rTorrent's SCGI socket
// (OpenSSH's direct-streamlocal, the safe alternative to exposing SCGI on a TCP port).
//
// The tunnel maps every connection to `settings.remote`, ignoring the endpoint the transport
// dials: the user configures "tunnel to 127.0.0.1:5000" or "to /home/me/.rtorrent.sock" once,
// and the seedbox URL's host and port do not matter behind a tunnel.
//
// The server is trusted only by its pinned host key (SHA-256 of the key blob, like OpenSSH's
// "SHA256:…" fingerprints). There is no known_hosts fallback: with no pin, the connection is
// refused and the error carries the presented fingerprint for the user to check and pin.

import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
// ssh2 is CommonJS: Node's ESM loader cannot see its named exports, so take them off the default.
import ssh2, { type Client as SshClient, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';

const { Client, utils: sshUtils } = ssh2;
import { SeedboxError, toSeedboxError, type ErrorDetails } from '../../shared/errors';
import { readSmallRegularFile } from '../files/small-file';
import { SHA256_HEX, SshTunnelSchema, type SshTunnelSettings } from '../../shared/seedbox';
import { connectDirect, describeEndpoint, toTransportError, withDeadline } from '../transports/connect';
import { DEFAULT_TIMEOUT_MS, type Connector } from '../transports/types';

export type SshTunnelCredentials = SshTunnelSettings & {
  /** The password (auth 'password') or the private key's passphrase (auth 'key'). */
  secret?: string;
};

export interface SshTunnelOpenOptions {
  /** Reaches the SSH server itself, e.g. through a proxy; dials directly by default. */
  connector?: Connector;
  /** Deadline for connecting, verifying the host key and logging in. */
  timeoutMs?: number;
  /** Aborts the opening (not the open tunnel: use close()). */
  signal?: AbortSignal;
  /** The agent's socket for auth 'agent'; defaults to $SSH_AUTH_SOCK. */
  agentSocket?: string;
}

export interface HostKeyFingerprint {
  /** "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa", ... */
  algorithm: string;
  /** SHA-256 of the key blob, 64 lower-case hex digits: what the settings pin. */
  sha256: string;
  /** The same digest as `ssh-keygen -lf` prints it: "SHA256:" + unpadded base64. */
  openssh: string;
}

/** Why the tunnel closed: undefined after close(), the failure otherwise. */
export type SshTunnelCloseListener = (error: SeedboxError | undefined) => void;

/** Noticing a dead server within about a minute lets the session reconnect. */
const KEEPALIVE_INTERVAL_MS = 15_000;
const KEEPALIVE_COUNT_MAX = 3;

/** ssh2's error extensions (not in its Error type). */
type SshError = Error & { level?: string; description?: string; reason?: number | string };

/** RFC 4254 §5.1 channel open failure reason codes. */
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;
const OPEN_CONNECT_FAILED = 2;
const OPEN_UNKNOWN_CHANNEL_TYPE = 3;

export class SshTunnel {
  readonly #client: SshClient;
  readonly #remote: SshTunnelSettings['remote'];
  readonly #description: string;
  readonly #listeners = new Set<SshTunnelCloseListener>();
  #closed = false;
  #closing = false;
  #lastError: SeedboxError | undefined;
  #closeReason: SeedboxError | undefined;

  /** "SSH server host:port", for messages. */
  readonly description: string;
  /** The verified host key of the server. */
  readonly hostKey: HostKeyFingerprint;

  /**
   * Opens a forwarded channel to `settings.remote` for each connection. The endpoint the
   * transport asks for is ignored (see the file comment).
   */
  readonly connector: Connector = (_endpoint, signal) => this.#openChannel(signal);

  private constructor(client: SshClient, settings: SshTunnelSettings, hostKey: HostKeyFingerprint) {
    this.#client = client;
    this.#remote = settings.remote;
    this.#description = describeSshServer(settings);
    this.description = this.#description;
    this.hostKey = hostKey;
    client.on('error', (error: SshError) => {
      this.#lastError = toSshError(error, { description: this.#description, auth: settings });
    });
    client.on('close', () => {
      this.#closed = true;
      this.#closeReason = this.#closing
        ? undefined
        : (this.#lastError ?? new SeedboxError('connection-lost', `The SSH connection to ${this.#description} closed.`, { endpoint: this.#description }));
      for (const listener of [...this.#listeners]) listener(this.#closeReason);
      this.#listeners.clear();
    });
  }

  /**
   * Connects, verifies the host key against the pin and logs in. Fails with 'refused' when
   * the host key is not pinned yet or differs from the pin (details carry the presented
   * fingerprint), 'auth-failed' when the login is refused, and transport codes otherwise.
   */
  static async open(settings: SshTunnelCredentials, options: SshTunnelOpenOptions = {}): Promise<SshTunnel> {
    const valid = validateSshTunnelSettings(settings);
    const description = describeSshServer(valid);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new SeedboxError('invalid-argument', `The SSH timeout must be a positive number of milliseconds (got ${timeoutMs}).`);
    }
    const auth = await loadAuthentication(valid, settings.secret, options.agentSocket ?? process.env['SSH_AUTH_SOCK'], description);
    try {
      return await withDeadline(timeoutMs, description, async (deadline) => {
        const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
        let socket: Duplex;
        try {
          socket = await (options.connector ?? connectDirect)({ kind: 'tcp', host: valid.host, port: valid.port }, signal);
        } catch (error) {
          throw toTransportError(error, description);
        }
        return await SshTunnel.#handshake({ settings: valid, socket, auth, signal, description });
      });
    } catch (error) {
      // The caller's own abort comes back as the reason they gave, like connectDirect's.
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
  }

  static #handshake({
    settings,
    socket,
    auth,
    signal,
    description,
  }: {
    settings: SshTunnelSettings;
    socket: Duplex;
    auth: Partial<ConnectConfig>;
    signal: AbortSignal;
    description: string;
  }): Promise<SshTunnel> {
    const client = new Client();
    const pin = settings.hostKeySha256;
    return new Promise<SshTunnel>((resolve, reject) => {
      let hostKey: HostKeyFingerprint | undefined;
      // The host verifier's own verdict, which beats ssh2's generic "Host denied".
      let refusal: SeedboxError | undefined;
      const cleanup = (): void => {
        signal.removeEventListener('abort', onAbort);
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('close', onClose);
      };
      const fail = (error: unknown): void => {
        cleanup();
        // Keep a listener: ssh2 may report the teardown too, and an unheard 'error' throws.
        client.on('error', () => {});
        client.destroy();
        socket.destroy();
        reject(error);
      };
      const onReady = (): void => {
        // The tunnel listens for 'error' and 'close' before ours go away.
        const tunnel = new SshTunnel(client, settings, hostKey!);
        cleanup();
        resolve(tunnel);
      };
      const onError = (error: SshError): void => fail(refusal ?? toSshError(error, { description, auth: settings }));
      const onClose = (): void =>
        fail(
          refusal ??
            new SeedboxError('connection-lost', `The SSH server ${description} closed the connection before the login finished.`, {
              endpoint: description,
            }),
        );
      const onAbort = (): void => fail(signal.reason);
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('close', onClose);
      if (auth.password !== undefined) {
        // Servers that only offer keyboard-interactive (PAM) ask for the password there.
        client.on('keyboard-interactive', (_name, _instructions, _language, prompts, finish) =>
          finish(prompts.length === 1 && prompts[0]?.echo !== true ? [auth.password!] : []),
        );
      }
      try {
        client.connect({
          sock: socket,
          username: settings.username,
          ...auth,
          tryKeyboard: auth.password !== undefined,
          hostVerifier: (key: Buffer): boolean => {
            hostKey = hostKeyFingerprint(key);
            refusal = hostKeyRefusal(hostKey, pin, description);
            return refusal === undefined;
          },
          // withDeadline owns the deadline; ssh2's own timer would only race it.
          readyTimeout: 0,
          keepaliveInterval: KEEPALIVE_INTERVAL_MS,
          keepaliveCountMax: KEEPALIVE_COUNT_MAX,
        });
      } catch (error) {
        fail(toSshError(error as SshError, { description, auth: settings }));
      }
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Closes the SSH connection and every channel; resolves once it is closed. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => {
      this.#client.once('close', () => resolve());
      this.#client.end();
      // A server that does not answer the disconnect must not keep us waiting.
      setTimeout(() => this.#client.destroy(), 2_000).unref();
    });
  }

  /**
   * Opens an SFTP session on this same connection (host key already verified), for fetching
   * files; the caller ends it. Fails with 'forbidden' when the server offers no SFTP subsystem.
   */
  sftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      if (this.#closed || this.#closing) {
        reject(new SeedboxError('connection-lost', `The SSH connection to ${this.#description} is closed.`, { endpoint: this.#description }));
        return;
      }
      try {
        this.#client.sftp((error, sftp) => {
          if (error) {
            reject(
              new SeedboxError('forbidden', `The ${this.#description} does not offer SFTP to this user (${error.message}).`, {
                endpoint: this.#description,
              }),
            );
          } else resolve(sftp);
        });
      } catch (error) {
        reject(new SeedboxError('connection-lost', `The SSH connection to ${this.#description} is gone.`, { endpoint: this.#description }, { cause: error }));
      }
    });
  }

  /** Calls `listener` once when the connection closes; returns the function that stops listening. */
  onClose(listener: SshTunnelCloseListener): () => void {
    if (this.#closed) {
      queueMicrotask(() => listener(this.#closeReason));
      return () => {};
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #openChannel(signal: AbortSignal): Promise<Duplex> {
    const target = this.#remote;
    if (target === null) {
      return Promise.reject(new SeedboxError('invalid-argument', `The SSH settings of this seedbox are for files only: they name nothing to tunnel to.`, { endpoint: this.#description }));
    }
    const remote = describeRemote(target);
    return new Promise<Duplex>((resolve, reject) => {
      if (this.#closed || this.#closing) {
        reject(
          new SeedboxError('connection-lost', `The SSH tunnel to ${this.#description} is closed; reconnect to reach ${remote}.`, {
            endpoint: this.#description,
            remote,
          }),
        );
        return;
      }
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      let settled = false;
      const onAbort = (): void => {
        settled = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const opened = (error: Error | undefined, channel: ClientChannel): void => {
        signal.removeEventListener('abort', onAbort);
        if (settled) {
          // Aborted while the server was opening it: nobody will use it.
          channel?.close();
          return;
        }
        settled = true;
        if (error) reject(channelOpenError(error, { description: this.#description, remote }));
        else resolve(channel);
      };
      try {
        if (target.kind === 'tcp') {
          // The originator address is informational for the server; ours is the tunnel.
          this.#client.forwardOut('127.0.0.1', 0, target.host, target.port, opened);
        } else {
          this.#client.openssh_forwardOutStreamLocal(target.path, opened);
        }
      } catch (error) {
        // ssh2 throws "Not connected" when the connection died a moment ago.
        signal.removeEventListener('abort', onAbort);
        settled = true;
        reject(
          new SeedboxError('connection-lost', `The SSH connection to ${this.#description} is gone; reconnect to reach ${remote}.`, {
            endpoint: this.#description,
            remote,
          }, { cause: error }),
        );
      }
    });
  }
}

/** "SSH server seedbox.example:22", for messages. */
export function describeSshServer(settings: Pick<SshTunnelSettings, 'host' | 'port'>): string {
  return `SSH server ${describeEndpoint({ kind: 'tcp', host: settings.host, port: settings.port })}`;
}

/** "127.0.0.1:5000" or "/home/me/.rtorrent.sock": the far side, as the SSH server sees it. */
export function describeRemote(remote: NonNullable<SshTunnelSettings['remote']>): string {
  return remote.kind === 'unix' ? remote.path : describeEndpoint(remote);
}

/** Checks the settings against the stored schema and the fields each auth kind needs. */
export function validateSshTunnelSettings(settings: SshTunnelCredentials): SshTunnelSettings {
  const parsed = SshTunnelSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'settings';
    throw new SeedboxError('invalid-argument', `The SSH tunnel's ${field} is not valid: ${issue?.message ?? 'unknown problem'}.`, { field });
  }
  if (parsed.data.auth === 'key' && !parsed.data.privateKeyPath) {
    throw new SeedboxError('invalid-argument', 'The SSH tunnel logs in with a key: choose the private key file.', { field: 'privateKeyPath' });
  }
  return parsed.data;
}

/** Algorithm and SHA-256 fingerprints of an SSH public key blob (RFC 4253 §6.6 encoding). */
export function hostKeyFingerprint(keyBlob: Uint8Array): HostKeyFingerprint {
  const digest = createHash('sha256').update(keyBlob).digest();
  return { algorithm: keyAlgorithm(keyBlob), sha256: digest.toString('hex'), openssh: opensshFingerprint(digest.toString('hex')) };
}

/** 64 hex digits as OpenSSH prints the same digest: "SHA256:" + base64 without padding. */
export function opensshFingerprint(sha256Hex: string): string {
  return `SHA256:${Buffer.from(sha256Hex, 'hex').toString('base64').replace(/=+$/, '')}`;
}

/**
 * A host key pin as a person may paste it: "SHA256:…" from ssh-keygen -lf, or 64 hex digits
 * (colons, spaces, any case). Returns the 64 lower-case hex digits the settings store.
 */
export function parseHostKeyPin(text: string): string {
  const trimmed = text.trim();
  const openssh = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(trimmed);
  if (openssh) return Buffer.from(openssh[1]!, 'base64').toString('hex');
  const hex = trimmed.replace(/[:\s]/g, '').toLowerCase();
  if (SHA256_HEX.test(hex)) return hex;
  throw new SeedboxError(
    'invalid-argument',
    'A host key fingerprint is "SHA256:" followed by 43 base64 characters (as ssh-keygen -lf prints it), or 64 hexadecimal digits.',
  );
}

/** The key type name at the start of the blob; "unknown" when the blob is malformed. */
function keyAlgorithm(keyBlob: Uint8Array): string {
  const blob = Buffer.from(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return 'unknown';
  const name = blob.subarray(4, 4 + length).toString('latin1');
  return /^[\x21-\x7e]+$/.test(name) ? name : 'unknown';
}

/** undefined when `presented` matches `pin`; otherwise the refusal to show the user. */
export function hostKeyRefusal(presented: HostKeyFingerprint, pin: string | null, description: string): SeedboxError | undefined {
  const about: ErrorDetails = {
    endpoint: description,
    algorithm: presented.algorithm,
    hostKeySha256: presented.sha256,
    presented: presented.openssh,
  };
  if (pin === null) {
    return new SeedboxError(
      'refused',
      `The host key of the ${description} is not pinned yet: ${presented.openssh} (${presented.algorithm}). ` +
        'Check it (on the server, ssh-keygen -lf prints it for each host key) and pin it.',
      { ...about, reason: 'ssh-host-key-unknown' },
    );
  }
  if (presented.sha256 === pin) return undefined;
  const expected = opensshFingerprint(pin);
  return new SeedboxError(
    'refused',
    `The host key of the ${description} is not the one you pinned (pinned ${expected}, presented ${presented.openssh}, ${presented.algorithm}). ` +
      "If the server's keys were replaced on purpose, check the new fingerprint and pin it; otherwise someone may be intercepting the connection.",
    { ...about, reason: 'ssh-host-key-mismatch', expectedSha256: pin, expected },
  );
}

/** The ssh2 options for the chosen login method, after reading and checking a key file. */
async function loadAuthentication(
  settings: SshTunnelSettings,
  secret: string | undefined,
  agentSocket: string | undefined,
  description: string,
): Promise<Partial<ConnectConfig>> {
  switch (settings.auth) {
    case 'password':
      if (!secret) {
        throw new SeedboxError('auth-failed', `No password is set for the login to the ${description}.`, { endpoint: description });
      }
      return { password: secret };
    case 'agent':
      if (!agentSocket) {
        throw new SeedboxError(
          'auth-failed',
          `The login to the ${description} uses the SSH agent, but no agent is running here (SSH_AUTH_SOCK is not set).`,
          { endpoint: description },
        );
      }
      return { agent: agentSocket };
    case 'key': {
      const path = settings.privateKeyPath!;
      const privateKey = await readKeyFile(path);
      checkPrivateKey(privateKey, secret, path);
      return { privateKey, ...(secret ? { passphrase: secret } : {}) };
    }
  }
}

/** Far above any real private key (a 16384-bit RSA key in PEM is about 12 KiB). */
export const MAX_PRIVATE_KEY_BYTES = 1024 * 1024;

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readSmallRegularFile(path, { maxBytes: MAX_PRIVATE_KEY_BYTES });
  } catch (error) {
    const problem = toSeedboxError(error);
    const reason = String(problem.details['reason'] ?? problem.message);
    const sentence = reason === 'no such file' ? 'does not exist' : `cannot be used: ${reason}`;
    throw new SeedboxError(problem.code, `The private key file ${path} ${sentence}.`, { ...problem.details, path });
  }
}

/** Parses the key up front, so a missing or wrong passphrase is told apart from a refused login. */
export function checkPrivateKey(privateKey: Buffer, passphrase: string | undefined, path: string): void {
  const parsed = sshUtils.parseKey(privateKey, passphrase || undefined);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new SeedboxError('auth-failed', `The private key ${path} is encrypted: set its passphrase.`, { path });
    }
    if (/bad passphrase|decrypt/i.test(parsed.message)) {
      throw new SeedboxError('auth-failed', `The passphrase of the private key ${path} is wrong.`, { path });
    }
    throw new SeedboxError('invalid-argument', `${path} is not a private key this app can use (${parsed.message}).`, { path });
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key.getPrivatePEM() === null) {
    throw new SeedboxError('invalid-argument', `${path} holds a public key only; choose the private key file.`, { path });
  }
}

/** ssh2's errors (by their `level`) as SeedboxErrors naming the server, never a secret. */
export function toSshError(
  error: SshError,
  { description, auth }: { description: string; auth: Pick<SshTunnelSettings, 'auth' | 'privateKeyPath'> },
): SeedboxError {
  const details = { endpoint: description, level: error.level };
  switch (error.level) {
    case 'client-authentication':
      return new SeedboxError('auth-failed', `The ${description} refused the login: ${loginHint(auth)}.`, details);
    case 'agent':
      return new SeedboxError('auth-failed', `The SSH agent could not be used for the login to the ${description} (${error.message}).`, details);
    case 'client-timeout':
      return error.message.startsWith('Keepalive')
        ? new SeedboxError('connection-lost', `The ${description} stopped answering (SSH keepalive timeout).`, details)
        : new SeedboxError('timeout', `The ${description} did not finish the SSH handshake in time.`, details);
    case 'client-ssh':
      return new SeedboxError(
        'connection-lost',
        `The ${description} closed the SSH connection${error.description ? `: ${error.description}` : ''}.`,
        details,
      );
    case 'protocol':
      return new SeedboxError('protocol', `The ${description} does not look like an SSH server (${error.message}).`, details);
    case 'handshake':
      return new SeedboxError('protocol', `The SSH handshake with the ${description} failed: ${error.message}.`, details);
    default:
      // 'client-socket' and anything else: the socket's errno says the most.
      return toTransportError(error, description);
  }
}

function loginHint(auth: Pick<SshTunnelSettings, 'auth' | 'privateKeyPath'>): string {
  switch (auth.auth) {
    case 'password':
      return 'wrong user name or password';
    case 'key':
      return `the key ${auth.privateKeyPath ?? ''} is not authorized for this user (or the user name is wrong)`;
    case 'agent':
      return "none of the SSH agent's keys is authorized for this user (or the user name is wrong)";
  }
}

/** A refused direct-tcpip / direct-streamlocal channel, naming what was to be reached. */
export function channelOpenError(error: SshError, { description, remote }: { description: string; remote: string }): SeedboxError {
  const details = { endpoint: description, remote, reason: error.reason, serverSays: error.message.replace(/^\(SSH\) Channel open failure: /, '') };
  switch (error.reason) {
    case OPEN_ADMINISTRATIVELY_PROHIBITED:
      return new SeedboxError(
        'forbidden',
        `The ${description} does not allow forwarding to ${remote} (AllowTcpForwarding / AllowStreamLocalForwarding / PermitOpen in its sshd_config).`,
        details,
      );
    case OPEN_CONNECT_FAILED:
      return new SeedboxError(
        'connection-refused',
        remote.startsWith('/')
          ? `Through the ${description}, the socket ${remote} could not be opened (does it exist, and may this user open it? is the daemon running?).`
          : `Through the ${description}, nothing answers at ${remote} (connection refused: is the daemon running?).`,
        details,
      );
    case OPEN_UNKNOWN_CHANNEL_TYPE:
      return new SeedboxError(
        'unsupported',
        `The ${description} cannot forward to ${remote.startsWith('/') ? 'Unix sockets (it is not OpenSSH?)' : 'TCP ports'}.`,
        details,
      );
    default:
      return new SeedboxError('connection-lost', `The ${description} could not open a channel to ${remote} (${details.serverSays}).`, details);
  }
}
