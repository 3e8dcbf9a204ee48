import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RtorrentClient } from '../../../electron/core/clients/rtorrent/client';
import type { RtorrentInstance } from '../../helpers/rtorrent';
import { filler, makeTorrent } from '../../helpers/torrents';
import { rtorrentCall } from '../rtorrent/support';

let counter = 0;

/**
 * Connects, adds a fresh paused torrent through `client` and checks it both in the client's
 * list and by asking rtorrent directly (over its own socket, not through the proxy or tunnel).
 */
export async function expectListAndAdd(client: RtorrentClient, rt: RtorrentInstance): Promise<string> {
  const info = await client.connect();
  expect(info.version).toBe('0.9.8');
  counter += 1;
  const dataParent = join(rt.dir, `data-${counter}`);
  mkdirSync(dataParent, { recursive: true });
  const made = makeTorrent({ dataParent, name: `through-${counter}`, files: [{ path: '', content: filler(`c${counter}`, 30_000) }] });
  const id = await client.add({ kind: 'file', bytes: made.bytes, fileName: 'through.torrent' }, { savePath: dataParent, paused: true });
  expect(id).toBe(made.infoHash);
  const listed = (await client.list()).find((torrent) => torrent.id === id);
  expect(listed).toMatchObject({ name: made.name, sizeBytes: 30_000, state: 'paused' });
  expect(await rtorrentCall(rt, 'd.name', [id.toUpperCase()])).toBe(made.name);
  return id;
}
