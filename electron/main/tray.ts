import type { Menu as ElectronMenu, MenuItemConstructorOptions, Tray } from 'electron';
import type { Preferences } from '../shared/contract';
import { formatDuration, formatInteger, formatPercent, formatRate } from '../shared/format';
import { createTranslator, DEFAULT_LOCALE, type Locale, type MessageKey, type Translate } from '../shared/i18n';
import type { FetchJob, FetchJobProgress } from '../shared/fetch';
import type { Totals } from '../core/events';

// The tray: total speeds in the tooltip, and a menu to show the window, pause or resume a whole
// box, toggle its alternative speed, and quit. The model is pure; one small function applies it.

export type TrayAction =
  | { kind: 'toggle-window' }
  | { kind: 'pause-all'; seedboxId: string }
  | { kind: 'resume-all'; seedboxId: string }
  | { kind: 'alternative-speed'; seedboxId: string; enabled: boolean }
  | { kind: 'close-to-tray'; enabled: boolean }
  | { kind: 'start-at-login'; enabled: boolean }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; label: string; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; items: TrayItem[] }
  | { type: 'separator' };

export interface TrayModel {
  tooltip: string;
  items: TrayItem[];
}

const APP_NAME = 'Seedbox Remote';

export function trayModel(
  totals: Totals | null,
  preferences: Pick<Preferences, 'closeToTray' | 'startAtLogin'>,
  window: { visible: boolean },
  fetching: FetchActivity | null = null,
  locale: Locale = DEFAULT_LOCALE,
): TrayModel {
  const t = createTranslator(locale);
  const boxes = totals?.boxes ?? [];
  const lines = [APP_NAME, ...(totals && boxes.length > 0 ? [speeds(totals, locale)] : []), ...(fetching ? [fetchLine(fetching, t, locale)] : [])];
  const tooltip = lines.join('\n');
  const items: TrayItem[] = [
    { type: 'normal', label: window.visible ? t('main.tray.hide') : t('main.tray.show'), enabled: true, action: { kind: 'toggle-window' } },
    { type: 'separator' },
    ...boxes.map((box): TrayItem => ({ type: 'submenu', label: boxLabel(box, t, locale), items: boxItems(box, t) })),
    ...(boxes.length > 0 ? [{ type: 'separator' } as const] : []),
    { type: 'checkbox', label: t('main.tray.closeToTray'), checked: preferences.closeToTray, action: { kind: 'close-to-tray', enabled: !preferences.closeToTray } },
    { type: 'checkbox', label: t('main.tray.startAtLogin'), checked: preferences.startAtLogin, action: { kind: 'start-at-login', enabled: !preferences.startAtLogin } },
    { type: 'separator' },
    { type: 'normal', label: t('main.tray.quit'), enabled: true, action: { kind: 'quit' } },
  ];
  return { tooltip, items };
}

type Box = Totals['boxes'][number];

