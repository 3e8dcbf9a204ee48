import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/** package.json's productName: Electron names the userData folder after it. */
export const PRODUCT_NAME = 'Seedbox Remote';
export const CONFIG_FILE_NAME = 'seedbox-remote.json';

export interface PlatformContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * Electron's app.getPath('userData') for this product, computed without Electron, so the CLI
 * and the app share one settings file: appData (per platform, as Electron defines it) plus
 * the product name.
 */
export function userDataDirectory(context: PlatformContext = currentPlatform()): string {
  const { platform, env, home } = context;
  if (platform === 'win32') {
    return win32.join(env['APPDATA'] || win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  // Chromium's GetXDGDirectory: a non-empty XDG_CONFIG_HOME as it is, else ~/.config.
  return posix.join(env['XDG_CONFIG_HOME'] || posix.join(home, '.config'), PRODUCT_NAME);
}

export function defaultConfigPath(context: PlatformContext = currentPlatform()): string {
  return (context.platform === 'win32' ? win32 : posix).join(userDataDirectory(context), CONFIG_FILE_NAME);
}

function currentPlatform(): PlatformContext {
  return { platform: process.platform, env: process.env, home: homedir() };
}
