import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile } from '../../../../electron/core/config/config-file';
import { CONFIG_VERSION, defaultConfig, migrate, MIGRATIONS } from '../../../../electron/core/config/schema';
import type { Seedbox } from '../../../../electron/shared/seedbox';
import { tempDir } from '../../../helpers/processes';
import { rejectionOf } from '../../../helpers/errors';

const BOX: Seedbox = {
  id: 'home-abc123',
  name: 'Home',
  kind: 'rtorrent',
  url: 'scgi://127.0.0.1:5000',
  username: '',
  tlsPinSha256: null,
  proxy: null,
  sshTunnel: null,
  pathMapping: [], sftpPathMapping: [],
  pollIntervalMs: null,
  labelStyle: 'rutorrent',
};
const NOW = new Date('2025-03-04T05:06:07.890Z');

let dir: string;
let path: string;

beforeEach(() => {
  dir = tempDir('config');
  path = join(dir, 'seedbox-remote.json');
});

function onDisk(): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('ConfigFile: reading', () => {
  it('gives the defaults for a missing file and creates nothing until something changes', async () => {
    const result = await new ConfigFile({ path }).load();
    expect(result).toEqual({ config: defaultConfig(), problem: null, migratedFrom: null });
    expect(result.config.preferences.refreshIntervalMs).toBe(1500);
    expect(existsSync(path)).toBe(false);
  });

  it('reads back what it wrote, window placement included', async () => {
    const file = new ConfigFile({ path });
    await file.update((config) => {
      config.seedboxes.push({ ...BOX });
      config.window = { x: 10, y: -20, width: 1200, height: 700, maximized: true };
    });
    const result = await new ConfigFile({ path }).load();
    expect(result.problem).toBeNull();
    expect(result.config.seedboxes).toEqual([BOX]);
    expect(result.config.window).toEqual({ x: 10, y: -20, width: 1200, height: 700, maximized: true });
    expect(onDisk()).toMatchObject({ version: CONFIG_VERSION });
  });

  it('creates the data folder when it does not exist yet', async () => {
    const nested = join(dir, 'a', 'Seedbox Remote', 'seedbox-remote.json');
    await new ConfigFile({ path: nested }).update(() => undefined);
    expect(existsSync(nested)).toBe(true);
  });
});

