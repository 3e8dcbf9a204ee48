// The app's preferences (kept by main), and the theme and language they choose.
import { defineStore } from 'pinia';
import { computed, ref, watchEffect } from 'vue';
import type { Preferences } from '../../../electron/shared/contract';
import { matchLocale, type Locale } from '../../../electron/shared/i18n/locales';
import { call } from '../api';
import { setLocale } from '../i18n';

export const DEFAULT_PREFERENCES: Preferences = {
  theme: 'system',
  refreshIntervalMs: 1500,
  hiddenRefreshIntervalMs: 15_000,
  notifications: { downloadFinished: true, torrentError: true, seedboxLost: true, seedboxBack: true },
  closeToTray: true,
  startAtLogin: false,
  units: 'binary',
  language: 'system',
  fetch: { limitBytesPerSecond: 0 },
};

export const useSettingsStore = defineStore('settings', () => {
  const preferences = ref<Preferences>(structuredClone(DEFAULT_PREFERENCES));
  const loaded = ref(false);
  const saving = ref(false);
  const systemDark = ref(typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches);
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (event) => (systemDark.value = event.matches));
  }

  const theme = computed<'light' | 'dark'>(() =>
    preferences.value.theme === 'system' ? (systemDark.value ? 'dark' : 'light') : preferences.value.theme,
  );
  watchEffect(() => {
    document.documentElement.dataset['theme'] = theme.value;
  });

  /** The OS's preferred languages from main (app:info), then the browser's: in the Electron
   * window both say the same; under `npm run web` main sends none and the browser's decide. */
  const systemLanguages = ref<readonly string[]>([]);
  const systemLocale = computed<Locale>(() => matchLocale([...systemLanguages.value, ...(typeof navigator === 'undefined' ? [] : navigator.languages)]));
  const locale = computed<Locale>(() => (preferences.value.language === 'system' ? systemLocale.value : preferences.value.language));
  watchEffect(() => setLocale(locale.value));

  async function load(): Promise<void> {
    const [saved, info] = await Promise.all([call('preferences:get', {}), call('app:info', {})]);
    systemLanguages.value = info.systemLanguages;
    preferences.value = saved;
    loaded.value = true;
  }

  /** Shows the change at once; main's answer (or the previous value on failure) wins. */
  async function update(changes: Partial<Preferences>): Promise<void> {
    const previous = preferences.value;
    preferences.value = { ...previous, ...changes };
    saving.value = true;
    try {
      preferences.value = await call('preferences:update', changes);
    } catch (error) {
      preferences.value = previous;
      throw error;
    } finally {
      saving.value = false;
    }
  }

  /** Main says the preferences changed (the tray's checkboxes, another window). */
  function apply(next: Preferences): void {
    preferences.value = next;
  }

  return { preferences, loaded, saving, theme, systemLocale, locale, load, update, apply };
});
