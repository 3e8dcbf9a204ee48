import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DelugeClient } from '../../electron/core/clients/deluge/client';
import { QbittorrentClient } from '../../electron/core/clients/qbittorrent/client';
import { RtorrentClient } from '../../electron/core/clients/rtorrent/client';
import { TransmissionClient } from '../../electron/core/clients/transmission/client';
import type { TorrentClient } from '../../electron/core/clients/types';
import type { ErrorCode } from '../../electron/shared/errors';
import type { Capabilities, ClientInfo, ClientKind, FilePriority, SpeedLimits } from '../../electron/shared/model';
import { delugePyCall } from '../live/deluge/support';
import { QbittorrentApi } from '../live/qbittorrent/support';
import { rtorrentCall, rtorrentInt } from '../live/rtorrent/support';
import { startDeluged } from './deluge';
import { DAEMONS, GENERATIONS, type Generation } from './generations';
import { startQbittorrent } from './qbittorrent';
import { startRtorrent } from './rtorrent';
import { startTransmission, transmissionRpc } from './transmission';

// One adapter per real daemon, so a suite can be written once against TorrentClient and run
// against all of them (test/live/clients/contract.test.ts). An adapter starts the daemon, makes
// clients for it, reads the daemon's own state past the client under test, and says what
// differs between daemons; nothing else in a shared suite may know which daemon it talks to.

/** A torrent as the daemon itself reports it, read without the client under test, in model terms. */
export interface DaemonView {
  /** Started (transferring, seeding or queued to), not stopped/paused. */
  running: boolean;
  savePath: string;
  /** Sorted. */
  labels: string[];
  limits: SpeedLimits;
  filePriorities: FilePriority[];
  /** Its place in the download queue as the daemon numbers it; null when it is not queued. */
  queuePosition: number | null;
}

/** The daemon's own session settings, read without the client under test. */
export interface DaemonSessionView {
  limits: SpeedLimits;
  /** null for a daemon without an alternative speed mode. */
  alternativeSpeed: boolean | null;
}

/** Maps a daemon's own file priority to the model's; a value the client never sets fails the test. */
function priorityMap(map: Record<number, FilePriority>): (value: number) => FilePriority {
  return (value) => {
    const priority = map[value];
    if (!priority) throw new Error(`file priority ${value} is none the client sets`);
    return priority;
  };
}

export interface ClientDaemon {
  kind: ClientKind;
  generation: Generation;
  /** What connect() must report: version, dialect and capabilities. */
  expected: ClientInfo;
  /** A new client of this daemon, as the app would make it; the caller closes it. */
  newClient(): TorrentClient;
  /** Its BitTorrent port on 127.0.0.1, where a test's own peer connects. */
  peerPort: number;
  /** A directory of its own that the daemon may read and write, for test data. */
  dataDir(name: string): string;
  /** The daemon's own view of torrent `id`; undefined when it has no such torrent. */
  view(id: string): Promise<DaemonView | undefined>;
  session(): Promise<DaemonSessionView>;
  /** Where daemons disagree and the model allows both. */
  quirks: {
    /** How the client refuses two labels; null when it has multipleLabels. */
    severalLabelsRefusedWith: ErrorCode | null;
    /**
     * Deluge pauses a torrent again when a recheck it ran while paused ends, and undoes a start
     * that lands in that moment; such a start has to be given again.
     */
    startUndoneAfterRecheck: boolean;
    /** The list's trackerHosts name every tracker's host; Deluge's name only the current tracker's. */
    listsEveryTrackerHost: boolean;
  };
  stop(): Promise<void>;
}

export interface ClientDaemonSpec {
  /** e.g. "qbittorrent-nox 5.1.0 (debian13)", known before the daemon starts. */
  title: string;
  kind: ClientKind;
  generation: Generation;
  start(): Promise<ClientDaemon>;
}

