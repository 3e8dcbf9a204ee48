import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMethodResponse,
  decodeMulticallResults,
  decodeXmlText,
  encodeMethodCall,
  MAX_VALUE_DEPTH,
  parseIntegerText,
} from '../../../../electron/core/codecs/xmlrpc';
import type { XmlRpcValue } from '../../../../electron/core/codecs/xmlrpc';
import { SeedboxError } from '../../../../electron/shared/errors';
import { errorOf } from '../../../helpers/errors';

const response = (valueXml: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse>\n<params>\n<param><value>${valueXml}</value></param>\n</params>\n</methodResponse>\n`;

const faultResponse = (code: string, message: string): string =>
  `<?xml version="1.0"?><methodResponse><fault><value><struct>` +
  `<member><name>faultCode</name><value>${code}</value></member>` +
  `<member><name>faultString</name><value><string>${message}</string></value></member>` +
  `</struct></value></fault></methodResponse>`;

/** A methodCall for one value, turned into the methodResponse a server would send back. */
function echoed(value: XmlRpcValue): string {
  return encodeMethodCall('echo', [value])
    .toString('utf8')
    .replace('<methodCall><methodName>echo</methodName>', '<methodResponse>')
    .replace('</methodCall>', '</methodResponse>');
}

const nestedArrays = (levels: number, leaf = '<i4>1</i4>'): string =>
  '<array><data><value>'.repeat(levels - 1) + leaf + '</value></data></array>'.repeat(levels - 1);

describe('encodeMethodCall', () => {
  it('writes every type rTorrent accepts', () => {
    const xml = encodeMethodCall('d.multicall2', [
      '',
      'main',
      'd.name=',
      7,
      -(2 ** 31),
      2 ** 31,
      -(2 ** 31) - 1,
      true,
      false,
      new Uint8Array([0, 1, 254, 255]),
      ['a', 1],
      { key: 'v', n: 2 },
    ]).toString('utf8');
    expect(xml).toBe(
      '<?xml version="1.0"?>\n<methodCall><methodName>d.multicall2</methodName><params>' +
        '<param><value><string></string></value></param>' +
        '<param><value><string>main</string></value></param>' +
        '<param><value><string>d.name=</string></value></param>' +
        '<param><value><i4>7</i4></value></param>' +
        '<param><value><i4>-2147483648</i4></value></param>' +
        '<param><value><i8>2147483648</i8></value></param>' +
        '<param><value><i8>-2147483649</i8></value></param>' +
        '<param><value><boolean>1</boolean></value></param>' +
        '<param><value><boolean>0</boolean></value></param>' +
        '<param><value><base64>AAH+/w==</base64></value></param>' +
        '<param><value><array><data><value><string>a</string></value><value><i4>1</i4></value></data></array></value></param>' +
        '<param><value><struct><member><name>key</name><value><string>v</string></value></member>' +
        '<member><name>n</name><value><i4>2</i4></value></member></struct></value></param>' +
        '</params></methodCall>\n',
    );
  });

  it('escapes markup and keeps carriage returns intact', () => {
    const xml = encodeMethodCall('x', ['a & b <c> "d" \'e\'\r\n']).toString('utf8');
    expect(xml).toContain('<string>a &amp; b &lt;c&gt; "d" \'e\'&#13;\n</string>');
  });

  it('writes UTF-8', () => {
    const xml = encodeMethodCall('x', ['été 日本 😀']);
    expect(xml.includes(Buffer.from('été 日本 😀', 'utf8'))).toBe(true);
  });

  it('refuses characters XML 1.0 cannot carry, naming the parameter', () => {
    const nul = errorOf(() => encodeMethodCall('x', ['ok', ['fine', 'bad\u0000']]));
    expect(nul.code).toBe('invalid-argument');
    expect(nul.message).toContain('params[1][1]');
    expect(nul.message).toContain('U+0000');
    expect(errorOf(() => encodeMethodCall('x', ['\uD800'])).message).toContain('unpaired surrogate');
    expect(errorOf(() => encodeMethodCall('x', ['\uFFFF'])).code).toBe('invalid-argument');
    expect(errorOf(() => encodeMethodCall('x', [{ 'bad\u0001key': 1 }])).code).toBe('invalid-argument');
  });

  it('refuses doubles, NaN, unsafe integers, null and undefined, naming the path', () => {
    const cases: Array<[unknown, string]> = [
      [1.5, 'not an integer'],
      [Number.NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [2 ** 60, 'beyond'],
      [null, 'null'],
      [undefined, 'undefined'],
      [new Date(0), 'Date'],
      [10n, 'bigint'],
    ];
    for (const [bad, mention] of cases) {
      const error = errorOf(() => encodeMethodCall('x', [{ list: [0, bad] }] as unknown as XmlRpcValue[]));
      expect(error.code).toBe('invalid-argument');
      expect(error.message).toContain('params[0].list[1]');
      expect(error.message).toContain(mention);
    }
  });

  it('refuses cyclic and over-deep values', () => {
    const cyclic: XmlRpcValue[] = [];
    cyclic.push(cyclic);
    expect(errorOf(() => encodeMethodCall('x', [cyclic])).code).toBe('invalid-argument');
  });

  it('validates method names', () => {
    for (const name of ['', 'd.name<', 'a b', 'x&y', 'é']) {
      expect(errorOf(() => encodeMethodCall(name, [])).code).toBe('invalid-argument');
    }
    expect(() => encodeMethodCall('system.multicall', [])).not.toThrow();
    expect(() => encodeMethodCall('ns:method/sub_1', [])).not.toThrow();
  });
});

describe('decodeMethodResponse', () => {
  it.each<[string, XmlRpcValue]>([
    ['<i4>42</i4>', 42],
    ['<int>-7</int>', -7],
    ['<i8>9007199254740991</i8>', 9007199254740991],
    ['<ex:i8>-12</ex:i8>', -12],
    ['<i4> +3 </i4>', 3],
    ['<string>abc</string>', 'abc'],
    ['<string>007</string>', '007'],
    ['<string>1e3</string>', '1e3'],
    ['<string>true</string>', 'true'],
    ['<string/>', ''],
    ['<string></string>', ''],
    ['bare text', 'bare text'],
    ['  007  ', '  007  '],
    ['', ''],
    ['<boolean>1</boolean>', true],
    ['<boolean>0</boolean>', false],
    ['<double>-1.5</double>', -1.5],
    ['<double>2e3</double>', 2000],
    ['<nil/>', null],
    ['<ex:nil/>', null],
    ['<dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>', '20240102T03:04:05'],
    ['<base64>AAH+/w==</base64>', new Uint8Array([0, 1, 254, 255])],
    ['<base64>AAH+\n/w==</base64>', new Uint8Array([0, 1, 254, 255])],
    ['<base64></base64>', new Uint8Array([])],
    ['<array><data/></array>', []],
    ['<array><data></data></array>', []],
    ['<array><data><value>x</value><value><i4>1</i4></value><value/></data></array>', ['x', 1, '']],
    [
      '<struct><member><name>a</name><value><i8>1</i8></value></member><member><value>v</value><name>b c</name></member></struct>',
      { a: 1, 'b c': 'v' },
    ],
    ['<struct></struct>', {}],
  ])('decodes %s', (xml, expected) => {
    expect(decodeMethodResponse(response(xml))).toEqual(expected);
  });

  it('accepts a Buffer, and a BOM', () => {
    expect(decodeMethodResponse(Buffer.from(response('<string>été 日本 😀</string>'), 'utf8'))).toBe('été 日本 😀');
    expect(decodeMethodResponse(Buffer.from(`\uFEFF${response('<i4>1</i4>')}`, 'utf8'))).toBe(1);
  });

  it('decodes an empty <value/> as the empty string', () => {
    expect(decodeMethodResponse('<methodResponse><params><param><value/></param></params></methodResponse>')).toBe('');
  });

  it('keeps whitespace inside strings exactly, and ignores it between tags', () => {
    const xml = response('\n  <string>  lead\n\ttrail  \n</string>\n');
    expect(decodeMethodResponse(xml)).toBe('  lead\n\ttrail  \n');
    const spaced = response('\n <array>\n <data>\n <value>\n <i4>1</i4>\n </value>\n <value> x </value>\n </data>\n </array>\n');
    expect(decodeMethodResponse(spaced)).toEqual([1, ' x ']);
    expect(decodeMethodResponse(response('<string>a\r\nb&#13;</string>'))).toBe('a\nb\r');
    expect(decodeMethodResponse(response('<string>\u00A0nbsp\u00A0</string>'))).toBe('\u00A0nbsp\u00A0');
  });

  it('decodes predefined entities and character references', () => {
    const xml = response('<string>&amp; &lt; &gt; &quot; &apos; &#39; &#x1F600; &#X41; &#0000065;</string>');
    expect(decodeMethodResponse(response('<string>&amp; &lt; &gt; &quot; &apos; &#39; &#x1F600; &#0000065;</string>'))).toBe(
      `& < > " ' ' 😀 A`,
    );
    // Hexadecimal references take a lower-case x only.
    expect(errorOf(() => decodeMethodResponse(xml)).code).toBe('protocol');
    expect(decodeMethodResponse(response('<string><![CDATA[a &amp; <b>]]> &amp;</string>'))).toBe('a &amp; <b> &');
  });

  it('decodes any number of entities (50 000 names full of &amp;)', () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `Show &amp; Tell &#39;${i}&#39; &lt;1080p&gt;`);
    const xml = response(`<array><data>${names.map((n) => `<value><string>${n}</string></value>`).join('')}</data></array>`);
    const decoded = decodeMethodResponse(xml) as string[];
    expect(decoded).toHaveLength(50_000);
    expect(decoded[49_999]).toBe("Show & Tell '49999' <1080p>");
    const one = decodeMethodResponse(response(`<string>${'&amp;'.repeat(200_000)}</string>`)) as string;
    expect(one).toBe('&'.repeat(200_000));
  });

  it('never expands DOCTYPE entities (XML bombs)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
      '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>' +
      '<methodResponse><params><param><value><string>&lol3;</string></value></param></params></methodResponse>';
    const error = errorOf(() => decodeMethodResponse(bomb));
    expect(error.code).toBe('protocol');
    expect(error.message).toContain('unknown entity');
    expect(errorOf(() => decodeMethodResponse(response('<string>&nbsp;</string>'))).code).toBe('protocol');
  });

  it('refuses bare ampersands and references to characters XML forbids', () => {
    for (const text of ['a & b', '&#0;', '&#xD800;', '&#x110000;', '&#;', '&amp']) {
      expect(errorOf(() => decodeMethodResponse(response(`<string>${text}</string>`))).code).toBe('protocol');
    }
  });

  it('throws rpc-fault for faults', () => {
    const error = errorOf(() => decodeMethodResponse(faultResponse('<i4>-506</i4>', "Method 'x' not defined")));
    expect(error.code).toBe('rpc-fault');
    expect(error.message).toBe("Method 'x' not defined (fault -506)");
    expect(error.details).toEqual({ faultCode: -506, faultString: "Method 'x' not defined" });
    expect(errorOf(() => decodeMethodResponse(faultResponse('<int>1</int>', 'a &amp; b'))).details.faultString).toBe('a & b');
    // A fault struct that is not one is a protocol error, not a fault.
    expect(errorOf(() => decodeMethodResponse(faultResponse('<string>x</string>', 'y'))).code).toBe('protocol');
  });

  it.each([
    ['an empty body', ''],
    ['HTML', '<html><body>502 Bad Gateway</body></html>'],
    ['plain text', 'Not Found'],
    ['a methodCall', '<methodCall><methodName>x</methodName><params/></methodCall>'],
    ['a truncated answer', response('<string>abc</string>').slice(0, 80)],
    ['mismatched tags', '<methodResponse><params><param><value><i4>1</i8></value></param></params></methodResponse>'],
    ['two roots', `${response('<i4>1</i4>')}<methodResponse/>`],
    ['trailing text', `${response('<i4>1</i4>')}junk`],
    ['no params', '<methodResponse></methodResponse>'],
    ['two params', '<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>'],
    ['an unknown type', response('<float>1</float>')],
    ['a bad integer', response('<i4>12a</i4>')],
    ['an empty integer', response('<i8></i8>')],
    ['a bad boolean', response('<boolean>yes</boolean>')],
    ['a bad double', response('<double>1.2.3</double>')],
    ['bad base64', response('<base64>@@@@</base64>')],
    ['two typed elements', response('<i4>1</i4><i4>2</i4>')],
    ['text beside a typed element', response('x<i4>1</i4>')],
    ['a non-value in data', response('<array><data><i4>1</i4></data></array>')],
    ['a member without a name', response('<struct><member><value>1</value></member></struct>')],
    ['an element inside a string', response('<string>a<b/>c</string>')],
    ['a reserved tag name', response('<__proto__>1</__proto__>')],
  ])('throws protocol for %s', (_, body) => {
    const error = errorOf(() => decodeMethodResponse(body));
    expect(error.code).toBe('protocol');
    expect(error.message.length).toBeLessThan(260);
  });

  it('quotes a short, printable part of what it received', () => {
    const html = `<html>\n<head><title>502 \u0001Bad Gateway</title></head>${'x'.repeat(500)}</html>`;
    const error = errorOf(() => decodeMethodResponse(html));
    expect(error.message).toContain('"<html> <head><title>502 Bad Gateway</title></head>xxx');
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('x'.repeat(100));
  });

  it('makes "__proto__" an ordinary member', () => {
    const decoded = decodeMethodResponse(
      response('<struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>1</value></member></struct></value></member></struct>'),
    ) as Record<string, XmlRpcValue>;
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it(`accepts ${MAX_VALUE_DEPTH} nested levels and rejects deeper ones with protocol`, () => {
    expect(decodeMethodResponse(response(nestedArrays(MAX_VALUE_DEPTH)))).toBeDefined();
    for (const levels of [MAX_VALUE_DEPTH + 1, MAX_VALUE_DEPTH + 5, 100_000]) {
      const error = errorOf(() => decodeMethodResponse(response(nestedArrays(levels))));
      expect(error.code).toBe('protocol');
    }
    const deepStruct = '<struct><member><name>k</name><value>'.repeat(80) + '1' + '</value></member></struct>'.repeat(80);
    expect(errorOf(() => decodeMethodResponse(response(deepStruct))).code).toBe('protocol');
  });

  it('property: deep nesting of any shape is rejected with protocol', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_VALUE_DEPTH + 1, max: 3000 }),
        fc.boolean(),
        fc.constantFrom('<i4>1</i4>', 'x', '<string/>'),
        (levels, closed, leaf) => {
          let body = response(nestedArrays(levels, leaf));
          if (!closed) body = body.slice(0, body.indexOf(leaf) + leaf.length);
          expect(errorOf(() => decodeMethodResponse(body)).code).toBe('protocol');
        },
      ),
      { numRuns: 60 },
    );
  });
});

