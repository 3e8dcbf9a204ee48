import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { PIECE_LENGTH, type MadeTorrent } from './torrents';

/** A seeder the test runs itself: it serves every piece and writes down each one asked for. */
export interface SeedingPeer {
  /** Piece indexes the daemon has asked for (any block of them), in the order asked. */
  requested: number[];
  /** Bytes sent in piece messages. */
  sentBytes(): number;
  close(): void;
}

const PROTOCOL = Buffer.from('\x13BitTorrent protocol', 'latin1');
const MESSAGE = { unchoke: 1, interested: 2, bitfield: 5, request: 6, piece: 7 } as const;
/** Blocks are 16 KiB in every client; anything larger is a broken request. */
const MAX_BLOCK = 128 * 1024;

/**
 * Connects to a daemon's BitTorrent port on 127.0.0.1 and seeds `torrent` from memory with the
 * plain peer wire protocol (handshake, bitfield, unchoke, piece per request; no extensions, no
 * encryption). A daemon refuses a peer for a torrent it does not run yet, so it tries again
 * until `timeoutMs`. Everything a daemon downloads in a test comes from here, so `requested` is
 * the whole of what it fetched.
 */
export async function startSeedingPeer(options: { port: number; torrent: MadeTorrent; timeoutMs?: number }): Promise<SeedingPeer> {
  const data = Buffer.concat(options.torrent.files.map((file) => file.content));
  const pieceCount = Math.ceil(data.length / PIECE_LENGTH);
  const infoHash = Buffer.from(options.torrent.infoHash, 'hex');
  const requested: number[] = [];
  let sent = 0;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let closed = false;
  let connection: { socket: Socket; rest: Buffer } | undefined;

  for (;;) {
    try {
      connection = await handshake(options.port, infoHash);
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw new Error(`The daemon on port ${options.port} never accepted the seeding peer: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  const live = connection.socket;
  const send = (id: number, payload: Buffer = Buffer.alloc(0)): void => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(payload.length + 1, 0);
    head.writeUInt8(id, 4);
    live.write(Buffer.concat([head, payload]));
  };
  const bitfield = Buffer.alloc(Math.ceil(pieceCount / 8));
  for (let piece = 0; piece < pieceCount; piece++) bitfield[piece >> 3]! |= 0x80 >> (piece & 7);
  send(MESSAGE.bitfield, bitfield);
  send(MESSAGE.unchoke);

  let pending = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length > MAX_BLOCK) {
        live.destroy();
        return;
      }
      if (pending.length < 4 + length) return;
      const message = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      if (length === 0) continue; // keep-alive
      const id = message[0];
      if (id === MESSAGE.interested) send(MESSAGE.unchoke);
      if (id === MESSAGE.request && message.length === 13) {
        const index = message.readUInt32BE(1);
        const begin = message.readUInt32BE(5);
        const size = message.readUInt32BE(9);
        const start = index * PIECE_LENGTH + begin;
        if (index >= pieceCount || size > MAX_BLOCK || start + size > data.length) continue;
        if (!requested.includes(index)) requested.push(index);
        const header = Buffer.alloc(8);
        header.writeUInt32BE(index, 0);
        header.writeUInt32BE(begin, 4);
        send(MESSAGE.piece, Buffer.concat([header, data.subarray(start, start + size)]));
        sent += size;
      }
    }
  };
  live.on('data', onData);
  live.on('error', () => undefined);
  onData(connection.rest);
  live.resume();

  return {
    requested,
    sentBytes: () => sent,
    close() {
      if (closed) return;
      closed = true;
      live.destroy();
    },
  };
}

/**
 * One connection that got the daemon's handshake back for this torrent (and what followed it in
 * the same read), or a rejection saying why not.
 */
function handshake(port: number, infoHash: Buffer): Promise<{ socket: Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = Buffer.alloc(0);
    const fail = (why: string): void => {
      socket.destroy();
      reject(new Error(why));
    };
    socket.setTimeout(5_000, () => fail('no handshake within 5 s'));
    socket.on('error', (error) => fail(error.message));
    socket.on('close', () => fail('the daemon closed the connection'));
    socket.on('connect', () => {
      socket.write(Buffer.concat([PROTOCOL, Buffer.alloc(8), infoHash, Buffer.from(`-SB0001-${randomBytes(6).toString('hex')}`, 'latin1')]));
    });
    const onData = (chunk: Buffer): void => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length < 68) return;
      if (!answer.subarray(0, 20).equals(PROTOCOL) || !answer.subarray(28, 48).equals(infoHash)) return fail('not a handshake for this torrent');
      socket.off('data', onData);
      // Held until the seeder listens, so nothing the daemon sends next is lost.
      socket.pause();
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.setTimeout(0);
      resolve({ socket, rest: answer.subarray(68) });
    };
    socket.on('data', onData);
  });
}
