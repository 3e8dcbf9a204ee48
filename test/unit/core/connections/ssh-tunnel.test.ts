import { describe, expect, it } from 'vitest';
import {
  channelOpenError,
  describeRemote,
  describeSshServer,
  hostKeyFingerprint,
  hostKeyRefusal,
  opensshFingerprint,
  parseHostKeyPin,
  SshTunnel,
  toSshError,
  validateSshTunnelSettings,
  type SshTunnelCredentials,
} from '../../../../electron/core/connections/ssh-tunnel';
import { errorOf, rejectionOf } from '../../../helpers/errors';

// Made with `ssh-keygen -t ed25519 -C fixture`; `ssh-keygen -lf` printed the fingerprint below.
const PUBLIC_KEY_BLOB = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIJ07LIQInBQ7u4bMPpWzneAWbzR4Ja2Lzh4oLxLpFu/t', 'base64');
const OPENSSH_FINGERPRINT = 'SHA256:WblwLDazwzaWYkVDqy7FGxvU34imfFonucHnv0Fd+ZQ';
const HEX_FINGERPRINT = Buffer.from('WblwLDazwzaWYkVDqy7FGxvU34imfFonucHnv0Fd+ZQ', 'base64').toString('hex');

const BASE: SshTunnelCredentials = {
  host: 'seedbox.example',
  port: 22,
  username: 'me',
  auth: 'password',
  privateKeyPath: null,
  hostKeySha256: null,
  remote: { kind: 'unix', path: '/home/me/.rtorrent.sock' },
};

describe('host key fingerprints', () => {
  it('match what ssh-keygen -lf prints, and carry the key type', () => {
    expect(hostKeyFingerprint(PUBLIC_KEY_BLOB)).toEqual({ algorithm: 'ssh-ed25519', sha256: HEX_FINGERPRINT, openssh: OPENSSH_FINGERPRINT });
  });

  it('format 64 hex digits as SHA256: plus unpadded base64', () => {
    expect(opensshFingerprint(HEX_FINGERPRINT)).toBe(OPENSSH_FINGERPRINT);
    expect(opensshFingerprint('00'.repeat(32))).toBe(`SHA256:${'A'.repeat(43)}`);
  });

  it('name a malformed blob\'s algorithm "unknown" rather than throwing', () => {
    expect(hostKeyFingerprint(Buffer.from([0, 0])).algorithm).toBe('unknown');
    expect(hostKeyFingerprint(Buffer.from([0, 0, 0, 200, 1, 2])).algorithm).toBe('unknown');
    expect(hostKeyFingerprint(Buffer.from([0, 0, 0, 2, 0x0a, 0x0b])).algorithm).toBe('unknown');
  });
});

describe('parseHostKeyPin', () => {
  it('accepts the OpenSSH form and hex in any case, with colons or spaces', () => {
    expect(parseHostKeyPin(OPENSSH_FINGERPRINT)).toBe(HEX_FINGERPRINT);
    expect(parseHostKeyPin(`  ${OPENSSH_FINGERPRINT}= `)).toBe(HEX_FINGERPRINT);
    expect(parseHostKeyPin(HEX_FINGERPRINT.toUpperCase())).toBe(HEX_FINGERPRINT);
    expect(parseHostKeyPin(HEX_FINGERPRINT.match(/../g)!.join(':'))).toBe(HEX_FINGERPRINT);
  });

  it.each(['', 'SHA256:short', 'MD5:91:63:ad:52:25:ca:1e:ab:c0:23:ad:2b:2e:c7:99:aa', 'zz'.repeat(32), 'ab'.repeat(31)])(
    'refuses %j',
    (text) => {
      expect(errorOf(() => parseHostKeyPin(text)).code).toBe('invalid-argument');
    },
  );
});

describe('hostKeyRefusal', () => {
  const presented = hostKeyFingerprint(PUBLIC_KEY_BLOB);

  it('accepts the pinned key', () => {
    expect(hostKeyRefusal(presented, HEX_FINGERPRINT, 'SSH server h:22')).toBeUndefined();
  });

  it('refuses an unpinned key, showing the fingerprint and carrying it as hex', () => {
    const error = hostKeyRefusal(presented, null, 'SSH server h:22')!;
    expect(error.code).toBe('refused');
    expect(error.message).toBe(
      `The host key of the SSH server h:22 is not pinned yet: ${OPENSSH_FINGERPRINT} (ssh-ed25519). ` +
        'Check it (on the server, ssh-keygen -lf prints it for each host key) and pin it.',
    );
    expect(error.details).toEqual({
      endpoint: 'SSH server h:22',
      algorithm: 'ssh-ed25519',
      hostKeySha256: HEX_FINGERPRINT,
      presented: OPENSSH_FINGERPRINT,
      reason: 'ssh-host-key-unknown',
    });
  });

  it('refuses a changed key with both fingerprints', () => {
    const pinned = 'ab'.repeat(32);
    const error = hostKeyRefusal(presented, pinned, 'SSH server h:22')!;
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`pinned ${opensshFingerprint(pinned)}, presented ${OPENSSH_FINGERPRINT}`);
    expect(error.details).toMatchObject({ reason: 'ssh-host-key-mismatch', expectedSha256: pinned, hostKeySha256: HEX_FINGERPRINT });
  });
});

