// The last few minutes of a torrent's rates, for the speed graph: a fixed-size ring, so a panel
// left open for days holds the same few hundred numbers.

export class SpeedHistory {
  private readonly times: Float64Array;
  private readonly down: Float64Array;
  private readonly up: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.times = new Float64Array(capacity);
    this.down = new Float64Array(capacity);
    this.up = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** `time` in Unix seconds; the oldest sample drops out once full. */
  push(time: number, downRate: number, upRate: number): void {
    const slot = (this.start + this.count) % this.capacity;
    this.times[slot] = time;
    this.down[slot] = downRate;
    this.up[slot] = upRate;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Oldest first, as uPlot's aligned data: [times, down, up]. */
  toSeries(): [number[], number[], number[]] {
    const times: number[] = [];
    const down: number[] = [];
    const up: number[] = [];
    for (let offset = 0; offset < this.count; offset++) {
      const slot = (this.start + offset) % this.capacity;
      times.push(this.times[slot]!);
      down.push(this.down[slot]!);
      up.push(this.up[slot]!);
    }
    return [times, down, up];
  }
}

/**
 * The graph's time range, in Unix seconds: the samples' own, but at least `minimum` seconds
 * ending at the newest. With one sample (or none) uPlot would spread the axis over years.
 */
export function graphTimeRange(min: number | null, max: number | null, minimum = 60): [number, number] {
  const end = max ?? Date.now() / 1000;
  const start = min ?? end;
  return end - start >= minimum ? [start, end] : [end - minimum, end];
}
