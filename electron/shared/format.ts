// Human units, shared by the CLI's tables and the window.
import type { Preferences } from './contract';

/** The 'units' preference: binary (KiB, MiB: powers of 1024) or decimal (kB, MB: powers of 1000). */
export type ByteUnits = Preferences['units'];

const BYTE_UNITS: Record<ByteUnits, { base: number; names: readonly string[] }> = {
  binary: { base: 1024, names: ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] },
  decimal: { base: 1000, names: ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] },
};

/** "1.50 MiB" (or "1.57 MB" in decimal units): at most 4 significant digits; "?" for no size. */
export function formatBytes(bytes: number, units: ByteUnits = 'binary'): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const { base, names } = BYTE_UNITS[units];
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < names.length - 1) {
    value /= base;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${names[unit]}`;
}

/** "2.00 KiB/s" (or "2.05 kB/s"); "-" for no transfer. */
export function formatRate(bytesPerSecond: number, units: ByteUnits = 'binary'): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond, units)}/s` : '-';
}

export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '?';
  const clamped = Math.max(0, Math.min(1, fraction));
  if (clamped === 0 || clamped === 1) return `${clamped * 100}%`;
  // Round down, so 99.96 % never reads as finished.
  return `${(Math.floor(clamped * 1000) / 10).toFixed(1)}%`;
}

/** A count the daemon may not know (a swarm's seeders, -1 until a tracker gives them): "?" then. */
export function formatCount(count: number): string {
  return Number.isFinite(count) && count >= 0 ? String(count) : '?';
}

export function formatRatio(ratio: number): string {
  if (Number.isNaN(ratio)) return '?';
  return Number.isFinite(ratio) ? ratio.toFixed(2) : '∞';
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  const rest = Math.round(seconds);
  // The largest unit that fits, then the next smaller one when not zero: "1d 2h", "1d", never "1d 1m".
  const index = units.findIndex(([, size]) => rest >= size);
  const [name, size] = units[index === -1 ? units.length - 1 : index]!;
  const next = index === -1 ? undefined : units[index + 1];
  const whole = `${Math.floor(rest / size)}${name}`;
  const part = next ? Math.floor((rest % size) / next[1]) : 0;
  return next && part > 0 ? `${whole} ${part}${next[0]}` : whole;
}

/** Parses "500K", "2M", "1.5MiB", "0" (bytes per second, binary units) for speed limits. */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!match) return null;
  const power = ' kmgt'.indexOf(match[2]!.toLowerCase() || ' ');
  return Math.round(Number(match[1]) * 1024 ** power);
}
