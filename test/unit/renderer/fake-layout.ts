// happy-dom lays nothing out: give every element a size so the table's virtualizer renders rows.
import { afterEach, beforeEach } from 'vitest';

const layout = { offsetHeight: 600, offsetWidth: 1000, clientHeight: 600, clientWidth: 1000 };

/** Registers hooks that give elements a 1000×600 box for each test and restore happy-dom after. */
export function useFakeLayout(): void {
  const saved = Object.fromEntries(Object.keys(layout).map((name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)]));
  beforeEach(() => {
    for (const [name, value] of Object.entries(layout)) Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  });
  afterEach(() => {
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
    }
  });
}