/** The fetch queue at a glance, while something is fetched or waits to be. */
export interface FetchActivity {
  running: number;
  queued: number;
  doneBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

/** null while nothing runs or waits: the tooltip then says nothing about fetching. */
export function fetchActivity(jobs: readonly FetchJob[], progress: ReadonlyMap<string, FetchJobProgress>): FetchActivity | null {
  const running = jobs.filter((job) => job.state === 'running');
  const queued = jobs.filter((job) => job.state === 'queued').length;
  if (running.length === 0 && queued === 0) return null;
  const live = running.map((job) => progress.get(job.id) ?? { doneBytes: job.doneBytes, totalBytes: job.totalBytes, bytesPerSecond: 0, etaSeconds: null });
  const etas = live.map((entry) => entry.etaSeconds);
  return {
    running: running.length,
    queued,
    doneBytes: live.reduce((sum, entry) => sum + entry.doneBytes, 0),
    totalBytes: live.reduce((sum, entry) => sum + entry.totalBytes, 0),
    bytesPerSecond: live.reduce((sum, entry) => sum + entry.bytesPerSecond, 0),
    // The running jobs end together with the slowest; unknown if any is unknown.
    etaSeconds: etas.length > 0 && etas.every((eta) => eta !== null) ? Math.max(...(etas as number[])) : null,
  };
}

function fetchLine(activity: FetchActivity, t: Translate, locale: Locale): string {
  const queued = formatInteger(activity.queued, locale);
  if (activity.running === 0) return t('main.tray.fetchWaiting', { queued });
  const running = formatInteger(activity.running, locale);
  const percent = formatPercent(activity.totalBytes > 0 ? activity.doneBytes / activity.totalBytes : 0, locale);
  const rate = formatRate(activity.bytesPerSecond, 'binary', locale);
  const head = activity.queued > 0 ? t('main.tray.fetchingWaiting', { running, queued }) : t('main.tray.fetching', { running });
  const progress = activity.etaSeconds === null ? t('main.tray.fetchProgress', { percent, rate }) : t('main.tray.fetchProgressEta', { percent, rate, eta: formatDuration(activity.etaSeconds, locale) });
  return `${head}: ${progress}`;
}

function speeds(rates: { downRate: number; upRate: number }, locale: Locale): string {
  return `↓ ${formatRate(rates.downRate, 'binary', locale)}  ↑ ${formatRate(rates.upRate, 'binary', locale)}`;
}

const BOX_STATES: Record<string, MessageKey | undefined> = {
  connecting: 'main.tray.state.connecting',
  connected: 'main.tray.state.connected',
  reconnecting: 'main.tray.state.reconnecting',
  failed: 'main.tray.state.failed',
  disconnected: 'main.tray.state.disconnected',
};

function stateWord(state: string, t: Translate): string {
  const key = BOX_STATES[state];
  return key ? t(key) : state;
}

function boxLabel(box: Box, t: Translate, locale: Locale): string {
  return box.state === 'connected' ? `${box.name}   ${speeds(box, locale)}` : `${box.name} (${stateWord(box.state, t)})`;
}

function boxItems(box: Box, t: Translate): TrayItem[] {
  const items: TrayItem[] = [
    { type: 'normal', label: t('main.tray.pauseAll'), enabled: box.canPause, action: { kind: 'pause-all', seedboxId: box.seedboxId } },
    { type: 'normal', label: t('main.tray.resumeAll'), enabled: box.canPause, action: { kind: 'resume-all', seedboxId: box.seedboxId } },
  ];
  // null: the client has no alternative speed mode.
  if (box.alternativeSpeed !== null) {
    items.push({
      type: 'checkbox',
      label: t('main.tray.alternativeSpeed'),
      checked: box.alternativeSpeed,
      action: { kind: 'alternative-speed', seedboxId: box.seedboxId, enabled: !box.alternativeSpeed },
    });
  }
  return items;
}

/** The model as an Electron menu template, each click dispatching its action. */
export function toMenuTemplate(items: readonly TrayItem[], dispatch: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { label: item.label, submenu: toMenuTemplate(item.items, dispatch) };
      case 'checkbox':
        return { type: 'checkbox', label: item.label, checked: item.checked, click: () => dispatch(item.action) };
      case 'normal': {
        const action = item.action;
        return { label: item.label, enabled: item.enabled, ...(action ? { click: () => dispatch(action) } : {}) };
      }
    }
  });
}

export function applyTrayModel(options: {
  tray: Pick<Tray, 'setToolTip' | 'setContextMenu'>;
  Menu: { buildFromTemplate(template: MenuItemConstructorOptions[]): ElectronMenu };
  model: TrayModel;
  dispatch: (action: TrayAction) => void;
}): void {
  options.tray.setToolTip(options.model.tooltip);
  options.tray.setContextMenu(options.Menu.buildFromTemplate(toMenuTemplate(options.model.items, options.dispatch)));
}

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * At most one call per interval: the first at once, then the latest arguments at the end of
 * the interval (totals arrive once per poll of every box; the tray needs about one a second).
 */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, intervalMs: number, timers: Timers = realTimers): { call: (...args: A) => void; cancel: () => void } {
  let last = -Infinity;
  let pending: A | null = null;
  let timer: unknown = null;
  const run = (args: A): void => {
    last = timers.now();
    fn(...args);
  };
  return {
    call: (...args) => {
      const wait = last + intervalMs - timers.now();
      if (wait <= 0 && timer === null) return run(args);
      pending = args;
      timer ??= timers.setTimeout(() => {
        timer = null;
        const latest = pending!;
        pending = null;
        run(latest);
      }, Math.max(wait, 0));
    },
    cancel: () => {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      pending = null;
    },
  };
}
