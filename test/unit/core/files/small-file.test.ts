import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSmallRegularFile } from '../../../../electron/core/files/small-file';
import { SshTunnel } from '../../../../electron/core/connections/ssh-tunnel';
import { createOpenHandler, readOpenRequest, type OpenRequest } from '../../../../electron/main/open-handler';
import { expectSeedboxError } from '../../../helpers/errors';
import { tempDir } from '../../../helpers/processes';

// Paths a user or the OS hands over may name anything: a FIFO (whose open() waits for a writer
// and holds one of libuv's four file-system threads), /dev/zero (endless), a folder, a huge
// file. Each is refused at once with a typed error, and nothing else in the process waits.

const fifos: string[] = [];

function makeFifo(name: string): string {
  const path = join(tempDir('fifo'), name);
  execFileSync('mkfifo', [path]);
  fifos.push(path);
  return path;
}

afterEach(() => {
  // Had a reader blocked in open() (the failure this guards against), a writer releases it.
  for (const path of fifos.splice(0)) {
    try {
      closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // ENXIO: nobody was reading, as it should be.
    }
  }
});

describe('readSmallRegularFile', () => {
  it('reads a regular file, also through a symlink', async () => {
    const dir = tempDir('small');
    writeFileSync(join(dir, 'key'), 'secret bytes');
    symlinkSync(join(dir, 'key'), join(dir, 'link'));
    expect((await readSmallRegularFile(join(dir, 'link'), { maxBytes: 100 })).toString()).toBe('secret bytes');
    expect((await readSmallRegularFile(join(dir, 'key'), { maxBytes: 12 })).toString()).toBe('secret bytes');
  });

  it('refuses a FIFO without opening it', async () => {
    const error = await expectSeedboxError(readSmallRegularFile(makeFifo('pipe'), { maxBytes: 100 }), 'invalid-argument', /: it is not a regular file\.$/);
    expect(error.details['reason']).toBe('it is not a regular file');
  });

  it('refuses /dev/zero, a folder and a missing file', async () => {
    await expectSeedboxError(readSmallRegularFile('/dev/zero', { maxBytes: 100 }), 'invalid-argument', /^Cannot read \/dev\/zero: it is not a regular file\.$/);
    await expectSeedboxError(readSmallRegularFile(tempDir('folder'), { maxBytes: 100 }), 'invalid-argument', /it is a folder/);
    await expectSeedboxError(readSmallRegularFile('/nonexistent/x', { maxBytes: 100 }), 'invalid-argument', /no such file/);
  });

  it('refuses a file over the cap with the code asked for, and the sizes', async () => {
    const path = join(tempDir('big'), 'big.torrent');
    writeFileSync(path, Buffer.alloc(2049));
    const error = await expectSeedboxError(readSmallRegularFile(path, { maxBytes: 2048, tooLargeCode: 'invalid-torrent' }), 'invalid-torrent', /larger than 2 KiB/);
    expect(error.details).toMatchObject({ sizeBytes: 2049, maxBytes: 2048 });
  });
});

describe('files the OS hands to the app (open-file, argv)', () => {
  it('five FIFOs named .torrent are refused, and file reads in the process still work', async () => {
    const paths = ['a', 'b', 'c', 'd', 'e'].map((name) => makeFifo(`${name}.torrent`));
    const results = await Promise.allSettled(paths.map((path) => readOpenRequest({ kind: 'file', path })));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid-argument', message: expect.stringMatching(/not a regular file/) });
    }
    // With four libuv threads stuck in open(), this read would never finish.
    const dir = tempDir('after');
    writeFileSync(join(dir, 'x'), 'still readable');
    expect(await readFile(join(dir, 'x'), 'utf8')).toBe('still readable');
  }, 5_000);

  it('a .torrent over 64 MiB is invalid-torrent, read no further than its size', async () => {
    const dir = tempDir('huge');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'huge.torrent');
    execFileSync('truncate', ['-s', `${64 * 1024 * 1024 + 1}`, path]);
    await expectSeedboxError(readOpenRequest({ kind: 'file', path }), 'invalid-torrent', /larger than 64 MiB/);
  });
});

describe('one hand-over from the OS', () => {
  it('carries at most 1000 sources, as the contract allows, and says what was left out', async () => {
    const requests: OpenRequest[] = Array.from({ length: 1002 }, (_, index) => ({ kind: 'magnet', uri: `magnet:?xt=urn:btih:${index.toString(16).padStart(40, '0')}` }));
    const delivered: number[] = [];
    const logged: string[] = [];
    await createOpenHandler({ deliver: (payload) => delivered.push(payload.sources.length), log: (line) => logged.push(line) })(requests);
    expect(delivered).toEqual([1000]);
    expect(logged).toEqual(['Only the first 1000 torrents handed over at once are opened; 2 more were left out.']);
  });
});

describe('SSH private key paths', () => {
  const keySettings = (privateKeyPath: string) =>
    ({
      host: '127.0.0.1',
      port: 1,
      username: 'me',
      auth: 'key',
      privateKeyPath,
      hostKeySha256: null,
      remote: { kind: 'unix', path: '/run/rtorrent.sock' },
    }) as const;

  it('/dev/zero is refused before anything is read or dialled', async () => {
    const before = process.memoryUsage().rss;
    await expectSeedboxError(SshTunnel.open(keySettings('/dev/zero'), { timeoutMs: 2_000 }), 'invalid-argument', /^The private key file \/dev\/zero cannot be used: it is not a regular file\.$/);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  }, 5_000);

  it('a FIFO is refused, and a file over 1 MiB too', async () => {
    await expectSeedboxError(SshTunnel.open(keySettings(makeFifo('id_ed25519')), { timeoutMs: 2_000 }), 'invalid-argument', /not a regular file/);
    const big = join(tempDir('key'), 'id_rsa');
    writeFileSync(big, Buffer.alloc(1024 * 1024 + 1, 0x41));
    await expectSeedboxError(SshTunnel.open(keySettings(big), { timeoutMs: 2_000 }), 'invalid-argument', /larger than 1 MiB/);
  }, 5_000);
});
