import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMethodResponse } from '../../../../electron/core/codecs/xmlrpc';
import { decodeMulticallRows, decodeMulticallRowsOrGeneral, MulticallRowStream, type MulticallRow } from '../../../../electron/core/codecs/xmlrpc-fast';
import { errorOf } from '../../../helpers/errors';
import { cliLanguage } from '../../../../electron/cli/language';
import { printTorrentTable } from '../../../../electron/cli/print';
import { normalizeTorrentRow } from '../../../../electron/core/clients/rtorrent/normalize';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** rTorrent 0.9.8's d.multicall2 shape, fields given as already-encoded <value> contents. */
function multicall(rows: string[][], gap = ''): Buffer {
  const body = rows
    .map((row) => `<value><array><data>${gap}${row.map((field) => `<value>${field}</value>${gap}`).join('')}</data></array></value>${gap}`)
    .join('');
  return Buffer.from(
    `${DECLARATION}${gap}<methodResponse>${gap}<params>${gap}<param><value><array><data>${gap}${body}</data></array></value></param>${gap}</params>${gap}</methodResponse>${gap}`,
    'utf8',
  );
}

describe('decodeMulticallRows', () => {
  it('reads rTorrent 0.9.8 rows', () => {
    const xml = multicall([
      ['<string>abc</string>', '<i8>123</i8>', '<i4>-4</i4>', '<int>0</int>'],
      ['<string/>', '<string></string>', 'bare', ''],
    ]);
    expect(decodeMulticallRows(xml)).toEqual([
      ['abc', 123, -4, 0],
      ['', '', 'bare', ''],
    ]);
  });

  it('reads <value/>, an empty list and rows without the XML declaration', () => {
    const xml = Buffer.from(
      '<methodResponse><params><param><value><array><data><value><array><data><value/></data></array></value></data></array></value></param></params></methodResponse>',
    );
    expect(decodeMulticallRows(xml)).toEqual([['']]);
    expect(decodeMulticallRows(multicall([]))).toEqual([]);
    expect(decodeMulticallRows(multicall([[]]))).toEqual([[]]);
  });

  it('tolerates whitespace and newlines between tags, and keeps it inside strings', () => {
    const xml = multicall([['<string>  two  spaces\n</string>', '\n  <i8> 5 </i8>\n', '  ']], '\r\n  ');
    expect(decodeMulticallRows(xml)).toEqual([['  two  spaces\n', 5, '  ']]);
  });

  it('decodes entities, numeric references, CR LF and multi-byte UTF-8', () => {
    const xml = multicall([['<string>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&#39; &#x1F600; été 日本 😀\r\nz</string>']]);
    expect(decodeMulticallRows(xml)).toEqual([[`a & b <c> "d" 'e' 😀 été 日本 😀\nz`]]);
    expect(decodeMulticallRows(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), multicall([['<i4>1</i4>']])]))).toEqual([[1]]);
  });

  it.each([
    ['a fault', `${DECLARATION}<methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-501</i4></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>`],
    ['a double', multicall([['<double>1.5</double>']]).toString()],
    ['a boolean', multicall([['<boolean>1</boolean>']]).toString()],
    ['a nested array', multicall([['<array><data></data></array>']]).toString()],
    ['a scalar row', `${DECLARATION}<methodResponse><params><param><value><array><data><value><i4>1</i4></value></data></array></value></param></params></methodResponse>`],
    ['a scalar answer', `${DECLARATION}<methodResponse><params><param><value><i4>1</i4></value></param></params></methodResponse>`],
    ['a bad integer', multicall([['<i8>1x</i8>']]).toString()],
    ['a mismatched closing tag', multicall([['<i8>1</i4>']]).toString()],
    ['an unknown entity', multicall([['<string>&nbsp;</string>']]).toString()],
    ['a bare ampersand', multicall([['<string>a & b</string>']]).toString()],
    ['a CDATA section', multicall([['<string><![CDATA[x]]></string>']]).toString()],
    ['a comment', multicall([['<!-- c --><string>x</string>']]).toString()],
    ['a truncated answer', multicall([['<string>abc</string>']]).toString().slice(0, -30)],
    ['trailing garbage', `${multicall([['<string>abc</string>']]).toString()}x`],
    ['HTML', '<html><body>Bad Gateway</body></html>'],
    ['nothing', ''],
  ])('returns null for %s', (_, body) => {
    expect(decodeMulticallRows(Buffer.from(body, 'utf8'))).toBeNull();
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const rows = decodeMulticallRows(Buffer.from(bytes));
        expect(rows === null || Array.isArray(rows)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// A generated multicall answer: the rows we mean, and one of many ways to write them.
type Field = string | number;
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;
const fieldString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => s.replace(XML_ILLEGAL, '?')),
  fc.stringMatching(/^[ a-z&<>"'\r\n\t]{0,20}$/),
  fc.constantFrom('', ' ', '007', '-1', 'été 日本 😀'),
);
const field: fc.Arbitrary<Field> = fc.oneof(fieldString, fc.maxSafeInteger(), fc.integer());
const gap = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', '  \n  ');

function escapeChar(char: string, style: number): string {
  switch (char) {
    case '&':
      return ['&amp;', '&#38;', '&#x26;'][style % 3] as string;
    case '<':
      return ['&lt;', '&#60;', '&#x3c;'][style % 3] as string;
    case '>':
      return ['>', '&gt;', '&#62;'][style % 3] as string;
    case '"':
      return ['"', '&quot;', '&#34;'][style % 3] as string;
    case "'":
      return ["'", '&apos;', '&#39;'][style % 3] as string;
    case '\r':
      return '&#13;';
    default:
      return style % 7 === 0 ? `&#x${char.codePointAt(0)?.toString(16)};` : char;
  }
}

const writtenField = (value: Field): fc.Arbitrary<string> =>
  typeof value === 'number'
    ? fc.tuple(fc.constantFrom('i4', 'i8', 'int'), gap, gap).map(([tag, before, after]) =>
        tag === 'i4' && Math.abs(value) >= 2 ** 31 ? `${before}<i8>${value}</i8>${after}` : `${before}<${tag}>${value}</${tag}>${after}`,
      )
    : fc.tuple(fc.nat(), fc.constantFrom('typed', 'bare', 'empty'), gap, gap).map(([style, form, before, after]) => {
        const text = Array.from(value, (char, index) => escapeChar(char, style + index)).join('');
        if (form === 'bare') return text;
        if (form === 'empty' && value === '') return `${before}<string/>${after}`;
        return `${before}<string>${text}</string>${after}`;
      });

const generatedAnswer = fc
  .array(fc.array(field, { maxLength: 8 }), { maxLength: 12 })
  .chain((rows) =>
    fc
      .tuple(fc.tuple(...rows.map((row) => fc.tuple(...row.map(writtenField)))), gap)
      .map(([written, spacing]) => ({ rows, xml: multicall(written, spacing) })),
  );

describe('fast path against the general decoder (property)', () => {
  it('gives identical values, and the rows that were written', () => {
    fc.assert(
      fc.property(generatedAnswer, ({ rows, xml }) => {
        const fast = decodeMulticallRows(xml);
        expect(fast).not.toBeNull();
        expect(fast).toEqual(decodeMethodResponse(xml));
        expect(fast).toEqual(rows);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees whenever it answers, on mangled answers too', () => {
    const tokens = ['<', '>', '&', ';', '&#', '</value>', '<value>', '<string>', '</data>', '<i4>', '\r', ' ', '<!---->', '<![CDATA[x]]>'];
    fc.assert(
      fc.property(
        generatedAnswer,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(...tokens)), { minLength: 1, maxLength: 3 }),
        ({ xml }, edits) => {
          let body = xml.toString('utf8');
          for (const [at, remove, insert] of edits) {
            const position = at % (body.length + 1);
            body = body.slice(0, position) + insert + body.slice(position + remove);
          }
          const bytes = Buffer.from(body, 'utf8');
          const fast = decodeMulticallRows(bytes);
          if (fast !== null) expect(fast).toEqual(decodeMethodResponse(bytes));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('decodeMulticallRowsOrGeneral', () => {
  it('uses the general decoder for other value types', () => {
    const xml = multicall([['<string>a</string>', '<double>1.5</double>', '<boolean>1</boolean>']]);
    expect(decodeMulticallRows(xml)).toBeNull();
    expect(decodeMulticallRowsOrGeneral(xml)).toEqual([['a', 1.5, true]]);
  });

  it('passes faults through and refuses other shapes with protocol', () => {
    const fault = Buffer.from(
      '<methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-506</i4></value></member>' +
        '<member><name>faultString</name><value><string>Method not defined</string></value></member></struct></value></fault></methodResponse>',
    );
    expect(errorOf(() => decodeMulticallRowsOrGeneral(fault)).code).toBe('rpc-fault');
    const scalar = Buffer.from('<methodResponse><params><param><value><i4>1</i4></value></param></params></methodResponse>');
    expect(errorOf(() => decodeMulticallRowsOrGeneral(scalar)).code).toBe('protocol');
    const flat = Buffer.from(
      '<methodResponse><params><param><value><array><data><value><i4>1</i4></value></data></array></value></param></params></methodResponse>',
    );
    expect(errorOf(() => decodeMulticallRowsOrGeneral(flat)).message).toContain('row 0');
    expect(errorOf(() => decodeMulticallRowsOrGeneral(Buffer.from('<html/>'))).code).toBe('protocol');
  });

  it('reads a large answer (2 000 rows × 20 fields)', () => {
    const rows = Array.from({ length: 2000 }, (_, r) =>
      Array.from({ length: 20 }, (__, f) => (f % 2 === 0 ? `<string>Name ${r} &amp; ${f}</string>` : `<i8>${r * 1e6 + f}</i8>`)),
    );
    const decoded = decodeMulticallRowsOrGeneral(multicall(rows, '\n'));
    expect(decoded).toHaveLength(2000);
    expect(decoded[1999]?.slice(0, 2)).toEqual(['Name 1999 & 0', 1999e6 + 1]);
  });

  it('reads 300 000 rows of rTorrent\'s 25 list fields, and the CLI prints them (no spread of rows into a call)', () => {
    const row = (index: number): string[] =>
      Array.from({ length: 25 }, (_, field) => (field === 0 ? `<string>${index.toString(16).toUpperCase().padStart(40, '0')}</string>` : field === 1 ? `<string>Name ${index}</string>` : field > 16 ? '<string></string>' : `<i8>${field}</i8>`));
    const answer = multicall(Array.from({ length: 300_000 }, (_, index) => row(index)));
    const rows = decodeMulticallRows(answer)!;
    expect(rows).toHaveLength(300_000);
    expect(rows[299_999]!.slice(0, 3)).toEqual(['00000000000000000000000000000000000493DF', 'Name 299999', 2]);
    const torrents = rows.map((fields) => normalizeTorrentRow(fields, 'rutorrent'));
    expect(printTorrentTable(torrents, cliLanguage({})).split('\n')).toHaveLength(300_002);
  }, 120_000);
});

/** Feeds `xml` to a stream cut at `cuts` (offsets, any order); the rows as they came and whether it read all. */
function streamed(xml: Buffer, cuts: number[]): { rows: MulticallRow[]; complete: boolean; stream: MulticallRowStream } {
  const stream = new MulticallRowStream();
  const rows: MulticallRow[] = [];
  const points = [...new Set(cuts.map((cut) => cut % (xml.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, xml.length]) {
    rows.push(...stream.push(xml.subarray(from, point)));
    from = point;
  }
  return { rows, complete: stream.finish(), stream };
}

describe('MulticallRowStream: rows read while the answer arrives', () => {
  it("hands over the first rows before the answer's end, then the rest, the same as the whole-answer decoder", () => {
    const rows = Array.from({ length: 3000 }, (_, index) => [`<string>torrent ${index} &amp; more</string>`, `<i8>${index * 1000}</i8>`]);
    const xml = multicall(rows);
    const stream = new MulticallRowStream();
    const first = stream.push(xml.subarray(0, Math.floor(xml.length / 3)));
    expect(first.length).toBeGreaterThan(500);
    expect(first[0]).toEqual(['torrent 0 & more', 0]);
    const rest = stream.push(xml.subarray(Math.floor(xml.length / 3)));
    expect(stream.finish()).toBe(true);
    expect([...first, ...rest]).toEqual(decodeMulticallRows(xml));
  });

  it("reads rTorrent's compact answers whole whatever the pieces, and agrees with the fast decoder (property)", () => {
    fc.assert(
      fc.property(generatedAnswer, fc.array(fc.nat(), { maxLength: 12 }), ({ xml }, cuts) => {
        const compact = Buffer.from(xml.toString('utf8').replace(/>\s+</g, '><'), 'utf8');
        const expected = decodeMulticallRows(compact);
        const result = streamed(compact, cuts);
        if (expected !== null && !/<value>\s+</.test(compact.toString('utf8'))) expect(result.complete).toBe(true);
        if (result.complete) expect(result.rows).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws, and hands over only rows the general decoder also reads, first to last, on spaced or mangled answers (property)', () => {
    const tokens = ['<', '>', '&', ';', '&#', '</value>', '<value>', '<string>', '</data>', '</data></array></value>', '<i4>', '\r', ' ', '<!---->', '<![CDATA[</data></array></value>]]>'];
    fc.assert(
      fc.property(
        generatedAnswer,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 4 }), fc.constantFrom(...tokens)), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        ({ xml }, edits, cuts) => {
          let body = xml.toString('utf8');
          for (const [at, remove, insert] of edits) {
            const position = at % (body.length + 1);
            body = body.slice(0, position) + insert + body.slice(position + remove);
          }
          const bytes = Buffer.from(body, 'utf8');
          const result = streamed(bytes, cuts);
          let general: unknown;
          try {
            general = decodeMethodResponse(bytes);
          } catch {
            general = undefined;
          }
          if (result.complete) expect(result.rows).toEqual(decodeMulticallRows(bytes));
          if (Array.isArray(general)) expect(result.rows).toEqual(general.slice(0, result.rows.length));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stops for good on a fault or another shape, handing over nothing', () => {
    const fault = Buffer.from(
      `${DECLARATION}<methodResponse><fault><value><struct><member><name>faultCode</name><value><i4>-501</i4></value></member></struct></value></fault></methodResponse>`,
    );
    expect(streamed(fault, [10, 50]).rows).toEqual([]);
    expect(streamed(fault, [10, 50]).complete).toBe(false);
    const nested = multicall([['<array><data><value><i8>1</i8></value></data></array>']]);
    const result = streamed(nested, [40]);
    expect([result.rows, result.complete, result.stream.failed]).toEqual([[], false, true]);
  });
});
