// The torrent list is one d.multicall2 answer of tens of megabytes, polled every few seconds.
// This scanner reads exactly the shape rTorrent gives it (an array of rows of strings and
// integers) in one pass of indexOf and char-code comparisons, with no tree in between. Anything
// else, a fault included, makes it step aside (null) so the general decoder can decide.
//
// It scans a latin1 view of the bytes, where a character index is a byte offset: tags and
// digits are ASCII, so they read the same, and each string field is then decoded as UTF-8
// straight from the Buffer. That keeps the scan on a cheap one-byte string, and every name
// is a fresh string rather than a slice that would pin the whole answer in memory.

import { SeedboxError } from '../../shared/errors';
import { decodeMethodResponse, decodeXmlText, describeType, parseIntegerText } from './xmlrpc';
import type { XmlRpcValue } from './xmlrpc';

export type MulticallRow = Array<string | number>;

/** Thrown inside the scanner only; never escapes it. */
const NOT_THE_FAST_SHAPE = Symbol('not the fast shape');

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const LOWER_S = 0x73;

const UTF8_BOM_AS_LATIN1 = '\u00EF\u00BB\u00BF';

/** Only the plain declarations servers write; anything odder goes to the general decoder. */
const XML_DECLARATION =
  /<\?xml[ \t\r\n]+version[ ]*=[ ]*(["'])1\.[0-9]\1(?:[ \t\r\n]+encoding[ ]*=[ ]*(["'])[A-Za-z0-9._-]+\2)?(?:[ \t\r\n]+standalone[ ]*=[ ]*(["'])(?:yes|no)\3)?[ \t\r\n]*\?>/y;

const INTEGER_TAGS: ReadonlyArray<readonly [opener: string, closer: string]> = [
  ['<i8>', '</i8>'],
  ['<i4>', '</i4>'],
  ['<int>', '</int>'],
];

class RowScanner {
  private readonly text: string;
  private pos = 0;

  constructor(private readonly bytes: Buffer) {
    this.text = bytes.toString('latin1');
    if (this.text.startsWith(UTF8_BOM_AS_LATIN1)) this.pos = UTF8_BOM_AS_LATIN1.length;
  }

  rows(): MulticallRow[] {
    this.head();
    const rows: MulticallRow[] = [];
    while (!this.accept('</data>')) rows.push(this.row());
    this.tail();
    return rows;
  }

  /** Up to the first row: the declaration and the outer list's opening tags. */
  head(): void {
    this.declaration();
    this.expect('<methodResponse>');
    this.expect('<params>');
    this.expect('<param>');
    this.expect('<value>');
    this.expect('<array>');
    this.expect('<data>');
  }

  /** One row, from its <value> to its </value>. */
  row(): MulticallRow {
    this.expect('<value>');
    this.expect('<array>');
    this.expect('<data>');
    const row: MulticallRow = [];
    while (!this.accept('</data>')) row.push(this.field());
    this.expect('</array>');
    this.expect('</value>');
    return row;
  }

  /** One row that must end exactly at `end` (where the stream found its closing tags). */
  rowEndingAt(end: number): MulticallRow {
    const row = this.row();
    if (this.pos !== end) throw NOT_THE_FAST_SHAPE;
    return row;
  }

  /** After the outer list's </data>: the closing tags, then nothing but whitespace. */
  tail(): void {
    this.expect('</array>');
    this.expect('</value>');
    this.expect('</param>');
    this.expect('</params>');
    this.expect('</methodResponse>');
    this.skipWhitespace();
    if (this.pos !== this.text.length) throw NOT_THE_FAST_SHAPE;
  }

  get position(): number {
    return this.pos;
  }

  /** Skips whitespace, then consumes `tag` if it is next. */
  accept(tag: string): boolean {
    this.skipWhitespace();
    if (!this.isAt(tag)) return false;
    this.pos += tag.length;
    return true;
  }

  private declaration(): void {
    XML_DECLARATION.lastIndex = this.pos;
    if (XML_DECLARATION.test(this.text)) this.pos = XML_DECLARATION.lastIndex;
    // Any other declaration-like thing is not ours to judge.
    else if (this.isAt('<?')) throw NOT_THE_FAST_SHAPE;
  }

