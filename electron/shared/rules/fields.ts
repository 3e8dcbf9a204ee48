// The fields a rule can test: one table that the parser type-checks against, the evaluator
// reads through, and the editor offers for completion. Adding a field is one entry here.
import type { Torrent } from '../model';
import { TORRENT_STATES, TRACKER_SUMMARIES } from '../model';

/**
 * How a field's values are compared and which literals it accepts:
 * number (2, 1.5), percent (50%), size (500MiB, 2GB), rate (1MiB/s), duration (90m, 14d),
 * date (2026-01-31), text and enum ("tv"), boolean (bare, or == true).
 */
export type FieldType = 'number' | 'percent' | 'size' | 'rate' | 'duration' | 'date' | 'text' | 'enum' | 'boolean';

/** A field's value as read from a torrent; null when the client does not know it. */
export type FieldValue = number | string | boolean | readonly string[] | null;

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Several values per torrent (labels, trackers): a comparison holds when one of them matches. */
  many?: true;
  /** The allowed values of an enum field. */
  values?: readonly string[];
  /** One line for the editor's completion and the docs. */
  description: string;
  /**
   * Known only once the client has read the torrent's trackers: the engine has a client whose
   * list leaves them unknown (qBittorrent) read them before planning a rule that uses one.
   */
  fromTrackers?: true;
  read: (torrent: Torrent, now: number) => FieldValue;
}

/** A count or amount the client may not know: negative, NaN or missing reads as unknown. */
function known(value: number | null | undefined): number | null {
  // Infinity stays: a ratio with nothing downloaded is infinite, and known to be large.
  return value === null || value === undefined || Number.isNaN(value) || value < 0 ? null : value;
}

/** Seconds from a unix time to now, never negative (a box's clock may run ahead of ours). */
function since(time: number | null | undefined, now: number): number | null {
  const at = known(time);
  const elapsed = at === null ? Number.NaN : now - at;
  return Number.isNaN(elapsed) ? null : Math.max(0, elapsed);
}

export const RULE_FIELDS: readonly FieldSpec[] = [
  { name: 'name', type: 'text', description: "The torrent's name.", read: (t) => t.name },
  { name: 'hash', type: 'text', description: 'The info-hash, 40 lowercase hex digits.', read: (t) => t.id },
  { name: 'state', type: 'enum', values: TORRENT_STATES, description: 'What the client is doing with it (metadata: a magnet still fetching its info).', read: (t) => t.state },
  { name: 'progress', type: 'percent', description: 'How much of the selected files is done, 0% to 100%.', read: (t) => known(t.progress) },
  { name: 'complete', type: 'boolean', description: 'All selected files are downloaded.', read: (t) => (known(t.progress) === null ? null : t.progress >= 1) },
  { name: 'size', type: 'size', description: 'Size of the selected files.', read: (t) => known(t.sizeBytes) },
  { name: 'downloaded', type: 'size', description: 'Bytes downloaded in all.', read: (t) => known(t.downloadedBytes) },
  { name: 'uploaded', type: 'size', description: 'Bytes uploaded in all.', read: (t) => known(t.uploadedBytes) },
  { name: 'ratio', type: 'number', description: 'Uploaded divided by downloaded, as the client reports it.', read: (t) => known(t.ratio) },
  { name: 'up_rate', type: 'rate', description: 'Upload speed now.', read: (t) => known(t.upRate) },
  { name: 'down_rate', type: 'rate', description: 'Download speed now.', read: (t) => known(t.downRate) },
  { name: 'eta', type: 'duration', description: 'Time left to finish downloading; unknown when not downloading.', read: (t) => known(t.etaSeconds) },
  { name: 'seeders', fromTrackers: true, type: 'number', description: 'Seeders in the swarm, as the tracker reports them.', read: (t) => known(t.seedsTotal) },
  { name: 'leechers', fromTrackers: true, type: 'number', description: 'Leechers in the swarm, as the tracker reports them.', read: (t) => known(t.peersTotal) },
  { name: 'connected_seeders', type: 'number', description: 'Seeders connected to this box now.', read: (t) => known(t.seedsConnected) },
  { name: 'connected_leechers', type: 'number', description: 'Leechers connected to this box now.', read: (t) => known(t.peersConnected) },
  { name: 'label', type: 'text', many: true, description: "The torrent's labels (categories, tags); none for an unlabelled torrent.", read: (t) => t.labels },
  { name: 'tracker', type: 'text', many: true, description: "Host names of the torrent's trackers.", read: (t) => t.trackerHosts },
  { name: 'save_path', type: 'text', description: 'The folder the data is saved in, on the box.', read: (t) => t.savePath },
  { name: 'message', type: 'text', description: "The client's message about the torrent ('' when none).", read: (t) => t.message },
  { name: 'added', type: 'date', description: 'When the torrent was added.', read: (t) => known(t.addedAt) },
  { name: 'completed', type: 'date', description: 'When the download finished; unknown while it has not.', read: (t) => known(t.completedAt) },
  { name: 'age', type: 'duration', description: 'Time since the torrent was added.', read: (t, now) => since(t.addedAt, now) },
  { name: 'seeding_time', type: 'duration', description: 'Time spent complete and started.', read: (t) => known(t.seedingSeconds) },
  { name: 'last_activity', type: 'date', description: 'When data last moved up or down.', read: (t) => known(t.lastActivityAt) },
  { name: 'idle', type: 'duration', description: 'Time since data last moved up or down.', read: (t, now) => since(t.lastActivityAt, now) },
  { name: 'private', type: 'boolean', description: 'The torrent is private (its tracker allows no DHT or peer exchange).', read: (t) => t.private },
  { name: 'tracker_status', fromTrackers: true, type: 'enum', values: TRACKER_SUMMARIES, description: 'The worst status among its trackers.', read: (t) => t.trackerStatus },
  { name: 'tracker_message', fromTrackers: true, type: 'text', description: "What that tracker said ('' when nothing).", read: (t) => (t.trackerStatus === null ? null : t.trackerMessage) },
  {
    name: 'unregistered',
    type: 'boolean',
    fromTrackers: true,
   
    description: 'The tracker says it no longer knows the torrent (never true while a tracker is merely down).',
    read: (t) => (t.trackerStatus === null ? null : t.trackerStatus === 'unregistered'),
  },
];

const FIELDS_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(RULE_FIELDS.map((field) => [field.name, field]));

export function fieldNamed(name: string): FieldSpec | undefined {
  return FIELDS_BY_NAME.get(name);
}
