import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SshTunnelCredentials } from '../../electron/core/connections/ssh-tunnel';
import type { SshTunnelSettings } from '../../electron/shared/seedbox';
import { canConnect, Daemon, freePort, tempDir, waitFor } from './processes';
import { assertIsolated } from './rtorrent';

/** A key pair made with ssh-keygen for the test. */
export interface TestKey {
  privateKeyPath: string;
  publicKey: string;
  passphrase: string;
}

export interface HostKeyInfo {
  /** SHA-256 as 64 lower-case hex digits (what the settings pin). */
  sha256: string;
  /** What `ssh-keygen -lf` prints: "SHA256:" + unpadded base64. */
  openssh: string;
}

/**
 * A real OpenSSH sshd (Debian package `openssh-server`) on a random 127.0.0.1 port, with its
 * own ed25519 host key and config in a temp dir:
 *
 * - root logs in with keys only (`PermitRootLogin prohibit-password`), through an
 *   AuthorizedKeysFile in the temp dir, so root's own ~/.ssh is never read or changed. Root
 *   can open rTorrent's private (0700) socket directory, which the Unix-socket tests need.
 * - password logins use a dedicated system account, PASSWORD_USER (shell nologin, no home),
 *   created once if absent: `UsePAM no` makes sshd check /etc/shadow, and setting root's
 *   password is out of the question. Each start gives it a fresh random password and stop()
 *   locks it again, so no usable password outlives the test. Only one sshd at a time may use
 *   an account (one test file): a file that may run beside another such file names its own
 *   (passwordUser: 'seedbox-...', made the same way).
 * - only port forwarding works: ForceCommand /bin/false, no TTY, no agent or X11 forwarding.
 *
 * sshd needs its privilege-separation directory /run/sshd (a tmpfs path it normally gets
 * from its init script): created if missing.
 */
export interface SshdInstance {
  host: '127.0.0.1';
  port: number;
  dir: string;
  hostKey: HostKeyInfo;
  /** Authorized for root, no passphrase. */
  rootKey: TestKey;
  /** Authorized for root, encrypted with `passphrase`. */
  encryptedRootKey: TestKey;
  /** A valid key nobody authorized. */
  strangerKey: TestKey;
  /** Set when started with { passwordUser }. */
  passwordLogin?: { username: string; password: string };
  daemon: Daemon;
  /** Restarts sshd on the same port with a newly generated host key. */
  rotateHostKey(): Promise<HostKeyInfo>;
  /** Kills every open session (sshd's per-connection processes), as a cut line would; sshd goes on listening. */
  killSessions(): number;
  stop(): Promise<void>;
}

export const PASSWORD_USER = 'seedbox-sshtest';

/**
 * `sftp`: sessions run OpenSSH's internal-sftp (ForceCommand internal-sftp) instead of
 * /bin/false, so the SFTP subsystem works and still no shell command does.
 */
