// Numbers, sizes, speeds, durations and times for the window: in the units the user chose in
// Settings (binary KiB/MiB or decimal kB/MB) and in the window's language (Intl), through the
// one set of formatters in electron/shared/format.ts.
import { computed, type ComputedRef } from 'vue';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatInteger,
  formatPercent,
  formatRate,
  formatRatio,
  type ByteUnits,
} from '../../../electron/shared/format';
import type { Locale } from '../../../electron/shared/i18n';
import { currentLocale, i18n } from '../i18n';
import { formatDate, formatDateTime, formatRelativeTime, formatTime } from '../lib/time';
import { useSettingsStore } from '../stores/settings';

export interface UnitFormat {
  units: ByteUnits;
  locale: Locale;
  bytes: (bytes: number) => string;
  /** A row's speed: "-" when idle, so busy rows stand out. */
  rate: (bytesPerSecond: number) => string;
  /** A connected box's total: "0 B/s" when idle, since "-" would read as unknown. */
  totalRate: (bytesPerSecond: number) => string;
  percent: (fraction: number) => string;
  /** A count or any whole number; "?" for one the daemon does not know (-1). */
  count: (count: number) => string;
  /** A whole number grouped in the locale's way, for totals people read ("10,000 torrents"). */
  integer: (value: number) => string;
  ratio: (ratio: number) => string;
  /** "1d 2h", "5m"; "-" for none. */
  duration: (seconds: number | null) => string;
  /** "just now", "5m ago", or the date past a year; needs the message for "just now". */
  relativeTime: (unixSeconds: number | null, nowMs: number) => string;
  /** A calendar date, date and time, or time of day, from Unix milliseconds. */
  date: (ms: number) => string;
  dateTime: (ms: number) => string;
  time: (ms: number) => string;
}

function bound(units: ByteUnits, locale: Locale, justNow: string): UnitFormat {
  return {
    units,
    locale,
    bytes: (bytes) => formatBytes(bytes, units, locale),
    rate: (bytesPerSecond) => formatRate(bytesPerSecond, units, locale),
    totalRate: (bytesPerSecond) => `${formatBytes(Math.max(0, bytesPerSecond), units, locale)}/s`,
    percent: (fraction) => formatPercent(fraction, locale),
    count: (count) => formatCount(count, locale),
    integer: (value) => formatInteger(value, locale),
    ratio: (ratio) => formatRatio(ratio, locale),
    duration: (seconds) => formatDuration(seconds, locale),
    relativeTime: (unixSeconds, nowMs) => formatRelativeTime(unixSeconds, nowMs, locale, justNow),
    date: (ms) => formatDate(ms, locale),
    dateTime: (ms) => formatDateTime(ms, locale),
    time: (ms) => formatTime(ms, locale),
  };
}

// One object per units, locale and wording, so a computed over it changes only when they do.
const FORMATS = new Map<string, UnitFormat>();

/**
 * The formatters for the current units preference and language, reactively: a template or
 * computed that reads `units.value.bytes(...)` re-renders when either changes. Read it once per
 * render (not per row) where many values are formatted. The window has one language, so this
 * reads vue-i18n's global scope and works outside a component's setup too.
 */
export function useUnits(): ComputedRef<UnitFormat> {
  const settings = useSettingsStore();
  const { t, locale } = i18n.global;
  return computed(() => {
    const units = settings.preferences.units === 'decimal' ? 'decimal' : 'binary';
    const justNow = t('common.justNow');
    const key = `${units}|${locale.value}|${justNow}`;
    let format = FORMATS.get(key);
    if (!format) {
      format = bound(units, locale.value, justNow);
      FORMATS.set(key, format);
    }
    return format;
  });
}

/** The same formatters outside a component (a store, a toast), for the language at this moment. */
export function formatsNow(units: ByteUnits, justNow: string): UnitFormat {
  return bound(units, currentLocale(), justNow);
}
