// The one reading of a daemon's address, used by the editor as you type, the registry before it
// saves, the CLI's --url and every client as it connects, so an address is accepted or refused
// the same way everywhere, with the same sentence. Written by hand rather than with URL(),
// which the pure layer does not have; it accepts only what URL() reads the same way (no "\",
// no shortened IPv4, no "@" after the host), since the HTTP transport parses with URL().
//
// The rules, for every kind:
// - scheme://host[:port][/path], the scheme one of the kind's (DAEMONS[kind].schemes);
// - a host is a name of letters, digits, ".", "-" and "_" (docker and LAN names have "_"), a
//   full IPv4 address, or an IPv6 address in brackets;
// - a port is 1 to 65535; only SCGI has no default;
// - user info ("user:pass@") is accepted where the protocol has a login (http, https, deluge),
//   percent-decoded, and handed back apart from the address; SCGI has none and refuses it;
// - scgi:///absolute/path is rTorrent's Unix socket, its path percent-decoded;
// - no "?" or "#" part; only http(s) addresses have a path.
import { SeedboxError } from '../errors';
import type { ClientKind } from '../model';
import { redactUrl } from '../redact-url';
import { DAEMONS, SCHEMES, daemonName, examplesText, type Scheme } from './catalogue';

export type TcpSocket = { kind: 'tcp'; host: string; port: number };
export type DaemonSocket = TcpSocket | { kind: 'unix'; path: string };

/** The kinds whose addresses may name a Unix socket (those that speak SCGI). */
type SocketKind = { [K in ClientKind]: 'scgi' extends (typeof DAEMONS)[K]['schemes'][number] ? K : never }[ClientKind];

export interface DaemonAddress<Socket extends DaemonSocket = DaemonSocket> {
  kind: ClientKind;
  scheme: Scheme;
  /** Where to connect; an IPv6 host without its brackets. */
  socket: Socket;
  /** http(s) only: the path as written ('' when none; the client applies its default). */
  path: string;
  /** The address without its user info: what is saved and shown. */
  url: string;
  /** From the user info, percent-decoded, when it had them. */
  username?: string;
  password?: string;
}

export type AddressCheck = { ok: true; address: DaemonAddress } | { ok: false; message: string };

/** The address read for this kind of daemon, or the one sentence that says what is wrong. */
export function checkDaemonUrl(kind: ClientKind, text: string): AddressCheck {
  try {
    return { ok: true, address: readAddress(kind, text) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    throw error;
  }
}

/** As checkDaemonUrl, for callers that fail: an 'invalid-argument' SeedboxError. */
export function parseDaemonUrl<Kind extends ClientKind>(kind: Kind, text: string): DaemonAddress<Kind extends SocketKind ? DaemonSocket : TcpSocket> {
  const check = checkDaemonUrl(kind, text);
  if (!check.ok) throw new SeedboxError('invalid-argument', check.message);
  // Only scgi:// reads as a Unix socket, and only SocketKinds take scgi://.
  return check.address as DaemonAddress<Kind extends SocketKind ? DaemonSocket : TcpSocket>;
}

class Refusal extends Error {}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const CONTROL = /[\u0000-\u001f\u007f]/;
const HOST_NAME = /^[a-z0-9_.-]{1,253}$/i;
const IPV4_PART = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_PART}(?:\\.${IPV4_PART}){3}$`);

function readAddress(kind: ClientKind, text: string): DaemonAddress {
  const typed = text.trim();
  const name = daemonName(kind);
  const examples = examplesText(kind);
  const shown = `"${redactUrl(typed)}"`;
  if (typed === '') throw new Refusal(`The address is required: ${name} addresses look like ${examples}.`);
  if (CONTROL.test(typed)) throw new Refusal('The address has a control character (a tab or a line break) in it.');
  const schemeText = SCHEME.exec(typed)?.[1]?.toLowerCase();
  const scheme = (DAEMONS[kind].schemes as readonly string[]).includes(schemeText ?? '') ? (schemeText as Scheme) : undefined;
  if (!scheme) throw new Refusal(`${name} addresses look like ${examples}; ${shown} is not one.`);
  const prefix = typed.slice(0, scheme.length + '://'.length);
  const rest = typed.slice(prefix.length);

  if (scheme === 'scgi' && rest.startsWith('/')) return { kind, scheme, socket: { kind: 'unix', path: socketPath(rest) }, path: '', url: typed };
  if (rest.includes('\\')) throw new Refusal(`${shown} has a "\\" in it: paths take "/", and a "\\" in a password is written %5C.`);

  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  // A "/", "?" or "#" in a password ends the host early: refuse rather than connect to part of it.
  if (tail.includes('@')) throw new Refusal(`${shown} has an "@" after its host: a "/", "?" or "#" in a user name or password is written %2F, %3F or %23.`);
  if (/[?#]/.test(tail)) throw new Refusal(`${name} addresses have no "?" or "#" part: ${examples}.`);
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  if (userInfo !== undefined && !SCHEMES[scheme].userInfo) {
    throw new Refusal('SCGI has no user names or passwords: reach a remote SCGI port through an SSH tunnel, or use the HTTPS address your web server offers.');
  }
  const { host, port } = hostAndPort(authority.slice(at + 1), scheme, shown, name, examples);
  if (scheme !== 'http' && scheme !== 'https' && tail !== '' && tail !== '/') {
    throw new Refusal(scheme === 'deluge' ? `A Deluge daemon address has no path: ${examples}.` : `An SCGI address has no path: scgi://host:port, or scgi:///path/to/rtorrent.sock for a socket.`);
  }
  const credentials = userInfo === undefined ? {} : decodeUserInfo(userInfo);
  return {
    kind,
    scheme,
    socket: { kind: 'tcp', host, port },
    path: scheme === 'http' || scheme === 'https' ? tail : '',
    url: `${prefix}${authority.slice(at + 1)}${tail}`,
    ...credentials,
  };
}

