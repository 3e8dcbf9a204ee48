import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';

/** The built `seedbox` command (`npx vite build --config vite.cli.config.ts` writes it). */
export const SEEDBOX_CLI = resolve('out/cli/seedbox.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The whole environment beyond PATH: nothing else of the test runner's leaks in. */
  env?: Record<string, string>;
  /** What the command reads on its standard input (closed at once by default). */
  stdin?: string;
}

/** Runs the built `seedbox` command as a user's shell would, and collects what it prints. */
export function runSeedbox(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [SEEDBOX_CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** For a beforeAll: the CLI tests run the built command, never the sources. */
export function expectCliBuilt(): void {
  expect(existsSync(SEEDBOX_CLI), 'the CLI is built by `npm test` (scripts/test.mjs) first').toBe(true);
}
