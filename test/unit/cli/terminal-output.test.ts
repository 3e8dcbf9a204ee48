import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliLanguage } from '../../../electron/cli/language';
import { printDetails, printTorrentTable } from '../../../electron/cli/print';
import { runCli, type CliIo } from '../../../electron/cli/run';
import { MAX_MESSAGE_CHARS, terminalJson, terminalText } from '../../../electron/cli/terminal-text';
import { EXIT } from '../../../electron/cli/exit-codes';
import type { Torrent } from '../../../electron/shared/model';
import { modelTorrent } from '../../helpers/model';

function torrent(n: number, overrides: Partial<Torrent> = {}): Torrent {
  return modelTorrent({ id: n.toString(16).padStart(40, '0'), name: `Torrent ${n}`, ...overrides });
}

// What a server sends (names, paths, fault strings) reaches the terminal as text, never as
// terminal commands, one line per error, at a length a person can read; and lists of any length
// print.

const ESC = '\u001b';
/** Retitles the window, clears the screen, rings the bell, colours, 8-bit CSI, a bidi override. */
const HOSTILE = `${ESC}]0;pwned\u0007${ESC}[2J${ESC}[31mred\u009b1mX\u202Eevil\u007f`;
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  it('shows control characters, DEL, C1 and bidi controls as visible escapes', () => {
    expect(terminalText(HOSTILE)).toBe('\\e]0;pwned\\u0007\\e[2J\\e[31mred\\u009b1mX\\u202eevil\\u007f');
    expect(terminalText('a\nseedbox: forged\r\tb')).toBe('a\\nseedbox: forged\\r\\tb');
    expect(terminalText('Séries 🎉 日本語')).toBe('Séries 🎉 日本語');
  });

  it('caps the length, says how much was cut, and never splits a surrogate pair', () => {
    expect(terminalText('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
    expect(terminalText(`abc🎉def`, 4)).toBe('abc… (5 more characters)');
  });
});

describe('terminalJson', () => {
  it('stays valid JSON that decodes to the same values, with no raw control or bidi character', () => {
    const value = [{ name: HOSTILE, path: 'a\nb', note: '\u2028\u2029' }];
    const text = terminalJson(value, 2);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('tables', () => {
  it('print a name full of escape codes as one inert line', () => {
    const output = printTorrentTable([torrent(1, { name: `${HOSTILE}\nseedbox: forged line`, labels: [`${ESC}[8m`] })], cliLanguage({}));
    expect(output).not.toMatch(RAW_CONTROL);
    expect(output.split('\n')).toHaveLength(3);
    expect(output).toContain('\\nseedbox: forged line');
  });

  it('print details with hostile paths, messages and tracker texts inert', () => {
    const output = printDetails({
      torrent: torrent(1, { name: HOSTILE, message: `bad\n${ESC}[2K`, savePath: `/data/${ESC}[1A` }),
      files: [{ index: 0, path: `a/${HOSTILE}`, sizeBytes: 1, doneBytes: 0, priority: 'normal' }],
      peers: [{ address: '10.0.0.1', port: 1, client: `${ESC}]8;;http://x${ESC}\\`, progress: 0, downRate: 0, upRate: 0 }],
      trackers: [{ url: 'http://t/a', tier: 0, status: 'error', seeders: 0, leechers: 0, message: `x\u009b2J` }],
    }, cliLanguage({}));
    expect(output).not.toMatch(RAW_CONTROL);
  });

  it('print 300 000 torrents (a spread into Math.max overflowed the stack near 130 000)', () => {
    const torrents: Torrent[] = [];
    for (let n = 1; n <= 300_000; n++) torrents.push(torrent(n, { name: `Torrent number ${n}` }));
    const output = printTorrentTable(torrents, cliLanguage({}));
    expect(output.length).toBeGreaterThan(300_000 * 80);
    expect(output.endsWith('Torrent number 300000\n')).toBe(true);
  }, 120_000);
});

describe('errors from a server that sends escape codes, newlines and megabytes', () => {
  let server: Server;
  let url: string;
  let fault = '';

  beforeAll(async () => {
    // Answers everything, the JSON probe included, with an XML-RPC fault as rTorrent 0.9.8 does.
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const body = `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-501</i4></value></member><member><name>faultString</name><value><string>${fault}</string></value></member></struct></value></fault></methodResponse>`;
        response.writeHead(200, { 'content-type': 'text/xml' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env: {} };
    const code = await runCli(['--client', 'rtorrent', '--url', url, ...argv], io);
    return { code, stdout, stderr };
  }

  it('a fault string with escape codes and a newline is one inert "seedbox:" line', async () => {
    fault = `${HOSTILE}\nseedbox: everything is fine`;
    const result = await run(['version']);
    expect(result.code).toBe(EXIT.rpcFault);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect(result.stderr.split('\n')).toEqual([expect.stringMatching(/^seedbox: .*\\nseedbox: everything is fine/), '']);
  });

  it('an 8 MB fault string is cut to a readable length, in text and in JSON', async () => {
    fault = 'A'.repeat(8 * 1024 * 1024);
    const text = await run(['version']);
    expect(text.code).toBe(EXIT.rpcFault);
    expect(text.stderr.length).toBeLessThan(MAX_MESSAGE_CHARS + 200);
    expect(text.stderr).toMatch(/… \(\d+ more characters\)\n$/);
    const json = await run(['version', '--json']);
    // The message and each detail (the fault string is one) are capped.
    expect(json.stderr.length).toBeLessThan(MAX_MESSAGE_CHARS * 3);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'rpc-fault', message: expect.stringMatching(/more characters\)$/) } });
  });

  it('with --json, a hostile fault string stays valid JSON with no raw control character', async () => {
    fault = HOSTILE;
    const result = await run(['version', '--json']);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    expect((JSON.parse(result.stderr) as { error: { message: string } }).error.message).toContain(HOSTILE);
  });
});
