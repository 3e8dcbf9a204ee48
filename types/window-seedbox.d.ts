// window.seedbox, as the preload (Electron) or the browser harness exposes it.
import type { SeedboxBridge } from '../electron/shared/contract';

declare global {
  interface Window {
    readonly seedbox: SeedboxBridge;
  }
}
