// The built `seedbox` command against a hostile qBittorrent WebUI
// (test/helpers/hostile-qbittorrent.ts): every case ends with exit 3 and one line on stderr
// that says what was wrong, never "No torrents.", a stack trace or exit 1 ("a bug").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { HOSTILE_QB_CASES, QB_PASSWORD, QB_TORRENT, QB_USER, startHostileQbittorrent } from '../../helpers/hostile-qbittorrent';
import { closeAllServers } from '../../unit/core/transports/fixtures';

beforeAll(() => {
  expectCliBuilt();
});

afterAll(async () => {
  await closeAllServers();
});

function seedbox(url: string, command: string[], timeoutSeconds = 30): ReturnType<typeof runSeedbox> {
  const options = ['--client', 'qbittorrent', '--url', url, '--user', QB_USER, '--password-env', 'QB_PASS', '--timeout', String(timeoutSeconds)];
  return runSeedbox([...options, ...command], { env: { QB_PASS: QB_PASSWORD } });
}

describe('seedbox against a hostile qBittorrent WebUI', () => {
  it('lists the honest WebUI the cases start from', async () => {
    const { url } = await startHostileQbittorrent();
    const run = await seedbox(url, ['list', '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject([{ id: QB_TORRENT, name: 'honest torrent', state: 'paused' }]);
  });

  it.each(HOSTILE_QB_CASES.map((testCase) => [testCase.name, testCase] as const))('%s: exit 3, one line', async (_name, testCase) => {
    const { url } = await startHostileQbittorrent(testCase);
    const run = await seedbox(url, testCase.command, testCase.code === 'timeout' ? 1 : 30);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^seedbox: [^\n]+\n$/);
    expect(run.stderr).not.toMatch(/TypeError|RangeError|is not a function|Cannot read properties|call stack|No torrents|\n\s+at /);
    expect(run.code).toBe(3);
    if (testCase.field !== undefined && testCase.field !== '(answer)') expect(run.stderr).toContain(`field ${testCase.field} `);
    if (testCase.message) expect(run.stderr).toMatch(testCase.message);
  });
});
