import { connect } from 'node:net';
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer';
import serializer from 'xmlrpc/lib/serializer';
import type { Torrent } from '../../../electron/shared/model';
import type { TorrentClient } from '../../../electron/core/clients/types';
import type { RtorrentInstance } from '../../helpers/rtorrent';
import { waitFor } from '../../helpers/processes';

/**
 * Reads rtorrent's state back through an independent path: the `xmlrpc` package's own
 * serializer and deserializer over a raw SCGI socket, not our codec or transport.
 */
export async function rtorrentCall(rt: RtorrentInstance, method: string, params: unknown[]): Promise<unknown> {
  const body = Buffer.from(serializer.serializeMethodCall(method, params));
  const headers = `CONTENT_LENGTH\0${body.length}\0SCGI\x001\0`;
  const request = Buffer.concat([Buffer.from(`${Buffer.byteLength(headers)}:${headers},`), body]);
  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = rt.socketPath ? connect(rt.socketPath) : connect(rt.port!, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
    socket.end(request);
  });
  const xml = response.subarray(response.indexOf('\r\n\r\n') + 4);
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodResponse(Readable.from([xml]), (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)));
  });
}

/** The `xmlrpc` package hands <i8> back as a string; rtorrent sends every integer as <i8>. */
export async function rtorrentInt(rt: RtorrentInstance, method: string, params: unknown[]): Promise<number> {
  const value = await rtorrentCall(rt, method, params);
  if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+$/.test(value))) {
    throw new Error(`${method} returned ${JSON.stringify(value)}, not an integer`);
  }
  return Number(value);
}

/** Polls the client's list until the torrent satisfies `ready` (daemons act asynchronously). */
export async function waitForTorrent(client: TorrentClient, id: string, ready: (torrent: Torrent) => boolean, timeoutMs = 20_000): Promise<Torrent> {
  let last: Torrent | undefined;
  try {
    await waitFor(`torrent ${id} to reach the expected state`, async () => {
      last = (await client.list()).find((torrent) => torrent.id === id);
      return last !== undefined && ready(last);
    }, timeoutMs);
  } catch (error) {
    // Said only now: the message of waitFor is fixed before the first look.
    throw new Error(`${(error as Error).message} (last seen: ${JSON.stringify(last)})`, { cause: error });
  }
  return last!;
}
