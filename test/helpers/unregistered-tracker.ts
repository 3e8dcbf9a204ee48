import { createServer, type Server } from 'node:http';
import { freePort } from './processes';

/** A loopback tracker that knows no torrent: every announce gets a bencoded failure reason. */
export interface UnregisteredTracker {
  /** Announces here are answered "Unregistered torrent". */
  url: string;
  /** A loopback port nothing listens on: the daemon calls that tracker unreachable (an error). */
  deadUrl: string;
  close(): void;
}

export async function startUnregisteredTracker(reason = 'Unregistered torrent'): Promise<UnregisteredTracker> {
  const server: Server = createServer((_request, response) => {
    response.end(`d14:failure reason${Buffer.byteLength(reason)}:${reason}e`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  // A port that was free a moment ago and that nothing here listens on.
  const deadUrl = `http://127.0.0.1:${await freePort()}/announce`;
  return { url: `http://127.0.0.1:${port}/announce`, deadUrl, close: () => server.close() };
}
