import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import type { Plugin } from 'vite';
import { readAppId } from './app-identity.config.ts';
import { contentSecurityPolicy } from './electron/shared/content-security-policy';

/**
 * The page's CSP meta tag, from the same policy as the header: strict in the build; with the
 * dev server's inline styles and hot-reload socket only under `npm run dev`. The header is what
 * matters (it alone can carry frame-ancestors); the tag keeps the policy on the page itself.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'seedbox-csp-meta',
    transformIndexHtml: (_html, context) => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ dev: context.server !== undefined, meta: true }) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

// electron-vite builds the three Electron bundles; the CLI has its own (vite.cli.config.ts).
export default defineConfig({
  main: {
    define: { __APP_ID__: JSON.stringify(readAppId()) },
    build: {
      outDir: 'out/main',
      // Entries emitted next to index.js: the .torrent parser's worker thread
      // (electron/core/torrent/metainfo-off-thread.ts starts it from there) and keychain-probe.js,
      // which runs in a utilityProcess (electron/main/keychain-probe-process.ts).
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          'metainfo-worker': resolve(import.meta.dirname, 'electron/core/torrent/metainfo-worker.ts'),
          'keychain-probe': resolve(import.meta.dirname, 'electron/main/keychain-probe.ts'),
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
    plugins: [vue(), contentSecurityPolicyMeta()],
    // vue-i18n's build flags: Composition API only, messages compiled at run time without eval
    // (its JIT compiler, which the CSP allows), no devtools hook in the build.
    define: {
      __VUE_I18N_FULL_INSTALL__: 'true',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
      __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
    },
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'renderer/index.html') },
    },
  },
});
