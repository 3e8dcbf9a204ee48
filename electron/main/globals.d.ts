/** electron-builder.yml's appId, put in by the build (electron.vite.config.ts) and by vitest.config.ts. */
declare const __APP_ID__: string;
