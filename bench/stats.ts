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

/** The value below which `fraction` of the values lie (nearest rank): 0.95 for the p95. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** Wall time and the process's own CPU time (user + system, all its threads) of the same runs. */
export interface TimedSamples {
  wall: Samples;
  cpu: Samples;
}

export interface MeasureOptions<T> {
  runs?: number;
  warmups?: number;
  check?: (result: T) => void;
  /**
   * A full GC before each timed run (the default). Off, the runs follow one another and each
   * pays its share of the collections its own garbage causes, as a computation repeated in a
   * long-lived process does: the forced collection leaves the sweeping of the whole heap to the
   * run after it, which for a short computation over a large heap can cost as much as the run.
   */
  collectBeforeEach?: boolean;
}

/**
 * Runs `operation` `warmups` times untimed, then `runs` times timed. The last result is handed
 * to `check`, if given, so a run that went wrong fails the bench. CPU time says more than wall
 * time when other work shares the cores.
 */
export async function measureTimes<T>(operation: () => T | Promise<T>, options: MeasureOptions<T> = {}): Promise<TimedSamples> {
  const { runs = 7, warmups = 1, check, collectBeforeEach = true } = options;
  for (let i = 0; i < warmups; i++) check?.(await operation());
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (collectBeforeEach) collectGarbage();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await operation();
    wall.push(performance.now() - start);
    const spent = process.cpuUsage(cpuStart);
    cpu.push((spent.user + spent.system) / 1000);
    check?.(result);
  }
  return { wall: summarize(wall), cpu: summarize(cpu) };
}

/** measureTimes(), wall time only. */
export async function measure<T>(operation: () => T | Promise<T>, options: MeasureOptions<T> = {}): Promise<Samples> {
  return (await measureTimes(operation, options)).wall;
}
