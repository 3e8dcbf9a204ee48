// `boxes add` and `boxes edit`: the route to a saved seedbox (SOCKS5/HTTP proxy, SSH tunnel or
// SSH for files only) and its SFTP path mapping, read from the command line into the shared
// settings the window's editor writes. The registry checks the result with the same schema.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseHostKeyPin } from '../core/connections/ssh-tunnel';
import { parseDaemonUrl } from '../shared/daemons/address';
import type { ClientKind } from '../shared/model';
import { parseSftpPathMapping, type ProxySettings, type SecretPurpose, type SftpPathMapping, type SshTunnelSettings } from '../shared/seedbox';
import type { OptionName, ParsedArgs } from './args';
import { usage } from './common';

/** The options that shape the SSH settings; any of them without --ssh needs saved SSH settings. */
const SSH_DETAIL_OPTIONS = ['ssh-key', 'ssh-agent', 'ssh-password-stdin', 'ssh-host-key', 'ssh-remote', 'ssh-files-only'] as const satisfies OptionName[];

/** The route options `boxes add` and `boxes edit` both take. */
export const ROUTE_OPTIONS: OptionName[] = ['ssh', ...SSH_DETAIL_OPTIONS, 'no-ssh', 'proxy', 'proxy-password-stdin', 'no-proxy', 'sftp-path'];

/** Which secret each "read it from standard input" option gives. */
export const STDIN_SECRETS = {
  'password-stdin': 'daemon-password',
  'ssh-password-stdin': 'ssh-secret',
  'proxy-password-stdin': 'proxy-password',
} as const satisfies Partial<Record<OptionName, SecretPurpose>>;

/** Standard input holds one secret: the one option that asks for it, if any. */
export function stdinSecretOption(args: ParsedArgs): keyof typeof STDIN_SECRETS | undefined {
  const asked = (Object.keys(STDIN_SECRETS) as (keyof typeof STDIN_SECRETS)[]).filter((option) => args.options[option]);
  if (asked.length > 1) throw usage('cli.usage.oneSecretOnStdin', { options: asked.map((option) => `--${option}`).join(', ') });
  return asked[0];
}

export interface RouteChanges {
  proxy?: ProxySettings | null;
  sshTunnel?: SshTunnelSettings | null;
  sftpPathMapping?: SftpPathMapping[];
}

/**
 * The route settings the options change, given what is saved (nothing, for `boxes add`). Options
 * not given leave a setting as it is; the daemon's address is only read to choose what an SSH
 * tunnel reaches when --ssh-remote does not say.
 */
export async function routeChanges(
  args: ParsedArgs,
  saved: { proxy: ProxySettings | null; sshTunnel: SshTunnelSettings | null },
  daemon: { kind: ClientKind; url: string },
): Promise<RouteChanges> {
  const { options } = args;
  const changes: RouteChanges = {};
  if (options['no-proxy'] && (options.proxy !== undefined || options['proxy-password-stdin'])) throw usage('cli.usage.noProxyClearsProxy');
  if (options['no-proxy']) changes.proxy = null;
  if (options.proxy !== undefined) changes.proxy = proxyFromUrl(options.proxy);
  if (options['proxy-password-stdin'] && (changes.proxy ?? saved.proxy) === null) throw usage('cli.usage.proxyPasswordStdinPassword');
  const sshTunnel = await sshChanges(args, saved.sshTunnel, daemon);
  if (sshTunnel !== undefined) changes.sshTunnel = sshTunnel;
  if (options['sftp-path'] !== undefined) changes.sftpPathMapping = sftpPaths(options['sftp-path']);
  return changes;
}

/** socks5://[user@]host:port or http://[user@]host:port, as the editor's proxy fields hold them. */
export function proxyFromUrl(text: string): ProxySettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usage('cli.usage.proxyTakesSocksUser', { text });
  }
  const kind = url.protocol === 'socks5:' ? 'socks5' : url.protocol === 'http:' ? 'http' : undefined;
  if (!kind) throw usage('cli.usage.proxyScheme', { protocol: url.protocol });
  if (url.password !== '') throw usage('cli.usage.proxyLeavePasswordOut');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') throw usage('cli.usage.proxyPath');
  if (url.port === '') throw usage('cli.usage.proxyPort', { kind, host: url.host, port: kind === 'socks5' ? 1080 : 3128 });
  // WHATWG URL keeps an IPv6 host in brackets; the settings hold the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { kind, host, port: Number(url.port), username: decodeURIComponent(url.username) };
}

/** USER@HOST[:PORT], HOST possibly "[v6]": the SSH login as `ssh -p PORT USER@HOST` takes it. */
export function sshTarget(text: string): { username: string; host: string; port: number } {
  const at = text.lastIndexOf('@');
  if (at <= 0) throw usage('cli.usage.sshTakesUserHost', { text });
  const username = text.slice(0, at);
  const hostPort = parseHostPort(text.slice(at + 1), 22);
  if (!hostPort) throw usage('cli.usage.sshTakesUserHost2', { text });
  return { username, ...hostPort };
}

