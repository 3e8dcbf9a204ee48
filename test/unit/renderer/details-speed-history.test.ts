import { describe, expect, it } from 'vitest';
import { graphTimeRange, SpeedHistory } from '../../../renderer/src/components/details/speed-history';
import { formatClockTime } from '../../../renderer/src/lib/time';

describe('SpeedHistory', () => {
  it('keeps the newest samples, oldest first, within its capacity', () => {
    const history = new SpeedHistory(3);
    for (let second = 1; second <= 5; second++) history.push(second, second * 10, second * 100);
    expect(history.length).toBe(3);
    expect(history.toSeries()).toEqual([
      [3, 4, 5],
      [30, 40, 50],
      [300, 400, 500],
    ]);
    history.clear();
    expect(history.toSeries()).toEqual([[], [], []]);
  });
});

describe('the speed graph time axis', () => {
  it('spans at least the last minute, so one sample does not stretch it over years', () => {
    expect(graphTimeRange(1000, 1000)).toEqual([940, 1000]);
    expect(graphTimeRange(1000, 1030)).toEqual([970, 1030]);
    expect(graphTimeRange(1000, 1300)).toEqual([1000, 1300]);
  });

  it("labels times of day in the window's language, to the second", () => {
    const at = Date.UTC(2026, 11, 5, 14, 5, 9);
    const local = new Date(at);
    const two = (n: number) => String(n).padStart(2, '0');
    expect(formatClockTime(at, 'de')).toBe(`${two(local.getHours())}:${two(local.getMinutes())}:${two(local.getSeconds())}`);
    expect(formatClockTime(at, 'zh-CN')).toBe(`${two(local.getHours())}:${two(local.getMinutes())}:${two(local.getSeconds())}`);
  });
});
