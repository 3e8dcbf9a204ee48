import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONNECTION_OPTIONS, parseCommandLine } from '../../../electron/cli/args';
import { EXIT, exitCodeFor } from '../../../electron/cli/exit-codes';
import { runCli, splitLabelList, type CliIo } from '../../../electron/cli/run';
import { ERROR_CODES, SeedboxError } from '../../../electron/shared/errors';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const ID = '0123456789abcdef0123456789abcdef01234567';
/** Nobody listens there: the socket file does not exist. */
const NOWHERE = 'scgi:///nonexistent.sock';
const COMMAND_NAMES = ['version', 'list', 'info', 'add', 'start', 'stop', 'recheck', 'reannounce', 'remove', 'move', 'label', 'priority', 'limits'];

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** Runs a command line that must fail with a usage error (exit 2) and returns the message. */
async function usageError(argv: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const result = await run(argv, env);
  expect(result.code).toBe(EXIT.usage);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^seedbox: .+\n$/s);
  return result.stderr;
}

describe('parseCommandLine', () => {
  it('splits the command, its positionals, options and which options were given', () => {
    const parsed = parseCommandLine(['--url', 'scgi://h:1', 'add', 'a.torrent', '--label', 'x', '--label', 'y', 'b.torrent', '--paused']);
    expect(parsed).toEqual({
      command: 'add',
      positionals: ['a.torrent', 'b.torrent'],
      options: { url: 'scgi://h:1', label: ['x', 'y'], paused: true },
      seedboxes: [],
      given: ['url', 'label', 'paused'],
    });
  });

  it('takes --seedbox once, except for rules (a scope, the boxes to check)', () => {
    expect(parseCommandLine(['--seedbox', 'a', 'list']).options.seedbox).toBe('a');
    expect(() => parseCommandLine(['--seedbox', 'a', '--seedbox', 'b', 'list'])).toThrow('--seedbox is given 2 times; "list" works on one seedbox.');
    const rules = parseCommandLine(['rules', 'check', 'ratio > 1', '--seedbox', 'a', '--seedbox', 'b']);
    expect(rules.seedboxes).toEqual(['a', 'b']);
  });

  it('takes everything after -- as positionals', () => {
    expect(parseCommandLine(['add', '--', '--weird.torrent']).positionals).toEqual(['--weird.torrent']);
  });

  it('turns node:util errors into one-line invalid-argument errors', () => {
    for (const argv of [['--frob'], ['list', '--url'], ['--json=yes'], ['list', 'a', 'b', 'c', '--url=x', '-x'], ['list', '--timeout', '-3']]) {
      let thrown: unknown;
      try {
        parseCommandLine(argv);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SeedboxError);
      expect((thrown as SeedboxError).code).toBe('invalid-argument');
      expect((thrown as SeedboxError).message).not.toMatch(/\n|To specify a positional/);
    }
  });

  it('lists the connection options', () => {
    expect(CONNECTION_OPTIONS).toEqual(['client', 'url', 'user', 'password-env', 'timeout', 'pin', 'label-style']);
  });
});

describe('splitLabelList', () => {
  it.each([
    ['a,b\\,c', ['a', 'b,c']],
    ['', []],
    ['one', ['one']],
    [' a , , b ,', ['a', 'b']],
    ['x\\,', ['x,']],
    ['\\,lead,trail\\,', [',lead', 'trail,']],
    ['TV, HD,Séries 🎉', ['TV', 'HD', 'Séries 🎉']],
  ])('%j → %j', (text, labels) => {
    expect(splitLabelList(text)).toEqual(labels);
  });
});

describe('exitCodeFor', () => {
  it('gives every error code a documented exit status, never 0', () => {
    const documented = new Set<number>(Object.values(EXIT));
    for (const code of ERROR_CODES) {
      expect(documented.has(exitCodeFor(code))).toBe(true);
      expect(exitCodeFor(code)).not.toBe(EXIT.ok);
    }
    expect(exitCodeFor('invalid-argument')).toBe(2);
    expect(exitCodeFor('connection-refused')).toBe(3);
    expect(exitCodeFor('auth-failed')).toBe(4);
    expect(exitCodeFor('tls-untrusted')).toBe(5);
    expect(exitCodeFor('not-found')).toBe(6);
    expect(exitCodeFor('rpc-fault')).toBe(7);
    expect(exitCodeFor('invalid-torrent')).toBe(8);
    expect(exitCodeFor('internal')).toBe(1);
  });
});

