import { parseUrl } from './app-page';

// The window shows only our own page: no navigation, no new windows, no permission but writing
// the clipboard, and a strict Content Security Policy sent as a header (the app:// protocol sets
// it on every answer; onHeadersReceived covers the dev server). The page also carries it in a
// meta tag, which a header cannot loosen: both apply.

/** Response headers with our policy in place of any the response had (header names are case-insensitive). */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
  policy: string,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') result[name] = value;
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}

/** Only plain http(s) links without credentials go to the OS browser. */
export function isSafeExternalUrl(text: string): boolean {
  const url = parseUrl(text);
  if (!url) return false;
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of webContents this module hardens. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The parts of a session this module hardens. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { isMainFrame?: boolean }) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: { isMainFrame?: boolean }) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
}

export function hardenWebContents(contents: HardenableContents, options: { openExternal: (url: string) => unknown; log: (message: string) => void }): void {
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview'] as const) {
    contents.on(event, (navigation) => navigation.preventDefault());
  }
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void Promise.resolve(options.openExternal(url)).catch(() => undefined);
    else options.log(`Refused to open a link that is not a plain http(s) address.`);
    return { action: 'deny' };
  });
}

/**
 * The one permission the page uses: navigator.clipboard.writeText (Copy magnet / hash / name).
 * Electron asks the check handler for it as 'clipboard-sanitized-write' (docs/api/session.md,
 * setPermissionCheckHandler), and a denied check may be followed by a request of the same
 * name, so both handlers grant it, to our main frame only; reading the clipboard
 * ('clipboard-read') stays denied (paste uses the paste event's own data, which needs none).
 */
export function isAllowedPermission(permission: string, details: { isMainFrame?: boolean } | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && details?.isMainFrame === true;
}

export function hardenSession(session: HardenableSession, options: { policy: string }): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isAllowedPermission(permission, details)));
  session.setPermissionCheckHandler((_contents, permission, _origin, details) => isAllowedPermission(permission, details));
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, options.policy) }),
  );
}
