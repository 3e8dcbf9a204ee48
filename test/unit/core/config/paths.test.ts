import { describe, expect, it } from 'vitest';
import { defaultConfigPath, userDataDirectory } from '../../../../electron/core/config/paths';

describe('defaultConfigPath: Electron’s userData for "Seedbox Remote"', () => {
  it.each([
    [{ platform: 'linux', env: {}, home: '/home/ann' }, '/home/ann/.config/Seedbox Remote/seedbox-remote.json'],
    [{ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/ann' }, '/xdg/Seedbox Remote/seedbox-remote.json'],
    [{ platform: 'linux', env: { XDG_CONFIG_HOME: '' }, home: '/home/ann' }, '/home/ann/.config/Seedbox Remote/seedbox-remote.json'],
    [{ platform: 'freebsd', env: {}, home: '/usr/home/ann' }, '/usr/home/ann/.config/Seedbox Remote/seedbox-remote.json'],
    [{ platform: 'darwin', env: { XDG_CONFIG_HOME: '/ignored' }, home: '/Users/ann' }, '/Users/ann/Library/Application Support/Seedbox Remote/seedbox-remote.json'],
    [{ platform: 'win32', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann' }, 'C:\\Users\\ann\\AppData\\Roaming\\Seedbox Remote\\seedbox-remote.json'],
    [{ platform: 'win32', env: {}, home: 'C:\\Users\\ann' }, 'C:\\Users\\ann\\AppData\\Roaming\\Seedbox Remote\\seedbox-remote.json'],
  ] as const)('%j → %s', (context, expected) => {
    expect(defaultConfigPath({ ...context, env: { ...context.env } })).toBe(expected);
  });

  it('is the file inside userDataDirectory', () => {
    const context = { platform: 'linux' as const, env: {}, home: '/h' };
    expect(defaultConfigPath(context)).toBe(`${userDataDirectory(context)}/seedbox-remote.json`);
  });
});
