import type { HandlerPart } from '../handlers';
import type { PreferencesCache } from './preferences';

export function settingsHandlers(deps: { preferences: PreferencesCache }): HandlerPart<'preferences:get' | 'preferences:update'> {
  return {
    'preferences:get': async () => deps.preferences.get(),
    'preferences:update': async (changes) => deps.preferences.update(changes),
  };
}
