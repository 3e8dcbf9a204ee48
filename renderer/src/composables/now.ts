// A clock that ticks only while someone needs it (countdowns, relative times).
import { onScopeDispose, ref, watch, type Ref, type WatchSource } from 'vue';

export function useNow(active: WatchSource<boolean>, intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  watch(
    active,
    (on) => {
      stop();
      if (!on) return;
      now.value = Date.now();
      timer = setInterval(() => (now.value = Date.now()), intervalMs);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  return now;
}
