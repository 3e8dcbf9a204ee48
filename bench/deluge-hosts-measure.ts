// One-off measurement for the Deluge tracker hosts change: what the list costs with and without
// the announce URLs. Run: node scripts/in-netns.mjs npx tsx bench/deluge-hosts-measure.ts N
import zlib from 'node:zlib';
import { DelugeClient } from '../electron/core/clients/deluge/client';
import { DelugeConnection, type DelugeCall } from '../electron/core/clients/deluge/connection';
import { LABEL_KEY, LIST_KEYS } from '../electron/core/clients/deluge/raw';
import { encodeRencode, type RencodeValue } from '../electron/core/codecs/rencode';
import { startDeluged } from '../test/helpers/deluge';
import { makeTorrent } from './helpers';

const N = Number(process.argv[2] ?? 1000);
const deluge = await startDeluged({ plugins: ['Label'] });
try {
  const connection = await DelugeConnection.open({ host: '127.0.0.1', port: deluge.port, tls: { pinnedSha256: deluge.certificateSha256 }, timeoutMs: 120_000 });
  await connection.login(deluge.username, deluge.password);
  for (let first = 0; first < N; first += 250) {
    const calls: DelugeCall[] = Array.from({ length: Math.min(250, N - first) }, (_, offset) => {
      const made = makeTorrent({ dataParent: deluge.downloadDir, name: `t ${first + offset}`, files: [{ path: '', content: `x ${first + offset}` }], trackers: ['http://tracker.example.org:6969/announce', 'udp://[::1]:9/announce'], writeData: false });
      return { method: 'core.add_torrent_file', args: [`${first + offset}.torrent`, Buffer.from(made.bytes).toString('base64'), { add_paused: true }] };
    });
    await connection.callBatch(calls);
  }
  const size = (value: RencodeValue) => {
    const body = encodeRencode([1, 1, value] as RencodeValue);
    return `${(body.length / 1024).toFixed(0)} KiB rencode, ${(zlib.deflateSync(body).length / 1024).toFixed(0)} KiB on the wire`;
  };
  const time = async (label: string, method: string, args: RencodeValue[]) => {
    const runs: number[] = [];
    let answer: RencodeValue = null;
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      answer = await connection.call(method, args);
      runs.push(performance.now() - start);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label}: median ${runs[2]!.toFixed(1)} ms, ${size(answer)}`);
    return answer;
  };
  const keys = [...LIST_KEYS, LABEL_KEY];
  const table = (await time('list row (LIST_KEYS)', 'core.get_torrents_status', [{}, keys])) as Record<string, unknown>;
  await time('list row + trackers in every full list', 'core.get_torrents_status', [{}, [...keys, 'trackers']]);
  await time('trackers alone, every torrent by id (once per torrent)', 'core.get_torrents_status', [{ id: Object.keys(table) }, ['trackers']]);
  await time('quiet diff poll', 'core.get_torrents_status', [{}, keys, true]);
  connection.close();

  const client = new DelugeClient({ kind: 'deluge', url: `deluge://127.0.0.1:${deluge.port}`, username: deluge.username, password: deluge.password, transport: { tls: { pinnedSha256: deluge.certificateSha256 }, timeoutMs: 120_000 } });
  for (let run = 0; run < 4; run++) {
    const start = performance.now();
    const torrents = await client.list();
    console.log(`client.list() #${run + 1}: ${(performance.now() - start).toFixed(1)} ms, ${torrents.length} torrents, hosts ${JSON.stringify(torrents[0]?.trackerHosts)}`);
  }
  await client.close();
} finally {
  await deluge.stop();
}
