import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bencode from 'bencode';
import { DelugeClient } from '../../electron/core/clients/deluge/client';
import { QbittorrentClient } from '../../electron/core/clients/qbittorrent/client';
import { RtorrentClient } from '../../electron/core/clients/rtorrent/client';
import { TransmissionClient } from '../../electron/core/clients/transmission/client';
import type { TorrentClient } from '../../electron/core/clients/types';
import type { ClientKind, Torrent } from '../../electron/shared/model';
import type { ClientDaemonSpec } from './client-daemons';
import { delugePyCall } from '../live/deluge/support';
import { QbittorrentApi } from '../live/qbittorrent/support';
import { rtorrentCall, rtorrentInt } from '../live/rtorrent/support';
import { startDeluged } from './deluge';
import { DAEMONS, GENERATIONS, type Generation } from './generations';
import { waitFor, type Daemon } from './processes';
import { startQbittorrent } from './qbittorrent';
import { startRtorrent } from './rtorrent';
import { filler, makeTorrent, type MadeTorrent } from './torrents';
import { startTransmission, transmissionTorrent } from './transmission';

// Torrents with a past: months since they were added, bytes uploaded, time spent seeding, as a
// seedbox that has run for a while has them, so seeding rules meet real ratios and ages.
//
// How: the torrent is added through the app's own client and seeds from data already on disk;
// then the daemon is stopped (SIGTERM, so it saves its state itself), the numbers in the file it
// wrote are changed, and it starts again and reads them back as its own history. The same way
// for all four daemons, because each keeps the history in a bencoded file it writes on exit, and
// changing numbers in a file the daemon wrote itself keeps every other key as that version expects:
// - rTorrent 0.9.8: session/<HASH>.torrent.rtorrent (total_uploaded, timestamp.finished and
//   ruTorrent's custom addtime, which is the model's addedAt);
// - Transmission 3.00 and 4.1: resume/<hash>.resume (uploaded, added-date, done-date,
//   seeding-time-seconds);
// - qBittorrent 4.5 and 5.1: BT_backup/<hash>.fastresume, libtorrent's resume data
//   (total_uploaded, added_time, completed_time, seeding_time, finished_time, active_time);
// - Deluge 2.0 and 2.2: state/torrents.fastresume, one dict of the same libtorrent resume data
//   per torrent (its torrents.state is a Python pickle with none of these numbers in it).
// A transfer to a test peer would give real uploads too but no age, and months of it cannot be
// waited for. Nothing was downloaded (the data was there), so every client's ratio is
// uploaded / size.

/** What a torrent has behind it. Times are unix seconds. */
export interface TorrentHistory {
  uploadedBytes: number;
  addedAt: number;
  completedAt: number;
  /**
   * Time spent seeding. rTorrent keeps no such counter (its seeding time is the current run only,
   * README "What rules can read"), so there it stays near zero whatever this says.
   */
  seedingSeconds: number;
}

export interface AgedBox {
  title: string;
  kind: ClientKind;
  generation: Generation;
  /** A folder of the daemon's own for test data. */
  dataDir: string;
  /** A new client of the daemon, as the app makes it; the caller closes it. */
  newClient(): TorrentClient;
  /** The daemon's own view of torrent `id`, read without the app's client. */
  view(id: string): Promise<OwnView | undefined>;
  /** Whether the daemon reports the history's seeding time (all but rTorrent). */
  keepsSeedingTime: boolean;
  /**
   * Stops the daemon, writes each torrent's history into the state it saved, starts it again and
   * waits until it reports that history for every torrent given (fails if it does not).
   */
  rewriteHistory(histories: ReadonlyMap<string, TorrentHistory>): Promise<void>;
  stop(): Promise<void>;
}

export interface AgedBoxSpec extends Omit<ClientDaemonSpec, 'start'> {
  start(): Promise<AgedBox>;
}

type Bencoded = Record<string, unknown>;

function readBencoded(file: string): Bencoded {
  return bencode.decode(readFileSync(file)) as Bencoded;
}

