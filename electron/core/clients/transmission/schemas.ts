// What Transmission must answer to each method we call, checked before anything reads it (see
// ../answers.ts). The shapes are raw.ts's, in the legacy (3.00) names the client speaks; an
// answer whose keys are snake_case (rpc-version 18+, Transmission 4.1) is read under the same
// schema: `legacyKeys` maps a snake_case key to its legacy name where the legacy one is absent.
// Spec: https://github.com/transmission/transmission/blob/main/docs/rpc-spec.md
import { z } from 'zod';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import {
  answerError,
  answerInt,
  answerMismatch,
  answerTorrentId,
  compileShape,
  isAnswerObject,
  parseAnswer,
  shapeMismatch,
  type AnswerSource,
  type Shape,
} from '../answers';
import type { RawFile, RawFileStat, RawPeer, RawSession, RawSessionStats, RawTorrent, RawTrackerStat } from './raw';
import { toSnakeCase, type RpcArguments } from './rpc';

const TORRENT_GET: AnswerSource = { source: DAEMONS.transmission.name, call: 'torrent-get' };
/** JSON numbers Transmission writes; z.number() already refuses NaN and Infinity. */
const num = z.number();
const int = answerInt;

/** snake_case key → legacy key, for every key of the answer objects below. */
const LEGACY_BY_SNAKE = new Map<string, string>();

/** The object with its snake_case keys also under their legacy names, where those are absent. */
function legacyKeys(value: unknown): unknown {
  if (!isAnswerObject(value)) return value;
  const object = value;
  let renamed: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    if (!key.includes('_')) continue;
    const legacy = LEGACY_BY_SNAKE.get(key);
    if (legacy !== undefined && !(legacy in object)) (renamed ??= { ...object })[legacy] = object[key];
  }
  return renamed ?? object;
}

/** An object schema that also reads the snake_case spelling of each of its keys. */
function answerObject<T extends z.ZodRawShape>(shape: T) {
  for (const key of Object.keys(shape)) LEGACY_BY_SNAKE.set(toSnakeCase(key), key);
  return z.preprocess(legacyKeys, z.looseObject(shape));
}

const TRACKER_STAT = {
  object: {
    announce: 'string',
    tier: 'int',
    announceState: 'int',
    hasAnnounced: 'boolean',
    lastAnnounceSucceeded: 'boolean',
    lastAnnounceTimedOut: 'boolean',
    lastAnnounceResult: 'string',
    seederCount: 'int',
    leecherCount: 'int',
    isBackup: 'boolean',
  } satisfies Record<keyof RawTrackerStat, Shape>,
} as const;
const FILE = { object: { name: 'string', length: 'number', bytesCompleted: 'number' } satisfies Record<keyof RawFile, Shape> } as const;
const FILE_STAT = { object: { bytesCompleted: 'number', wanted: 'boolean', priority: 'int' } satisfies Record<keyof RawFileStat, Shape> } as const;
const PEER = {
  object: {
    address: 'string',
    port: 'int',
    clientName: 'string',
    progress: 'number',
    rateToClient: 'number',
    rateToPeer: 'number',
  } satisfies Record<keyof RawPeer, Shape>,
} as const;

/**
 * Each torrent-get field. Shapes (../answers.ts), not zod: the list of 10 000 torrents is
 * refreshed every few seconds, and a zod object per torrent and tracker costs several times
 * more (bench/answer-checks.ts). Nested keys arrive in legacy names (rpc.ts renames them).
 */
const TORRENT_FIELDS: Record<keyof RawTorrent, Shape> = {
  id: 'int',
  hashString: 'hash',
  name: 'string',
  status: 'int',
  error: 'int',
  errorString: 'string',
  percentDone: 'number',
  metadataPercentComplete: 'number',
  sizeWhenDone: 'number',
  leftUntilDone: 'number',
  uploadedEver: 'number',
  downloadedEver: 'number',
  uploadRatio: 'number',
  rateDownload: 'number',
  rateUpload: 'number',
  eta: 'number',
  peersConnected: 'int',
  peersSendingToUs: 'int',
  peersGettingFromUs: 'int',
  labels: { list: 'string' },
  downloadDir: 'string',
  addedDate: 'number',
  doneDate: 'number',
  queuePosition: 'int',
  isPrivate: 'boolean',
  secondsSeeding: 'number',
  activityDate: 'number',
  downloadLimit: 'number',
  downloadLimited: 'boolean',
  uploadLimit: 'number',
  uploadLimited: 'boolean',
  trackerStats: { list: TRACKER_STAT },
  files: { list: FILE },
  fileStats: { list: FILE_STAT },
  peers: { list: PEER },
  priorities: { list: 'int' },
  torrentFile: 'string',
};
const TORRENT_FIELD_CHECKS = new Map(Object.entries(TORRENT_FIELDS).map(([key, shape]) => [key, compileShape(shape)]));

