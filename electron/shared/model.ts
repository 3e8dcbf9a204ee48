// The normalized model of ../shared/design.md. Every client translates its daemon's raw
// answers into these shapes; the CLI's --json output and the IPC payloads use them as is.
// Each shape is written once, as the zod schema the IPC contract checks payloads against; the
// TypeScript types and the field list are derived from it.
import { z } from 'zod';
import { MAX_TORRENT_FILE_BYTES, MAX_TORRENT_FILES } from './limits';

export const CLIENT_KINDS = ['rtorrent', 'deluge', 'qbittorrent', 'transmission'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const TORRENT_STATES = [
  'downloading',
  'seeding',
  'paused',
  'queued',
  'checking',
  'metadata',
  'error',
] as const;
export type TorrentState = (typeof TORRENT_STATES)[number];

/**
 * One summary over a torrent's trackers (issue 13 §1): the worst status among them. 'unregistered'
 * only when a tracker said so in words (tracker-status.ts), never because it could not be reached.
 */
export const TRACKER_SUMMARIES = ['ok', 'warning', 'error', 'unregistered'] as const;
export type TrackerSummary = (typeof TRACKER_SUMMARIES)[number];

/** Lowercase hex info-hash (v1, 40 characters). */
export const TorrentIdSchema = z.string().regex(/^[0-9a-f]{40}$/);

export const TorrentSchema = z.object({
  id: TorrentIdSchema,
  name: z.string(),
  state: z.enum(TORRENT_STATES),
  /** 0..1 of the selected size. */
  progress: z.number(),
  /** Size of the selected (wanted) files. */
  sizeBytes: z.number(),
  doneBytes: z.number(),
  uploadedBytes: z.number(),
  downloadedBytes: z.number(),
  ratio: z.number(),
  /** Bytes per second. */
  downRate: z.number(),
  upRate: z.number(),
  etaSeconds: z.number().nullable(),
  peersConnected: z.number(),
  /** The swarm as a tracker counted it; -1 while none has (connected peers are not the swarm). */
  peersTotal: z.number(),
  seedsConnected: z.number(),
  /** Likewise: -1 while no tracker has counted the swarm. */
  seedsTotal: z.number(),
  labels: z.array(z.string()),
  savePath: z.string(),
  /** Unix seconds, or null when the client does not know. */
  addedAt: z.number().nullable(),
  completedAt: z.number().nullable(),
  trackerHosts: z.array(z.string()),
  /** '' when the client reports nothing. */
  message: z.string(),
  /** null when the client has no queue. */
  queuePosition: z.number().nullable(),
  /** Seconds spent complete and started (README: how each client counts it); null when unknown. */
  seedingSeconds: z.number().nullable(),
  /** Unix seconds of the last upload or download; null when the client cannot tell. */
  lastActivityAt: z.number().nullable(),
  /** The torrent's private flag; null before a magnet has its metadata or where unknown. */
  private: z.boolean().nullable(),
  /** null while no tracker has answered (or the torrent has none). */
  trackerStatus: z.enum(TRACKER_SUMMARIES).nullable(),
  /** What the tracker behind trackerStatus said; '' when nothing. */
  trackerMessage: z.string(),
});
export type Torrent = z.infer<typeof TorrentSchema>;

/** Every field of a Torrent, in the schema's order. */
export const TORRENT_FIELDS = TorrentSchema.keyof().options;

export const FILE_PRIORITIES = ['skip', 'low', 'normal', 'high'] as const;
export type FilePriority = (typeof FILE_PRIORITIES)[number];

export const TorrentFileSchema = z.object({
  index: z.number(),
  /** Path inside the torrent, '/'-separated, without the torrent's own folder name. */
  path: z.string(),
  sizeBytes: z.number(),
  doneBytes: z.number(),
  priority: z.enum(FILE_PRIORITIES),
});
export type TorrentFile = z.infer<typeof TorrentFileSchema>;

export const PeerSchema = z.object({
  address: z.string(),
  port: z.number(),
  client: z.string(),
  progress: z.number(),
  downRate: z.number(),
  upRate: z.number(),
});
export type Peer = z.infer<typeof PeerSchema>;

export const TRACKER_STATUSES = ['working', 'updating', 'not-contacted', 'error', 'disabled'] as const;
export type TrackerStatus = (typeof TRACKER_STATUSES)[number];

export const TrackerSchema = z.object({
  url: z.string(),
  tier: z.number(),
  status: z.enum(TRACKER_STATUSES),
  /** -1 when unknown. */
  seeders: z.number(),
  leechers: z.number(),
  message: z.string(),
});
export type Tracker = z.infer<typeof TrackerSchema>;

export const TorrentDetailsSchema = z.object({
  torrent: TorrentSchema,
  files: z.array(TorrentFileSchema),
  peers: z.array(PeerSchema),
  trackers: z.array(TrackerSchema),
});
export type TorrentDetails = z.infer<typeof TorrentDetailsSchema>;

/** What the connected client can do; the UI and the CLI offer only these. */
export const CapabilitiesSchema = z.object({
  /** Labels at all. */
  labels: z.boolean(),
  /** More than one label per torrent. */
  multipleLabels: z.boolean(),
  queue: z.boolean(),
  deleteData: z.boolean(),
  moveStorage: z.boolean(),
  alternativeSpeed: z.boolean(),
  pushEvents: z.boolean(),
  freeSpace: z.boolean(),
  perTorrentSpeedLimits: z.boolean(),
  filePriorities: z.array(z.enum(FILE_PRIORITIES)),
  addFromUrl: z.boolean(),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const ClientInfoSchema = z.object({
  kind: z.enum(CLIENT_KINDS),
  /** The daemon's own version string, e.g. "0.9.8". */
  version: z.string(),
  /** The RPC dialect in use, e.g. "xmlrpc", "jsonrpc", "webui-v2.8.19". */
  protocol: z.string(),
  capabilities: CapabilitiesSchema,
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

/** The bytes of one .torrent file: bounded, so no payload makes main copy or parse gigabytes. */
export const TorrentBytesSchema = z
  // Typed as Uint8Array on any buffer (a Node Buffer included), not only on an ArrayBuffer.
  .instanceof(Uint8Array as new (...args: never[]) => Uint8Array)
  .refine((bytes) => bytes.byteLength <= MAX_TORRENT_FILE_BYTES, { message: `larger than ${MAX_TORRENT_FILE_BYTES / 1048576} MiB, the limit for a .torrent file` });

/**
 * Files of a .torrent not to download (AddOptions.skipFiles): distinct indexes into its file
 * list, below `fileCount` once the metainfo is known (the core checks again after parsing it).
 */
export function skipFilesSchema(fileCount = MAX_TORRENT_FILES): z.ZodType<number[]> {
  return z
    .array(
      z
        .number({ message: 'a file index is a number' })
        .int({ message: 'a file index is a whole number' })
        .min(0, { message: 'a file index is 0 or more' })
        .max(fileCount - 1, { message: `the torrent has ${fileCount} file(s), numbered 0 to ${fileCount - 1}` }),
    )
    .max(fileCount)
    .refine((indexes) => new Set(indexes).size === indexes.length, { message: 'a file index is listed twice' });
}

/** Options for adding one torrent. */
export const AddOptionsSchema = z.object({
  savePath: z.string().max(4096).optional(),
  labels: z.array(z.string().max(255)).max(64).optional(),
  paused: z.boolean().optional(),
  /**
   * Indexes into the .torrent's file list of files never to download. Only for a .torrent file:
   * a magnet or URL has no file list yet.
   */
  skipFiles: skipFilesSchema().optional(),
});
export type AddOptions = z.infer<typeof AddOptionsSchema>;

const FileSource = z.object({ kind: z.literal('file'), bytes: TorrentBytesSchema, fileName: z.string().max(1024).optional() });
// Strict, so files to skip sent with a magnet or URL (no file list yet) are refused, not dropped.
const MagnetSource = z.object({ kind: z.literal('magnet'), uri: z.string().startsWith('magnet:').max(65_536) }).strict();
const UrlSource = z.object({ kind: z.literal('url'), url: z.string().regex(/^https?:\/\//i).max(8192) }).strict();

/** What a torrent is added from. */
export const AddSourceSchema = z.discriminatedUnion('kind', [FileSource, MagnetSource, UrlSource]);
export type AddSource = z.infer<typeof AddSourceSchema>;

/**
 * A source as 'torrents:add' takes it: a .torrent carries its own files to skip
 * (AddOptions.skipFiles), as each .torrent of one add has its own file list.
 */
export const AddRequestSourceSchema = z.discriminatedUnion('kind', [FileSource.extend({ skipFiles: AddOptionsSchema.shape.skipFiles }), MagnetSource, UrlSource]);

export interface SpeedLimits {
  /** Bytes per second; 0 means unlimited. */
  downBytesPerSecond: number;
  upBytesPerSecond: number;
}

export const QUEUE_MOVES = ['up', 'down', 'top', 'bottom'] as const;
export type QueueMove = (typeof QUEUE_MOVES)[number];

/** Totals for one daemon, for the status bar and `seedbox stats`. */
export interface SessionStats {
  /** Bytes per second, all torrents. */
  downRate: number;
  upRate: number;
  /** Free space in the default download directory; null where the client cannot tell. */
  freeSpaceBytes: number | null;
  /** null where the client has no alternative speed mode. */
  alternativeSpeedEnabled: boolean | null;
}

/** Pushed by clients whose daemon offers events (capabilities.pushEvents). */
export type ClientEvent =
  | { type: 'torrent-added'; id: string }
  | { type: 'torrent-removed'; id: string }
  | { type: 'torrent-state-changed'; id: string; state: string }
  | { type: 'torrent-finished'; id: string }
  | { type: 'disconnected'; reason: string };
