import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort, waitFor } from './processes';

/**
 * BitTorrent HTTP trackers on 127.0.0.1 that say what a test wants them to, so every torrent's
 * tracker verdict and swarm size are known: `swarmUrl(n)` answers every announce with n seeders
 * and no peers; `unregisteredUrl` answers with the failure reason private trackers give for a
 * torrent they no longer know; `deadUrl` is a loopback port nothing listens on, which every daemon
 * calls an unreachable tracker (an error, never unregistered). One port each, all at /announce:
 * libtorrent (qBittorrent, Deluge) refuses any other path on a loopback tracker ("blocked by SSRF
 * mitigation").
 */
export interface LoopbackTracker {
  swarmUrl(seeders: number): string;
  unregisteredUrl: string;
  deadUrl: string;
  close(): Promise<void>;
}

export const UNREGISTERED_REASON = 'Unregistered torrent';

/** A bencoded byte string. */
function bytes(text: string): string {
  return `${Buffer.byteLength(text)}:${text}`;
}

async function serve(answer: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => response.end(answer));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/announce` };
}

/** One tracker per swarm size in `swarms`, and one that knows no torrent. */
export async function startLoopbackTracker(options: { swarms: readonly number[] } = { swarms: [] }): Promise<LoopbackTracker> {
  // An hour's interval: one announce per start is all a test needs.
  const swarms = await Promise.all(options.swarms.map(async (seeders) => [seeders, await serve(`d8:completei${seeders}e10:incompletei0e8:intervali3600e5:peers0:e`)] as const));
  const unregistered = await serve(`d${bytes('failure reason')}${bytes(UNREGISTERED_REASON)}e`);
  const servers = [unregistered.server, ...swarms.map(([, swarm]) => swarm.server)];
  return {
    swarmUrl(seeders) {
      const swarm = swarms.find(([size]) => size === seeders);
      if (!swarm) throw new Error(`no loopback tracker for a swarm of ${seeders}`);
      return swarm[1].url;
    },
    unregisteredUrl: unregistered.url,
    // A port that was free a moment ago and that nothing here listens on.
    deadUrl: `http://127.0.0.1:${await freePort()}/announce`,
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}

/**
 * Waits until no torrent is `pending` in the daemon's list; every `nudgeEveryMs` until then, asks
 * it to announce those again. qBittorrent 5.1 (libtorrent 2.0.11) was seen keeping a few of 15
 * announces to these trackers "updating" for minutes while the tracker answers every request at
 * once; a new announce gets the answer. Returns the last list read.
 */
export async function waitForTrackerAnswers<T>(options: {
  what: string;
  list: () => Promise<T[]>;
  pending: (list: T[]) => string[];
  reannounce: (ids: string[]) => Promise<void>;
  timeoutMs: number;
  nudgeEveryMs?: number;
}): Promise<T[]> {
  const nudgeEveryMs = options.nudgeEveryMs ?? 20_000;
  let seen: T[] = [];
  let nudgedAt = Date.now();
  await waitFor(
    options.what,
    async () => {
      seen = await options.list();
      const pending = options.pending(seen);
      if (pending.length > 0 && Date.now() - nudgedAt >= nudgeEveryMs) {
        nudgedAt = Date.now();
        // A nudge only: the wait itself decides, so a daemon that refuses it still times out here.
        await options.reannounce(pending).catch(() => undefined);
      }
      return pending.length === 0;
    },
    options.timeoutMs,
  ).catch((error: unknown) => {
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), { lastList: seen });
  });
  return seen;
}
