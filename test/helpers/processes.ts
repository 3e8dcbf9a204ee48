import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `seedbox-${prefix}-`));
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A loopback server that accepts every connection and never answers: a hung daemon. */
export async function startSilentServer(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function canConnect(target: { port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    if ('path' in target && !existsSync(target.path)) return resolve(false);
    const socket = 'path' in target ? connect(target.path) : connect(target.port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Signals a daemon dies of by itself (a crash), never ones a test sends (SIGTERM, SIGKILL, SIGSTOP).
 * Debian 13's deluged (libtorrent 2.0.11) was seen to die once of a general protection fault in
 * libstdc++ while adding a torrent (dmesg), with nothing from our side on the wire but a normal
 * core.add_torrent_file.
 */
const CRASH_SIGNALS = new Set<NodeJS.Signals>(['SIGSEGV', 'SIGBUS', 'SIGABRT', 'SIGILL', 'SIGFPE']);

/** A daemon's crash during a test, and its relaunch (if its helper relaunches it). */
export interface DaemonCrash {
  description: string;
  relaunched: Promise<boolean>;
}

const crashes: DaemonCrash[] = [];

/** The crashes since the last call; test/helpers/live-setup.ts reads them after each test. */
export function takeDaemonCrashes(): DaemonCrash[] {
  return crashes.splice(0);
}

/** A started program whose output is kept for failure messages. */
export class Daemon {
  readonly output: string[] = [];
  private exited: Promise<number | null>;
  private stopping = false;
  /** Set by a helper that can start the daemon again on the same state after a crash. */
  relaunchAfterCrash?: () => Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // A daemon that dies in the middle of a test fails it with "connection refused"; its own last
    // words are what says why, so they go to the test's output.
    child.once('exit', (_code, signal) => {
      if (this.stopping) return;
      process.stderr.write(`\n[${name} exited without stop()] ${this.describe()}\n`);
      if (signal && CRASH_SIGNALS.has(signal)) {
        const relaunch = this.relaunchAfterCrash;
        crashes.push({
          description: this.describe(),
          relaunched: relaunch ? relaunch().then(() => true, () => false) : Promise.resolve(false),
        });
      }
    });
  }

  static start(name: string, command: string, args: string[], options: { cwd?: string } = {}): Daemon {
    return new Daemon(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  describe(): string {
    return `${this.name} (exit ${this.child.exitCode ?? this.child.signalCode ?? 'running'}): ${this.output.join('').slice(-2000)}`;
  }
}