/** scgi:///abs/path: the rest of the text is the path, with %-escapes for what a URL cannot hold. */
function socketPath(written: string): string {
  if (written === '/') throw new Refusal("An SCGI socket address needs the socket's path: scgi:///path/to/rtorrent.sock.");
  if (/[?#]/.test(written)) throw new Refusal('A socket path with "?" or "#" in it is written with %3F or %23.');
  const path = decodePart(written, 'socket path');
  if (CONTROL.test(path)) throw new Refusal('The socket path has a control character in it.');
  return path;
}

function hostAndPort(hostPort: string, scheme: Scheme, shown: string, name: string, examples: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    host = close < 0 ? '' : hostPort.slice(1, close);
    const after = close < 0 ? '' : hostPort.slice(close + 1);
    if (close < 0 || !isIpv6(host) || (after !== '' && !after.startsWith(':'))) throw new Refusal(`${shown} has no valid IPv6 address in its brackets.`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colons = hostPort.split(':').length - 1;
    if (colons > 1) throw new Refusal(`An IPv6 address goes in brackets: ${scheme}://[::1]:port.`);
    [host, portText] = colons === 1 ? [hostPort.slice(0, hostPort.indexOf(':')), hostPort.slice(hostPort.indexOf(':') + 1)] : [hostPort, undefined];
    if (host === '') throw new Refusal(`${shown} has no host name: ${name} addresses look like ${examples}.`);
    if (!HOST_NAME.test(host)) throw new Refusal(`"${host}" is not a host name: use letters, digits, ".", "-" and "_", an IPv4 address, or an IPv6 address in brackets.`);
    // URL() reads a name ending in a number as an IPv4 address ("127.1", "0x7f.1"): only full ones mean the same to both.
    const lastLabel = host.replace(/\.$/, '').split('.').pop() ?? '';
    if ((/^\d+$/.test(lastLabel) || /^0x[0-9a-f]*$/i.test(lastLabel)) && !IPV4.test(host)) {
      throw new Refusal(`"${host}" is not a full IPv4 address: write four numbers from 0 to 255, like 192.0.2.10.`);
    }
  }
  const defaultPort = SCHEMES[scheme].defaultPort;
  if (portText === undefined) {
    if (defaultPort === null) throw new Refusal(`An SCGI address is scgi://host:port or scgi:///path/to/rtorrent.sock; ${shown} has no port.`);
    return { host, port: defaultPort };
  }
  if (!/^\d+$/.test(portText)) throw new Refusal(`${shown} has no port number after its ":" (a number from 1 to 65535).`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new Refusal(`Port ${portText.replace(/^0+(?=\d)/, '')} is out of range (1 to 65535).`);
  return { host, port };
}

/** Full or "::"-shortened, with an optional IPv4 tail; no zone ("%eth0"), which URL() refuses too. */
function isIpv6(text: string): boolean {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  if (lastColon < 0) return false;
  const ipv4Tail = body.slice(lastColon + 1);
  if (ipv4Tail.includes('.')) {
    if (!IPV4.test(ipv4Tail)) return false;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

function decodeUserInfo(userInfo: string): { username?: string; password?: string } {
  const colon = userInfo.indexOf(':');
  const username = decodePart(colon < 0 ? userInfo : userInfo.slice(0, colon), 'user name');
  const password = colon < 0 ? '' : decodePart(userInfo.slice(colon + 1), 'password');
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function decodePart(encoded: string, what: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    // Never echo it: it may be a password.
    throw new Refusal(`The ${what} in the address has a malformed %-escape (a "%" itself is written %25).`);
  }
}
