// Human units, shared by the CLI's tables and the window.
import type { Preferences } from './contract';

/** The 'units' preference: binary (KiB, MiB: powers of 1024) or decimal (kB, MB: powers of 1000). */
export type ByteUnits = Preferences['units'];

const BYTE_UNITS: Record<ByteUnits, { base: number; names: readonly string[] }> = {
  binary: { base: 1024, names: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] },
  decimal: { base: 1000, names: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] },
};

// Numbers go through Intl for the locale's digits and separators ("1,50 MiB" in German); the
// unit names stay those of the units preference. English reads exactly as it did before
// (no digit grouping: "1023 B", "1234" in a table column). Intl formatters are cached: building
// one costs far more than using it, and a table formats thousands of cells.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { useGrouping: false, ...options });
    numberFormats.set(key, format);
  }
  return format;
}

/** A number with exactly `digits` decimals in the locale ("1.50", "1,50"). */
export function formatDecimal(value: number, digits: number, locale = 'en'): string {
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** "1.50 MiB" (or "1.57 MB" in decimal units): at most 4 significant digits; "?" for no size. */
export function formatBytes(bytes: number, units: ByteUnits = 'binary', locale = 'en'): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const { base, names } = BYTE_UNITS[units];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < names.length - 1) {
    value /= base;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  // Rounding happens before formatting so 1023.9 bytes stays "1024 B", as before, in every locale.
  return `${formatDecimal(unit === 0 ? value : Number(value.toFixed(digits)), unit === 0 ? numberDigits(value) : digits, locale)} ${names[unit]}`;
}

// Whole bytes have no decimals; a fraction of a byte (an average) keeps its own.
function numberDigits(value: number): number {
  return Number.isInteger(value) ? 0 : Math.min(20, String(value).split('.')[1]?.length ?? 0);
}

/** "2.00 KiB/s" (or "2.05 kB/s"); "-" for no transfer. */
export function formatRate(bytesPerSecond: number, units: ByteUnits = 'binary', locale = 'en'): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond, units, locale)}/s` : '-';
}

export function formatPercent(fraction: number, locale = 'en'): string {
  if (!Number.isFinite(fraction)) return '?';
  const clamped = Math.max(0, Math.min(1, fraction));
  const whole = clamped === 0 || clamped === 1;
  // Round down, so 99.96 % never reads as finished.
  const value = whole ? clamped : Math.floor(clamped * 1000) / 1000;
  const digits = whole ? 0 : 1;
  return numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A whole number for people to read, grouped in the locale's way ("10,000", "10.000"). */
export function formatInteger(value: number, locale = 'en'): string {
  return numberFormat(locale, { useGrouping: true, maximumFractionDigits: 0 }).format(value);
}

/** A count the daemon may not know (a swarm's seeders, -1 until a tracker gives them): "?" then. */
export function formatCount(count: number, locale = 'en'): string {
  return Number.isFinite(count) && count >= 0 ? numberFormat(locale, {}).format(count) : '?';
}

export function formatRatio(ratio: number, locale = 'en'): string {
  if (Number.isNaN(ratio)) return '?';
  return Number.isFinite(ratio) ? formatDecimal(ratio, 2, locale) : '∞';
}

const DURATION_UNITS = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]] as const;
const listFormats = new Map<string, Intl.ListFormat>();

/** "1d 2h" in the locale's narrow units ("1 T, 2h", "1天2小时"); "-" for no duration. */
export function formatDuration(seconds: number | null, locale = 'en'): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
  const rest = Math.round(seconds);
  // The largest unit that fits, then the next smaller one when not zero: "1d 2h", "1d", never "1d 1m".
  const index = DURATION_UNITS.findIndex(([, size]) => rest >= size);
  const [name, size] = DURATION_UNITS[index === -1 ? DURATION_UNITS.length - 1 : index]!;
  const next = index === -1 ? undefined : DURATION_UNITS[index + 1];
  const unit = (value: number, unitName: string): string => numberFormat(locale, { style: 'unit', unit: unitName, unitDisplay: 'narrow' }).format(value);
  const whole = unit(Math.floor(rest / size), name);
  const part = next ? Math.floor((rest % size) / next[1]) : 0;
  if (!next || part === 0) return whole;
  let list = listFormats.get(locale);
  if (!list) {
    list = new Intl.ListFormat(locale, { type: 'unit', style: 'narrow' });
    listFormats.set(locale, list);
  }
  return list.format([whole, unit(part, next[0])]);
}

/** Parses "500K", "2M", "1.5MiB", "0" (bytes per second, binary units) for speed limits. */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) return null;
  const power = ' kmgt'.indexOf(match[2]!.toLowerCase() || ' ');
  return Math.round(Number(match[1]) * 1024 ** power);
}
