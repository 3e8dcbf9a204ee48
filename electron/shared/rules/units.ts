// The units a rule's literals may carry, in one place for the lexer, the docs and the editor.

/** Durations: lowercase only, so `m` (minutes) is never mistaken for a size. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Sizes, case-insensitive: decimal (kB, MB: powers of 1000) and binary (KiB, MiB: powers of 1024). Always bytes, never bits. */
export const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  pib: 1024 ** 5,
};

/** A size followed by this is a speed: `1MiB/s`. */
export const RATE_SUFFIX = '/s';

/** How each unit is written in the docs and the editor's completion. */
export const UNIT_NAMES = {
  duration: ['s', 'm', 'h', 'd', 'w'],
  size: ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'],
  rate: ['B/s', 'kB/s', 'MB/s', 'KiB/s', 'MiB/s', '...'],
  percent: ['%'],
} as const;

/** "14d", "12h", "90m", "1w" (a form field, a CLI option) in seconds; null when it is not one. */
export function parseDurationText(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z])$/.exec(text.trim());
  const unit = match ? DURATION_UNITS[match[2]!] : undefined;
  return match && unit !== undefined ? Math.round(Number(match[1]) * unit) : null;
}

/** "500GiB", "2 TB", "0" in bytes (a plain number is bytes); null when it is not a size. */
export function parseSizeText(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? (match[2] === '' ? 1 : SIZE_UNITS[match[2]!.toLowerCase()]) : undefined;
  return match && unit !== undefined ? Math.round(Number(match[1]) * unit) : null;
}

/** Bytes in the largest binary unit that holds them exactly ("2048GiB", "1536KiB", "1000"), so parseSizeText gives them back. */
export function exactSizeText(bytes: number): string {
  for (const name of ['PiB', 'TiB', 'GiB', 'MiB', 'KiB']) {
    const unit = SIZE_UNITS[name.toLowerCase()]!;
    if (bytes > 0 && bytes % unit === 0) return `${bytes / unit}${name}`;
  }
  return String(bytes);
}
