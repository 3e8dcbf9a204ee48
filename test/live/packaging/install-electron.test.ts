import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/processes';

// `npm start` where Electron's download host cannot be reached: one line saying what failed and
// what works instead, and a non-zero exit; not the installer's raw "TypeError: fetch failed"
// stack. The download is pointed at a closed loopback port, so it fails at once.
const ROOT = resolve(import.meta.dirname, '../../..');

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

async function unreachableDownload(): Promise<NodeJS.ProcessEnv> {
  return {
    ...process.env,
    ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
    // An empty cache, and a platform whose binary is surely not installed here, so the installer
    // really downloads (and cannot write anything: the download fails first).
    electron_config_cache: tempDir('electron-cache'),
    ELECTRON_INSTALL_PLATFORM: process.platform === 'win32' ? 'linux' : 'win32',
  };
}

describe('npm start without Electron’s download host', () => {
  it('says in one line what failed and what works instead, and fails', async () => {
    const run = spawnSync('npm', ['start', '--silent'], { cwd: ROOT, env: await unreachableDownload(), encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    const ours = run.stderr.split('\n').filter((line) => line.startsWith('Could not download Electron'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^Could not download Electron \d+\.\d+\.\d+ from 127\.0\.0\.1:\d+ \(fetch failed\)/);
    expect(ours[0]).toContain('`npm run web`');
    // No stack, no raw TypeError line.
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/^TypeError/m);
    // And Electron was not started.
    expect(run.stdout).not.toContain('electron-vite');
  });
});
