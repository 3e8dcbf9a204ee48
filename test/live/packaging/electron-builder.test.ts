import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listPackage } from '@electron/asar';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/processes';

// electron-builder packs the built app with a stub Electron (the real binary cannot be
// downloaded here): what matters is what goes into the package, not the Electron it runs on.
const ROOT = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
let files: string[] = [];
let appDir = '';

beforeAll(() => {
  expect(existsSync(join(ROOT, 'out/main/index.js')), 'npm test builds the app first').toBe(true);
  const stub = tempDir('electron-dist');
  mkdirSync(join(stub, 'resources'));
  writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n');
  chmodSync(join(stub, 'electron'), 0o755);
  writeFileSync(join(stub, 'LICENSE'), 'stub');
  writeFileSync(join(stub, 'version'), electronVersion);
  const output = tempDir('package');
  execFileSync(
    join(ROOT, 'node_modules/.bin/electron-builder'),
    ['--dir', '--linux', '--x64', `-c.electronDist=${stub}`, `-c.electronVersion=${electronVersion}`, '-c.npmRebuild=false', `-c.directories.output=${output}`],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  appDir = join(output, 'linux-unpacked');
  files = listPackage(join(appDir, 'resources/app.asar'), { isPack: false });
}, 120_000);

describe('the packaged app (electron-builder --dir)', () => {
  it('holds the three bundles and the package manifest', () => {
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(files).toContain(file);
    expect(existsSync(join(appDir, 'seedbox-remote'))).toBe(true);
  });

  it('carries the runtime dependencies and none of the tools, tests or sources', () => {
    for (const dependency of Object.keys(pkg.dependencies)) expect(files).toContain(`/node_modules/${dependency}`);
    const tools = Object.keys(pkg.devDependencies).filter((name) => files.includes(`/node_modules/${name}`));
    expect(tools).toEqual([]);
    expect(files.filter((file) => /^\/(test|electron|renderer|bench|scripts)\//.test(file))).toEqual([]);
    expect(files.some((file) => file.startsWith('/out/cli/'))).toBe(false);
  });

  it('keeps the keychain’s native module outside the archive, where it can be loaded', () => {
    expect(execFileSync('find', [join(appDir, 'resources/app.asar.unpacked'), '-name', '*.node'], { encoding: 'utf8' })).toMatch(/keyring.*\.node/);
  });
});
