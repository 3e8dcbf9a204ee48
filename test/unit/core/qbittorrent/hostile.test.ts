// The qBittorrent client against a hostile WebUI (test/helpers/hostile-qbittorrent.ts): every
// wrong shape, deep nesting, huge string, garbage, truncation, reset and silence ends in a
// typed SeedboxError that says what was wrong (for a wrong shape, which field), never in a
// TypeError, a RangeError ("Maximum call stack size exceeded") or "No torrents.".
import { afterEach, describe, expect, it } from 'vitest';
import { QbittorrentClient } from '../../../../electron/core/clients/qbittorrent/client';
import { rejectionOf } from '../../../helpers/errors';
import { HOSTILE_QB_CASES, QB_PASSWORD, QB_TORRENT, QB_USER, honestMainData, honestTorrent, json, startHostileQbittorrent } from '../../../helpers/hostile-qbittorrent';
import { closeAllServers } from '../transports/fixtures';

const clients: QbittorrentClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await closeAllServers();
});

function clientFor(url: string, timeoutMs = 20_000): QbittorrentClient {
  const client = new QbittorrentClient({ kind: 'qbittorrent', url, username: QB_USER, password: QB_PASSWORD, transport: { timeoutMs } });
  clients.push(client);
  return client;
}

describe('the qBittorrent client against a hostile WebUI', () => {
  it('works against the honest WebUI the cases start from', async () => {
    const { url } = await startHostileQbittorrent();
    const client = clientFor(url);
    expect(await client.list()).toMatchObject([{ id: QB_TORRENT, name: 'honest torrent', state: 'paused', labels: ['music'], trackerHosts: ['127.0.0.1'] }]);
    expect(await client.details(QB_TORRENT)).toMatchObject({ files: [{ path: 'honest torrent' }], peers: [{ address: '127.0.0.1', port: 6881 }] });
    await client.stop([QB_TORRENT]);
    expect(await client.getGlobalSpeedLimits()).toEqual({ downBytesPerSecond: 0, upBytesPerSecond: 102_400 });
    expect(await client.sessionStats()).toMatchObject({ downRate: 1024, freeSpaceBytes: 1_000_000_000, alternativeSpeedEnabled: false });
  });

  it('takes the state names of 4.x (paused*) and 5.x (stopped*) alike', async () => {
    for (const state of ['pausedUP', 'pausedDL', 'stoppedUP', 'stoppedDL']) {
      const { url } = await startHostileQbittorrent({ endpoint: 'sync/maindata', misbehave: json(honestMainData({ ...honestTorrent(), state })) });
      expect((await clientFor(url).list()).map((torrent) => torrent.state)).toEqual(['paused']);
    }
  });

  it.each(HOSTILE_QB_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const { url } = await startHostileQbittorrent(testCase);
    const error = await rejectionOf(testCase.call(clientFor(url, testCase.code === 'timeout' ? 1500 : undefined)));
    expect(error.code).toBe(testCase.code);
    if (testCase.field !== undefined) expect(error.details['field']).toBe(testCase.field);
    if (testCase.message) expect(error.message).toMatch(testCase.message);
    expect(error.message).not.toMatch(/TypeError|RangeError|is not a function|Cannot read properties|call stack/);
    expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(error.message.length).toBeLessThan(600);
  });
});