function writeBencoded(file: string, value: Bencoded): void {
  writeFileSync(file, bencode.encode(value));
}

/** The saved state of one torrent, changed in place. */
type Rewrite = (dir: string, hash: string, history: TorrentHistory) => void;

const REWRITES: Record<ClientKind, Rewrite> = {
  rtorrent(dir, hash, history) {
    const file = join(dir, 'session', `${hash.toUpperCase()}.torrent.rtorrent`);
    const state = readBencoded(file);
    state['total_uploaded'] = history.uploadedBytes;
    state['timestamp.finished'] = history.completedAt;
    state['custom'] = { ...(state['custom'] as Bencoded), addtime: String(history.addedAt) };
    writeBencoded(file, state);
  },
  transmission(dir, hash, history) {
    const file = join(dir, 'resume', `${hash.toLowerCase()}.resume`);
    const state = readBencoded(file);
    Object.assign(state, {
      uploaded: history.uploadedBytes,
      'added-date': history.addedAt,
      'done-date': history.completedAt,
      'seeding-time-seconds': history.seedingSeconds,
    });
    writeBencoded(file, state);
  },
  qbittorrent(dir, hash, history) {
    const file = join(dir, 'qBittorrent', 'data', 'BT_backup', `${hash.toLowerCase()}.fastresume`);
    writeBencoded(file, libtorrentResume(readBencoded(file), history));
  },
  deluge(dir, hash, history) {
    const file = join(dir, 'state', 'torrents.fastresume');
    const all = readBencoded(file);
    const resume = all[hash.toLowerCase()];
    if (!(resume instanceof Uint8Array)) throw new Error(`Deluge saved no resume data for ${hash}`);
    all[hash.toLowerCase()] = bencode.encode(libtorrentResume(bencode.decode(resume) as Bencoded, history));
    writeBencoded(file, all);
  },
};

/** libtorrent's resume data (qBittorrent, Deluge): seeding time counts within finished and active time. */
function libtorrentResume(resume: Bencoded, history: TorrentHistory): Bencoded {
  return {
    ...resume,
    total_uploaded: history.uploadedBytes,
    added_time: history.addedAt,
    completed_time: history.completedAt,
    seeding_time: history.seedingSeconds,
    finished_time: history.seedingSeconds,
    active_time: history.seedingSeconds,
  };
}

/** SIGTERM and wait: a daemon killed before it saved its state would lose the torrents. */
async function stopSaving(daemon: Daemon): Promise<void> {
  await daemon.stop('SIGTERM', 120_000);
  if (daemon.child.signalCode === 'SIGKILL') throw new Error(`${daemon.name} did not exit on SIGTERM, so its state may be unsaved`);
}

/** Whether the daemon reports the history (the seeding time only where it keeps one). */
function reportsHistory(torrent: Torrent | undefined, history: TorrentHistory, keepsSeedingTime: boolean): boolean {
  return (
    torrent !== undefined &&
    torrent.state === 'seeding' &&
    torrent.progress === 1 &&
    torrent.uploadedBytes === history.uploadedBytes &&
    torrent.addedAt === history.addedAt &&
    (!keepsSeedingTime || (torrent.seedingSeconds ?? 0) >= history.seedingSeconds)
  );
}

function agedBox(options: StartedDaemon & { title: string; kind: ClientKind; generation: Generation }): AgedBox {
  const keepsSeedingTime = options.kind !== 'rtorrent';
  const dataDir = join(options.dir, 'aged');
  mkdirSync(dataDir, { recursive: true });
  return {
    title: options.title,
    kind: options.kind,
    generation: options.generation,
    dataDir,
    newClient: options.newClient,
    view: options.view,
    keepsSeedingTime,
    async rewriteHistory(histories) {
      await stopSaving(options.daemon());
      for (const [hash, history] of histories) REWRITES[options.kind](options.dir, hash, history);
      await options.restart();
      const client = options.newClient();
      let seen: Torrent[] = [];
      try {
        await waitFor(
          `${options.title} to report the rewritten history`,
          async () => {
            seen = await client.list();
            return [...histories].every(([hash, history]) => reportsHistory(seen.find((torrent) => torrent.id === hash), history, keepsSeedingTime));
          },
          90_000,
        ).catch((error: unknown) => {
          const found = seen.filter((torrent) => histories.has(torrent.id)).map(({ name, state, progress, uploadedBytes, addedAt, seedingSeconds }) => ({ name, state, progress, uploadedBytes, addedAt, seedingSeconds }));
          throw new Error(`${String(error)}; it reports ${JSON.stringify(found)}`, { cause: error });
        });
      } finally {
        await client.close();
      }
    },
    stop: options.stop,
  };
}