/** HOST:PORT, [V6]:PORT or HOST with a default port; undefined when it is none of these. */
function parseHostPort(text: string, defaultPort?: number): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return undefined;
  const port = match[3] === undefined ? defaultPort : Number(match[3]);
  if (port === undefined || port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

async function sshChanges(
  args: ParsedArgs,
  saved: SshTunnelSettings | null,
  daemon: { kind: ClientKind; url: string },
): Promise<SshTunnelSettings | null | undefined> {
  const { options } = args;
  const details = SSH_DETAIL_OPTIONS.filter((option) => options[option] !== undefined);
  if (options['no-ssh']) {
    if (options.ssh !== undefined || details.length > 0) throw usage('cli.usage.noSshClears', { options: [...(options.ssh !== undefined ? ['ssh'] : []), ...details].map((option) => `--${option}`).join(', ') });
    return null;
  }
  if (options.ssh === undefined && details.length === 0) return undefined;
  if (options['ssh-key'] !== undefined && options['ssh-agent']) throw usage('cli.usage.sshKeySshAgent');
  if (options['ssh-remote'] !== undefined && options['ssh-files-only']) throw usage('cli.usage.sshRemoteSaysWhat');
  let settings: SshTunnelSettings;
  if (options.ssh !== undefined) {
    const target = sshTarget(options.ssh);
    const sameServer = saved !== null && saved.host.toLowerCase() === target.host.toLowerCase() && saved.port === target.port;
    settings = saved
      ? { ...saved, ...target, hostKeySha256: sameServer ? saved.hostKeySha256 : null }
      : { ...target, auth: 'agent', privateKeyPath: null, hostKeySha256: null, remote: defaultRemote(daemon) };
  } else if (saved) {
    settings = { ...saved };
  } else {
    throw usage('cli.usage.needsSshUserHost', { option: details[0] });
  }
  if (options['ssh-key'] !== undefined) settings = { ...settings, auth: 'key', privateKeyPath: await privateKeyFile(options['ssh-key']) };
  else if (options['ssh-agent']) settings = { ...settings, auth: 'agent', privateKeyPath: null };
  // With a key file the secret on stdin is its passphrase; otherwise it is the login password.
  else if (options['ssh-password-stdin'] && settings.auth === 'agent') settings = { ...settings, auth: 'password' };
  if (options['ssh-host-key'] !== undefined) {
    try {
      settings = { ...settings, hostKeySha256: parseHostKeyPin(options['ssh-host-key']) };
    } catch (error) {
      throw usage('cli.usage.sshHostKey', { reason: (error as Error).message });
    }
  }
  if (options['ssh-files-only']) settings = { ...settings, remote: null };
  if (options['ssh-remote'] !== undefined) settings = { ...settings, remote: sshRemote(options['ssh-remote']) };
  return settings;
}

/** --ssh-remote: an absolute path is a Unix socket on the server, anything else HOST:PORT there. */
function sshRemote(text: string): NonNullable<SshTunnelSettings['remote']> {
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  const hostPort = parseHostPort(text);
  if (!hostPort) throw usage('cli.usage.sshRemoteTakesHost', { text });
  return { kind: 'tcp', ...hostPort };
}

/** Without --ssh-remote, the tunnel reaches the daemon's address as the SSH server sees it. */
function defaultRemote(daemon: { kind: ClientKind; url: string }): NonNullable<SshTunnelSettings['remote']> {
  const { socket } = parseDaemonUrl(daemon.kind, daemon.url);
  return socket.kind === 'unix' ? { kind: 'unix', path: socket.path } : { kind: 'tcp', host: socket.host, port: socket.port };
}

/** The key file's absolute path, so the settings work from any folder; it must be a file now. */
async function privateKeyFile(text: string): Promise<string> {
  if (text.trim() === '') throw usage('cli.usage.sshKeyTakesPath');
  const path = resolve(text);
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) throw found.code === 'ENOENT' ? usage('cli.usage.sshKeyNoSuchFile', { path }) : usage('cli.usage.sshKeyCannotUse', { path, reason: found.code ?? found.message });
  if (!found.isFile()) throw usage('cli.usage.sshKeyFile', { path });
  return path;
}

/** Every --sftp-path DAEMON=SFTP; a single empty one clears the mapping. */
function sftpPaths(values: string[]): SftpPathMapping[] {
  if (values.length === 1 && values[0] === '') return [];
  return values.map((value) => {
    const parsed = parseSftpPathMapping(value);
    if (!parsed.ok) throw usage('cli.usage.sftpPath', { message: parsed.message });
    return parsed.mapping;
  });
}
