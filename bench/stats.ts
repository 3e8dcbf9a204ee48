// Small timing helpers shared by the bench modules.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Timings of one measured operation, in milliseconds. */
export interface Samples {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function min(values: readonly number[]): number {
  if (values.length === 0) throw new Error('min of no values');
  return Math.min(...values);
}

export function summarize(runs: readonly number[]): Samples {
  return { runs: [...runs], median: median(runs), min: min(runs), max: Math.max(...runs) };
}

/**
 * A full collection before each timed run, so no run pays for the garbage of the one before.
 * Exposes V8's gc() without needing --expose-gc on the command line.
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

/**
 * Runs `operation` `warmups` times untimed, then `runs` times timed (a full GC before each).
 * The last result is handed to `check`, if given, so a run that went wrong fails the bench.
 */
export async function measure<T>(
  operation: () => T | Promise<T>,
  options: { runs?: number; warmups?: number; check?: (result: T) => void } = {},
): Promise<Samples> {
  const { runs = 7, warmups = 1, check } = options;
  for (let i = 0; i < warmups; i++) check?.(await operation());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    const start = performance.now();
    const result = await operation();
    times.push(performance.now() - start);
    check?.(result);
  }
  return summarize(times);
}