/** A torrent as the daemon itself reports it, read past the client under test; undefined when it has none. */
export interface OwnView {
  /** Started (seeding or queued to), not stopped or paused. */
  running: boolean;
  /** Sorted. */
  labels: string[];
}

/** A started daemon, as agedBox() drives it. */
interface StartedDaemon {
  dir: string;
  view(id: string): Promise<OwnView | undefined>;
  daemon(): Daemon;
  restart(): Promise<void>;
  newClient(): TorrentClient;
  stop(): Promise<void>;
}

const STARTERS: Record<ClientKind, (generation: Generation) => Promise<StartedDaemon>> = {
  async rtorrent() {
    const rt = await startRtorrent();
    async function view(id: string): Promise<OwnView | undefined> {
      try {
        const [state, label] = await Promise.all([rtorrentInt(rt, 'd.state', [id.toUpperCase()]), rtorrentCall(rt, 'd.custom1', [id.toUpperCase()])]);
        // The ruTorrent form: one URL-encoded label.
        return { running: state === 1, labels: label ? [decodeURIComponent(String(label))] : [] };
      } catch (error) {
        if (/-501|Could not find info-hash/i.test(String(error))) return undefined;
        throw error;
      }
    }
    // restart() also clears the socket and lock a stopped rtorrent leaves behind.
    return { dir: rt.dir, view, daemon: () => rt.daemon, restart: () => rt.restart(), stop: () => rt.stop(), newClient: () => new RtorrentClient({ kind: 'rtorrent', url: rt.url }) };
  },
  async transmission(generation) {
    const tr = await startTransmission({ generation });
    const newClient = (): TorrentClient => new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password });
    const view = async (id: string): Promise<OwnView | undefined> => {
      const row = await transmissionTorrent(tr, id.toLowerCase(), ['status', 'labels']);
      return row && { running: row['status'] !== 0, labels: [...(row['labels'] as string[])].sort() };
    };
    return { dir: tr.dir, view, daemon: () => tr.daemon, restart: () => tr.restart(), stop: () => tr.stop(), newClient };
  },
  async qbittorrent(generation) {
    const qb = await startQbittorrent({ generation });
    const newClient = (): TorrentClient => new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password });
    const api = new QbittorrentApi(qb);
    const { stoppedDL, stoppedUP } = DAEMONS[generation].qbittorrent;
    const view = async (id: string): Promise<OwnView | undefined> => {
      const row = await api.torrent(id.toLowerCase());
      const tags = String(row?.['tags'] ?? '');
      return row && { running: row['state'] !== stoppedDL && row['state'] !== stoppedUP, labels: tags ? tags.split(', ').sort() : [] };
    };
    return { dir: qb.dir, view, daemon: () => qb.daemon, restart: () => qb.restart(), stop: () => qb.stop(), newClient };
  },
  async deluge(generation) {
    // No queue: Deluge queues seeds beyond five by default, and a queued torrent does not seed.
    const deluge = await startDeluged({ generation, plugins: ['Label'], settings: { max_active_seeding: -1, max_active_limit: -1 } });
    const tls = { pinnedSha256: deluge.certificateSha256 };
    const newClient = (): TorrentClient =>
      new DelugeClient({ kind: 'deluge', url: `deluge://127.0.0.1:${deluge.port}`, username: deluge.username, password: deluge.password, transport: { tls } });
    const view = async (id: string): Promise<OwnView | undefined> => {
      const row = (await delugePyCall(deluge, 'core.get_torrent_status', [id.toLowerCase(), ['paused', 'label']])) as Record<string, unknown>;
      return Object.keys(row).length === 0 ? undefined : { running: row['paused'] === false, labels: row['label'] ? [String(row['label'])] : [] };
    };
    return { dir: deluge.dir, view, daemon: () => deluge.daemon, restart: () => deluge.restart(), stop: () => deluge.stop(), newClient };
  },
};

