// The host a tracker is listed under (Torrent.trackerHosts, the sidebar's trackers), computed
// one way for every client so that "All seedboxes" lists one tracker once.

/**
 * A list has 10^4 torrents but usually a handful of tracker URLs: parse each URL once. Passkey
 * URLs make one URL per torrent on some trackers, hence room for that many, and a bound.
 */
const HOSTS = new Map<string, string>();
const MAX_CACHED_HOSTS = 50_000;

/**
 * The host of an announce URL: lower case, IPv6 without brackets, no trailing dot, no port and
 * no user info, whatever the scheme (http, https, udp, wss). '' for what has no host.
 */
export function trackerHost(announceUrl: string): string {
  let host = HOSTS.get(announceUrl);
  if (host !== undefined) return host;
  host = parseHost(announceUrl);
  if (HOSTS.size >= MAX_CACHED_HOSTS) HOSTS.clear();
  HOSTS.set(announceUrl, host);
  return host;
}

/** scheme://[userinfo@]host[:port]; the authority ends at the first "/", "?", "#" or "\\". */
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i;

// Read from the text rather than with URL, which normalizes hosts for http-like schemes only
// (udp:// would keep its case) and is not part of this layer's pure TypeScript.
function parseHost(announceUrl: string): string {
  const authority = AUTHORITY.exec(announceUrl)?.[1];
  if (authority === undefined) return '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d*)?$/i.exec(hostAndPort);
  const host = bracketed ? bracketed[1]! : /^([^:[\]]*)(?::\d*)?$/.exec(hostAndPort)?.[1];
  if (host === undefined || /[\s\x00-\x1f\x7f]/.test(host)) return '';
  return host.toLowerCase().replace(/\.+$/, '');
}
