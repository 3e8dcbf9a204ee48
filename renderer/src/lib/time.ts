// Relative times for the table and the sidebar ("3m ago", "in 12s"), dates and times of day, in
// the window's language through Intl.

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** A calendar date: ISO (2025-01-31) in English, as the window always showed it; the locale's own numeric date otherwise. */
export function formatDate(ms: number, locale = 'en'): string {
  if (locale === 'en') return new Date(ms).toISOString().slice(0, 10);
  return dateFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** A date and time of day in the locale's usual way. */
export function formatDateTime(ms: number, locale = 'en'): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** A time of day, 24-hour "14:05". */
export function formatTime(ms: number, locale = 'en'): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** A time of day to the second ("14:05:09"), for a graph of the last minutes. */
export function formatClockTime(ms: number, locale = 'en'): string {
  return dateFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms);
}

/** "just now", "5m ago", "3h ago", "12d ago", or the date when it is older than a year. */
export function formatRelativeTime(unixSeconds: number | null, nowMs: number, locale = 'en', justNow = 'just now'): string {
  if (unixSeconds === null || !Number.isFinite(unixSeconds) || unixSeconds <= 0) return '';
  const seconds = Math.round(nowMs / 1000 - unixSeconds);
  if (seconds < 45) return justNow;
  let relative = relativeFormats.get(locale);
  if (!relative) {
    relative = new Intl.RelativeTimeFormat(locale, { style: 'narrow', numeric: 'always' });
    relativeFormats.set(locale, relative);
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(seconds / 3600);
  if (hours < 24) return relative.format(-hours, 'hour');
  const days = Math.round(seconds / 86400);
  if (days < 365) return relative.format(-days, 'day');
  return formatDate(unixSeconds * 1000, locale);
}

/** Whole seconds until a Unix-milliseconds time, never negative. */
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}
