// One clock per interval for the whole window, ticking only while someone needs it (countdowns,
// relative times). Shared so that every countdown reads the same instant: the banner, the
// sidebar and the details can never show different figures for the same next attempt.
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';

/** How often relative times ("3m ago") tick: often enough for minutes, one re-render of the visible rows. */
export const RELATIVE_TIME_TICK_MS = 30_000;

interface Clock {
  now: Ref<number>;
  users: number;
  timer: ReturnType<typeof setInterval> | undefined;
}
const clocks = new Map<number, Clock>();

function clockFor(intervalMs: number): Clock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = { now: ref(Date.now()), users: 0, timer: undefined };
    clocks.set(intervalMs, clock);
  }
  return clock;
}

export function useNow(active: WatchSource<boolean>, intervalMs = 1000): Readonly<Ref<number>> {
  const clock = clockFor(intervalMs);
  let using = false;
  const release = (): void => {
    if (!using) return;
    using = false;
    if (--clock.users === 0) {
      clearInterval(clock.timer);
      clock.timer = undefined;
    }
  };
  watch(
    active,
    (on) => {
      if (!on) return release();
      if (using) return;
      using = true;
      if (clock.users++ === 0) {
        clock.now.value = Date.now();
        clock.timer = setInterval(() => (clock.now.value = Date.now()), intervalMs);
      }
    },
    { immediate: true },
  );
  onScopeDispose(release);
  return clock.now;
}
