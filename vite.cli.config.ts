import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The `seedbox` command: one ESM file for Node, runtime dependencies left external so the
// installed package's node_modules provides them (as for the Electron main bundle).
const external = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  ...Object.keys(pkg.dependencies),
];

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    ssr: true,
    minify: false,
    sourcemap: false,
    rollupOptions: {
      // The .torrent parser's worker thread is emitted next to seedbox.mjs (see metainfo-off-thread.ts).
      input: {
        seedbox: resolve(import.meta.dirname, 'electron/cli/main.ts'),
        'metainfo-worker': resolve(import.meta.dirname, 'electron/core/torrent/metainfo-worker.ts'),
      },
      external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
      output: {
        format: 'es',
        entryFileNames: '[name].mjs',
        chunkFileNames: '[name]-[hash].mjs',
        banner: (chunk) => (chunk.name === 'seedbox' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
