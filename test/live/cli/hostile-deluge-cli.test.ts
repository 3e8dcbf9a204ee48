// The built `seedbox` command against a hostile Deluge daemon (test/helpers/hostile-deluge.ts):
// every case ends with exit 3 and one line on stderr that says what was wrong, never a stack
// trace or exit 1 ("a bug"). The command runs with a 512 MB heap, so a bomb that the decoder
// did not refuse in time would end it with "heap out of memory" instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCliBuilt, runSeedbox } from '../../helpers/cli';
import { HOSTILE_DELUGE_CASES, HOSTILE_PASSWORD, HOSTILE_USER, TORRENT_ID, startHostileDeluge } from '../../helpers/hostile-deluge';
import { closeAllServers, makeCertificates, type TestCertificates } from '../../unit/core/transports/fixtures';

let certs: TestCertificates;

beforeAll(() => {
  expectCliBuilt();
  certs = makeCertificates();
  for (const testCase of HOSTILE_DELUGE_CASES) testCase.misbehave.prepare?.();
}, 120_000);

afterAll(async () => {
  await closeAllServers();
});

function seedbox(port: number, command: string[], timeoutSeconds = 30): ReturnType<typeof runSeedbox> {
  const options = ['--client', 'deluge', '--url', `deluge://127.0.0.1:${port}`, '--user', HOSTILE_USER, '--password-env', 'DELUGE_PASS', '--pin', certs.selfSigned.fingerprint, '--timeout', String(timeoutSeconds)];
  return runSeedbox([...options, ...command], { env: { DELUGE_PASS: HOSTILE_PASSWORD, NODE_OPTIONS: '--max-old-space-size=512' } });
}

describe('seedbox against a hostile Deluge daemon', () => {
  it('lists the honest daemon the cases start from', async () => {
    const { port } = await startHostileDeluge(certs.selfSigned);
    const run = await seedbox(port, ['list', '--json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject([{ id: TORRENT_ID, name: 'honest torrent' }]);
  });

  it.each(HOSTILE_DELUGE_CASES.map((testCase) => [testCase.name, testCase] as const))('%s: exit 3, one line', async (_name, testCase) => {
    const { port } = await startHostileDeluge(certs.selfSigned, testCase);
    const run = await seedbox(port, testCase.command, testCase.code === 'timeout' ? 1 : 30);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^seedbox: [^\n]+\n$/);
    expect(run.stderr).not.toMatch(/TypeError|RangeError|is not a function|Cannot read properties|call stack|heap out of memory|\n\s+at /);
    expect(run.code).toBe(3);
    if (testCase.field !== undefined && testCase.field !== '(answer)') expect(run.stderr).toContain(`field ${testCase.field} `);
    if (testCase.message) expect(run.stderr).toMatch(testCase.message);
  });
});
