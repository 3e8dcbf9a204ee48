// What each WebUI API v2 endpoint must answer, checked with parseAnswer before anything reads
// it (field meanings: raw.ts). Only the fields we read are checked and kept; the others are
// dropped, so nothing unchecked (a value nested a million deep, say) travels further.
// The shapes are tied to the raw types (`satisfies`), so they cannot drift apart.
import { z } from 'zod';
import { answerInt, answerMap, answerText, answerTorrentId, answerTorrentMap } from '../answers';
import type { RawFile, RawMainData, RawPeer, RawPeers, RawPreferences, RawServerState, RawTorrent, RawTracker } from './raw';

const text = answerText;
const count = z.number();

/**
 * One torrent in sync/maindata, every field optional (incremental answers carry only what
 * changed). `state` is any short text: 4.x says pausedUP/pausedDL, 5.x stoppedUP/stoppedDL,
 * and a state newer than both reads as an error naming it (normalize.ts), not a failed list.
 * Compiled (zod's generated fast path): 10 000 torrents are checked on every full refresh.
 */
const Torrent = z.compile(
  z
    .object({
      name: text,
      state: z.string().max(64, { error: 'a state name of at most 64 characters' }),
      progress: z.number(),
      size: count,
      completed: count,
      uploaded: count,
      downloaded: count,
      ratio: z.number(),
      dlspeed: count,
      upspeed: count,
      eta: count,
      num_seeds: count,
      num_leechs: count,
      num_complete: count,
      num_incomplete: count,
      tags: text,
      save_path: text,
      added_on: z.number(),
      completion_on: z.number(),
      tracker: text,
      priority: count,
      seeding_time: z.number(),
      last_activity: z.number(),
      // null while a magnet has no metadata (5.1).
      private: z.boolean().nullable(),
    })
    .partial(),
) satisfies z.ZodType<RawTorrent>;

const ServerState = z
  .object({
    dl_info_speed: count,
    up_info_speed: count,
    free_space_on_disk: count,
    use_alt_speed_limits: z.boolean(),
    queueing: z.boolean(),
  })
  .partial() satisfies z.ZodType<RawServerState>;

/** GET sync/maindata?rid=N. */
export const MainDataAnswer = z.object({
  rid: answerInt,
  full_update: z.boolean().optional(),
  torrents: answerTorrentMap(Torrent).optional(),
  torrents_removed: z.array(answerTorrentId).optional(),
  // Tracker URL → ids of the torrents that use it.
  trackers: answerMap(z.array(answerTorrentId)).optional(),
  trackers_removed: z.array(text).optional(),
  server_state: ServerState.optional(),
}) satisfies z.ZodType<RawMainData>;

/** GET app/preferences: the keys we read. */
export const PreferencesAnswer = z.object({
  dl_limit: count,
  up_limit: count,
  queueing_enabled: z.boolean(),
}) satisfies z.ZodType<RawPreferences>;

/** GET torrents/files?hash=ID. `index` came with WebAPI 2.8.2 (qBittorrent 4.4). */
export const FilesAnswer = z.array(
  z.object({
    index: answerInt.nonnegative().optional(),
    name: text,
    size: count,
    progress: z.number(),
    priority: answerInt,
  }),
) satisfies z.ZodType<FileInput[]>;

/** GET torrents/properties?hash=ID: only the private flag (4.x lists it nowhere else). */
export const PropertiesAnswer = z.object({ is_private: z.boolean().optional() });

/** A file as FilesAnswer gives it to normalizeFiles. */
export type FileInput = Pick<RawFile, 'name' | 'size' | 'progress' | 'priority'> & { index?: number };

/** GET torrents/trackers?hash=ID; the pseudo trackers have tier '' in some versions. */
export const TrackersAnswer = z.array(
  z.object({
    url: text,
    status: answerInt,
    tier: z.union([z.number(), z.string().max(20)]),
    num_seeds: count,
    num_leeches: count,
    msg: text,
  }),
) satisfies z.ZodType<TrackerInput[]>;

/** A tracker as TrackersAnswer gives it to normalizeTrackers. */
export type TrackerInput = Pick<RawTracker, 'url' | 'status' | 'tier' | 'num_seeds' | 'num_leeches' | 'msg'>;

const Peer = z
  .object({
    ip: text,
    port: answerInt,
    client: text,
    progress: z.number(),
    dl_speed: count,
    up_speed: count,
  })
  .partial() satisfies z.ZodType<RawPeer>;

/** GET sync/torrentPeers?hash=ID&rid=0: peers keyed "ip:port". */
export const PeersAnswer = z.object({
  rid: answerInt,
  full_update: z.boolean().optional(),
  peers: answerMap(Peer).optional(),
}) satisfies z.ZodType<RawPeers>;

/** GET app/version: "v4.5.2", "v5.0.0beta1". */
export const VersionAnswer = z
  .string()
  .regex(/^v?\d+\.\d+[0-9A-Za-z.+-]{0,40}$/, { error: 'a version such as v4.5.2' });

/** GET app/webapiVersion: "2.8.19". */
export const WebApiVersionAnswer = z.string().regex(/^\d{1,4}(\.\d{1,4}){1,3}$/, { error: 'a version such as 2.8.19' });

/** GET transfer/speedLimitsMode: 1 while the alternative limits are in force. */
export const SpeedLimitsModeAnswer = z.enum(['0', '1']);

/** What an action (pause, delete, setLocation, addTags, …) answers: nothing. */
export const EmptyAnswer = z.literal('', { error: 'an empty answer' });
