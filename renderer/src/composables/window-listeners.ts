// Listeners on the window for as long as the calling component is mounted.
import { onBeforeUnmount, onMounted } from 'vue';

export type WindowListeners = { [K in keyof WindowEventMap]?: (event: WindowEventMap[K]) => unknown };

export function useWindowListeners(listeners: WindowListeners): void {
  // Each listener takes the event of its own type, which is what addEventListener passes it.
  const entries = Object.entries(listeners) as [string, EventListener][];
  onMounted(() => {
    for (const [type, listener] of entries) window.addEventListener(type, listener);
  });
  onBeforeUnmount(() => {
    for (const [type, listener] of entries) window.removeEventListener(type, listener);
  });
}