/** The table is checked row by row below (no copy of 10 000 rows by zod). */
const TableAnswerSchema = answerObject({ torrents: z.custom<unknown[]>((value) => Array.isArray(value), 'a list'), removed: z.array(int).optional() });

/**
 * torrent-get in the table format: the first row names the columns (`columnName` maps a wire
 * name to the legacy one), every other row is a torrent with one cell per column, each of its
 * field's type; every field asked for must be a column.
 */
export function checkTorrentTable(
  answer: RpcArguments,
  fields: readonly string[],
  columnName: (wire: string) => string,
): { torrents: RawTorrent[]; removed: number[] } {
  const { torrents: table, removed = [] } = parseAnswer(TableAnswerSchema, answer, TORRENT_GET);
  const [header, ...rows] = table;
  if (header === undefined) return { torrents: [], removed };
  if (!Array.isArray(header)) throw answerMismatch(TORRENT_GET, { field: 'torrents[0]' }, header, 'the list of column names');
  const keys = header.map((name, index) => {
    if (typeof name !== 'string') throw answerMismatch(TORRENT_GET, { field: `torrents[0][${index}]` }, name, 'a column name');
    return columnName(name);
  });
  const missing = fields.find((field) => !keys.includes(field));
  if (missing !== undefined) {
    throw answerError(TORRENT_GET, {}, `without the field ${missing}`, 'every field asked for');
  }
  const checks = keys.map((key) => TORRENT_FIELD_CHECKS.get(key));
  const torrents: RawTorrent[] = [];
  for (let index = 0; index < rows.length; index++) {
    const row: unknown = rows[index];
    if (!Array.isArray(row)) throw answerMismatch(TORRENT_GET, { item: `torrent ${index}` }, row, `a row of ${keys.length} fields`);
    if (row.length !== keys.length) {
      throw answerError(TORRENT_GET, { item: `torrent ${index}` }, `with ${row.length} fields`, `${keys.length}`);
    }
    const raw: Record<string, unknown> = {};
    for (let column = 0; column < keys.length; column++) {
      const fits = checks[column];
      // A column we did not ask for is left out rather than trusted.
      if (fits === undefined) continue;
      const cell: unknown = row[column];
      const key = keys[column]!;
      if (!fits(cell)) throw shapeMismatch(TORRENT_GET, { item: `torrent ${index}`, field: key }, TORRENT_FIELDS[key as keyof RawTorrent], cell);
      raw[key] = cell;
    }
    torrents.push(raw as unknown as RawTorrent);
  }
  return { torrents, removed };
}

/** session-get: what the client reads of it (rpc-version and version first: older daemons are refused by name). */
export const SessionVersionSchema = answerObject({ version: z.string(), 'rpc-version': int });
/** What connect() reads once the version is known to be new enough. */
export const SessionUnitsSchema = answerObject({ units: answerObject({ 'speed-bytes': num.positive() }) });
export const SessionSchema = answerObject({
  version: z.string(),
  'rpc-version': int,
  'download-dir': z.string(),
  'speed-limit-down': num,
  'speed-limit-down-enabled': z.boolean(),
  'speed-limit-up': num,
  'speed-limit-up-enabled': z.boolean(),
  'alt-speed-enabled': z.boolean(),
  units: answerObject({ 'speed-bytes': num.positive() }),
} satisfies { [K in Exclude<keyof RawSession, 'config-dir'>]: z.ZodType<RawSession[K]> });

export const SessionStatsSchema = answerObject({ downloadSpeed: num, uploadSpeed: num } satisfies {
  [K in keyof RawSessionStats]: z.ZodType<RawSessionStats[K]>;
});

export const FreeSpaceSchema = answerObject({ path: z.string(), 'size-bytes': num });

const AddedSchema = answerObject({ id: int, hashString: answerTorrentId, name: z.string() });
/** torrent-add: exactly one of torrent-added and torrent-duplicate. */
export const TorrentAddSchema = answerObject({ 'torrent-added': AddedSchema.optional(), 'torrent-duplicate': AddedSchema.optional() }).refine(
  (answer) => (answer['torrent-added'] === undefined) !== (answer['torrent-duplicate'] === undefined),
  'an object with torrent-added or torrent-duplicate',
);

/** The arguments of `method`'s answer, checked against `schema`. */
export function checkArguments<T>(method: string, schema: z.ZodType<T>, answer: RpcArguments): T {
  return parseAnswer(schema, answer, { source: TORRENT_GET.source, call: method });
}