export async function startSshd(options: { passwordUser?: boolean | string; sftp?: boolean } = {}): Promise<SshdInstance> {
  assertIsolated();
  const dir = tempDir('sshd');
  const port = await freePort();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  let hostKey = makeHostKey(dir);
  const rootKey = makeKey(dir, 'root-key', '');
  const encryptedRootKey = makeKey(dir, 'root-key-encrypted', 'correct horse battery');
  const strangerKey = makeKey(dir, 'stranger-key', '');
  writeFileSync(join(dir, 'authorized_keys'), `${rootKey.publicKey}\n${encryptedRootKey.publicKey}\n`);

  const passwordUser = typeof options.passwordUser === 'string' ? options.passwordUser : PASSWORD_USER;
  const passwordLogin = options.passwordUser ? preparePasswordUser(passwordUser) : undefined;
  const configFile = join(dir, 'sshd_config');
  writeFileSync(
    configFile,
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers root ${passwordUser}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitEmptyPasswords no',
      'UsePAM no',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'AllowStreamLocalForwarding yes',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PermitTTY no',
      'PermitUserRC no',
      ...(options.sftp ? ['Subsystem sftp internal-sftp', 'ForceCommand internal-sftp'] : ['ForceCommand /bin/false']),
      'UseDNS no',
      'LogLevel VERBOSE',
    ].join('\n') + '\n',
  );

  const start = async (): Promise<Daemon> => {
    // -D: foreground; -e: log to stderr (kept in Daemon.output for failure messages).
    const daemon = Daemon.start('sshd', '/usr/sbin/sshd', ['-D', '-e', '-f', configFile]);
    await waitFor(`sshd on port ${port}`, () => (daemon.running ? canConnect({ port }) : Promise.reject(new Error(daemon.describe()))));
    return daemon;
  };
  let daemon = await start();

  return {
    host: '127.0.0.1',
    port,
    dir,
    get hostKey() {
      return hostKey;
    },
    rootKey,
    encryptedRootKey,
    strangerKey,
    ...(passwordLogin ? { passwordLogin } : {}),
    get daemon() {
      return daemon;
    },
    killSessions() {
      const sessions = descendantsOf(daemon.child.pid!);
      for (const pid of sessions) process.kill(pid, 'SIGKILL');
      return sessions.length;
    },
    async rotateHostKey() {
      await daemon.stop();
      hostKey = makeHostKey(dir);
      daemon = await start();
      return hostKey;
    },
    async stop() {
      await daemon.stop();
      if (passwordLogin) lockPasswordUser(passwordLogin.username);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The settings for root's plain key with the host key pinned, to reach `remote`. */
export function rootKeyLogin(sshd: SshdInstance, remote: SshTunnelSettings['remote']): SshTunnelCredentials {
  return {
    host: '127.0.0.1',
    port: sshd.port,
    username: 'root',
    auth: 'key',
    privateKeyPath: sshd.rootKey.privateKeyPath,
    hostKeySha256: sshd.hostKey.sha256,
    remote,
  };
}

/** Every process below `root`, read from /proc (children first found, then theirs). */
function descendantsOf(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the name (field 2) may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone since readdir.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

/** An ssh-agent on a socket in `dir` holding `keys`; for auth 'agent'. */
export async function startSshAgent(dir: string, keys: TestKey[]): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, `agent-${randomBytes(4).toString('hex')}.sock`);
  const daemon = Daemon.start('ssh-agent', 'ssh-agent', ['-D', '-a', socket]);
  await waitFor('ssh-agent', () => (daemon.running ? canConnect({ path: socket }) : Promise.reject(new Error(daemon.describe()))));
  for (const key of keys) {
    execFileSync('ssh-add', [key.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' });
  }
  return { socket, stop: () => daemon.stop() };
}

function makeKey(dir: string, name: string, passphrase: string): TestKey {
  const privateKeyPath = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', privateKeyPath], { stdio: 'pipe' });
  return { privateKeyPath, publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8').trim(), passphrase };
}

/** (Re)generates the host key and reads its fingerprint the way a user would: ssh-keygen -lf. */
function makeHostKey(dir: string): HostKeyInfo {
  const file = join(dir, 'host_ed25519');
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test-host', '-f', file], { stdio: 'pipe' });
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  const openssh = /SHA256:[A-Za-z0-9+/]{43}/.exec(printed)?.[0];
  if (!openssh) throw new Error(`unexpected ssh-keygen -l output: ${printed}`);
  return { openssh, sha256: Buffer.from(openssh.slice('SHA256:'.length), 'base64').toString('hex') };
}

/** Creates the account once if absent, then gives it a fresh random password. */
function preparePasswordUser(username: string): { username: string; password: string } {
  const exists = (() => {
    try {
      execFileSync('id', ['-u', username], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!exists) {
    execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', username], {
      stdio: 'pipe',
    });
  }
  const password = `pw-${randomBytes(12).toString('base64url')} ü`;
  execFileSync('chpasswd', [], { input: `${username}:${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return { username, password };
}

/** "!" in /etc/shadow: no password works, and sshd (UsePAM no) refuses the account entirely. */
function lockPasswordUser(username: string): void {
  execFileSync('usermod', ['--lock', username], { stdio: 'pipe' });
}