describe('runCli: help and version', () => {
  it('--help exits 0 and lists every command', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    for (const name of COMMAND_NAMES) expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(result.stdout).toMatch(/--url URL/);
    expect(result.stdout).toMatch(/Exit status: 0 ok, 2 usage, 3 connection/);
  });

  it('-h, "help" and --help after a command also print the help with status 0', async () => {
    for (const argv of [['-h'], ['help'], ['list', '--help']]) {
      const result = await run(argv);
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toMatch(/^seedbox: remote control for BitTorrent daemons/);
    }
  });

  it('no arguments prints the help but exits 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/Commands:/);
    expect(result.stdout).toBe('');
  });

  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await run([flag]);
      expect(result).toEqual({ code: EXIT.ok, stdout: `seedbox ${VERSION}\n`, stderr: '' });
    }
  });
});

describe('runCli: usage errors (no daemon involved)', () => {
  it('an unknown command exits 2 and points to --help', async () => {
    const message = await usageError(['frobnicate', '--url', NOWHERE]);
    expect(message).toMatch(/unknown command "frobnicate"/);
    expect(message).toMatch(/seedbox --help/);
  });

  it('an unknown option exits 2', async () => {
    expect(await usageError(['list', '--frob'])).toMatch(/Unknown option '--frob'/);
  });

  it('an option missing its value exits 2', async () => {
    expect(await usageError(['list', '--url'])).toMatch(/--url/);
  });

  it('no --url and no SEEDBOX_URL exits 2 with a clear message', async () => {
    const message = await usageError(['list']);
    expect(message).toMatch(/say where the daemon is: --url URL/);
  });

  it('an option the command does not take exits 2, naming it and the usage', async () => {
    const message = await usageError(['list', '--to', '/x', '--url', NOWHERE]);
    expect(message).toMatch(/"list" does not take --to/);
    expect(message).toMatch(/Usage: seedbox \[connection\] list \[--json\]/);
    expect(await usageError(['start', ID, '--delete-data', '--url', NOWHERE])).toMatch(/does not take --delete-data/);
    expect(await usageError(['list', '--version', '--url', NOWHERE])).toMatch(/does not take --version/);
  });

  it('a bad torrent id exits 2', async () => {
    for (const id of ['abc', `${ID}0`, `${ID.slice(1)}g`, ID.slice(1)]) {
      const message = await usageError(['start', id, '--url', NOWHERE]);
      expect(message).toContain(`"${id}" is not a torrent id`);
    }
    expect(await usageError(['info', 'xyz', '--url', NOWHERE])).toMatch(/"xyz" is not a torrent id/);
    // Any bad id among good ones is caught.
    expect(await usageError(['stop', ID, 'nope', '--url', NOWHERE])).toMatch(/"nope" is not a torrent id/);
  });

  it('wrong numbers of positionals exit 2', async () => {
    expect(await usageError(['list', 'extra', '--url', NOWHERE])).toMatch(/"list" takes no arguments/);
    expect(await usageError(['info', '--url', NOWHERE])).toMatch(/"info" takes exactly one torrent id/);
    expect(await usageError(['info', ID, ID, '--url', NOWHERE])).toMatch(/"info" takes exactly one torrent id/);
    expect(await usageError(['start', '--url', NOWHERE])).toMatch(/"start" needs at least one torrent id/);
    expect(await usageError(['remove', '--url', NOWHERE])).toMatch(/"remove" needs at least one torrent id/);
    expect(await usageError(['add', '--url', NOWHERE])).toMatch(/"add" needs at least one file or magnet/);
  });

  it('bad connection options exit 2', async () => {
    expect(await usageError(['list', '--url', NOWHERE, '--client', 'utorrent'])).toMatch(/--client must be one of rtorrent, deluge, qbittorrent, transmission, not "utorrent"/);
    expect(await usageError(['list', '--url', 'https://box.example/RPC2'])).toMatch(/say which daemon https:\/\/box\.example\/RPC2 is: --client/);
    expect(await usageError(['list', '--url', NOWHERE, '--timeout', '0'])).toMatch(/--timeout takes seconds/);
    expect(await usageError(['list', '--url', NOWHERE, '--timeout', 'soon'])).toMatch(/--timeout takes seconds/);
    expect(await usageError(['list', '--url', NOWHERE, '--timeout=-3'])).toMatch(/--timeout takes seconds/);
    expect(await usageError(['list', '--url', NOWHERE, '--label-style', 'deluge'])).toMatch(/--label-style must be one of rutorrent, flood/);
    expect(await usageError(['list', '--url', NOWHERE, '--pin', 'abc'])).toMatch(/--pin takes a SHA-256 fingerprint/);
    expect(await usageError(['list', '--url', NOWHERE, '--password-env', 'NOT_SET'])).toMatch(/NOT_SET, but that environment variable is not set/);
  });

  it('command-specific option errors exit 2 before any connection is tried', async () => {
    expect(await usageError(['move', ID, '--url', NOWHERE])).toMatch(/"move" needs --to/);
    expect(await usageError(['move', ID, '--to', '', '--url', NOWHERE])).toMatch(/"move" needs --to/);
    expect(await usageError(['label', ID, '--url', NOWHERE])).toMatch(/"label" needs --set/);
    expect(await usageError(['limits', '--down', 'garbage', '--url', NOWHERE])).toMatch(/--down takes a rate such as 500K/);
    expect(await usageError(['limits', ID, '--down', '1K', '--url', NOWHERE])).toMatch(/need both --down and --up/);
    expect(await usageError(['priority', ID, '--file', '0', '--set', 'urgent', '--url', NOWHERE])).toMatch(/--set must be one of skip, low, normal, high/);
    expect(await usageError(['priority', ID, '--file', 'first', '--set', 'high', '--url', NOWHERE])).toMatch(/--file takes a file index/);
    expect(await usageError(['priority', ID, '--set', 'high', '--url', NOWHERE])).toMatch(/at least one --file/);
    expect(await usageError(['add', 'a.torrent', '--skip', 'first', '--url', NOWHERE])).toMatch(/--skip takes a file index \(a number\), not "first"/);
    expect(await usageError(['add', 'a.torrent', 'b.torrent', '--skip', '1', '--url', NOWHERE])).toMatch(/--skip takes the files of one \.torrent/);
  });

  it('--client in SEEDBOX_CLIENT is checked too', async () => {
    expect(await usageError(['list', '--url', NOWHERE], { SEEDBOX_CLIENT: 'bogus' })).toMatch(/not "bogus"/);
  });

  it('--json makes the error one JSON line with {error: {code, message}}', async () => {
    for (const argv of [['frobnicate', '--json'], ['list', '--json'], ['list', '--frob', '--json'], ['start', 'abc', '--json', '--url', NOWHERE]]) {
      const result = await run(argv);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stdout).toBe('');
      const lines = result.stderr.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      const parsed = JSON.parse(lines[0]!) as { error: { code: string; message: string } };
      expect(parsed.error.code).toBe('invalid-argument');
      expect(typeof parsed.error.message).toBe('string');
      expect(parsed.error.message.length).toBeGreaterThan(0);
      expect(parsed.error.message).not.toMatch(/^seedbox: /);
    }
  });

  it('without --json the error is plain text, not JSON', async () => {
    const result = await run(['frobnicate']);
    expect(() => JSON.parse(result.stderr) as unknown).toThrow();
  });
});

describe('runCli: connection failures', () => {
  it('a missing Unix socket is "connection refused": exit 3', async () => {
    const result = await run(['list', '--url', NOWHERE]);
    expect(result.code).toBe(EXIT.connection);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^seedbox: .*socket file does not exist.*\n$/);
  });

  it('takes the URL from SEEDBOX_URL when --url is absent', async () => {
    const result = await run(['version'], { SEEDBOX_URL: NOWHERE });
    expect(result.code).toBe(EXIT.connection);
  });

  it('reports the connection failure as JSON with --json', async () => {
    const result = await run(['list', '--json', '--url', NOWHERE]);
    expect(result.code).toBe(EXIT.connection);
    const parsed = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe('connection-refused');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('accepts an uppercase id and only then tries to connect', async () => {
    const result = await run(['start', ID.toUpperCase(), '--url', NOWHERE]);
    expect(result.code).toBe(EXIT.connection);
  });
});
