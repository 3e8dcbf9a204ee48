import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import { createProxyConnector } from '../../../electron/core/connections/proxy';
import { SshTunnel, type SshTunnelCredentials } from '../../../electron/core/connections/ssh-tunnel';
import { SeedboxError } from '../../../electron/shared/errors';
import { rejectionOf } from '../../helpers/errors';
import { freePort, waitFor } from '../../helpers/processes';
import { startRtorrent, type RtorrentInstance } from '../../helpers/rtorrent';
import { startSocks5Proxy } from '../../helpers/socks';
import { rootKeyLogin, startSshAgent, startSshd, type SshdInstance } from '../../helpers/sshd';
import { expectListAndAdd } from './support';

let sshd: SshdInstance;
let rtUnix: RtorrentInstance;
let rtTcp: RtorrentInstance;
const tunnels: SshTunnel[] = [];

beforeAll(async () => {
  [sshd, rtUnix, rtTcp] = await Promise.all([startSshd({ passwordUser: true }), startRtorrent(), startRtorrent({ scgi: 'tcp' })]);
});

afterAll(async () => {
  await Promise.all(tunnels.map((tunnel) => tunnel.close()));
  await Promise.all([sshd?.stop(), rtUnix?.stop(), rtTcp?.stop()]);
});

/** Root with its plain key, pinned, to rtorrent's Unix socket; `changes` override. */
function settings(changes: Partial<SshTunnelCredentials> = {}): SshTunnelCredentials {
  return { ...rootKeyLogin(sshd, { kind: 'unix', path: rtUnix.socketPath! }), ...changes };
}

async function open(changes: Partial<SshTunnelCredentials> = {}, options: Parameters<typeof SshTunnel.open>[1] = {}): Promise<SshTunnel> {
  const tunnel = await SshTunnel.open(settings(changes), { timeoutMs: 10_000, ...options });
  tunnels.push(tunnel);
  return tunnel;
}

/** An rTorrent client whose URL is a placeholder: the tunnel decides where it goes. */
function clientThrough(tunnel: SshTunnel): RtorrentClient {
  return new RtorrentClient({ kind: 'rtorrent', url: 'scgi://127.0.0.1:1', transport: { connector: tunnel.connector, timeoutMs: 10_000 } });
}

const tcpRemote = (): SshTunnelCredentials['remote'] => ({ kind: 'tcp', host: '127.0.0.1', port: rtTcp.port! });

describe('host key pinning', () => {
  it('refuses a host key that is not pinned yet and shows its fingerprint as ssh-keygen -lf prints it', async () => {
    const error = await rejectionOf(SshTunnel.open(settings({ hostKeySha256: null }), { timeoutMs: 10_000 }));
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`not pinned yet: ${sshd.hostKey.openssh}`);
    expect(error.details).toMatchObject({
      reason: 'ssh-host-key-unknown',
      hostKeySha256: sshd.hostKey.sha256,
      presented: sshd.hostKey.openssh,
      algorithm: 'ssh-ed25519',
      endpoint: `SSH server 127.0.0.1:${sshd.port}`,
    });
  });

  it('accepts the pinned host key and reports it', async () => {
    const tunnel = await open();
    expect(tunnel.hostKey).toEqual({ algorithm: 'ssh-ed25519', sha256: sshd.hostKey.sha256, openssh: sshd.hostKey.openssh });
  });
});

