// File names chosen by a server or a daemon (a torrent's name and file paths) turned into a
// path under the user's chosen folder that cannot leave it and that every OS this app runs on
// can create. Pure, so it is tested alone and the fetch engine can trust what it returns.
import { SeedboxError } from '../../shared/errors';

/**
 * Bytes (UTF-8) of one component. File systems allow 255; the rest leaves room for the
 * " (12)" of keep-both and the ".part" suffix of a file being fetched.
 */
export const MAX_COMPONENT_BYTES = 240;
/** Folders plus the file name. */
export const MAX_DEPTH = 64;
/** Bytes of the whole relative path ('/'-joined). */
export const MAX_PATH_BYTES = 4096;

/** Characters Windows refuses in a name, and every control character (NUL ends a C string). */
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f<>:"|?*]/g;
/** Windows device names, refused with any extension ("nul.txt") and in any case. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** The longest prefix of `text` within `maxBytes`, never cutting a character in two. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = utf8Length(character);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end);
}

/**
 * One path component made safe: forbidden characters become "_", trailing dots and spaces
 * (which Windows drops, turning ".. " into "..") are removed, a name left empty or made of
 * dots becomes "_", a device name gets a "_" prefix, and an over-long name is shortened
 * keeping its extension.
 */
export function safeComponent(raw: string): string {
  let name = raw.normalize('NFC').replace(FORBIDDEN_CHARACTERS, '_').replace(/[. ]+$/, '');
  if (name === '' || /^\.+$/.test(name)) name = '_';
  const stem = name.split('.')[0]!.trimEnd();
  if (RESERVED_NAMES.test(stem)) name = `_${name}`;
  if (utf8Length(name) > MAX_COMPONENT_BYTES) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    const kept = truncateUtf8(name.slice(0, name.length - extension.length), MAX_COMPONENT_BYTES - utf8Length(extension));
    name = `${kept.replace(/[. ]+$/, '') || '_'}${extension}`;
  }
  return name;
}

/**
 * A path from a server ('/' or '\' separated, maybe absolute, maybe with "..") as the
 * components of a path relative to the destination folder. Empty and "." components are
 * dropped (they name no folder); every other one goes through safeComponent, so ".." becomes
 * "_" and "/etc/passwd" becomes ["etc", "passwd"]. Throws 'refused' for a path that names no
 * file or is deeper or longer than any real torrent's.
 */
export function safeRelativePath(raw: string): string[] {
  const components = raw
    .split(/[/\\]/)
    .filter((part) => part !== '' && part !== '.')
    .map(safeComponent);
  if (components.length === 0) {
    throw new SeedboxError('refused', `The server named a file "${printable(raw)}" that has no usable name.`, { path: printable(raw) });
  }
  if (components.length > MAX_DEPTH) {
    throw new SeedboxError('refused', `The server named a file more than ${MAX_DEPTH} folders deep.`, { path: printable(raw) });
  }
  if (utf8Length(components.join('/')) > MAX_PATH_BYTES) {
    throw new SeedboxError('refused', `The server named a file whose path is longer than ${MAX_PATH_BYTES} bytes.`, { path: printable(raw) });
  }
  return components;
}

/**
 * How two safe paths compare on a case-insensitive file system (Windows, macOS by default):
 * two files of one fetch with the same key would land on one file.
 */
export function collisionKey(components: readonly string[]): string {
  return components.join('/').normalize('NFC').toLowerCase();
}

/** "film (2).mkv" for the second copy kept of "film.mkv" (keep-both). */
export function keepBothName(name: string, copy: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${copy})${name.slice(dot)}` : `${name} (${copy})`;
}

/** A server's text shown in a message: control characters visible, length bounded. */
export function printable(raw: string): string {
  const visible = raw.replace(/[\u0000-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible.length > 200 ? `${visible.slice(0, 200)}…` : visible;
}
