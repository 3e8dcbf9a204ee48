import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes';
import { expectCliBuilt, runSeedbox, type CliRun } from '../../helpers/cli';
import { filler, makeTorrent } from '../../helpers/torrents';
import { startTransmission, transmissionTorrent, type TransmissionInstance } from '../../helpers/transmission';

// `seedbox add FILE.torrent --skip INDEX...` goes through the same AddOptions.skipFiles as the
// window; what each daemon does with it is proven in test/live/clients/add-skip.test.ts.
describe('seedbox add --skip, against transmission-daemon', () => {
  let tr: TransmissionInstance;
  let data: string;
  let base: string[];
  let env: Record<string, string>;

  beforeAll(async () => {
    expectCliBuilt();
    tr = await startTransmission();
    data = join(tr.dir, 'cli-skip');
    mkdirSync(data);
    base = ['--client', 'transmission', '--url', tr.url, '--user', tr.username, '--password-env', 'TR_PASS'];
    env = { TR_PASS: tr.password };
  });

  afterAll(async () => {
    await tr?.stop();
  });

  const run = (args: string[]): Promise<CliRun> => runSeedbox([...base, ...args], { env });
  const threeFiles = (name: string): { path: string; infoHash: string } => {
    const made = makeTorrent({
      dataParent: data,
      name,
      files: ['a.bin', 'b.bin', 'c.bin'].map((path) => ({ path, content: filler(`${name}-${path}`, 1000) })),
      writeData: false,
    });
    const path = join(data, `${name}.torrent`);
    writeFileSync(path, made.bytes);
    return { path, infoHash: made.infoHash };
  };
  const ids = async (): Promise<string[]> => (JSON.parse((await run(['list', '--json'])).stdout) as { id: string }[]).map((torrent) => torrent.id);

  it('adds the .torrent with the files given by --skip unwanted from the start', async () => {
    const torrent = threeFiles('skip-two');
    const added = await run(['add', torrent.path, '--skip', '2', '--skip', '0', '--path', data, '--json']);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(added.stdout)).toEqual([torrent.infoHash]);
    // The daemon's own view.
    expect((await transmissionTorrent(tr, torrent.infoHash, ['wanted']))!['wanted']).toEqual([0, 1, 0]);
    const info = JSON.parse((await run(['info', torrent.infoHash, '--json'])).stdout) as { files: { priority: string }[] };
    expect(info.files.map((file) => file.priority)).toEqual(['skip', 'normal', 'skip']);
  });

  it('refuses --skip with a magnet link (no file list yet) and adds nothing', async () => {
    const hash = 'c'.repeat(40);
    const result = await run(['add', `magnet:?xt=urn:btih:${hash}&tr=http%3A%2F%2F127.0.0.1%3A9%2Fa`, '--skip', '0']);
    expect(result.code).toBe(EXIT.rpcFault);
    expect(result.stderr).toMatch(/^seedbox: Files can be skipped only when adding a \.torrent file: a magnet link has no file list/);
    expect(await ids()).not.toContain(hash);
  });

  it('refuses an index the torrent does not have, exit 2, and adds nothing', async () => {
    const torrent = threeFiles('skip-past-end');
    const result = await run(['add', torrent.path, '--skip', '3']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('the torrent has 3 file(s), numbered 0 to 2');
    expect(await ids()).not.toContain(torrent.infoHash);
  });
});
