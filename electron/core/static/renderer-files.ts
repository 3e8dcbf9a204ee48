import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

// The built window's files (out/renderer), served by path from a URL: the same rules for the
// app:// protocol in Electron and for the browser harness. Nothing outside that folder is ever
// read, whatever the path says (dot segments, encoded slashes, backslashes, symlinks).

/** Content types by extension: a module script with the wrong one is refused by Chromium. */
export const RENDERER_FILE_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type RendererFile =
  | { status: 200; path: string; type: string; body: Buffer }
  /** 400: a path that cannot be decoded; 403: one that points outside the folder; 404: nothing there. */
  | { status: 400 | 403 | 404 };

/** Reads the file a URL path names inside root ('/' is index.html). */
export async function readRendererFile(root: string, urlPath: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  // A backslash is a separator on Windows and a NUL ends a path in C: neither belongs in a URL path here.
  if (decoded.includes('\\') || decoded.includes('\0')) return { status: 400 };
  const base = normalize(root);
  const file = normalize(join(base, decoded === '/' || decoded === '' ? 'index.html' : decoded));
  if (!file.startsWith(base.endsWith(sep) ? base : base + sep)) return { status: 403 };
  try {
    // A symlink inside the folder could still lead out of it.
    const [realFile, realBase] = await Promise.all([realpath(file), realpath(base)]);
    if (!realFile.startsWith(realBase + sep)) return { status: 403 };
    if (!(await stat(realFile)).isFile()) return { status: 404 };
    return { status: 200, path: file, type: RENDERER_FILE_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body: await readFile(realFile) };
  } catch {
    return { status: 404 };
  }
}