  private skipWhitespace(): void {
    const { text } = this;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code !== SPACE && code !== LF && code !== TAB && code !== CR) break;
      pos++;
    }
    this.pos = pos;
  }

  // A plain loop: TurboFan inlines it, where startsWith() stays a builtin call per tag.
  private isAt(tag: string): boolean {
    const { text, pos } = this;
    for (let i = 0; i < tag.length; i++) if (text.charCodeAt(pos + i) !== tag.charCodeAt(i)) return false;
    return true;
  }

  private expect(tag: string): void {
    if (!this.accept(tag)) throw NOT_THE_FAST_SHAPE;
  }

  /**
   * One <value> of a row. rTorrent writes every cell as <value><i8>N</i8></value> or
   * <value><string>…</string></value>: those two are read inline, char by char, with no
   * helper calls; anything else (spaces, <i4>, bare or empty values) takes the general path.
   */
  private field(): string | number {
    this.skipWhitespace();
    const { text } = this;
    const pos = this.pos;
    if (
      text.charCodeAt(pos) === 0x3c && text.charCodeAt(pos + 1) === 0x76 && text.charCodeAt(pos + 6) === 0x3e &&
      text.charCodeAt(pos + 7) === 0x3c && this.isAt('<value>')
    ) {
      const open = pos + 7;
      const kind = text.charCodeAt(open + 1);
      if (kind === 0x69 /* i */ && text.charCodeAt(open + 2) === 0x38 && text.charCodeAt(open + 3) === 0x3e) {
        let p = open + 4;
        const negative = text.charCodeAt(p) === 0x2d;
        if (negative) p++;
        const digitsStart = p;
        let value = 0;
        for (;;) {
          const digit = text.charCodeAt(p) - 0x30;
          if (digit < 0 || digit > 9) break;
          value = value * 10 + digit;
          p++;
        }
        const digits = p - digitsStart;
        if (digits > 0 && digits <= 15) {
          this.pos = p;
          if (this.isAt('</i8></value>')) {
            this.pos = p + 13;
            return negative && value !== 0 ? -value : value;
          }
        }
      } else if (kind === LOWER_S && this.isAtOffset(open, '<string>')) {
        const start = open + 8;
        const end = text.indexOf('<', start);
        if (end !== -1) {
          this.pos = end;
          if (this.isAt('</string></value>')) {
            this.pos = end + 17;
            return this.utf8Text(start, end);
          }
        }
      }
      this.pos = pos;
    }
    return this.generalField();
  }

  private isAtOffset(pos: number, tag: string): boolean {
    const { text } = this;
    for (let i = 0; i < tag.length; i++) if (text.charCodeAt(pos + i) !== tag.charCodeAt(i)) return false;
    return true;
  }

  private generalField(): string | number {
    if (this.accept('<value/>')) return '';
    this.expect('<value>');
    const { text } = this;
    const contentStart = this.pos;
    const lt = text.indexOf('<', contentStart);
    if (lt === -1) throw NOT_THE_FAST_SHAPE;
    this.pos = lt;
    if (this.isAt('</value>')) {
      // A bare <value>text</value> is a string, whitespace and all.
      this.pos = lt + '</value>'.length;
      return this.utf8Text(contentStart, lt);
    }
    for (let i = contentStart; i < lt; i++) {
      const code = text.charCodeAt(i);
      if (code !== SPACE && code !== LF && code !== TAB && code !== CR) throw NOT_THE_FAST_SHAPE;
    }
    const value = this.text.charCodeAt(lt + 1) === LOWER_S ? this.string() : this.integer();
    this.expect('</value>');
    return value;
  }

  private string(): string {
    if (this.accept('<string/>')) return '';
    this.expect('<string>');
    const start = this.pos;
    return this.utf8Text(start, this.contentEnd('</string>'));
  }

  private integer(): number {
    for (const [opener, closer] of INTEGER_TAGS) {
      if (!this.accept(opener)) continue;
      const start = this.pos;
      const value = parseIntegerText(this.text, start, this.contentEnd(closer));
      if (value === undefined) throw NOT_THE_FAST_SHAPE;
      return value;
    }
    throw NOT_THE_FAST_SHAPE;
  }

  /** Where the character data ends: at the next tag, which must be `closer`; consumes both. */
  private contentEnd(closer: string): number {
    const end = this.text.indexOf('<', this.pos);
    if (end === -1) throw NOT_THE_FAST_SHAPE;
    this.pos = end;
    if (!this.isAt(closer)) throw NOT_THE_FAST_SHAPE;
    this.pos = end + closer.length;
    return end;
  }

  private utf8Text(start: number, end: number): string {
    return start === end ? '' : decodeXmlText(this.bytes.toString('utf8', start, end));
  }
}

