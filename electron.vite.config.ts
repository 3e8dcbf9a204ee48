import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { readAppId } from './app-identity.config.ts';

// electron-vite builds the three Electron bundles; the CLI has its own (vite.cli.config.ts).
export default defineConfig({
  main: {
    define: { __APP_ID__: JSON.stringify(readAppId()) },
    build: {
      outDir: 'out/main',
      // The .torrent parser's worker thread is its own entry, emitted next to index.js
      // (electron/core/torrent/metainfo-off-thread.ts starts it from there).
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          'metainfo-worker': resolve(import.meta.dirname, 'electron/core/torrent/metainfo-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be one CommonJS file: nothing may stay external.
      externalizeDeps: false,
      lib: { entry: resolve(import.meta.dirname, 'electron/preload/index.ts') },
      rollupOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
