// Connects the window to the main process: events into the stores, then the first loads and
// the subscription (events first, so nothing sent in between is lost).
import { ref } from 'vue';
import { call, hasBridge, on } from './api';
import { i18n } from './i18n';
import { useFetchStore } from './stores/fetch';
import { draftsFromAddSources } from './lib/add-sources';
import { applyAccent } from './lib/accent';
import { useRulesStore } from './stores/rules';
import { useSeedboxesStore } from './stores/seedboxes';
import { useSettingsStore } from './stores/settings';
import { errorMessage, useToastsStore } from './stores/toasts';
import { useTorrentsStore } from './stores/torrents';
import { useUiStore } from './stores/ui';

/** Why the window cannot work at all (no bridge, main not answering), for the full-window error state. */
export const bootError = ref<string | null>(null);

export async function boot(): Promise<() => void> {
  if (!hasBridge()) {
    bootError.value = i18n.global.t('app.noBridge');
    return () => {};
  }
  const fetches = useFetchStore();
  const seedboxes = useSeedboxesStore();
  const torrents = useTorrentsStore();
  const settings = useSettingsStore();
  const ui = useUiStore();
  const toasts = useToastsStore();
  const rules = useRulesStore();

  const stops = [
    on('fetch:jobs', ({ jobs }) => fetches.apply(jobs)),
    on('fetch:progress', (progress) => fetches.applyProgress(progress)),
    on('torrents:delta', (delta) => {
      torrents.applyDelta(delta);
      seedboxes.setStats(delta.seedboxId, delta.stats);
    }),
    on('seedbox:status', (status) => seedboxes.setStatus(status)),
    on('seedboxes:changed', (boxes) => {
      const ids = new Set(boxes.map((box) => box.id));
      for (const box of seedboxes.list) if (!ids.has(box.id)) torrents.forgetBox(box.id);
      if (ui.seedboxId !== null && !ids.has(ui.seedboxId)) ui.selectBox(null);
      seedboxes.setList(boxes);
    }),
    on('preferences:changed', (next) => settings.apply(next)),
    on('app:addRequest', ({ sources }) => ui.openAdd(draftsFromAddSources(sources))),
    on('app:showTorrent', ({ seedboxId, id }) => ui.showTorrent(seedboxId, id)),
    on('app:appearance', ({ accentColor }) => applyAccent(accentColor)),
    on('rules:changed', (state) => rules.apply(state)),
  ];

  const reportVisibility = (): void => {
    void call('window:visibility', { visible: document.visibilityState === 'visible' }).catch(() => {});
  };
  document.addEventListener('visibilitychange', reportVisibility);
  stops.push(() => document.removeEventListener('visibilitychange', reportVisibility));

  try {
    // The fetch queue says itself what went wrong (fetches.problem): the window works without it.
    await Promise.all([settings.load(), seedboxes.load(), fetches.load()]);
    await call('torrents:subscribe', {});
    reportVisibility();
  } catch (error) {
    bootError.value = i18n.global.t('app.loadFailed', { reason: errorMessage(error) });
    toasts.error(i18n.global.t('app.loadSeedboxesFailed'), error);
  }
  return () => stops.forEach((stop) => stop());
}