describe('rtorrent through the tunnel', () => {
  it("reaches rtorrent's Unix socket (direct-streamlocal): lists and adds", async () => {
    const tunnel = await open();
    await expectListAndAdd(clientThrough(tunnel), rtUnix);
  });

  it("reaches rtorrent's SCGI TCP port (direct-tcpip) with a passphrase-protected key", async () => {
    const tunnel = await open({
      privateKeyPath: sshd.encryptedRootKey.privateKeyPath,
      secret: sshd.encryptedRootKey.passphrase,
      remote: tcpRemote(),
    });
    await expectListAndAdd(clientThrough(tunnel), rtTcp);
  });

  it('logs in with a password', async () => {
    const login = sshd.passwordLogin!;
    const tunnel = await open({ username: login.username, auth: 'password', privateKeyPath: null, secret: login.password, remote: tcpRemote() });
    await expectListAndAdd(clientThrough(tunnel), rtTcp);
  });

  it('logs in through an SSH agent', async () => {
    const agent = await startSshAgent(sshd.dir, [sshd.rootKey]);
    try {
      const tunnel = await open({ auth: 'agent', privateKeyPath: null }, { agentSocket: agent.socket });
      await expectListAndAdd(clientThrough(tunnel), rtUnix);
    } finally {
      await agent.stop();
    }
  });

  it('carries many connections at once over one SSH connection', async () => {
    const tunnel = await open();
    const client = clientThrough(tunnel);
    const lists = await Promise.all(Array.from({ length: 12 }, () => client.list()));
    expect(new Set(lists.map((list) => list.length)).size).toBe(1);
  });
});

describe('login failures', () => {
  it('a wrong password is auth-failed, and the password appears nowhere', async () => {
    const login = sshd.passwordLogin!;
    const wrong = 'not-the-password-42';
    const error = await rejectionOf(open({ username: login.username, auth: 'password', privateKeyPath: null, secret: wrong, remote: tcpRemote() }));
    expect(error.code).toBe('auth-failed');
    expect(error.message).toMatch(/wrong user name or password/);
    expect(JSON.stringify(error.toJSON())).not.toContain(wrong);
  });

  it('a key the server does not know is auth-failed', async () => {
    const error = await rejectionOf(open({ privateKeyPath: sshd.strangerKey.privateKeyPath }));
    expect(error.code).toBe('auth-failed');
    expect(error.message).toContain(`The SSH server 127.0.0.1:${sshd.port} refused the login`);
    expect(error.message).toContain(sshd.strangerKey.privateKeyPath);
  });

  it('an encrypted key without its passphrase, or with a wrong one, is auth-failed before dialling', async () => {
    const missing = await rejectionOf(open({ privateKeyPath: sshd.encryptedRootKey.privateKeyPath }));
    expect(missing.code).toBe('auth-failed');
    expect(missing.message).toMatch(/is encrypted: set its passphrase/);
    const wrong = await rejectionOf(open({ privateKeyPath: sshd.encryptedRootKey.privateKeyPath, secret: 'wrong passphrase' }));
    expect(wrong.code).toBe('auth-failed');
    expect(wrong.message).toMatch(/passphrase .* is wrong/);
    expect(wrong.message).not.toContain('wrong passphrase');
  });

  it('a missing key file is invalid-argument naming the file', async () => {
    const error = await rejectionOf(open({ privateKeyPath: `${sshd.dir}/no-such-key` }));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toContain(`${sshd.dir}/no-such-key does not exist`);
  });
});

