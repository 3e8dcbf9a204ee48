// The one settings file (seedboxes, preferences, window placement) in the app's data folder,
// shared by the app and the `seedbox` command. Written atomically; a damaged file is set aside
// for the user, never overwritten; a file from a newer version is left alone.
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { SeedboxError } from '../../shared/errors';
import { writeFileAtomically } from '../files/atomic-file';
import { CONFIG_VERSION, ConfigSchema, defaultConfig, migrate, type Config } from './schema';

/** The file operations used, so tests can make one of them fail (a crash before the rename). */
export interface ConfigFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(path: string, flags: string, mode: number): Promise<nodeFs.FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

export interface ConfigFileOptions {
  /** The file; main passes app.getPath('userData')/seedbox-remote.json, the CLI paths.ts's. */
  path: string;
  /** Damage found while updating (the file was changed behind our back), for the log or UI. */
  onProblem?: (problem: string) => void;
  now?: () => Date;
  fileSystem?: Partial<ConfigFileSystem>;
}

export interface ConfigLoadResult {
  config: Config;
  /** For the user when something was wrong: what happened and where the old file went. */
  problem: string | null;
  /** The format version the file had when it was read, when it was upgraded. */
  migratedFrom: number | null;
}

export type ConfigMutator = (config: Config) => Config | void | Promise<Config | void>;


export class ConfigFile {
  readonly path: string;
  private readonly fs: ConfigFileSystem;
  private readonly now: () => Date;
  private readonly onProblem: ((problem: string) => void) | undefined;
  private cached: Config | undefined;
  /** Every read and write runs in this chain, one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: ConfigFileOptions) {
    this.path = options.path;
    this.fs = { ...(nodeFs as unknown as ConfigFileSystem), ...options.fileSystem };
    this.now = options.now ?? (() => new Date());
    this.onProblem = options.onProblem;
  }

  /** Reads the file (a missing file gives the defaults). Throws only when it must not be touched. */
  load(): Promise<ConfigLoadResult> {
    return this.serialized(async () => {
      const result = await this.readFromDisk();
      this.cached = result.config;
      return { ...result, config: structuredClone(result.config) };
    });
  }

  /** The settings as last read or written; reads the file the first time. */
  async read(): Promise<Config> {
    if (this.cached) return structuredClone(this.cached);
    return (await this.load()).config;
  }

  /**
   * Applies a change and saves it. The file is read again first, so a change the other program
   * (app or CLI) saved meanwhile is kept. The mutator may edit its argument or return a new
   * object; if it throws, nothing is written.
   */
  update(mutator: ConfigMutator): Promise<Config> {
    return this.serialized(async () => {
      const current = await this.readFromDisk();
      if (current.problem) this.onProblem?.(current.problem);
      const draft = structuredClone(current.config);
      const parsed = ConfigSchema.safeParse((await mutator(draft)) ?? draft);
      if (!parsed.success) {
        throw new SeedboxError('invalid-argument', `These settings cannot be saved: ${describeIssue(parsed.error)}.`);
      }
      await this.writeAtomically(parsed.data);
      this.cached = parsed.data;
      return structuredClone(parsed.data);
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readFromDisk(): Promise<ConfigLoadResult> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultConfig(), problem: null, migratedFrom: null };
      throw new SeedboxError('internal', `Cannot read the settings file ${this.path}: ${reasonOf(error)}.`, { path: this.path });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.setAside('it is not valid JSON');
    }
    const migrated = migrate(parsed);
    if (!migrated.ok && migrated.reason === 'newer') {
      throw new SeedboxError(
        'refused',
        `The settings file ${this.path} was written by a newer version of Seedbox Remote (format ${migrated.version}; this version reads up to ${CONFIG_VERSION}). ` +
          'It has been left untouched: update Seedbox Remote, or move the file away to start over.',
        { path: this.path, version: migrated.version },
      );
    }
    if (!migrated.ok) return this.setAside(migrated.message);
    const validated = ConfigSchema.safeParse(migrated.file);
    if (!validated.success) return this.setAside(describeIssue(validated.error));
    return { config: validated.data, problem: null, migratedFrom: migrated.from === CONFIG_VERSION ? null : migrated.from };
  }

  /** Moves a damaged file out of the way (so nothing overwrites it) and says where it went. */
  private async setAside(reason: string): Promise<ConfigLoadResult> {
    const stem = basename(this.path, extname(this.path));
    const stamp = this.now().toISOString().replaceAll(':', '-');
    let aside = join(dirname(this.path), `${stem}.corrupt-${stamp}.json`);
    for (let attempt = 2; await exists(aside); attempt += 1) aside = join(dirname(this.path), `${stem}.corrupt-${stamp}-${attempt}.json`);
    try {
      await this.fs.rename(this.path, aside);
    } catch (error) {
      throw new SeedboxError(
        'internal',
        `The settings file ${this.path} is damaged (${reason}) and could not be set aside (${reasonOf(error)}); repair or remove it by hand.`,
        { path: this.path },
      );
    }
    return {
      config: defaultConfig(),
      problem: `The settings file was damaged (${reason}) and has been set aside as ${aside}; starting with no seedboxes.`,
      migratedFrom: null,
    };
  }

  /** Temp file in the same folder, fsync, rename over the old one: a crash leaves one or the other. */
  private async writeAtomically(config: Config): Promise<void> {
    try {
      await writeFileAtomically(this.path, `${JSON.stringify(config, null, 2)}\n`, this.fs);
    } catch (error) {
      throw new SeedboxError('internal', `Could not save the settings file ${this.path}: ${reasonOf(error)}. The previous settings are unchanged.`, { path: this.path });
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return nodeFs.access(path).then(
    () => true,
    () => false,
  );
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}

/** The first schema problem, with where it is: "seedboxes.0.url: Too small ...". */
function describeIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not match the expected layout';
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
