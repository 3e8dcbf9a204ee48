import type { InvokeHandlers, Preferences } from '../shared/contract';

// The service owns the preferences; the shell only needs to hear when they change (close to
// tray, start at login, which notifications), whether the window or the tray changed them.

/** The handler table with 'preferences:update' also reporting the new preferences to the shell. */
export function observePreferences(handlers: InvokeHandlers, onChange: (preferences: Preferences) => void): InvokeHandlers {
  return {
    ...handlers,
    'preferences:update': async (changes) => {
      const updated = await handlers['preferences:update'](changes);
      onChange(updated);
      return updated;
    },
  };
}

/** app.setLoginItemSettings for the preference; the window waits in the tray when started at login. */
export function loginItemSettings(preferences: Pick<Preferences, 'startAtLogin' | 'closeToTray'>): { openAtLogin: boolean; openAsHidden: boolean; args: string[] } {
  const hidden = preferences.startAtLogin && preferences.closeToTray;
  return { openAtLogin: preferences.startAtLogin, openAsHidden: hidden, args: hidden ? [HIDDEN_FLAG] : [] };
}

/** On the command line of a login start: stay in the tray. */
export const HIDDEN_FLAG = '--hidden';
