import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { extractAll, listPackage } from '@electron/asar';
import { NtExecutable, NtExecutableResource, Resource } from 'resedit';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/processes';

// electron-builder packs the built app for every target it can build here, with a stub Electron
// per platform (the real binaries cannot be downloaded): what matters is what goes into the
// packages and what electron-builder does to the Electron binary (fuses, asar integrity), not
// the Electron that would run it. Each stub carries a fuse wire where Electron has its own, so
// the fuses electron-builder flips can be read back.
const ROOT = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

/** Electron's fuse wire: this sentinel, the wire's version (1), its length, one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'] as const;
/** What an Electron binary ships with: '1' on, '0' off. */
const ELECTRON_DEFAULT_FUSES = '10110001';
const fuseWire = (): Buffer => Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES.length]), Buffer.from(ELECTRON_DEFAULT_FUSES)]);

function readFuses(binary: string): Record<(typeof FUSES)[number], boolean> {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  expect(at, `a fuse wire in ${binary}`).toBeGreaterThanOrEqual(FUSE_SENTINEL.length);
  return Object.fromEntries(FUSES.map((name, index) => [name, String.fromCharCode(bytes[at + 2 + index]!) === '1'])) as Record<(typeof FUSES)[number], boolean>;
}

function write(path: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

function plist(entries: Record<string, string>): string {
  const body = Object.entries(entries)
    .map(([key, value]) => `<key>${key}</key><string>${value}</string>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict>${body}</dict></plist>\n`;
}

/** The files electron-builder expects in an unpacked Electron, as stand-ins. */
function stubElectron(platform: 'linux' | 'win32' | 'darwin'): string {
  const dist = tempDir(`electron-dist-${platform}`);
  write(join(dist, 'LICENSE'), 'stub');
  write(join(dist, 'version'), electronVersion);
  if (platform === 'linux') {
    write(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "stub electron"\nexit 0\n# '), fuseWire(), Buffer.from('\n')]), 0o755);
    mkdirSync(join(dist, 'resources'));
  } else if (platform === 'win32') {
    // A real (empty) PE: electron-builder edits its resources (version, asar integrity).
    const exe = NtExecutable.createEmpty(false, false);
    const resources = NtExecutableResource.from(exe);
    const version = Resource.VersionInfo.create({ lang: 1033, fixedInfo: {}, strings: [{ lang: 1033, codepage: 1200, values: { ProductName: 'Electron', FileDescription: 'stub' } }] });
    version.outputToResourceEntries(resources.entries);
    resources.entries.push({ type: 10, id: 1, lang: 1033, codepage: 1200, bin: new Uint8Array(fuseWire()).buffer });
    resources.outputResource(exe);
    write(join(dist, 'electron.exe'), Buffer.from(exe.generate()), 0o755);
    mkdirSync(join(dist, 'resources'));
  } else {
    const contents = join(dist, 'Electron.app/Contents');
    write(join(contents, 'Info.plist'), plist({ CFBundleExecutable: 'Electron', CFBundleIdentifier: 'com.github.Electron', CFBundleName: 'Electron', CFBundleVersion: electronVersion, CFBundleShortVersionString: electronVersion, CFBundleIconFile: 'electron.icns' }));
    write(join(contents, 'MacOS/Electron'), '#!/bin/sh\n', 0o755);
    mkdirSync(join(contents, 'Resources'), { recursive: true });
    write(join(contents, 'Frameworks/Electron Framework.framework/Electron Framework'), Buffer.concat([Buffer.from('stub framework '), fuseWire()]), 0o755);
    for (const suffix of ['', ' (GPU)', ' (Renderer)', ' (Plugin)']) {
      const helper = join(contents, `Frameworks/Electron Helper${suffix}.app/Contents`);
      write(join(helper, 'Info.plist'), plist({ CFBundleExecutable: `Electron Helper${suffix}`, CFBundleIdentifier: 'com.github.Electron.helper', CFBundleName: `Electron Helper${suffix}` }));
      write(join(helper, `MacOS/Electron Helper${suffix}`), '#!/bin/sh\n', 0o755);
    }
  }
  return dist;
}

/** Runs electron-builder for one platform's targets; returns its output folder, or its failure. */
function build(platform: 'linux' | 'win32' | 'darwin', targets: string[], env: NodeJS.ProcessEnv = {}): { output: string; ok: boolean; log: string } {
  const output = tempDir(`package-${platform}`);
  const flag = { linux: '--linux', win32: '--win', darwin: '--mac' }[platform];
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/electron-builder'),
    [flag, ...targets, '--x64', `-c.electronDist=${stubElectron(platform)}`, `-c.electronVersion=${electronVersion}`, '-c.npmRebuild=false', '-c.compression=store', `-c.directories.output=${output}`],
    // electron-builder downloads 7-Zip from GitHub unless told where one is: Debian's 7zip. (No
    // compression: what is packed matters here, not how small.)
    { cwd: ROOT, encoding: 'utf8', timeout: 240_000, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_BUILDER_7ZIP_PATH: '/usr/bin/7zz', ...env } },
  );
  // Without its colours (vitest asks for them through the environment).
  const log = `${run.stdout}\n${run.stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
  return { output, ok: run.status === 0, log };
}

function expectBuilt(result: { ok: boolean; log: string }): void {
  expect(result.ok, result.log.split('\n').filter((line) => !/^\s+at /.test(line)).slice(-15).join('\n')).toBe(true);
}

const EXPECTED_FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
};

beforeAll(() => {
  expect(existsSync(join(ROOT, 'out/main/index.js')), 'npm test builds the app first').toBe(true);
  expect(existsSync('/usr/bin/7zz'), 'apt-get install 7zip').toBe(true);
});

describe('Linux: unpacked app and tar.gz', () => {
  let result: ReturnType<typeof build>;
  let appDir = '';
  let files: string[] = [];

  beforeAll(() => {
    result = build('linux', ['tar.gz']);
    appDir = join(result.output, 'linux-unpacked');
    if (result.ok) files = listPackage(join(appDir, 'resources/app.asar'), { isPack: false });
  }, 300_000);

  it('builds', () => expectBuilt(result));

  it('holds the bundles (the keychain probe’s entry too) and the package manifest', () => {
    for (const file of ['/out/main/index.js', '/out/main/keychain-probe.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/renderer/favicon.png', '/package.json']) expect(files).toContain(file);
    expect(existsSync(join(appDir, 'seedbox-remote'))).toBe(true);
  });

  it('carries the runtime dependencies and none of the tools, tests or sources', () => {
    for (const dependency of Object.keys(pkg.dependencies)) expect(files).toContain(`/node_modules/${dependency}`);
    const tools = Object.keys(pkg.devDependencies).filter((name) => files.includes(`/node_modules/${name}`));
    expect(tools).toEqual([]);
    expect(files.filter((file) => /^\/(test|electron|renderer|bench|scripts)\//.test(file))).toEqual([]);
    expect(files.some((file) => file.startsWith('/out/cli/'))).toBe(false);
  });

  it('has bundles Node can parse (a duplicate declaration once stopped the app before it started)', () => {
    const extracted = tempDir('asar');
    extractAll(join(appDir, 'resources/app.asar'), extracted);
    const scripts = [...readdirSync(join(extracted, 'out/main')).map((name) => join(extracted, 'out/main', name)), join(extracted, 'out/preload/index.cjs')];
    for (const script of scripts.filter((file) => /\.c?js$/.test(file))) {
      const check = spawnSync(process.execPath, ['--check', script], { encoding: 'utf8' });
      expect(check.stderr, script).toBe('');
      expect(check.status, script).toBe(0);
    }
  });

  it('keeps the keychain’s native module outside the archive, where it can be loaded', () => {
    expect(execFileSync('find', [join(appDir, 'resources/app.asar.unpacked'), '-name', '*.node'], { encoding: 'utf8' })).toMatch(/keyring.*\.node/);
  });

  it('flips the fuses in the Electron binary', () => {
    expect(readFuses(join(appDir, 'seedbox-remote'))).toEqual(EXPECTED_FUSES);
  });

  it('makes a tar.gz of the app', () => {
    const listing = execFileSync('tar', ['-tzf', join(result.output, 'seedbox-remote-0.1.0.tar.gz')], { encoding: 'utf8' });
    expect(listing).toContain('seedbox-remote-0.1.0/seedbox-remote\n');
    expect(listing).toContain('seedbox-remote-0.1.0/resources/app.asar\n');
  });
});

describe('Windows: unpacked app and zip (without Windows)', () => {
  let result: ReturnType<typeof build>;

  beforeAll(() => {
    result = build('win32', ['zip']);
  }, 300_000);

  it('builds', () => expectBuilt(result));

  it('flips the fuses and embeds the asar header’s hash in the exe, where Electron checks it', () => {
    const exePath = join(result.output, 'win-unpacked/Seedbox Remote.exe');
    expect(readFuses(exePath)).toEqual(EXPECTED_FUSES);
    const resources = NtExecutableResource.from(NtExecutable.from(readFileSync(exePath)));
    const integrity = resources.entries.find((entry) => entry.type === 'INTEGRITY' && entry.id === 'ELECTRONASAR');
    expect(JSON.parse(Buffer.from(integrity!.bin).toString('utf8'))).toEqual([{ file: 'resources\\app.asar', alg: 'SHA256', value: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });

  it('makes a zip of the app', () => {
    const listing = execFileSync('/usr/bin/7zz', ['l', join(result.output, 'Seedbox Remote-0.1.0-win.zip')], { encoding: 'utf8' });
    expect(listing).toContain('Seedbox Remote.exe');
    expect(listing).toMatch(/resources[\\/]app\.asar/);
  });
});

describe('macOS: app bundle and zip (without macOS)', () => {
  let result: ReturnType<typeof build>;
  let app = '';

  beforeAll(() => {
    result = build('darwin', ['zip']);
    app = join(result.output, 'mac/Seedbox Remote.app/Contents');
  }, 300_000);

  it('builds, with the 1024 px icon (macOS refuses less than 512 px)', () => {
    expectBuilt(result);
    expect(existsSync(join(app, 'Resources/icon.icns'))).toBe(true);
  });

  it('flips the fuses and records the asar header’s hash in Info.plist, where Electron checks it', () => {
    expect(readFuses(join(app, 'Frameworks/Electron Framework.framework/Electron Framework'))).toEqual(EXPECTED_FUSES);
    const info = readFileSync(join(app, 'Info.plist'), 'utf8');
    expect(info).toMatch(/<key>ElectronAsarIntegrity<\/key>\s*<dict>\s*<key>Resources\/app\.asar<\/key>\s*<dict>\s*<key>algorithm<\/key>\s*<string>SHA256<\/string>\s*<key>hash<\/key>\s*<string>[0-9a-f]{64}<\/string>/);
    expect(info).toContain('<string>app.seedboxremote.desktop</string>');
  });

  it('makes a zip of the app', () => {
    const zip = readdirSync(result.output).find((name) => name.endsWith('-mac.zip'));
    expect(zip).toBeDefined();
    expect(execFileSync('/usr/bin/7zz', ['l', join(result.output, zip!)], { encoding: 'utf8' })).toContain('Seedbox Remote.app/Contents/Resources/app.asar');
  });
});

// Two targets need tools that electron-builder downloads from GitHub at build time, and that no
// npm or Debian package provides: fpm (a Ruby gem; Debian 12 has no ruby-fpm) for the .deb, and
// the AppImage runtime for the AppImage. Pointed at local tools instead (USE_SYSTEM_FPM,
// APPIMAGE_TOOLS_PATH), electron-builder gets past every check of our configuration and stops
// exactly there.
describe('deb and AppImage: configured, but their tools cannot be had offline', () => {
  it('deb: the maintainer and homepage pass; only fpm is missing', () => {
    const result = build('linux', ['deb'], { USE_SYSTEM_FPM: 'true', PATH: `${dirname(process.execPath)}:/usr/bin:/bin` });
    expect(result.ok).toBe(false);
    // fpm is started only once the .deb's metadata has been checked (it once failed there).
    expect(result.log).not.toMatch(/Please specify|maintainer|homepage/i);
    expect(result.log).toMatch(/spawn fpm ENOENT|fpm: not found|ENOENT.*fpm/);
  }, 300_000);

  it('AppImage: only the AppImage tools (runtime, mksquashfs) are missing', () => {
    const result = build('linux', ['AppImage'], { APPIMAGE_TOOLS_PATH: tempDir('appimage-tools') });
    expect(result.ok).toBe(false);
    expect(result.log).toMatch(/AppImage tool \w+ not found at path/);
  }, 300_000);
});
