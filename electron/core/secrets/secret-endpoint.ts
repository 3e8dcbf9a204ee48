// The rule for saved secrets: a secret goes only to the endpoint it was saved for. Every path
// that reads a saved secret (the app's connections, Test, the CLI's --seedbox) reads it through
// guardSavedSecrets, and the registry drops a secret whose endpoint an update changes.
import { checkDaemonUrl } from '../../shared/daemons/address';
import { SeedboxError } from '../../shared/errors';
import { redactUrl } from '../../shared/redact-url';
import type { SecretPurpose, Seedbox } from '../../shared/seedbox';

/** Reads one secret of the seedbox being opened (keychain, or this run's memory). */
export type SecretReader = (purpose: SecretPurpose) => Promise<string | undefined>;

/** The settings that decide where a secret goes; the id, name, refresh and labels do not. */
export type EndpointSettings = Pick<Seedbox, 'kind' | 'url' | 'username' | 'tlsPinSha256' | 'proxy' | 'sshTunnel'>;

/**
 * Where a secret of this purpose would go with these settings, as one comparable string:
 * - the daemon password: client, scheme, host, port, path, user name and TLS pin, plus the
 *   route to it (proxy and SSH tunnel, with the tunnel's far end);
 * - the SSH password or key passphrase: the SSH server, user, auth, key file and host-key pin,
 *   and the proxy in front of it;
 * - the proxy password: the proxy's type, host, port and user.
 * Addresses are read with the parser the client itself uses, so two texts that reach the same
 * place compare equal and two that reach different places never do.
 */
export function secretEndpoint(purpose: SecretPurpose, settings: EndpointSettings): string {
  const proxy = settings.proxy ? { kind: settings.proxy.kind, host: settings.proxy.host.toLowerCase(), port: settings.proxy.port, user: settings.proxy.username } : null;
  const ssh = settings.sshTunnel;
  switch (purpose) {
    case 'proxy-password':
      return JSON.stringify({ proxy });
    case 'ssh-secret':
      return JSON.stringify({
        ssh: ssh ? { host: ssh.host.toLowerCase(), port: ssh.port, user: ssh.username, auth: ssh.auth, key: ssh.privateKeyPath, hostKey: ssh.hostKeySha256 } : null,
        proxy,
      });
    case 'daemon-password':
      return JSON.stringify({
        daemon: daemonAddress(settings),
        pin: settings.tlsPinSha256,
        proxy,
        // SSH settings for files only are not on the daemon's route.
        ssh: ssh?.remote ? { host: ssh.host.toLowerCase(), port: ssh.port, user: ssh.username, hostKey: ssh.hostKeySha256, remote: ssh.remote } : null,
      });
  }
}

function daemonAddress(settings: EndpointSettings): unknown {
  const text = settings.url.trim();
  const check = checkDaemonUrl(settings.kind, text);
  // An address the client cannot read either: only the very same text compares equal.
  if (!check.ok) return { kind: settings.kind, raw: text, user: settings.username };
  const { scheme, socket, path, username } = check.address;
  const where = socket.kind === 'unix' ? { socket: socket.path } : { host: socket.host.toLowerCase(), port: socket.port };
  // "https://host" and "https://host/" reach the same place.
  return { kind: settings.kind, scheme, ...where, path: path === '/' ? '' : path, user: username ?? settings.username };
}

const PURPOSE_TEXT: Record<SecretPurpose, { what: string; changed: string }> = {
  'daemon-password': { what: 'password', changed: 'the address, user name, certificate pin, proxy or SSH tunnel' },
  'ssh-secret': { what: 'SSH password or key passphrase', changed: 'the SSH server, user, key, host-key pin or proxy' },
  'proxy-password': { what: 'proxy password', changed: 'the proxy' },
};

/**
 * A reader that gives a saved secret only when `target` reaches the same endpoint as the saved
 * seedbox (for that secret's purpose). A secret the caller supplies always wins. When a secret
 * is saved but the endpoint differs, it refuses with 'auth-failed' (details.reason
 * 'endpoint-changed') rather than send it, or silently leave it out and fail at login.
 */
export function guardSavedSecrets(options: {
  saved: EndpointSettings & { name: string };
  target: EndpointSettings;
  readSaved: SecretReader;
  supplied?: Partial<Record<SecretPurpose, string>>;
}): SecretReader {
  const { saved, target, readSaved, supplied = {} } = options;
  return async (purpose) => {
    const given = supplied[purpose];
    if (given !== undefined) return given;
    if (secretEndpoint(purpose, saved) === secretEndpoint(purpose, target)) return readSaved(purpose);
    if ((await readSaved(purpose)) === undefined) return undefined;
    const { what, changed } = PURPOSE_TEXT[purpose];
    throw new SeedboxError(
      'auth-failed',
      `The ${what} saved for "${saved.name}" was saved for ${describe(purpose, saved)}, and ${changed} changed since: type the ${what} again (it is not sent anywhere else).`,
      { reason: 'endpoint-changed', purpose },
    );
  };
}

function describe(purpose: SecretPurpose, settings: EndpointSettings): string {
  if (purpose === 'proxy-password' && settings.proxy) return `the proxy ${settings.proxy.host}:${settings.proxy.port}`;
  if (purpose === 'ssh-secret' && settings.sshTunnel) return `the SSH server ${settings.sshTunnel.username}@${settings.sshTunnel.host}:${settings.sshTunnel.port}`;
  return redactUrl(settings.url);
}
