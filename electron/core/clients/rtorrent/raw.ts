// What rTorrent must answer to each call we make, checked before anything reads it (see
// ../answers.ts). One table: ANSWERS for whole answers by method, FIELD_KINDS for the cells of
// the multicall rows (d.multicall2, f./p./t.multicall), whose field lists live in normalize.ts.
//
// The list of 50 000 torrents is polled every 1.5 s, so its rows are not checked with a zod
// schema per row (several times the cost, see bench/answer-checks.ts): `checkRows` runs tight
// typeof loops over the columns of each kind, built from FIELD_KINDS once per call; a mismatch
// names the row and the field.
// Types as rTorrent 0.9.8 writes them (checked against it): every integer <i8>, every
// string <string>, `cat=` results strings, and setters answer 0 or the value they set.
import { z } from 'zod';
import { DAEMONS } from '../../../shared/daemons/catalogue';
import { SeedboxError } from '../../../shared/errors';
import type { XmlRpcValue } from '../../codecs/xmlrpc';
import { answerError, answerInt, answerMismatch, answerTorrentId, fitsKind, KIND_WORDS, parseAnswer, type AnswerSource, type Kind } from '../answers';
import { FILE_FIELDS, LIST_FIELDS, NAME_FIELD, PEER_FIELDS, PLAIN_NAME_FIELD, TRACKER_FIELDS } from './normalize';

const DAEMON = DAEMONS.rtorrent.name;
const answered = (call: string): AnswerSource => ({ source: DAEMON, call });

/** One cell of a row as the checks leave it. */
export type RawCell = string | number;
export type RawRow = RawCell[];

type CellKind = Extract<Kind, 'string' | 'int' | 'hash'>;

/** What each row field answers. `cat=…` fields (built strings) are strings without a line here. */
const FIELD_KINDS: Record<string, CellKind> = {
  ...kinds(LIST_FIELDS, {
    'd.hash=': 'hash',
    [NAME_FIELD]: 'string',
    'd.custom1=': 'string',
    'd.directory=': 'string',
    'd.custom=addtime': 'string',
    'd.message=': 'string',
  }),
  [PLAIN_NAME_FIELD]: 'string',
  // remove-data.ts's look at every loaded torrent's place (cross-seeded files).
  'd.is_multi_file=': 'int',
  ...kinds(FILE_FIELDS, { 'f.path=': 'string' }),
  ...kinds(PEER_FIELDS, { 'p.address=': 'string', 'p.client_version=': 'string' }),
  ...kinds(TRACKER_FIELDS, { 't.url=': 'string' }),
};

/** Every field of `fields` an integer unless named otherwise in `strings`. */
function kinds(fields: readonly string[], strings: Record<string, CellKind>): Record<string, CellKind> {
  return Object.fromEntries(fields.map((field) => [field, strings[field] ?? (field.startsWith('cat=') ? 'string' : 'int')]));
}

function kindOf(field: string): CellKind {
  const kind = FIELD_KINDS[field] ?? (field.startsWith('cat=') ? 'string' : undefined);
  if (kind === undefined) throw new SeedboxError('internal', `No answer type is known for the rTorrent row field ${field} (add it to rtorrent/raw.ts).`);
  return kind;
}

/** The name a user can look up: d.name for our branch={…} expression, the tracker summary by what it is. */
function fieldLabel(field: string): string {
  if (field === NAME_FIELD) return 'd.name';
  if (field.startsWith('cat="$t.multicall')) return 't.multicall (tracker summary)';
  return field.replace(/=$/, '');
}

/**
 * Rows of `fields`, each cell of its kind; throws the 'protocol' error naming the first
 * mismatch ("rTorrent answered d.multicall2 row 3 field d.name with an object, expected a string").
 * The columns are grouped by kind so that each row is a few tight typeof loops.
 */