// Values the encoder accepts and the decoder gives back unchanged.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;
const xmlString = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(XML_ILLEGAL, '?'));
const trickyString = fc.oneof(
  xmlString,
  fc.stringMatching(/^[ &<>"';#x0-9a-z\r\n\t]{0,30}$/),
  fc.constantFrom('', ' ', '  pad  ', '\r\n', '007', '1e5', 'true', '&amp;', ']]>', '__proto__'),
);
const { value: encodable } = fc.letrec<{ value: XmlRpcValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    trickyString,
    fc.maxSafeInteger(),
    fc.integer(),
    fc.boolean(),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(trickyString, tie('value'), { maxKeys: 5 }),
  ),
}));

describe('round trip (property)', () => {
  it('decodes what the encoder wrote, unchanged', () => {
    fc.assert(
      fc.property(encodable, (value) => {
        expect(decodeMethodResponse(echoed(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps all parameters of a call in order', () => {
    fc.assert(
      fc.property(fc.array(encodable, { maxLength: 6 }), (params) => {
        // Markup cannot occur inside encoded strings, so the call can be reshaped textually:
        // its parameters become the items of one array in a response.
        const asArray = encodeMethodCall('m', params)
          .toString('utf8')
          .replaceAll(/<\/?param>/g, '')
          .replace('<methodCall><methodName>m</methodName><params>', '<methodResponse><params><param><value><array><data>')
          .replace('</params></methodCall>', '</data></array></value></param></params></methodResponse>');
        expect(decodeMethodResponse(asArray)).toEqual(params);
      }),
      { numRuns: 200 },
    );
  });
});

describe('robustness (property)', () => {
  const expectValueOrSeedboxError = (body: string | Buffer): void => {
    try {
      decodeMethodResponse(body);
    } catch (error) {
      expect(error).toBeInstanceOf(SeedboxError);
    }
  };

  it('gives a value or a SeedboxError for arbitrary text and bytes', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), expectValueOrSeedboxError), { numRuns: 300 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expectValueOrSeedboxError(Buffer.from(bytes))),
      { numRuns: 300 },
    );
  });

  it('gives a value or a SeedboxError for mangled valid answers', () => {
    const tokens = ['<', '>', '</', '/>', '&', ';', '&#', '<value>', '</value>', '<string>', '<struct>', '<member>', '<name>', '<!DOCTYPE x>', '<![CDATA[', ']]>', '<!--', '-->', '<?', '?>', 'x', ' ', '\u0000'];
    fc.assert(
      fc.property(
        encodable,
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 }), fc.constantFrom(...tokens)), { maxLength: 4 }),
        (value, edits) => {
          let body = echoed(value);
          for (const [at, remove, insert] of edits) {
            const position = at % (body.length + 1);
            body = body.slice(0, position) + insert + body.slice(position + remove);
          }
          expectValueOrSeedboxError(body);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('decodeMulticallResults', () => {
  it('splits successes from per-call faults', () => {
    const xml = response(
      '<array><data>' +
        '<value><array><data><value><i8>5</i8></value></data></array></value>' +
        '<value><struct><member><name>faultCode</name><value><i4>-501</i4></value></member>' +
        '<member><name>faultString</name><value><string>Unsupported target type found.</string></value></member></struct></value>' +
        '<value><array><data><value><array><data><value>x</value></data></array></value></data></array></value>' +
        '</data></array>',
    );
    expect(decodeMulticallResults(decodeMethodResponse(xml))).toEqual([
      { ok: true, value: 5 },
      { ok: false, faultCode: -501, faultString: 'Unsupported target type found.' },
      { ok: true, value: ['x'] },
    ]);
  });

  it('throws protocol for anything else', () => {
    for (const bad of ['x', 1, [[]], [[1, 2]], [{ faultCode: 'x', faultString: 'y' }], [null]] as XmlRpcValue[]) {
      expect(errorOf(() => decodeMulticallResults(bad)).code).toBe('protocol');
    }
  });
});

describe('text helpers', () => {
  it('parseIntegerText reads integers only', () => {
    expect(parseIntegerText(' 12 ')).toBe(12);
    expect(parseIntegerText('-0')).toBe(0);
    expect(Object.is(parseIntegerText('-0'), 0)).toBe(true);
    expect(parseIntegerText('+5')).toBe(5);
    // i8 beyond 2^53 is read, with the precision a double has.
    expect(parseIntegerText('9223372036854775807')).toBe(2 ** 63);
    for (const bad of ['', ' ', '-', '1.0', '0x10', '1e3', '١٢']) expect(parseIntegerText(bad)).toBeUndefined();
  });

  it('parseIntegerText agrees with Number() on any digit string', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?[0-9]{1,25}$/), (digits) => {
        expect(parseIntegerText(digits)).toBe(Number(digits) === 0 ? 0 : Number(digits));
      }),
    );
  });

  it('decodeXmlText leaves text without references alone', () => {
    expect(decodeXmlText('plain; text')).toBe('plain; text');
  });
});
