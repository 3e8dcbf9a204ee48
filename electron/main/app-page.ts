import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the window's page comes from, and the test that a URL is that page (IPC sender, navigation). */
export interface AppPage {
  /** What the window loads. */
  readonly url: string;
  isAppUrl(url: string): boolean;
}

/**
 * The built renderer (file:// of out/renderer/index.html) or, in development, the Vite dev
 * server. A file page matches only that exact file (any hash or query, for the router); a dev
 * page matches its origin.
 */
export function appPage(options: { indexHtmlPath: string; devServerUrl?: string | undefined }): AppPage {
  if (options.devServerUrl) {
    const origin = new URL(options.devServerUrl).origin;
    return { url: options.devServerUrl, isAppUrl: (url) => parseUrl(url)?.origin === origin };
  }
  const url = pathToFileURL(options.indexHtmlPath).href;
  const expected = fileURLToPath(url);
  return {
    url,
    isAppUrl: (candidate) => {
      const parsed = parseUrl(candidate);
      // A file URL with a host (file://server/share) is a network path, never our page.
      if (parsed?.protocol !== 'file:' || parsed.host !== '') return false;
      return fileURLToPath(parsed) === expected;
    },
  };
}

export function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
