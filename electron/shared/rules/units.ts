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