describe('ConfigFile: damaged files', () => {
  it.each([
    ['not JSON', '{"version": 1, "seedboxes": [', /not valid JSON/],
    ['empty', '', /not valid JSON/],
    ['not an object', '[1, 2]', /not a JSON object/],
    ['a bad version', '{"version": "one"}', /"version" is "one"/],
    ['a schema failure', JSON.stringify({ version: 1, seedboxes: [{ ...BOX, kind: 'utorrent' }], preferences: {} }), /seedboxes\.0\.kind/],
    ['a duplicate id', JSON.stringify({ version: 1, seedboxes: [BOX, { ...BOX, name: 'Other' }], preferences: {} }), /duplicate seedbox id "home-abc123"/],
  ])('sets aside a file that is %s, says where it went, and starts empty', async (_what, content, reason) => {
    writeFileSync(path, content);
    const result = await new ConfigFile({ path, now: () => NOW }).load();
    const aside = join(dir, 'seedbox-remote.corrupt-2025-03-04T05-06-07.890Z.json');
    expect(result.config).toEqual(defaultConfig());
    expect(result.problem).toMatch(/^The settings file was damaged \(.+\) and has been set aside as .+; starting with no seedboxes\.$/);
    expect(result.problem).toMatch(reason);
    expect(result.problem).toContain(aside);
    expect(readFileSync(aside, 'utf8')).toBe(content);
    expect(existsSync(path)).toBe(false);
  });

  it('never overwrites a damaged file: an update sets it aside first and reports it', async () => {
    writeFileSync(path, '{ broken');
    const problems: string[] = [];
    const file = new ConfigFile({ path, now: () => NOW, onProblem: (problem) => problems.push(problem) });
    await file.update((config) => {
      config.seedboxes.push({ ...BOX });
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/set aside as .*seedbox-remote\.corrupt-/);
    expect(readdirSync(dir).filter((name) => name.includes('.corrupt-')).map((name) => readFileSync(join(dir, name), 'utf8'))).toEqual(['{ broken']);
    expect(onDisk()).toMatchObject({ seedboxes: [BOX] });
  });

  it('keeps two damaged files from the same moment apart', async () => {
    const file = new ConfigFile({ path, now: () => NOW });
    writeFileSync(path, 'first');
    await file.load();
    writeFileSync(path, 'second');
    const result = await file.load();
    expect(result.problem).toContain('corrupt-2025-03-04T05-06-07.890Z-2.json');
    expect(readFileSync(join(dir, 'seedbox-remote.corrupt-2025-03-04T05-06-07.890Z.json'), 'utf8')).toBe('first');
    expect(readFileSync(join(dir, 'seedbox-remote.corrupt-2025-03-04T05-06-07.890Z-2.json'), 'utf8')).toBe('second');
  });

  it('refuses, untouched, a damaged file it cannot move aside', async () => {
    writeFileSync(path, 'junk');
    const error = await rejectionOf(new ConfigFile({ path, fileSystem: { rename: async () => Promise.reject(Object.assign(new Error('no'), { code: 'EACCES' })) } }).load());
    expect(error.message).toMatch(/is damaged \(it is not valid JSON\) and could not be set aside \(permission denied\); repair or remove it by hand/);
    expect(readFileSync(path, 'utf8')).toBe('junk');
  });
});

describe('ConfigFile: versions', () => {
  it('refuses a file from a newer version, for reading and for writing, and leaves it as it was', async () => {
    const newer = JSON.stringify({ version: CONFIG_VERSION + 1, seedboxes: [], preferences: {}, futureField: true });
    writeFileSync(path, newer);
    const file = new ConfigFile({ path });
    const error = await rejectionOf(file.load());
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(new RegExp(`written by a newer version of Seedbox Remote \\(format ${CONFIG_VERSION + 1}; this version reads up to ${CONFIG_VERSION}\\)`));
    expect(error.message).toMatch(/left untouched/);
    expect((await rejectionOf(file.update(() => undefined))).code).toBe('refused');
    expect(readFileSync(path, 'utf8')).toBe(newer);
    expect(readdirSync(dir)).toEqual(['seedbox-remote.json']);
  });

  it('migrates a file without a version (format 0) and writes it back as the current format on the next change', async () => {
    writeFileSync(path, JSON.stringify({ seedboxes: [BOX] }));
    const file = new ConfigFile({ path });
    const result = await file.load();
    expect(result).toMatchObject({ problem: null, migratedFrom: 0 });
    expect(result.config).toEqual({ ...defaultConfig(), seedboxes: [BOX] });
    await file.update(() => undefined);
    expect(onDisk()).toMatchObject({ version: CONFIG_VERSION, seedboxes: [BOX] });
  });

  it('migrates a version 1 file (before seeding rules) to empty rules with the default caps, keeping everything else', async () => {
    const v1 = { version: 1, seedboxes: [BOX], preferences: { refreshIntervalMs: 3000 }, magnetLinks: 'accepted' };
    writeFileSync(path, JSON.stringify(v1));
    const file = new ConfigFile({ path });
    const result = await file.load();
    expect(result).toMatchObject({ problem: null, migratedFrom: 1 });
    expect(result.config.seedboxes).toEqual([BOX]);
    expect(result.config.preferences.refreshIntervalMs).toBe(3000);
    expect(result.config.magnetLinks).toBe('accepted');
    expect(result.config.seeding).toEqual({
      rules: [],
      protections: { trackerFloors: [], labels: [] },
      spaceTargets: [],
      caps: { perRun: { maxTorrents: 50, maxBytes: 2048 * 1024 ** 3 }, perSeedbox: { maxTorrents: 20, maxBytes: 1024 * 1024 ** 3 } },
      unregisteredGrace: { minChecks: 2, minSeconds: 3600 },
      paused: false,
      schedule: { everyMinutes: 15 },
    });
    // Reading alone leaves the file as it was; the next change writes format 2.
    expect(onDisk()).toEqual(v1);
    await file.update(() => undefined);
    expect(onDisk()).toMatchObject({ version: 2, seedboxes: [BOX], seeding: { rules: [], paused: false } });
  });

  it('runs migration steps in order from the file’s version', () => {
    const steps = {
      0: (file: Record<string, unknown>) => ({ ...file, version: 1, trail: ['0→1'] }),
      1: (file: Record<string, unknown>) => ({ ...file, version: 2, trail: [...(file['trail'] as string[]), '1→2'] }),
    };
    expect(migrate({}, steps, 2)).toEqual({ ok: true, from: 0, file: { version: 2, trail: ['0→1', '1→2'] } });
    expect(migrate({ version: 1, trail: [] }, steps, 2)).toEqual({ ok: true, from: 1, file: { version: 2, trail: ['1→2'] } });
    expect(migrate({ version: 3 }, steps, 2)).toEqual({ ok: false, reason: 'newer', version: 3 });
    expect(migrate({ version: 0 }, { 0: steps[0] }, 2)).toMatchObject({ ok: false, reason: 'malformed', message: 'this build cannot upgrade format 1' });
    expect(Object.keys(MIGRATIONS).map(Number)).toEqual([...Array(CONFIG_VERSION).keys()]);
  });
});

describe('ConfigFile: writing', () => {
  it('writes the file owner-only (0600), also over a file that was readable by others', async () => {
    if (process.platform === 'win32') return;
    writeFileSync(path, JSON.stringify(defaultConfig()), { mode: 0o644 });
    await new ConfigFile({ path }).update(() => undefined);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('leaves the old file intact and no temp file behind when the rename fails (a crash before it)', async () => {
    const file = new ConfigFile({ path });
    await file.update((config) => {
      config.seedboxes.push({ ...BOX });
    });
    const before = readFileSync(path, 'utf8');
    let renamed = 0;
    const failing = new ConfigFile({
      path,
      fileSystem: {
        rename: async (from, to) => {
          renamed += 1;
          expect(from).not.toBe(path);
          expect(readFileSync(from, 'utf8')).toContain('"name": "Renamed"');
          expect(to).toBe(path);
          throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
        },
      },
    });
    const error = await rejectionOf(
      failing.update((config) => {
        config.seedboxes[0]!.name = 'Renamed';
      }),
    );
    expect(renamed).toBe(1);
    expect(error.message).toMatch(/Could not save the settings file .*: simulated crash\. The previous settings are unchanged\./);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['seedbox-remote.json']);
    expect((await failing.read()).seedboxes[0]!.name).toBe('Home');
  });

  it('writes nothing when the mutator throws or produces invalid settings', async () => {
    const file = new ConfigFile({ path });
    await expect(file.update(() => Promise.reject(new Error('changed my mind')))).rejects.toThrow('changed my mind');
    const invalid = await rejectionOf(
      file.update((config) => {
        config.seedboxes.push({ ...BOX, url: '' });
      }),
    );
    expect(invalid.code).toBe('invalid-argument');
    expect(invalid.message).toMatch(/seedboxes\.0\.url/);
    expect(existsSync(path)).toBe(false);
  });

  it('runs concurrent updates one after another, losing none', async () => {
    const file = new ConfigFile({ path });
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        file.update(async (config) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          config.seedboxes.push({ ...BOX, id: `box-${index}`, name: `Box ${index}` });
        }),
      ),
    );
    const ids = (onDisk() as { seedboxes: { id: string }[] }).seedboxes.map((box) => box.id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, index) => `box-${index}`));
  });

  it('keeps a change another program saved meanwhile (it reads the file before each change)', async () => {
    const app = new ConfigFile({ path });
    const cli = new ConfigFile({ path });
    await app.load();
    await cli.update((config) => {
      config.seedboxes.push({ ...BOX });
    });
    await app.update((config) => {
      config.window = { x: 0, y: 0, width: 800, height: 600, maximized: false };
    });
    expect(onDisk()).toMatchObject({ seedboxes: [BOX], window: { width: 800 } });
  });

  it('drops fields the schema does not know, so nothing stray (a password) survives a save', async () => {
    writeFileSync(path, JSON.stringify({ version: 1, seedboxes: [{ ...BOX, password: 'hunter2' }], preferences: {}, token: 'x' }));
    await new ConfigFile({ path }).update(() => undefined);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('token');
  });

  it('says clearly when the file cannot be read at all', async () => {
    mkdirSync(path);
    const error = await rejectionOf(new ConfigFile({ path }).load());
    expect(error.message).toBe(`Cannot read the settings file ${path}: it is a folder.`);
  });
});
