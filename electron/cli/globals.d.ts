/** The package version, put in by the build (vite.cli.config.ts) and by vitest.config.ts. */
declare const __APP_VERSION__: string;
