import { posix } from 'node:path';
import { SeedboxError } from '../../../shared/errors';
import type { RtorrentRpc, RpcCall } from './rpc';

// rTorrent cannot delete or move files itself, so we ask it to run GNU coreutils and findutils
// on the box through execute.*: always an argument vector (rTorrent execs it directly, no
// shell ever parses it), always `--` or absolute paths so that no path is read as an option.
// execute.capture returns stdout as a C string, so output is parsed line by line; a path that
// contains a line break is asked on its own, where the whole output belongs to it.

/** What lstat says about one path (the last component is never followed). */
export interface BoxEntry {
  /** find's %y: f regular file, d directory, l symbolic link, anything else is another kind. */
  type: string;
  device: string;
  inode: string;
  links: number;
  size: number;
}

/** Bytes of paths per command: far below ARG_MAX and rTorrent's request limit. */
const PATH_BYTES_PER_COMMAND = 32 * 1024;
/** rTorrent's execute.* takes at most 128 arguments ("Too many arguments."), the command's own included. */
const PATHS_PER_COMMAND = 100;
/** Commands per system.multicall (each waits for its process: keep rTorrent responsive). */
const COMMANDS_PER_CALL = 16;
const LISTING = /^(\S+) (\d+) (\d+) (\d+) (\d+) (\/.*)$/;
const TREE_LINE = /^(\S) (\d+) (\d+) (\d+) (\d+) (.*)$/;

export class BoxFs {
  constructor(private readonly rpc: RtorrentRpc) {}

