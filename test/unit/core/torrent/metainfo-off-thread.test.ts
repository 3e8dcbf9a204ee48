import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCore, type ComposedCore } from '../../../../electron/core/service/compose';
import { dispatchInvoke } from '../../../../electron/core/service/dispatch';
import { MAX_LISTED_TORRENT_FILES, MAX_TORRENT_FILE_BYTES } from '../../../../electron/shared/limits';
import { craftManyFileTorrent, makeTorrent } from '../../../helpers/torrents';
import { tempDir } from '../../../helpers/processes';

// A .torrent dropped on the window is read by the real service, over the contract, in a worker
// thread: a crafted one (64 MiB of 2.8 million empty files froze main for 11 s at 1.8 GB) is
// refused there while the main thread keeps answering, and the window is sent only the first
// files of a big one.

let core: ComposedCore;

beforeAll(async () => {
  core = await composeCore({ configPath: join(tempDir('parse'), 'seedbox-remote.json'), version: 'test', platform: 'linux', memorySecrets: 'parse' });
});

afterAll(async () => {
  await core?.service.stop();
});

function parseFile(args: unknown) {
  return dispatchInvoke(core.service.handlers, 'torrents:parseFile', args, { validateResults: true });
}

describe('torrents:parseFile', () => {
  it('refuses a crafted 64 MiB torrent of 2.79 million files in a worker, while the main thread keeps running', async () => {
    const bytes = craftManyFileTorrent(2_790_000);
    expect(bytes.byteLength).toBeLessThanOrEqual(MAX_TORRENT_FILE_BYTES);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const rssBefore = process.memoryUsage().rss;
    const answer = await parseFile({ bytes, fileName: 'crafted.torrent' });
    delay.disable();
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'invalid-torrent',
        message: 'crafted.torrent is too large a torrent to open.',
        details: { fileName: 'crafted.torrent', reason: 'it holds more than 3000000 bencoded values.', limit: 'values', maximum: 3_000_000 },
      },
    });
    // In-thread, the decode alone blocked for 10.9 s and took 1.8 GB.
    expect(delay.max / 1e6).toBeLessThan(1_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);

  it('sends the first files of a torrent with thousands, and how many there are', async () => {
    const files = Array.from({ length: 6_000 }, (_, index) => ({ path: `d${index % 7}/f${index}`, content: 'x' }));
    const made = makeTorrent({ dataParent: '/nonexistent', name: 'many', files, writeData: false });
    const answer = await parseFile({ bytes: made.bytes, fileName: 'many.torrent' });
    expect(answer.ok).toBe(true);
    const summary = (answer as { value: { fileCount: number; files: { path: string }[]; infoHash: string } }).value;
    expect(summary.infoHash).toBe(made.infoHash);
    expect(summary.fileCount).toBe(6_000);
    expect(summary.files).toHaveLength(MAX_LISTED_TORRENT_FILES);
    expect(summary.files[4_999]!.path).toBe('d1/f4999');
  }, 60_000);

  it('refuses .torrent bytes over 64 MiB at the contract, before anything reads them', async () => {
    const answer = await parseFile({ bytes: new Uint8Array(MAX_TORRENT_FILE_BYTES + 1), fileName: 'big.torrent' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/^Invalid arguments for torrents:parseFile: bytes: larger than 64 MiB/) } });
  });

  it('a file that is not a torrent is still the parser’s own typed error', async () => {
    const answer = await parseFile({ bytes: new TextEncoder().encode('not bencode'), fileName: 'notes.torrent' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-torrent', message: 'notes.torrent is not a torrent file.', details: { reason: 'it does not start with a bencoded dictionary.' } } });
  });
});

describe('torrents:add and app:addRequest bounds', () => {
  const source = (bytes: number) => ({ kind: 'file', bytes: new Uint8Array(bytes), fileName: 'x.torrent' });

  it('refuses one file over 64 MiB, and files over 256 MiB together', async () => {
    const one = await dispatchInvoke(core.service.handlers, 'torrents:add', { seedboxId: 'nobox', sources: [source(MAX_TORRENT_FILE_BYTES + 1)], options: {} });
    expect(one).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/sources\.0\.bytes: larger than 64 MiB/) } });
    const five = Array.from({ length: 5 }, () => source(MAX_TORRENT_FILE_BYTES));
    const many = await dispatchInvoke(core.service.handlers, 'torrents:add', { seedboxId: 'nobox', sources: five, options: {} });
    expect(many).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/together are larger than 256 MiB/) } });
  }, 30_000);
});
