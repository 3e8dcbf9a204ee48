// What each Deluge 2.x method must answer (deluge/core/core.py, deluge/core/rpcserver.py,
// deluge/core/torrent.py, the Label plugin), checked with parseAnswer before anything reads it.
// Only the keys we read are checked and kept; the rest of a status dict is dropped.
// The shapes are tied to the documented raw types in raw.ts (`satisfies`), so they cannot drift.
import { z } from 'zod';
import { answerInt, answerText, answerTorrentId, answerTorrentMap } from '../answers';
import type { RawDetails, RawFile, RawPeer, RawTorrent, RawTracker } from './raw';

const count = z.number();
const text = answerText;

/** daemon.info: deluge.common.get_version(), e.g. "2.0.3". */
export const DaemonInfoAnswer = z.string().max(100, { error: 'a version of at most 100 characters' });

/** daemon.login: the account's auth level (0..10, see DELUGE_AUTH_LEVEL). */
export const LoginAnswer = answerInt;

/** daemon.set_event_interest answers True. */
export const EventInterestAnswer = z.literal(true);

/** Methods that return None: the torrent actions, set_config, set_torrent_options, label.*. */
export const NoneAnswer = z.null();

/** core.get_enabled_plugins, label.get_labels: names. */
export const NamesAnswer = z.array(text);

/**
 * One row of core.get_torrents_status for LIST_KEYS (+ label while the Label plugin is on).
 * Compiled (zod's generated fast path): 10 000 rows are checked on every full refresh.
 */
const TorrentRow = z.compile(z.object({
  hash: answerTorrentId,
  name: text,
  state: text,
  total_wanted: count,
  total_remaining: count,
  total_uploaded: count,
  all_time_download: count,
  ratio: z.number(),
  download_payload_rate: count,
  upload_payload_rate: count,
  eta: count,
  num_peers: count,
  total_peers: count,
  num_seeds: count,
  total_seeds: count,
  save_path: text,
  time_added: z.number(),
  completed_time: z.number(),
  tracker_host: text,
  message: text,
  queue: count,
  num_pieces: count,
  is_finished: z.boolean(),
  seeding_time: z.number(),
  time_since_transfer: z.number(),
  private: z.boolean(),
  tracker_status: text,
  label: text.optional(),
})) satisfies z.ZodType<RawTorrent>;

/** Each row's own hash is the id it is filed under. */
function hashesMatchKeys(table: Record<string, { hash?: string | undefined }>, context: z.core.$RefinementCtx): void {
  for (const key in table) {
    const hash = table[key]!.hash;
    if (hash !== undefined && hash.toLowerCase() !== key.toLowerCase()) {
      context.addIssue({ code: 'custom', message: 'the id the row is filed under', path: [key, 'hash'] });
      return;
    }
  }
}

/** core.get_torrents_status(filter, LIST_KEYS): every row whole. */
export const TorrentsAnswer = answerTorrentMap(TorrentRow).superRefine(hashesMatchKeys);

/** The same with diff=True: only the keys that changed since this connection's last call. */
export const TorrentsDiffAnswer = answerTorrentMap(z.compile(TorrentRow.partial())).superRefine(hashesMatchKeys);

/** Whether a diff row carries every key (a torrent this connection's diffs had not seen yet does). */
export function isWholeRow(row: Partial<RawTorrent>): row is RawTorrent {
  return TorrentRow.safeParse(row).success;
}

/** core.get_torrents_status(filter, ['hash']): which of the ids exist. */
export const ExistingAnswer = answerTorrentMap(z.object({ hash: answerTorrentId })).superRefine(hashesMatchKeys);

const File = z.object({ index: answerInt.nonnegative(), path: text, size: count, offset: count }) satisfies z.ZodType<RawFile>;
const Peer = z.object({
  client: text,
  ip: text,
  progress: z.number(),
  down_speed: count,
  up_speed: count,
}) satisfies z.ZodType<Omit<RawPeer, 'country' | 'seed'>>;
const Tracker = z.object({ url: text, tier: count }) satisfies z.ZodType<RawTracker>;

/** core.get_torrents_status({id}, ['trackers']): each torrent's announce URLs, for its hosts. */
export const TrackersAnswer = answerTorrentMap(z.object({ trackers: z.array(Tracker) }));

/** core.get_torrent_status(id, DETAIL_KEYS). */
export const DetailsAnswer = z.object({
  files: z.array(File),
  file_progress: z.array(z.number()),
  file_priorities: z.array(answerInt),
  peers: z.array(Peer),
  trackers: z.array(Tracker),
  tracker: text,
  tracker_status: text,
}) satisfies z.ZodType<Omit<RawDetails, 'peers'> & { peers: Omit<RawPeer, 'country' | 'seed'>[] }>;

/** core.get_torrent_status(id, ['file_priorities']). */
export const FilePrioritiesAnswer = z.object({ file_priorities: z.array(answerInt) });

/** core.get_torrent_status(id, ['num_pieces']): 0 while a magnet has no metadata. */
export const PieceCountAnswer = z.object({ num_pieces: answerInt.nonnegative() });

/** core.get_config_value('plugins_location'): a folder on the box. */
export const PluginsLocationAnswer = text;

/** core.add_torrent_*: the new torrent's id, or None when Deluge did not add it. */
export const AddedAnswer = answerTorrentId.nullable();

/** core.remove_torrents: [(torrent_id, error message), ...], empty when all went. */
export const RemoveAnswer = z.array(z.tuple([text, text]));

/** core.get_config_values(GLOBAL_LIMIT_KEYS): KiB/s. */
export const LimitsAnswer = z.object({ max_download_speed: z.number(), max_upload_speed: z.number() });

/** core.get_session_status(SESSION_KEYS): bytes/s. */
export const SessionAnswer = z.object({ payload_download_rate: z.number(), payload_upload_rate: z.number() });

/** core.get_free_space(): bytes, -1 when Deluge cannot tell. */
export const FreeSpaceAnswer = answerInt;

/** core.get_path_size(path): bytes, -1 when the path does not exist. */
export const PathSizeAnswer = answerInt;

/** core.get_torrents_status({id}, MOVE_KEYS): where each torrent is while it moves. */
export const MoveStatusAnswer = answerTorrentMap(z.object({ name: text, save_path: text, state: text, message: text }));

/** The arguments of the events we ask for (deluge/event.py); later versions may add more. */
export const EVENT_ARGS = {
  TorrentAddedEvent: z.tuple([answerTorrentId, z.boolean()]).rest(z.unknown()),
  TorrentRemovedEvent: z.tuple([answerTorrentId]).rest(z.unknown()),
  TorrentStateChangedEvent: z.tuple([answerTorrentId, text]).rest(z.unknown()),
  TorrentFinishedEvent: z.tuple([answerTorrentId]).rest(z.unknown()),
} as const;

export type TorrentRowAnswer = z.output<typeof TorrentRow>;
export type DetailsAnswerType = z.output<typeof DetailsAnswer>;
