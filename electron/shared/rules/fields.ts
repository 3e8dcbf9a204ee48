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
  /** For a number read straight from the record: where, so the evaluator compares it without a call per torrent. */
  source?: NumericSource;
}

/** The record's numeric properties (null where a client cannot tell). */
export type NumericProperty = { [K in keyof Torrent]-?: Torrent[K] extends number | null | undefined ? K : never }[keyof Torrent];

/** A numeric field is its property as known(), or with `since` the time elapsed from it to now. */
export interface NumericSource {
  property: NumericProperty;
  since?: true;
}

/** A count or amount the client may not know: negative, NaN or missing reads as unknown. */
function known(value: number | null | undefined): number | null {
  // Infinity stays: a ratio with nothing downloaded is infinite, and known to be large.
  return value === null || value === undefined || Number.isNaN(value) || value < 0 ? null : value;
}

/** known() as a yes or no: the engine asks it of every torrent, and a number handed back would be boxed. */
function isKnown(value: number | null | undefined): boolean {
  return typeof value === 'number' && value >= 0;
}

/** A count or amount read straight from the record. */
function counted(name: string, type: FieldType, property: NumericProperty, description: string): FieldSpec {
  return { name, type, description, source: { property }, read: (t) => known(t[property]) };
}

/** Seconds from a unix time to now, never negative (a box's clock may run ahead of ours). */
function since(time: number | null | undefined, now: number): number | null {
  const at = known(time);
  const elapsed = at === null ? Number.NaN : now - at;
  return Number.isNaN(elapsed) ? null : Math.max(0, elapsed);
}

/** The time since a date in the record. */
function elapsed(name: string, property: NumericProperty, description: string): FieldSpec {
  return { name, type: 'duration', description, source: { property, since: true }, read: (t, now) => since(t[property], now) };
}

export const RULE_FIELDS: readonly FieldSpec[] = [
  { name: 'name', type: 'text', description: "The torrent's name.", read: (t) => t.name },
  { name: 'hash', type: 'text', description: 'The info-hash, 40 lowercase hex digits.', read: (t) => t.id },
  { name: 'state', type: 'enum', values: TORRENT_STATES, description: 'What the client is doing with it (metadata: a magnet still fetching its info).', read: (t) => t.state },
  counted('progress', 'percent', 'progress', 'How much of the selected files is done, 0% to 100%.'),
  { name: 'complete', type: 'boolean', description: 'All selected files are downloaded.', read: (t) => (isKnown(t.progress) ? t.progress >= 1 : null) },
  counted('size', 'size', 'sizeBytes', 'Size of the selected files.'),
  counted('downloaded', 'size', 'downloadedBytes', 'Bytes downloaded in all.'),
  counted('uploaded', 'size', 'uploadedBytes', 'Bytes uploaded in all.'),
  counted('ratio', 'number', 'ratio', 'Uploaded divided by downloaded, as the client reports it.'),
  counted('up_rate', 'rate', 'upRate', 'Upload speed now.'),
  counted('down_rate', 'rate', 'downRate', 'Download speed now.'),
  counted('eta', 'duration', 'etaSeconds', 'Time left to finish downloading; unknown when not downloading.'),
  { ...counted('seeders', 'number', 'seedsTotal', 'Seeders in the swarm, as the tracker reports them.'), fromTrackers: true },
  { ...counted('leechers', 'number', 'peersTotal', 'Leechers in the swarm, as the tracker reports them.'), fromTrackers: true },
  counted('connected_seeders', 'number', 'seedsConnected', 'Seeders connected to this box now.'),
  counted('connected_leechers', 'number', 'peersConnected', 'Leechers connected to this box now.'),
  { name: 'label', type: 'text', many: true, description: "The torrent's labels (categories, tags); none for an unlabelled torrent.", read: (t) => t.labels },
  { name: 'tracker', type: 'text', many: true, description: "Host names of the torrent's trackers.", read: (t) => t.trackerHosts },
  { name: 'save_path', type: 'text', description: 'The folder the data is saved in, on the box.', read: (t) => t.savePath },
  { name: 'message', type: 'text', description: "The client's message about the torrent ('' when none).", read: (t) => t.message },
  counted('added', 'date', 'addedAt', 'When the torrent was added.'),
  counted('completed', 'date', 'completedAt', 'When the download finished; unknown while it has not.'),
  elapsed('age', 'addedAt', 'Time since the torrent was added.'),
  counted('seeding_time', 'duration', 'seedingSeconds', 'Time spent complete and started.'),
  counted('last_activity', 'date', 'lastActivityAt', 'When data last moved up or down.'),
  elapsed('idle', 'lastActivityAt', 'Time since data last moved up or down.'),
  { name: 'private', type: 'boolean', description: 'The torrent is private (its tracker allows no DHT or peer exchange).', read: (t) => t.private },
  { name: 'tracker_status', fromTrackers: true, type: 'enum', values: TRACKER_SUMMARIES, description: 'The worst status among its trackers.', read: (t) => t.trackerStatus },
  { name: 'tracker_message', fromTrackers: true, type: 'text', description: "What that tracker said ('' when nothing).", read: (t) => (t.trackerStatus === null ? null : t.trackerMessage) },
  {
    name: 'unregistered',
    type: 'boolean',
    fromTrackers: true,
   
    description: 'The tracker says it no longer knows the torrent (never true while a tracker is merely down); rules act on it only after its grace period.',
    read: (t) => (t.trackerStatus === null ? null : t.trackerStatus === 'unregistered'),
  },
];

const FIELDS_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(RULE_FIELDS.map((field) => [field.name, field]));

export function fieldNamed(name: string): FieldSpec | undefined {
  return FIELDS_BY_NAME.get(name);
}
