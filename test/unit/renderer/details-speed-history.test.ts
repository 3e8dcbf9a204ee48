import { describe, expect, it } from 'vitest';
import { SpeedHistory } from '../../../renderer/src/components/details/speed-history';

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
