import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventPayload } from '../shared/contract';
import { SeedboxError, toSeedboxError } from '../shared/errors';
import { MAX_ADD_REQUEST_BYTES, MAX_ADD_REQUEST_SOURCES, MAX_TORRENT_FILE_BYTES } from '../shared/limits';
import { readSmallRegularFile } from '../core/files/small-file';
import { parseMagnet } from '../shared/magnet';

// magnet: links and .torrent files the OS hands to the app: on the command line at start
// (Windows, Linux), in a second instance's command line, or as open-url / open-file events
// (macOS). They become one 'app:addRequest' for the window, whose add dialog takes it from there.

export type OpenRequest = { kind: 'magnet'; uri: string } | { kind: 'file'; path: string };
export type AddRequestSource = EventPayload<'app:addRequest'>['sources'][number];

const MAX_MAGNET_LENGTH = 65_536;

/**
 * A network path: UNC (\\host\share, //host/share, and the \\?\UNC\ and \\.\ device forms
 * that start the same way). Opening one makes Windows connect over SMB and offer the user's
 * NTLM credentials to that host, so hand-overs take local paths only.
 */
export function isNetworkPath(path: string): boolean {
  return /^[\\/]{2}/.test(path);
}

/**
 * One command-line argument or OS-handed URL, or null for anything else (flags, the app's own
 * path, junk). A network path is kept as given, unresolved, so that readOpenRequest refuses it
 * with a reason the user sees.
 */
export function parseOpenArgument(argument: string, cwd: string, platform: NodeJS.Platform = process.platform): OpenRequest | null {
  if (/^magnet:/i.test(argument)) return isUsableMagnet(argument) ? { kind: 'magnet', uri: argument } : null;
  if (/^file:/i.test(argument)) {
    // Linux desktop entries pass %U: file URLs. One with a host (file://server/share/…) names a
    // network share, which Node would turn into a UNC path on Windows: kept as //server/share/….
    try {
      const url = new URL(argument);
      if (!isTorrentPath(url.pathname)) return null;
      if (url.host !== '' && url.host.toLowerCase() !== 'localhost') return { kind: 'file', path: `//${url.host}${decodeURIComponent(url.pathname)}` };
      return { kind: 'file', path: fileURLToPath(url, { windows: platform === 'win32' }) };
    } catch {
      return null;
    }
  }
  if (argument.startsWith('-') || !isTorrentPath(argument)) return null;
  return { kind: 'file', path: isNetworkPath(argument) ? argument : resolve(cwd, argument) };
}

/** Every usable request in a command line, without repeats, in order. */
export function parseOpenArgs(argv: readonly string[], cwd: string, platform: NodeJS.Platform = process.platform): OpenRequest[] {
  const seen = new Set<string>();
  const requests: OpenRequest[] = [];
  for (const argument of argv) {
    const request = parseOpenArgument(argument, cwd, platform);
    if (!request) continue;
    const key = request.kind === 'magnet' ? request.uri : request.path;
    if (seen.has(key)) continue;
    seen.add(key);
    requests.push(request);
  }
  return requests;
}

function isTorrentPath(path: string): boolean {
  return /\.torrent$/i.test(path);
}

function isUsableMagnet(uri: string): boolean {
  if (uri.length > MAX_MAGNET_LENGTH) return false;
  try {
    parseMagnet(uri);
    return true;
  } catch {
    return false;
  }
}

/** The request as the window takes it: a magnet as is, a file read into bytes (regular files only, size-capped). */
export async function readOpenRequest(request: OpenRequest, maxBytes = MAX_TORRENT_FILE_BYTES): Promise<AddRequestSource> {
  if (request.kind === 'magnet') return { kind: 'magnet', uri: request.uri };
  const fileName = basename(request.path);
  // The last gate before the file system: whatever the route, no network path is read (a stat
  // on a share would already connect over SMB).
  if (isNetworkPath(request.path)) throw new SeedboxError('refused', `${fileName} is on a network share: only files on this computer can be opened.`, { fileName });
  const bytes = await readSmallRegularFile(request.path, { maxBytes, tooLargeCode: 'invalid-torrent' });
  return { kind: 'file', bytes: new Uint8Array(bytes), fileName };
}

/**
 * Reads the requests and hands what could be read to `deliver` as one add request; what could
 * not be read is logged (the OS gave us a path, there is no dialog to answer yet).
 */
export function createOpenHandler(options: {
  deliver: (payload: EventPayload<'app:addRequest'>) => void;
  log: (message: string) => void;
  maxBytes?: number;
}): (requests: readonly OpenRequest[]) => Promise<void> {
  return async (requests) => {
    const sources: AddRequestSource[] = [];
    let totalBytes = 0;
    for (const request of requests) {
      // What one add request may carry (the contract's bounds); the rest is said, not sent.
      if (sources.length >= MAX_ADD_REQUEST_SOURCES) {
        options.log(`Only the first ${MAX_ADD_REQUEST_SOURCES} torrents handed over at once are opened; ${requests.length - MAX_ADD_REQUEST_SOURCES} more were left out.`);
        break;
      }
      try {
        const source = await readOpenRequest(request, options.maxBytes);
        const bytes = source.kind === 'file' ? source.bytes.byteLength : 0;
        if (totalBytes + bytes > MAX_ADD_REQUEST_BYTES) {
          options.log(`${source.kind === 'file' ? source.fileName : 'A torrent'} was left out: the files handed over together exceed ${MAX_ADD_REQUEST_BYTES / 1048576} MiB.`);
          continue;
        }
        totalBytes += bytes;
        sources.push(source);
      } catch (error) {
        options.log(toSeedboxError(error).message);
      }
    }
    if (sources.length > 0) options.deliver({ sources });
  };
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The app events the OS uses to hand things over. */
export interface OpenEventSource {
  on(event: 'open-url', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'open-file', listener: (event: PreventableEvent, path: string) => void): unknown;
  on(event: 'second-instance', listener: (event: PreventableEvent, argv: string[], workingDirectory: string) => void): unknown;
}

/**
 * Routes open-url, open-file and second-instance to `handle`. Register before the app is
 * ready: macOS sends open-file / open-url for the launch itself early.
 */
export function installOpenHandlers(options: {
  app: OpenEventSource;
  handle: (requests: OpenRequest[]) => unknown;
  /** A second launch means "show me the app", with or without anything to open. */
  onSecondInstance: () => void;
}): void {
  options.app.on('open-url', (event, url) => {
    event.preventDefault();
    const request = parseOpenArgument(url, '/');
    if (request?.kind === 'magnet') void options.handle([request]);
  });
  options.app.on('open-file', (event, path) => {
    event.preventDefault();
    if (isTorrentPath(path)) void options.handle([{ kind: 'file', path: isNetworkPath(path) ? path : resolve(path) }]);
  });
  options.app.on('second-instance', (_event, argv, workingDirectory) => {
    options.onSecondInstance();
    const requests = parseOpenArgs(argv, workingDirectory);
    if (requests.length > 0) void options.handle(requests);
  });
}