function agedBoxSpec(kind: ClientKind, generation: Generation): AgedBoxSpec {
  const title = `${kind} (${generation})`;
  return { title, kind, generation, start: async () => agedBox({ title, kind, generation, ...(await STARTERS[kind](generation)) }) };
}

/** Every daemon: rTorrent once (Debian 13 keeps 0.9.8), the others in both generations. */
export const AGED_BOXES: readonly AgedBoxSpec[] = [
  agedBoxSpec('rtorrent', 'debian12'),
  ...GENERATIONS.flatMap((generation) => (['deluge', 'qbittorrent', 'transmission'] as const).map((kind) => agedBoxSpec(kind, generation))),
];

/** A torrent to put on a box: its name, size, tracker and labels, and the past to give it. */
export interface AgedTorrentSpec {
  name: string;
  sizeBytes: number;
  tracker: string;
  labels?: string[];
  /** A cross-seeded twin: the same name and data as another spec, a different source (so another hash). */
  source?: string;
  /** Leave it out for a torrent added just now that has uploaded nothing. */
  history?: TorrentHistory;
}

export interface AgedTorrent extends MadeTorrent {
  id: string;
  spec: AgedTorrentSpec;
}

/**
 * Adds each torrent through the app's client, with its data already in the box's data folder,
 * waits until all seed, then gives the ones with a history their past (one daemon restart).
 */
export async function seedAgedTorrents(box: AgedBox, specs: readonly AgedTorrentSpec[]): Promise<AgedTorrent[]> {
  const client = box.newClient();
  const added: AgedTorrent[] = [];
  try {
    for (const spec of specs) {
      const made = makeTorrent({
        dataParent: box.dataDir,
        name: spec.name,
        files: [{ path: '', content: filler(spec.name, spec.sizeBytes) }],
        trackers: [spec.tracker],
        ...(spec.source === undefined ? {} : { source: spec.source }),
      });
      const id = await client.add({ kind: 'file', bytes: made.bytes }, { savePath: box.dataDir, ...(spec.labels ? { labels: spec.labels } : {}) });
      added.push({ ...made, id, spec });
    }
    await waitSeeding(box, added);
  } finally {
    await client.close();
  }
  const histories = new Map(added.flatMap(({ id, spec }) => (spec.history ? [[id, spec.history] as const] : [])));
  if (histories.size > 0) {
    await box.rewriteHistory(histories);
    // A daemon may check a torrent again after the restart (qBittorrent 4.5 does for some).
    await waitSeeding(box, added);
  }
  return added;
}

async function waitSeeding(box: AgedBox, torrents: readonly { id: string }[]): Promise<void> {
  const client = box.newClient();
  let listed: Torrent[] = [];
  try {
    await waitFor(
      `${box.title} to seed every torrent`,
      async () => {
        listed = await client.list();
        return torrents.every(({ id }) => listed.some((torrent) => torrent.id === id && torrent.state === 'seeding' && torrent.progress === 1));
      },
      90_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; it reports ${JSON.stringify(listed.map(({ name, state, progress }) => ({ name, state, progress })))}`, { cause: error });
    });
  } finally {
    await client.close();
  }
}

/** The data of a torrent seedAgedTorrents made: whether it is still on the box's disk. */
export function dataOnDisk(torrent: MadeTorrent): boolean {
  return existsSync(join(torrent.dataParent, torrent.name));
}

/** Unix seconds `days` ago. */
export function daysAgo(days: number, now = Date.now() / 1000): number {
  return Math.floor(now - days * 86_400);
}
