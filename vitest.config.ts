import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';
import pkg from './package.json' with { type: 'json' };
import { readAppId } from './app-identity.config.ts';

// Three projects: `unit` is test/unit without the renderer and needs nothing but Node;
// `renderer` is test/unit/renderer in a DOM; `live` starts real daemons (rtorrent, nginx, ...)
// and must run inside a private network namespace (scripts/test.mjs arranges that). The npm
// scripts test:unit (both unit projects), test:unit:node and test:unit:renderer name them.
export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify(pkg.version), __APP_ID__: JSON.stringify(readAppId()) },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        // Stores and components of the window, in a DOM (happy-dom), without a browser.
        extends: true,
        plugins: [vue()],
        test: {
          name: 'renderer',
          include: ['test/unit/renderer/**/*.test.ts'],
          environment: 'happy-dom',
          setupFiles: ['test/unit/renderer/setup-i18n.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'live',
          include: ['test/live/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own daemons; run after the unit tests, two files at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
