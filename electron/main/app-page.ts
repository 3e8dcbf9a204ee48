import type { CustomScheme } from 'electron';
import { contentSecurityPolicy } from '../shared/content-security-policy';
import { readRendererFile } from '../core/static/renderer-files';

/** Where the window's page comes from, and the test that a URL is that page (IPC sender, navigation). */
export interface AppPage {
  /** What the window loads. */
  readonly url: string;
  /** The policy every answer for the page carries as a header. */
  readonly contentSecurityPolicy: string;
  /** True when the page comes from the Vite dev server. */
  readonly dev: boolean;
  isAppUrl(url: string): boolean;
}

/**
 * The window's page is served from app://seedbox-remote/, not file://: a file page is a local
 * origin with extra privileges (the GrantFileProtocolExtraPrivileges fuse is off in the
 * packaging, see electron-builder.yml) and cannot receive response headers, so its CSP could
 * only be a meta tag. Electron's security checklist (docs/tutorial/security.md, "Avoid usage
 * of the file: protocol and prefer usage of custom protocols") recommends exactly this.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'seedbox-remote';
const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * docs/api/protocol.md: registerSchemesAsPrivileged must run before the app is ready, once.
 * `standard` makes the scheme parse like http (a host, relative URLs resolve, the page gets a
 * real origin and storage); `secure` makes it a secure context like https; `supportFetchAPI` and
 * `codeCache` let Chromium load the page's ES modules with fetch semantics and cache their code.
 * Not `bypassCSP`: the policy must apply to this scheme. Not `corsEnabled`: nothing else may
 * read from it.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** The parts of Electron's protocol module used here (the tests' fake has them too). */
export interface ProtocolLike {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
}

/**
 * The built renderer on app:// or, in development only, the Vite dev server: ELECTRON_RENDERER_URL
 * is ignored in a packaged app, so nothing in the environment can point the window elsewhere.
 */
export function appPage(options: { devServerUrl?: string | undefined; packaged: boolean }): AppPage {
  const devServerUrl = options.packaged ? undefined : options.devServerUrl;
  if (devServerUrl) {
    const origin = new URL(devServerUrl).origin;
    return { url: devServerUrl, dev: true, contentSecurityPolicy: contentSecurityPolicy({ dev: true }), isAppUrl: (url) => parseUrl(url)?.origin === origin };
  }
  return {
    url: APP_PAGE_URL,
    dev: false,
    contentSecurityPolicy: contentSecurityPolicy({ dev: false }),
    // Node's URL gives a custom scheme the origin "null": compare scheme and host instead.
    isAppUrl: (candidate) => {
      const parsed = parseUrl(candidate);
      return parsed?.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && (parsed.pathname === '/' || parsed.pathname === '/index.html');
    },
  };
}

/** Before the app is ready (Electron refuses it later). */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** After ready: answers app://seedbox-remote/PATH with that file of rendererDir, and nothing else. */
export function serveAppPage(protocol: ProtocolLike, options: { rendererDir: string; contentSecurityPolicy: string }): void {
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(request, options));
}

export async function answerAppRequest(request: Request, options: { rendererDir: string; contentSecurityPolicy: string }): Promise<Response> {
  const headers = { 'Content-Security-Policy': options.contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff' };
  const url = parseUrl(request.url);
  if (url?.host !== APP_HOST) return new Response('Not found.', { status: 404, headers });
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed.', { status: 405, headers });
  // The parser has removed plain dot segments; encoded ones (..%2F) are decoded and refused there.
  const file = await readRendererFile(options.rendererDir, url.pathname);
  if (file.status !== 200) return new Response(null, { status: file.status, headers });
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: { ...headers, 'Content-Type': file.type } });
}

export function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
