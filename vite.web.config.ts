import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The browser harness's window.seedbox shim (electron/web/client/bridge.ts), one classic
// script the harness injects before the app's own.
export default defineConfig({
  build: {
    outDir: 'out/web',
    emptyOutDir: true,
    minify: false,
    lib: { entry: resolve(import.meta.dirname, 'electron/web/client/bridge.ts'), formats: ['iife'], name: 'SeedboxBridge', fileName: () => 'seedbox-bridge.js' },
  },
});