export function checkRows(method: string, value: unknown, fields: readonly string[], firstIndex = 0): RawRow[] {
  if (!Array.isArray(value)) throw answerMismatch(answered(method), {}, value, 'a list of rows');
  const columns = fields.map(kindOf);
  const width = columns.length;
  const ints = indexesOf(columns, 'int');
  const strings = indexesOf(columns, 'string');
  const hashes = indexesOf(columns, 'hash');
  for (let index = 0; index < value.length; index++) {
    const row: unknown = value[index];
    if (!Array.isArray(row) || row.length !== width) throw rowMismatch(method, firstIndex + index, row, width);
    let good = true;
    for (let i = 0; i < ints.length; i++) {
      const cell: unknown = row[ints[i]!];
      if (typeof cell !== 'number' || !Number.isSafeInteger(cell)) good = false;
    }
    for (let i = 0; i < strings.length; i++) if (typeof row[strings[i]!] !== 'string') good = false;
    for (let i = 0; i < hashes.length; i++) if (!fitsKind('hash', row[hashes[i]!])) good = false;
    if (!good) {
      const column = columns.findIndex((kind, at) => !fitsKind(kind, row[at]));
      throw answerMismatch(answered(method), { item: `row ${firstIndex + index}`, field: fieldLabel(fields[column]!) }, row[column], KIND_WORDS[columns[column]!]);
    }
  }
  return value as RawRow[];
}

function indexesOf(columns: readonly CellKind[], kind: CellKind): number[] {
  return columns.flatMap((each, index) => (each === kind ? [index] : []));
}

function rowMismatch(method: string, index: number, row: unknown, width: number): SeedboxError {
  if (!Array.isArray(row)) return answerMismatch(answered(method), { item: `row ${index}` }, row, `a row of ${width} fields`);
  return answerError(answered(method), { item: `row ${index}` }, `with ${row.length} fields`, `${width}`);
}

const int = answerInt;
/** What a command that changes something answers: 0, or (d.custom1.set and kin) the value it set. */
const ACK = z.union([int, z.string()]);
const METHOD_LIST = z.array(z.string());

/** The answer of every single method we call, by name. Row methods are checked by `checkRows`. */
const ANSWERS: Record<string, z.ZodType<XmlRpcValue>> = {
  'system.listMethods': METHOD_LIST,
  'system.client_version': z.string(),
  'network.xmlrpc.size_limit': int,
  'view.size': int,
  'd.hash': answerTorrentId,
  'd.name': z.string(),
  'd.directory': z.string(),
  'd.is_multi_file': int,
  'd.is_meta': int,
  'd.state': int,
  'd.is_open': int,
  'd.is_active': int,
  'd.chunk_size': int,
  'd.tied_to_file': z.string(),
  'session.path': z.string(),
  'throttle.global_down.rate': int,
  'throttle.global_up.rate': int,
  'throttle.global_down.max_rate': int,
  'throttle.global_up.max_rate': int,
  // execute.throw answers 0; execute.nothrow the command's exit status; the capture forms its output.
  'execute.throw': int,
  'execute.nothrow': int,
  'execute.capture': z.string(),
  'execute.capture_nothrow': z.string(),
  ...Object.fromEntries(
    [
      'load.raw', 'load.raw_start', 'load.normal', 'load.start', 'd.start', 'd.stop', 'd.open', 'd.close', 'd.pause', 'd.erase',
      'd.check_hash', 'd.tracker_announce', 'd.update_priorities', 'd.custom.set', 'd.custom1.set', 'd.directory.set', 'd.directory_base.set',
      'd.throttle_name.set', 'f.priority.set', 'throttle.down', 'throttle.up', 'throttle.global_down.max_rate.set',
      'throttle.global_up.max_rate.set',
    ].map((method) => [method, ACK]),
  ),
};

/** Where a row method's field list starts in its parameters. */
const ROW_FIELDS_FROM: Record<string, number> = {
  'd.multicall2': 2, // "", view, fields…
  'd.multicall': 1, // view, fields…
  'd.multicall.filtered': 3, // "", view, filter, fields…
  'f.multicall': 2, // hash, "", fields…
  'p.multicall': 2,
  't.multicall': 2,
};

/** The fields a row method's `params` ask for (its rows are checked against them), or undefined for other methods. */
export function rowFieldsOf(method: string, params: readonly XmlRpcValue[]): string[] | undefined {
  const fieldsFrom = ROW_FIELDS_FROM[method];
  return fieldsFrom === undefined ? undefined : params.slice(fieldsFrom).map(String);
}

/** The answer of `method` called with `params`, checked; anything unexpected is a 'protocol' error. */
export function checkAnswerOf(method: string, params: readonly XmlRpcValue[], value: unknown): XmlRpcValue {
  const fields = rowFieldsOf(method, params);
  if (fields !== undefined) return checkRows(method, value, fields);
  const schema = ANSWERS[method];
  if (!schema) throw new SeedboxError('internal', `No answer type is known for the rTorrent method ${method} (add it to rtorrent/raw.ts).`);
  return parseAnswer(schema, value, answered(method));
}