  /**
   * realpath -m of every path: symbolic links resolved in every component that exists, the
   * rest taken as written. A path equal to its own realpath has no link anywhere on its way.
   */
  async realpaths(paths: Iterable<string>): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    await this.perPath([...new Set(paths)], (batch) => ['realpath', '-m', '--', ...batch], (batch, output) => {
      const lines = batch.length === 1 ? [chomp(output)] : chomp(output).split('\n');
      if (lines.length !== batch.length || lines.some((line) => !line.startsWith('/'))) {
        throw cannotInspect(`realpath answered ${lines.length} lines for ${batch.length} paths`);
      }
      batch.forEach((path, index) => result.set(path, lines[index]!));
    });
    return result;
  }

  /** lstat of every path (find -P never follows the last component); missing paths are absent from the map. */
  async lstat(paths: Iterable<string>): Promise<Map<string, BoxEntry>> {
    const result = new Map<string, BoxEntry>();
    // '/' comes first in every listing: if it is not there, find itself did not run.
    await this.perPath(
      [...new Set(paths)],
      (batch) => ['find', '-P', '/', ...batch, '-maxdepth', '0', '-printf', '%y %D %i %n %s %p\\n'],
      (batch, output) => {
        const lines = chomp(output).split('\n');
        if (!/^d \d+ \d+ \d+ \d+ \/$/.test(lines[0] ?? '')) throw cannotInspect('find did not list /');
        if (batch.length === 1) {
          // The path may hold line breaks: its record, if any, is everything after '/'.
          const rest = lines.slice(1).join('\n');
          const match = LISTING.exec(rest);
          if (match && match[6] === batch[0]) result.set(batch[0]!, entry(match));
          else if (rest !== '') throw cannotInspect(`find answered "${rest.slice(0, 200)}"`);
          return;
        }
        for (const line of lines.slice(1)) {
          const match = LISTING.exec(line);
          if (!match || !batch.includes(match[6]!)) throw cannotInspect(`find answered "${line.slice(0, 200)}"`);
          result.set(match[6]!, entry(match));
        }
      },
      // find exits 1 when a path is missing: the '/' line tells whether it ran.
      'execute.capture_nothrow',
    );
    return result;
  }

  /**
   * Everything inside each folder, by lstat, keyed by absolute path (the folder itself too).
   * find -P never follows a link, so it never lists anything beyond one: under a folder that
   * is its own realpath, every path listed is its own realpath as well. One command per folder.
   * A name with a line break splits a line: a line that does not parse, or a path listed
   * twice, refuses, so no name can pass itself off as another entry.
   */
  async trees(roots: string[]): Promise<Map<string, Map<string, BoxEntry>>> {
    const result = new Map<string, Map<string, BoxEntry>>();
    for (let index = 0; index < roots.length; index += COMMANDS_PER_CALL) {
      const group = roots.slice(index, index + COMMANDS_PER_CALL);
      const answers = await this.rpc.multicall(
        group.map((root) => ({ method: 'execute.capture_nothrow', params: ['', 'find', '-P', root, '-printf', '%y %D %i %n %s %P\\n'] })),
      );
      answers.forEach((answer, position) => {
        const root = group[position]!;
        if (!answer.ok || typeof answer.value !== 'string') throw cannotInspect(`find could not list ${root}`);
        const tree = new Map<string, BoxEntry>();
        for (const line of chomp(answer.value).split('\n')) {
          const match = TREE_LINE.exec(line);
          if (!match) throw cannotInspect(`a name inside ${root} holds a line break, or find answered "${line.slice(0, 200)}"`);
          const path = match[6] === '' ? root : `${root}/${match[6]}`;
          if (tree.has(path)) throw cannotInspect(`find listed ${path} twice (a name inside ${root} holds a line break)`);
          tree.set(path, entry(match));
        }
        if (!tree.has(root)) throw cannotInspect(`find did not list ${root}`);
        result.set(root, tree);
      });
    }
    return result;
  }

  /**
   * The bytes of the regular file at `path` (a link is not followed), or undefined when there is
   * none. execute.capture answers a C string, so the bytes travel as base64 on one line.
   */
  async readFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
    const found = (await this.lstat([path])).get(path);
    if (found?.type !== 'f') return undefined;
    if (found.size > maxBytes) {
      throw new SeedboxError('refused', `${path} on the seedbox is ${found.size} bytes, more than the ${maxBytes} it may be.`, { path, sizeBytes: found.size });
    }
    const text = chomp(String(await this.rpc.call('execute.capture', ['', 'base64', '-w', '0', '--', path])));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
      throw new SeedboxError('protocol', `base64 on the seedbox answered something that is not base64 for ${path}.`, { path });
    }
    return Buffer.from(text, 'base64');
  }

  /** Runs a command that must succeed; its failure is a typed fault naming the command. */
  async run(argv: string[], what: string): Promise<void> {
    const [result] = await this.rpc.multicall([{ method: 'execute.throw', params: ['', ...argv] }]);
    if (!result!.ok) {
      throw new SeedboxError('rpc-fault', `${what} failed on the seedbox (${argv[0]}: ${result!.faultString}).`, { command: argv[0] });
    }
  }

  /** Runs commands whose failure is expected sometimes (rmdir of a folder that holds other files). */
  async runQuietly(commands: string[][]): Promise<void> {
    for (let index = 0; index < commands.length; index += COMMANDS_PER_CALL) {
      await this.rpc.multicall(commands.slice(index, index + COMMANDS_PER_CALL).map((argv) => ({ method: 'execute.nothrow', params: ['', ...argv] })));
    }
  }

  /** Runs one command per batch of paths; each faulted batch's paths are reported back. */
  async runForPaths(paths: string[], argv: (batch: string[]) => string[]): Promise<{ failed: string[]; faults: string[] }> {
    const failed: string[] = [];
    const faults = new Set<string>();
    const batches = batchPaths(paths);
    for (let index = 0; index < batches.length; index += COMMANDS_PER_CALL) {
      const group = batches.slice(index, index + COMMANDS_PER_CALL);
      const results = await this.rpc.multicall(group.map((batch) => ({ method: 'execute.throw', params: ['', ...argv(batch)] })));
      results.forEach((result, position) => {
        if (result.ok) return;
        failed.push(...group[position]!);
        faults.add(result.faultString);
      });
    }
    return { failed, faults: [...faults] };
  }

  private async perPath(
    paths: string[],
    argv: (batch: string[]) => string[],
    take: (batch: string[], output: string) => void,
    method: 'execute.capture' | 'execute.capture_nothrow' = 'execute.capture',
  ): Promise<void> {
    const batches = batchPaths(paths);
    for (let index = 0; index < batches.length; index += COMMANDS_PER_CALL) {
      const group = batches.slice(index, index + COMMANDS_PER_CALL);
      const calls: RpcCall[] = group.map((batch) => ({ method, params: ['', ...argv(batch)] }));
      const results = await this.rpc.multicall(calls);
      results.forEach((result, position) => {
        if (!result.ok) throw cannotInspect(`${argv(['…'])[0]} failed: ${result.faultString}`);
        if (typeof result.value !== 'string') throw cannotInspect(`${method} answered a ${typeof result.value}, not text`);
        take(group[position]!, result.value);
      });
    }
  }
}

/** Groups paths by size and count; a path with a line break (or a huge one) goes alone. */
function batchPaths(paths: string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const path of paths) {
    const size = Buffer.byteLength(path) + 1;
    if (path.includes('\n') || size >= PATH_BYTES_PER_COMMAND) {
      batches.push([path]);
      continue;
    }
    if (current.length > 0 && (bytes + size > PATH_BYTES_PER_COMMAND || current.length === PATHS_PER_COMMAND)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(path);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function entry(match: RegExpExecArray): BoxEntry {
  return { type: match[1]!, device: match[2]!, inode: match[3]!, links: Number(match[4]), size: Number(match[5]) };
}

function chomp(text: string): string {
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

function cannotInspect(why: string): SeedboxError {
  return new SeedboxError('refused', `Could not check the files on the seedbox, so nothing was changed (${why}). It needs GNU coreutils and findutils (realpath, find).`);
}

/** The parent folders of `path` below `base`, nearest first (base itself excluded). */
export function foldersBetween(base: string, path: string): string[] {
  const folders: string[] = [];
  for (let parent = posix.dirname(path); parent.length > base.length && parent.startsWith(`${base}/`); parent = posix.dirname(parent)) folders.push(parent);
  return folders;
}