/**
 * The rows of a d.multicall2 / t.multicall / f.multicall answer whose fields are all strings
 * and integers, or null when the answer is anything else (a fault, other types, a different
 * shape, malformed text). Never throws and never guesses.
 */
export function decodeMulticallRows(xml: Buffer): MulticallRow[] | null {
  try {
    return new RowScanner(xml).rows();
  } catch {
    // Our sentinel, or a bad entity from decodeXmlText: either way the general decoder decides.
    return null;
  }
}

/** How a row ends in rTorrent's answer; a string cell cannot hold '<', so the first one after a row's start is its end. */
const ROW_END = Buffer.from('</data></array></value>', 'latin1');
/** Bytes held while waiting for a row's end; a row longer than this is not rTorrent's list (streaming stops, the whole answer decides). */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/**
 * The rows of a d.multicall2 answer read while it arrives, with the same scanner and the same
 * strictness as decodeMulticallRows: push() each piece of the body as it comes and get back the
 * rows it completed. Anything not of rTorrent's own compact shape makes it stop for good
 * (`failed`), handing back no more rows, and the caller decodes the whole answer as usual (the
 * rows already handed over are then the same as that decoder's first rows). Only what is not yet
 * a whole row is kept, so the answer never has to be held as one string.
 */
export class MulticallRowStream {
  private pending: Buffer = Buffer.alloc(0);
  private started = false;
  private ended = false;
  private broken = false;
  /** Rows handed out so far. */
  count = 0;

  /** Whether it stopped on something it does not read (see above); no more rows come then. */
  get failed(): boolean {
    return this.broken;
  }

  /** The rows this piece completes (none once failed or ended). */
  push(chunk: Buffer): MulticallRow[] {
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.ended) {
      // Only the closing tags are left to come.
      if (this.pending.length > 4096) this.fail();
      return [];
    }
    const rows: MulticallRow[] = [];
    try {
      const scanner = new RowScanner(this.pending);
      if (!this.started) {
        // The head is a few dozen bytes; wait until the first row (or the list's end) is in sight.
        if (this.pending.indexOf('<data>') === -1 || (this.pending.indexOf(ROW_END) === -1 && this.pending.length < 4096)) return rows;
        scanner.head();
        this.started = true;
      }
      let consumed = scanner.position;
      for (;;) {
        if (scanner.accept('</data>')) {
          this.ended = true;
          consumed = -1;
          break;
        }
        const end = this.pending.indexOf(ROW_END, scanner.position);
        if (end === -1) break;
        rows.push(scanner.rowEndingAt(end + ROW_END.length));
        consumed = scanner.position;
      }
      if (consumed === -1) {
        // The rest is the tail; finish() checks it once everything has arrived.
        this.pending = this.pending.subarray(scanner.position);
      } else {
        this.pending = this.pending.subarray(consumed);
        if (this.pending.length > MAX_PENDING_BYTES) throw NOT_THE_FAST_SHAPE;
      }
    } catch {
      this.fail();
      return [];
    }
    this.count += rows.length;
    return rows;
  }

  /** After the last piece: whether every row was read (the answer was wholly of the fast shape). */
  finish(): boolean {
    if (this.broken || !this.ended) return false;
    try {
      new RowScanner(this.pending).tail();
    } catch {
      this.fail();
      return false;
    }
    return true;
  }

  private fail(): void {
    this.broken = true;
    this.pending = Buffer.alloc(0);
  }
}

/**
 * Rows of a multicall answer: the fast scanner when it can, else the general decoder, whose
 * faults ('rpc-fault') and errors ('protocol') pass through. The result must be a list of lists.
 */
export function decodeMulticallRowsOrGeneral(xml: Buffer): XmlRpcValue[][] {
  const fast = decodeMulticallRows(xml);
  if (fast !== null) return fast;
  const value = decodeMethodResponse(xml);
  if (!Array.isArray(value)) throw new SeedboxError('protocol', `Expected a list of rows, the server answered ${describeType(value)}`);
  return value.map((row, index) => {
    if (!Array.isArray(row)) {
      throw new SeedboxError('protocol', `Expected a list of rows, but row ${index} is ${describeType(row)}`);
    }
    return row;
  });
}
