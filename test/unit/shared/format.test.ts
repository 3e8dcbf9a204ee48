import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatPercent, formatRate, formatRatio, parseByteSize } from '../../../electron/shared/format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * 1024, '10.0 KiB'],
    [99.94 * 1024, '99.9 KiB'],
    [100 * 1024, '100 KiB'],
    [1024 ** 2, '1.00 MiB'],
    [1.5 * 1024 ** 3, '1.50 GiB'],
    [2 * 1024 ** 4, '2.00 TiB'],
    [3 * 1024 ** 5, '3.00 PiB'],
    [2048 * 1024 ** 5, '2048 PiB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows "?" for negative, NaN and infinite sizes', () => {
    expect(formatBytes(-1)).toBe('?');
    expect(formatBytes(Number.NaN)).toBe('?');
    expect(formatBytes(Number.POSITIVE_INFINITY)).toBe('?');
  });

  it('always shows at most 4 significant characters and a known unit (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1024, max: 1024 ** 5, noNaN: true }), (bytes) => {
        expect(formatBytes(bytes)).toMatch(/^\d+(\.\d+)? (KiB|MiB|GiB|TiB|PiB)$/);
        expect(formatBytes(bytes).split(' ')[0]!.replace('.', '').length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatBytes in decimal units', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1024, '1.02 kB'],
    [1536, '1.54 kB'],
    [99_940, '99.9 kB'],
    [100_000, '100 kB'],
    [1_000_000, '1.00 MB'],
    [1024 ** 2, '1.05 MB'],
    [1.5e9, '1.50 GB'],
    [2e12, '2.00 TB'],
    [3e15, '3.00 PB'],
    [2048e15, '2048 PB'],
  ])('%d → %s', (bytes, text) => {
    expect(formatBytes(bytes, 'decimal')).toBe(text);
  });

  it('shows "?" for what is not a size, as in binary units', () => {
    expect(formatBytes(-1, 'decimal')).toBe('?');
    expect(formatBytes(Number.NaN, 'decimal')).toBe('?');
  });

  it('binary stays the default', () => {
    expect(formatBytes(1000)).toBe('1000 B');
    expect(formatBytes(1000, 'binary')).toBe('1000 B');
  });

  it('always shows at most 4 significant characters and a decimal unit (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1000, max: 1e18, noNaN: true }), (bytes) => {
        const text = formatBytes(bytes, 'decimal');
        expect(text).toMatch(/^\d+(\.\d+)? (kB|MB|GB|TB|PB)$/);
        expect(text.split(' ')[0]!.replace('.', '').length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatRate', () => {
  it('adds /s to a positive rate', () => {
    expect(formatRate(1)).toBe('1 B/s');
    expect(formatRate(2048)).toBe('2.00 KiB/s');
    expect(formatRate(5 * 1024 ** 2)).toBe('5.00 MiB/s');
  });

  it('counts in powers of 1000 with decimal units', () => {
    expect(formatRate(1, 'decimal')).toBe('1 B/s');
    expect(formatRate(2048, 'decimal')).toBe('2.05 kB/s');
    expect(formatRate(5e6, 'decimal')).toBe('5.00 MB/s');
    expect(formatRate(0, 'decimal')).toBe('-');
  });

  it('shows "-" for zero, negative or NaN', () => {
    expect(formatRate(0)).toBe('-');
    expect(formatRate(-5)).toBe('-');
    expect(formatRate(Number.NaN)).toBe('-');
  });
});

describe('formatPercent', () => {
  it.each([
    [0, '0%'],
    [1, '100%'],
    [0.5, '50.0%'],
    [0.123, '12.3%'],
    [0.0001, '0.0%'],
    [1.7, '100%'],
    [-0.2, '0%'],
  ])('%d → %s', (fraction, text) => {
    expect(formatPercent(fraction)).toBe(text);
  });
});

describe('formatRatio', () => {
  it('shows two decimals, and ∞ when infinite', () => {
    expect(formatRatio(0)).toBe('0.00');
    expect(formatRatio(1)).toBe('1.00');
    expect(formatRatio(1.234)).toBe('1.23');
    expect(formatRatio(12.345678)).toBe('12.35');
    expect(formatRatio(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [0.4, '0s'],
    [1, '1s'],
    [59, '59s'],
    [59.6, '1m'],
    [60, '1m'],
    [61, '1m 1s'],
    [3599, '59m 59s'],
    [3600, '1h'],
    [3661, '1h 1m'],
    [7325, '2h 2m'],
    [86400, '1d'],
    [86460, '1d'], // never two units that are not neighbours ("1d 1m")
    [90000, '1d 1h'],
    [90061, '1d 1h'],
    [86400 * 400, '400d'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('shows "-" for unknown, negative or infinite durations', () => {
    expect(formatDuration(null)).toBe('-');
    expect(formatDuration(-1)).toBe('-');
    expect(formatDuration(Number.NaN)).toBe('-');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('-');
  });

  it('shows at most two units, largest first (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (seconds) => {
        const text = formatDuration(seconds);
        expect(text).toMatch(/^\d+[dhms]( \d+[hms])?$/);
        const order = 'dhms';
        const units = text.split(' ').map((part) => order.indexOf(part.at(-1)!));
        if (units.length === 2) expect(units[1]).toBeGreaterThan(units[0]!);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseByteSize', () => {
  it.each([
    ['0', 0],
    ['500K', 512_000],
    ['500k', 512_000],
    ['2M', 2 * 1024 ** 2],
    ['1.5MiB', 1.5 * 1024 ** 2],
    ['1.5 mib', 1.5 * 1024 ** 2],
    ['3G', 3 * 1024 ** 3],
    ['1T', 1024 ** 4],
    ['10KB', 10_240],
    ['10kb', 10_240],
    ['100', 100],
    ['100B', 100],
    ['  2 M  ', 2 * 1024 ** 2],
    ['0.5K', 512],
    ['1.0001K', 1024],
  ])('%s → %d', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  it.each(['', ' ', 'abc', 'K', 'MiB', '-1', '-1K', '1.5.5M', '.5K', '5.K', '1e3', '2X', '2MM', '2 M B', 'Infinity', 'NaN', '0x10', '5 per second'])(
    'refuses %j',
    (text) => {
      expect(parseByteSize(text)).toBeNull();
    },
  );

  it('returns whole bytes for any accepted input (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom('', 'K', 'M', 'KiB', 'mb', 'B'), (whole, fraction, unit) => {
        const value = parseByteSize(`${whole}.${fraction}${unit}`);
        expect(value).not.toBeNull();
        expect(Number.isInteger(value)).toBe(true);
        const power = ['', 'B'].includes(unit) ? 0 : unit.toLowerCase().startsWith('k') ? 1 : 2;
        expect(value).toBe(Math.round(Number(`${whole}.${fraction}`) * 1024 ** power));
      }),
      { numRuns: 300 },
    );
  });
});
