// Checks a seedbox address for its client kind before it is saved, and takes out the
// credentials providers print in it ("https://user:pass@host/RPC2"): the user name goes to the
// seedbox's username, the password to the keychain, and the stored URL carries neither.
import { redactUrl } from '../../shared/redact-url';
import { SeedboxError } from '../../shared/errors';
import type { ClientKind } from '../../shared/model';

export interface NormalizedUrl {
  /** The address without user info. */
  url: string;
  /** From the user info, when it had them. */
  username?: string;
  password?: string;
}

const EXAMPLES: Record<ClientKind, string> = {
  rtorrent: 'scgi://host:5000, scgi:///path/to/rtorrent.sock or https://host/RPC2',
  deluge: 'deluge://host:58846',
  qbittorrent: 'http://host:8080',
  transmission: 'http://host:9091/transmission/rpc',
};

const CLIENT_NAMES: Record<ClientKind, string> = { rtorrent: 'rTorrent', deluge: 'Deluge', qbittorrent: 'qBittorrent', transmission: 'Transmission' };

const SCHEMES: Record<ClientKind, string[]> = {
  rtorrent: ['scgi', 'http', 'https'],
  deluge: ['deluge'],
  qbittorrent: ['http', 'https'],
  transmission: ['http', 'https'],
};

export function normalizeSeedboxUrl(kind: ClientKind, text: string): NormalizedUrl {
  const trimmed = text.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  const client = CLIENT_NAMES[kind];
  if (!scheme || !SCHEMES[kind].includes(scheme)) {
    throw invalid(`${client} addresses look like ${EXAMPLES[kind]}; "${redactUrl(trimmed)}" is not one.`);
  }
  if (scheme === 'scgi') return { url: checkScgi(trimmed) };

  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid(`"${redactUrl(trimmed)}" is not a valid address. ${client} addresses look like ${EXAMPLES[kind]}.`);
  }
  if (!url.hostname) throw invalid(`"${redactUrl(trimmed)}" has no host name. ${client} addresses look like ${EXAMPLES[kind]}.`);
  if (scheme === 'deluge' && url.pathname !== '' && url.pathname !== '/') {
    throw invalid(`A Deluge daemon address has no path: ${EXAMPLES.deluge} (not the web UI's address).`);
  }
  if (url.search || url.hash) throw invalid(`${client} addresses have no "?" or "#" part: ${EXAMPLES[kind]}.`);
  if (!url.username && !url.password) return { url: trimmed };

  const username = decodeUserInfo(url.username, 'user name');
  const password = decodeUserInfo(url.password, 'password');
  url.username = '';
  url.password = '';
  return { url: url.href, ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

/** scgi://host:port or scgi:///absolute/socket/path; SCGI itself has no authentication. */
function checkScgi(url: string): string {
  const rest = url.slice('scgi://'.length);
  if (rest.startsWith('/')) {
    if (rest.length === 1) throw invalid('An SCGI socket address needs the socket\'s path: scgi:///path/to/rtorrent.sock.');
    return url;
  }
  if (rest.includes('@')) {
    throw invalid('SCGI has no user names or passwords. Reach a remote SCGI port through an SSH tunnel, or use the HTTPS address your web server offers.');
  }
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):(\d{1,5})\/?$/i.exec(rest);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) throw invalid(`An SCGI address is scgi://host:port or scgi:///path/to/rtorrent.sock, not "${redactUrl(url)}".`);
  return url;
}

function decodeUserInfo(encoded: string, what: string): string | undefined {
  if (encoded === '') return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    throw invalid(`The ${what} in the address has a malformed %-escape.`);
  }
}

function invalid(message: string): SeedboxError {
  return new SeedboxError('invalid-argument', message);
}
