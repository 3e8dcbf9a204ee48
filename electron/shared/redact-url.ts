// The one way to show an address that may carry credentials or tokens (error messages, test
// reports, the CLI). It works on the raw text the user typed, not on a parsed URL: a password
// with "/", "?" or "#" in it ends the authority for a URL parser ("https://user:pa/ss@host" parses
// as host "user"), so a parsed form would hand part of the password back as host or path.

const SCHEME = /^([a-z][a-z0-9+.-]*:\/\/)/i;
/** Longer addresses are cut: a message is not the place for an 8 KB URL. */
const MAX_LENGTH = 200;

/**
 * Everything between "scheme://" (or the start, without a scheme) and the LAST "@" in the text
 * becomes "***": any "@" may end the user info when the password holds "/", "?", "#" or "@",
 * so nothing before the last one is shown. The query and fragment go too (passkeys and tokens
 * live there). "https://me:pa/ss@host/RPC2?key=1" → "https://***@host/RPC2?…".
 */
export function redactUrl(text: string): string {
  const trimmed = text.trim();
  const scheme = SCHEME.exec(trimmed)?.[1] ?? '';
  let rest = trimmed.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) rest = `***${rest.slice(at)}`;
  const query = rest.search(/[?#]/);
  if (query >= 0) rest = `${rest.slice(0, query)}?…`;
  const shown = `${scheme}${rest}`;
  return shown.length > MAX_LENGTH ? `${shown.slice(0, MAX_LENGTH - 1)}…` : shown;
}