describe('reaching the server and the far side', () => {
  it('nothing listening is connection-refused naming the SSH server', async () => {
    const port = await freePort();
    const error = await rejectionOf(open({ port }));
    expect(error.code).toBe('connection-refused');
    expect(error.message).toContain(`SSH server 127.0.0.1:${port}`);
  });

  it('a server that never answers is a timeout', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await rejectionOf(open({ port }, { timeoutMs: 500 }));
      expect(error.code).toBe('timeout');
      expect(error.message).toContain(`SSH server 127.0.0.1:${port}`);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });

  it('aborting the signal stops the opening', async () => {
    const controller = new AbortController();
    const opening = open({}, { signal: controller.signal });
    const reason = new SeedboxError('unavailable', 'The user cancelled.');
    setTimeout(() => controller.abort(reason), 5);
    expect(await rejectionOf(opening)).toBe(reason);
  });

  it('a missing remote socket or a closed remote port fails the channel with a message naming it; the tunnel stays usable', async () => {
    const missing = `${rtUnix.dir}/no-such.sock`;
    const toMissingSocket = await open({ remote: { kind: 'unix', path: missing } });
    const socketError = await rejectionOf(clientThrough(toMissingSocket).list());
    expect(socketError.code).toBe('connection-refused');
    expect(socketError.message).toContain(`the socket ${missing} could not be opened`);

    const closedPort = await freePort();
    const toClosedPort = await open({ remote: { kind: 'tcp', host: '127.0.0.1', port: closedPort } });
    const portError = await rejectionOf(clientThrough(toClosedPort).list());
    expect(portError.code).toBe('connection-refused');
    expect(portError.message).toContain(`nothing answers at 127.0.0.1:${closedPort}`);
    expect(toClosedPort.closed).toBe(false);
  });

  it('close() ends the tunnel: onClose hears it without an error, and new connections fail clearly', async () => {
    const tunnel = await open();
    const reasons: (SeedboxError | undefined)[] = [];
    tunnel.onClose((reason) => reasons.push(reason));
    await clientThrough(tunnel).list();
    await tunnel.close();
    expect(tunnel.closed).toBe(true);
    expect(reasons).toEqual([undefined]);
    const late = await new Promise((resolve) => tunnel.onClose(resolve));
    expect(late).toBeUndefined();
    const error = await rejectionOf(clientThrough(tunnel).list());
    expect(error.code).toBe('connection-lost');
    expect(error.message).toContain('The SSH tunnel to SSH server');
  });
});

describe('SSH through a SOCKS5 proxy (connector chaining)', () => {
  it('reaches rtorrent over SSH over SOCKS5, and reports the loss when the proxy goes away', async () => {
    const socks = await startSocks5Proxy({ username: 'chain', password: 'chain-pass' });
    try {
      const viaSocks = createProxyConnector({ kind: 'socks5', host: socks.host, port: socks.port, username: 'chain', password: 'chain-pass' });
      const tunnel = await open({}, { connector: viaSocks });
      await expectListAndAdd(clientThrough(tunnel), rtUnix);

      const reasons: (SeedboxError | undefined)[] = [];
      tunnel.onClose((reason) => reasons.push(reason));
      await socks.stop();
      await waitFor('the tunnel to notice the proxy is gone', () => tunnel.closed, 10_000);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]?.code).toBe('connection-lost');
      expect(await new Promise((resolve) => tunnel.onClose(resolve))).toBe(reasons[0]);
    } finally {
      await socks.stop();
    }
  });

  it('a wrong proxy password fails before SSH, naming the proxy', async () => {
    const socks = await startSocks5Proxy({ username: 'chain', password: 'chain-pass' });
    try {
      const viaSocks = createProxyConnector({ kind: 'socks5', host: socks.host, port: socks.port, username: 'chain', password: 'nope' });
      const error = await rejectionOf(open({}, { connector: viaSocks }));
      expect(error.code).toBe('auth-failed');
      expect(error.message).toBe(`The SOCKS5 proxy 127.0.0.1:${socks.port} refused the credentials.`);
    } finally {
      await socks.stop();
    }
  });
});

// Last: restarts sshd with a new host key.
describe('a changed host key', () => {
  it('is refused with both fingerprints; pinning the new one works', async () => {
    const old = sshd.hostKey;
    const fresh = await sshd.rotateHostKey();
    expect(fresh.sha256).not.toBe(old.sha256);
    const error = await rejectionOf(open({ hostKeySha256: old.sha256 }));
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`pinned ${old.openssh}, presented ${fresh.openssh}`);
    expect(error.message).toMatch(/someone may be intercepting/);
    expect(error.details).toMatchObject({
      reason: 'ssh-host-key-mismatch',
      expectedSha256: old.sha256,
      hostKeySha256: fresh.sha256,
    });

    const tunnel = await open({ hostKeySha256: fresh.sha256 });
    await clientThrough(tunnel).list();
  });
});
