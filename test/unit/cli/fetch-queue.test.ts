// `seedbox fetch queue|pause|resume|cancel|remove|run|auto` on a queue file with no daemon:
// what an empty queue says, unknown jobs, and the lock another live process holds.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { fetchQueuePath } from '../../../electron/core/fetch/queue';
import { tempDir } from '../../helpers/processes';

async function seedbox(configPath: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: { SEEDBOX_SECRET_STORE: 'memory' } };
  const code = await runCli(['--config', configPath, ...argv], io);
  return { code, stdout, stderr };
}

describe('seedbox fetch on the queue file', () => {
  it('an empty queue: listed, nothing to run, unknown jobs and bad command lines refused', async () => {
    const config = join(tempDir('fetch-cli-unit'), 'seedbox-remote.json');
    expect(await seedbox(config, ['fetch', 'queue'])).toEqual({ code: 0, stdout: 'The fetch queue is empty.\n', stderr: '' });
    expect(await seedbox(config, ['fetch', 'queue', '--json'])).toMatchObject({ code: 0, stdout: '[]\n' });
    expect(await seedbox(config, ['fetch', 'run'])).toEqual({ code: 0, stdout: 'Nothing was queued.\n', stderr: '' });
    expect(await seedbox(config, ['fetch', 'pause', 'abc'])).toMatchObject({ code: 6, stderr: 'seedbox: No fetch job "abc" in the queue ("seedbox fetch queue" lists them).\n' });
    expect((await seedbox(config, ['fetch', 'cancel'])).code).toBe(2);
    expect((await seedbox(config, ['fetch', 'queue', 'extra'])).code).toBe(2);
    expect((await seedbox(config, ['fetch', 'run', '--to', '/tmp'])).code).toBe(2);
    expect((await seedbox(config, ['--seedbox', 'nobody', 'fetch', 'auto', '--off'])).code).toBe(6);
    expect((await seedbox(config, ['--seedbox', 'nobody', 'fetch', 'auto', '--when', 'label == "tv"'])).code).toBe(2);
    expect(await seedbox(config, ['fetch', 'auto'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^No seedbox fetches on completion/) });
    // Nothing was left behind: no lock, and no queue file for an empty queue.
    expect(existsSync(`${fetchQueuePath(config)}.lock`)).toBe(false);
  });

  it('refuses to change a queue another live process works (exit 12), still lists it, and takes over a stale lock', async () => {
    const config = join(tempDir('fetch-cli-unit'), 'seedbox-remote.json');
    const lock = `${fetchQueuePath(config)}.lock`;
    // The test runner's parent is alive for the whole test: as if the app held the queue.
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, owner: 'Seedbox Remote' }));
    const busy = await seedbox(config, ['fetch', 'run']);
    expect(busy.code).toBe(12);
    expect(busy.stderr).toBe(`seedbox: The fetch queue is in use by Seedbox Remote (process ${process.ppid}); it works the queue until it stops. Use it, or wait for it to end.\n`);
    expect((await seedbox(config, ['fetch', 'pause', 'abc'])).code).toBe(12);
    expect((await seedbox(config, ['fetch', 'queue'])).code).toBe(0);

    // A process id nobody has: the lock is stale, taken over, and released after.
    writeFileSync(lock, JSON.stringify({ pid: 4_194_303, owner: 'Seedbox Remote' }));
    expect((await seedbox(config, ['fetch', 'run'])).code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });
});