/** Every capability but push events, which only Deluge has: each adapter says what its daemon lacks. */
const EVERYTHING: Capabilities = {
  labels: true,
  multipleLabels: true,
  queue: true,
  deleteData: true,
  moveStorage: true,
  alternativeSpeed: true,
  pushEvents: false,
  freeSpace: true,
  perTorrentSpeedLimits: true,
  filePriorities: ['skip', 'low', 'normal', 'high'],
  addFromUrl: true,
};

const NO_LIMITS: SpeedLimits = { downBytesPerSecond: 0, upBytesPerSecond: 0 };

function makeDataDir(root: string): (name: string) => string {
  return (name) => {
    const dir = join(root, 'contract', name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
}

/** rTorrent stays 0.9.8 in Debian 13, so it runs once. */
const rtorrentSpec: ClientDaemonSpec = {
  title: 'rtorrent 0.9.8',
  kind: 'rtorrent',
  generation: 'debian12',
  async start() {
    const rt = await startRtorrent();
    const fields = async (id: string): Promise<unknown[] | undefined> => {
      const hash = id.toUpperCase();
      try {
        return await Promise.all([
          rtorrentInt(rt, 'd.state', [hash]),
          rtorrentCall(rt, 'd.directory', [hash]),
          rtorrentInt(rt, 'd.is_multi_file', [hash]),
          rtorrentCall(rt, 'd.custom1', [hash]),
          rtorrentCall(rt, 'd.throttle_name', [hash]),
          rtorrentInt(rt, 'd.size_files', [hash]),
        ]);
      } catch (error) {
        if (/-501|Could not find info-hash/i.test(String(error))) return undefined;
        throw error;
      }
    };
    const priority = priorityMap({ 0: 'skip', 1: 'normal', 2: 'high' });
    return {
      kind: 'rtorrent',
      generation: 'debian12',
      expected: {
        kind: 'rtorrent',
        version: '0.9.8',
        protocol: 'xmlrpc',
        capabilities: { ...EVERYTHING, multipleLabels: false, queue: false, alternativeSpeed: false, freeSpace: false, filePriorities: ['skip', 'normal', 'high'], addFromUrl: false },
      },
      newClient: () => new RtorrentClient({ kind: 'rtorrent', url: rt.url }),
      peerPort: rt.peerPort,
      dataDir: makeDataDir(rt.dir),
      async view(id) {
        const row = await fields(id);
        if (!row) return undefined;
        const [state, directory, multiFile, label, throttle, fileCount] = row as [number, string, number, string, string, number];
        const hash = id.toUpperCase();
        const limits = throttle
          ? {
              downBytesPerSecond: await rtorrentInt(rt, 'throttle.down.max', ['', throttle]),
              upBytesPerSecond: await rtorrentInt(rt, 'throttle.up.max', ['', throttle]),
            }
          : NO_LIMITS;
        const filePriorities: FilePriority[] = [];
        for (let index = 0; index < fileCount; index++) filePriorities.push(priority(await rtorrentInt(rt, 'f.priority', [`${hash}:f${index}`])));
        return {
          running: state === 1,
          savePath: multiFile === 1 ? dirname(directory) : directory,
          // The ruTorrent form: one URL-encoded label.
          labels: label ? [decodeURIComponent(label)] : [],
          limits,
          filePriorities,
          queuePosition: null,
        };
      },
      async session() {
        const [down, up] = await Promise.all([
          rtorrentInt(rt, 'throttle.global_down.max_rate', ['']),
          rtorrentInt(rt, 'throttle.global_up.max_rate', ['']),
        ]);
        return { limits: { downBytesPerSecond: down, upBytesPerSecond: up }, alternativeSpeed: null };
      },
      quirks: { severalLabelsRefusedWith: 'unsupported', startUndoneAfterRecheck: false, listsEveryTrackerHost: true },
      stop: () => rt.stop(),
    };
  },
};

function delugeSpec(generation: Generation): ClientDaemonSpec {
  const version = DAEMONS[generation].deluge.version;
  return {
    title: `deluged ${version} (${generation})`,
    kind: 'deluge',
    generation,
    async start() {
      const deluge = await startDeluged({ generation, plugins: ['Label'] });
      const priority = priorityMap({ 0: 'skip', 1: 'low', 4: 'normal', 7: 'high' });
      const bytes = (kib: number): number => (kib < 0 ? 0 : Math.round(kib * 1024));
      return {
        kind: 'deluge',
        generation,
        expected: {
          kind: 'deluge',
          version,
          protocol: 'rencode',
          capabilities: { ...EVERYTHING, multipleLabels: false, alternativeSpeed: false, pushEvents: true },
        },
        peerPort: deluge.peerPort,
        newClient: () =>
          new DelugeClient({
            kind: 'deluge',
            url: `deluge://127.0.0.1:${deluge.port}`,
            username: deluge.username,
            password: deluge.password,
            transport: { tls: { pinnedSha256: deluge.certificateSha256 } },
          }),
        dataDir: makeDataDir(deluge.dir),
        async view(id) {
          const keys = ['paused', 'save_path', 'label', 'max_download_speed', 'max_upload_speed', 'file_priorities', 'queue'];
          const row = (await delugePyCall(deluge, 'core.get_torrent_status', [id.toLowerCase(), keys])) as Record<string, unknown>;
          if (Object.keys(row).length === 0) return undefined;
          return {
            running: row['paused'] === false,
            savePath: String(row['save_path']),
            labels: row['label'] ? [String(row['label'])] : [],
            limits: { downBytesPerSecond: bytes(Number(row['max_download_speed'])), upBytesPerSecond: bytes(Number(row['max_upload_speed'])) },
            filePriorities: (row['file_priorities'] as number[]).map(priority),
            queuePosition: Number(row['queue']) >= 0 ? Number(row['queue']) : null,
          };
        },
        async session() {
          const config = (await delugePyCall(deluge, 'core.get_config_values', [['max_download_speed', 'max_upload_speed']])) as Record<string, number>;
          return {
            limits: { downBytesPerSecond: bytes(config['max_download_speed']!), upBytesPerSecond: bytes(config['max_upload_speed']!) },
            alternativeSpeed: null,
          };
        },
        quirks: { severalLabelsRefusedWith: 'invalid-argument', startUndoneAfterRecheck: true, listsEveryTrackerHost: false },
        stop: () => deluge.stop(),
      };
    },
  };
}

function qbittorrentSpec(generation: Generation): ClientDaemonSpec {
  const release = DAEMONS[generation].qbittorrent;
  return {
    title: `qbittorrent-nox ${release.version} (${generation})`,
    kind: 'qbittorrent',
    generation,
    async start() {
      // With its download queue on, as a seedbox has it, so moveInQueue has something to move.
      const qb = await startQbittorrent({ generation, queueing: true });
      const api = new QbittorrentApi(qb);
      const stopped = new Set<unknown>([release.stoppedDL, release.stoppedUP]);
      const priority = priorityMap({ 0: 'skip', 1: 'normal', 6: 'high' });
      return {
        kind: 'qbittorrent',
        generation,
        expected: {
          kind: 'qbittorrent',
          version: release.version,
          protocol: release.protocol,
          capabilities: { ...EVERYTHING, filePriorities: ['skip', 'normal', 'high'] },
        },
        // A URL qBittorrent cannot fetch is only noticed by waiting: not the default minute here.
        peerPort: qb.peerPort,
        newClient: () =>
          new QbittorrentClient({ kind: 'qbittorrent', url: qb.url, username: qb.username, password: qb.password }, { urlAddTimeoutMs: 5_000 }),
        dataDir: makeDataDir(qb.dir),
        async view(id) {
          const row = await api.torrent(id.toLowerCase());
          if (!row) return undefined;
          const files = await api.get<{ priority: number }[]>(`torrents/files?hash=${id.toLowerCase()}`);
          const tags = String(row['tags']);
          return {
            running: !stopped.has(row['state']),
            savePath: String(row['save_path']).replace(/(.)\/$/, '$1'),
            labels: tags ? tags.split(', ').sort() : [],
            limits: { downBytesPerSecond: Math.max(0, Number(row['dl_limit'])), upBytesPerSecond: Math.max(0, Number(row['up_limit'])) },
            filePriorities: files.map((file) => priority(file.priority)),
            // qBittorrent numbers its queue from 1; 0 (or -1) is "not queued".
            queuePosition: Number(row['priority']) > 0 ? Number(row['priority']) : null,
          };
        },
        async session() {
          const preferences = await api.get<{ dl_limit: number; up_limit: number }>('app/preferences');
          return {
            limits: { downBytesPerSecond: Math.max(0, preferences.dl_limit), upBytesPerSecond: Math.max(0, preferences.up_limit) },
            alternativeSpeed: (await api.text('transfer/speedLimitsMode')) === '1',
          };
        },
        quirks: { severalLabelsRefusedWith: null, startUndoneAfterRecheck: false, listsEveryTrackerHost: true },
        stop: () => qb.stop(),
      };
    },
  };
}

function transmissionSpec(generation: Generation): ClientDaemonSpec {
  const release = DAEMONS[generation].transmission;
  return {
    title: `transmission-daemon ${release.version} (${generation})`,
    kind: 'transmission',
    generation,
    async start() {
      const tr = await startTransmission({ generation });
      const fields = ['status', 'downloadDir', 'labels', 'downloadLimit', 'downloadLimited', 'uploadLimit', 'uploadLimited', 'wanted', 'priorities', 'queuePosition'];
      // Transmission's speed limits are in kB/s (1000 bytes), its priorities -1, 0 and 1.
      const priority = priorityMap({ [-1]: 'low', 0: 'normal', 1: 'high' });
      return {
        kind: 'transmission',
        generation,
        expected: {
          kind: 'transmission',
          version: release.version,
          protocol: release.protocol,
          capabilities: EVERYTHING,
        },
        peerPort: tr.peerPort,
        newClient: () => new TransmissionClient({ kind: 'transmission', url: tr.url, username: tr.username, password: tr.password }),
        dataDir: makeDataDir(tr.dir),
        async view(id) {
          const answer = await transmissionRpc(tr, 'torrent-get', { ids: [id.toLowerCase()], fields });
          const row = (answer['torrents'] as Record<string, unknown>[])[0];
          if (!row) return undefined;
          const wanted = row['wanted'] as (number | boolean)[];
          return {
            running: row['status'] !== 0,
            savePath: String(row['downloadDir']),
            labels: [...(row['labels'] as string[])].sort(),
            limits: {
              downBytesPerSecond: row['downloadLimited'] ? Number(row['downloadLimit']) * 1000 : 0,
              upBytesPerSecond: row['uploadLimited'] ? Number(row['uploadLimit']) * 1000 : 0,
            },
            filePriorities: (row['priorities'] as number[]).map((value, index) => (wanted[index] ? priority(value) : 'skip')),
            queuePosition: Number(row['queuePosition']),
          };
        },
        async session() {
          const session = await transmissionRpc(tr, 'session-get', {});
          const rate = (limited: string, limit: string): number => (session[limited] ? Number(session[limit]) * 1000 : 0);
          return {
            limits: { downBytesPerSecond: rate('speed-limit-down-enabled', 'speed-limit-down'), upBytesPerSecond: rate('speed-limit-up-enabled', 'speed-limit-up') },
            alternativeSpeed: session['alt-speed-enabled'] === true,
          };
        },
        quirks: { severalLabelsRefusedWith: null, startUndoneAfterRecheck: false, listsEveryTrackerHost: true },
        stop: () => tr.stop(),
      };
    },
  };
}

/** Every real daemon a TorrentClient suite runs against: rTorrent once, the others in both generations. */
export const CLIENT_DAEMONS: readonly ClientDaemonSpec[] = [
  rtorrentSpec,
  ...GENERATIONS.flatMap((generation) => [delugeSpec(generation), qbittorrentSpec(generation), transmissionSpec(generation)]),
];