describe('settings', () => {
  it('describes the server and the far side', () => {
    expect(describeSshServer({ host: '::1', port: 2222 })).toBe('SSH server [::1]:2222');
    expect(describeRemote({ kind: 'tcp', host: '127.0.0.1', port: 5000 })).toBe('127.0.0.1:5000');
    expect(describeRemote({ kind: 'unix', path: '/home/me/.rtorrent.sock' })).toBe('/home/me/.rtorrent.sock');
  });

  it('refuses a key login without a key file, and fields the schema refuses', () => {
    expect(errorOf(() => validateSshTunnelSettings({ ...BASE, auth: 'key' })).message).toMatch(/choose the private key file/);
    expect(errorOf(() => validateSshTunnelSettings({ ...BASE, port: 0 })).details.field).toBe('port');
    expect(errorOf(() => validateSshTunnelSettings({ ...BASE, hostKeySha256: 'SHA256:abc' })).details.field).toBe('hostKeySha256');
    expect(errorOf(() => validateSshTunnelSettings({ ...BASE, remote: { kind: 'unix', path: 'relative.sock' } })).code).toBe('invalid-argument');
  });

  it('refuses to open without the secret the login needs, before dialling anything', async () => {
    const noPassword = await rejectionOf(SshTunnel.open(BASE));
    expect(noPassword.code).toBe('auth-failed');
    expect(noPassword.message).toBe('No password is set for the login to the SSH server seedbox.example:22.');
    const noAgent = await rejectionOf(SshTunnel.open({ ...BASE, auth: 'agent' }, { agentSocket: '' }));
    expect(noAgent.code).toBe('auth-failed');
    expect(noAgent.message).toMatch(/SSH_AUTH_SOCK is not set/);
    expect((await rejectionOf(SshTunnel.open({ ...BASE, secret: 'x' }, { timeoutMs: 0 }))).code).toBe('invalid-argument');
  });
});

describe('error mapping', () => {
  const about = { description: 'SSH server h:22', auth: { auth: 'key' as const, privateKeyPath: '/k/id_ed25519' } };
  const sshError = (message: string, extra: object): Error => Object.assign(new Error(message), extra);

  it('maps ssh2 error levels to codes', () => {
    expect(toSshError(sshError('All configured authentication methods failed', { level: 'client-authentication' }), about)).toMatchObject({
      code: 'auth-failed',
      message: 'The SSH server h:22 refused the login: the key /k/id_ed25519 is not authorized for this user (or the user name is wrong).',
    });
    expect(toSshError(sshError('Keepalive timeout', { level: 'client-timeout' }), about).code).toBe('connection-lost');
    expect(toSshError(sshError('Timed out while waiting for handshake', { level: 'client-timeout' }), about).code).toBe('timeout');
    expect(toSshError(sshError('x', { level: 'client-ssh', description: 'Too many authentication failures' }), about).message).toBe(
      'The SSH server h:22 closed the SSH connection: Too many authentication failures.',
    );
    expect(toSshError(sshError('Bad identification start', { level: 'protocol' }), about).code).toBe('protocol');
    expect(toSshError(sshError('connect ECONNRESET', { level: 'client-socket', code: 'ECONNRESET' }), about).code).toBe('connection-lost');
  });

  it('maps channel open failures by RFC 4254 reason, naming the remote', () => {
    const failure = (reason: number | string, text: string): Error => sshError(`(SSH) Channel open failure: ${text}`, { reason });
    const where = { description: 'SSH server h:22', remote: '/home/me/.rtorrent.sock' };
    expect(channelOpenError(failure(1, 'administratively prohibited'), where).code).toBe('forbidden');
    const refused = channelOpenError(failure(2, 'open failed'), where);
    expect(refused.code).toBe('connection-refused');
    expect(refused.message).toContain('the socket /home/me/.rtorrent.sock could not be opened');
    expect(refused.details.serverSays).toBe('open failed');
    expect(channelOpenError(failure(2, 'Connection refused'), { ...where, remote: '127.0.0.1:5000' }).message).toContain(
      'nothing answers at 127.0.0.1:5000',
    );
    expect(channelOpenError(failure(3, 'unknown channel type'), where).code).toBe('unsupported');
    expect(channelOpenError(failure('', 'server closed channel unexpectedly'), where).code).toBe('connection-lost');
  });
});
