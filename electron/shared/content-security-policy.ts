// The window's Content Security Policy, in one place for every way the page is served: the
// app:// protocol and the dev server in Electron (a response header), the browser harness (a
// header) and the page's own meta tag (written into index.html at build time).

const BASE_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/** Directives a browser ignores in a meta tag (and reports as an error on every load): header only. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

export interface PolicyOptions {
  /** The Vite dev server injects styles inline and hot-reloads over a WebSocket. */
  dev: boolean;
  /** For a <meta http-equiv> tag: without the directives only a header can carry. */
  meta?: boolean;
}

export function contentSecurityPolicy(options: PolicyOptions): string {
  const policy: Record<string, string[]> = {};
  for (const [directive, sources] of Object.entries(BASE_POLICY)) {
    if (options.meta && HEADER_ONLY.has(directive)) continue;
    policy[directive] = [...sources];
  }
  if (options.dev) {
    policy['style-src']!.push("'unsafe-inline'");
    policy['connect-src']!.push('ws:');
  }
  return Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}
