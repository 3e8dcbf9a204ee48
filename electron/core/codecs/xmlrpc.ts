// XML-RPC as rTorrent speaks it: requests are built by hand (fast, and only the types rTorrent
// accepts), responses are parsed with fast-xml-parser and then walked strictly.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SeedboxError } from '../../shared/errors';
import { MAX_VALUE_DEPTH } from './depth';

/**
 * One XML-RPC value. `null` only comes out of decoding (<nil/>). Integers are JS numbers:
 * an <i8> beyond ±2^53 loses precision (rTorrent's byte counters stay far below that).
 */
export type XmlRpcValue = string | number | boolean | null | Uint8Array | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export type XmlRpcStruct = { [key: string]: XmlRpcValue };

// Deeper values are refused both ways.
export { MAX_VALUE_DEPTH };

// ---------------------------------------------------------------------------------------------
// Helpers shared with the fast multicall decoder and the JSON-RPC codec.

const I4_MIN = -(2 ** 31);
const I4_MAX = 2 ** 31 - 1;

/** A parameter we cannot send, named by its path ("params[1].name[0]"). */
export function invalidParam(path: string, problem: string): SeedboxError {
  return new SeedboxError('invalid-argument', `Cannot encode ${path}: ${problem}`, { path });
}

export function isStruct(value: unknown): value is XmlRpcStruct {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What a value is, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? `the integer ${value}` : `the non-integer ${value}`;
  }
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return typeof value;
}

/** rTorrent only takes 64-bit integers; a fraction or an inexact integer is a caller bug. */
export function assertEncodableInteger(value: number, path: string): void {
  if (!Number.isSafeInteger(value)) {
    throw invalidParam(
      path,
      Number.isInteger(value)
        ? `${value} is beyond ±2^53 and cannot be sent exactly`
        : `${describeType(value)} is not an integer (rTorrent takes no doubles)`,
    );
  }
}

const METHOD_NAME = /^[A-Za-z0-9_.:/]+$/;

export function assertMethodName(method: string): void {
  if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
    throw new SeedboxError(
      'invalid-argument',
      `Invalid RPC method name ${JSON.stringify(String(method)).slice(0, 80)}: only letters, digits, _ . : / are allowed`,
    );
  }
}

// Lone surrogates cannot become UTF-8; the rest are characters XML 1.0 forbids outright.
const XML_ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/u;

/** The first character of `text` that XML 1.0 cannot carry, described, or undefined. */
export function findIllegalXmlChar(text: string): string | undefined {
  const match = XML_ILLEGAL_CHAR.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const kind = code >= 0xd800 && code <= 0xdfff ? 'unpaired surrogate' : 'character';
  return `${kind} U+${code.toString(16).toUpperCase().padStart(4, '0')} at index ${match.index}`;
}

/** At most ~80 characters of what we received, printable, for an error message. */
export function describeReceived(received: string): string {
  const flat = received
    .slice(0, 200)
    .replace(/[\u0000-\u001F\u007F-\u009F\uFFFD]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat === '') return received.length === 0 ? 'an empty body' : 'unprintable bytes';
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat);
}

export function bodyToText(body: Buffer | Uint8Array | string): string {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function protocolError(message: string): SeedboxError {
  return new SeedboxError('protocol', message);
}

// ---------------------------------------------------------------------------------------------
// Text decoding, shared by the general and the fast decoder so both agree to the character.

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Longest reference we look for: "#x10FFFF" plus leading zeros is plenty. */
const MAX_REFERENCE_LENGTH = 32;

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function resolveReference(name: string): string {
  const predefined = PREDEFINED_ENTITIES[name];
  if (predefined !== undefined) return predefined;
  const code = /^#x[0-9A-Fa-f]+$/.test(name)
    ? Number.parseInt(name.slice(2), 16)
    : /^#[0-9]+$/.test(name)
      ? Number.parseInt(name.slice(1), 10)
      : undefined;
  if (code === undefined) {
    // DOCTYPE-declared (and HTML) entities are refused on purpose: expanding them is how XML bombs work.
    throw protocolError(`Malformed XML-RPC response: unknown entity ${describeReceived(`&${name};`)}`);
  }
  if (!isXmlChar(code)) throw protocolError(`Malformed XML-RPC response: invalid character reference &${name};`);
  return String.fromCodePoint(code);
}

/**
 * Raw XML character data → text: line ends normalized as XML requires, the five predefined
 * entities and numeric references decoded, in one linear pass with no count limit (50 000
 * torrent names full of &amp; are normal). Throws 'protocol' on a bare or unknown reference.
 */
export function decodeXmlText(raw: string): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let decoded = '';
  let copiedUpTo = 0;
  while (amp !== -1) {
    const semicolon = text.indexOf(';', amp + 1);
    if (semicolon === -1 || semicolon - amp > MAX_REFERENCE_LENGTH) {
      throw protocolError(`Malformed XML-RPC response: stray "&" in text ${describeReceived(text.slice(amp, amp + 20))}`);
    }
    decoded += text.slice(copiedUpTo, amp) + resolveReference(text.slice(amp + 1, semicolon));
    copiedUpTo = semicolon + 1;
    amp = text.indexOf('&', copiedUpTo);
  }
  return decoded + text.slice(copiedUpTo);
}

const MAX_EXACT_DIGITS = 15;

function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/** Like trim(), but only XML's four whitespace characters: a no-break space is content. */
function trimXmlSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * The integer in text[start, end) (an <i4>/<int>/<i8> body, surrounding whitespace allowed), or
 * undefined when it is not one. Reads digits in place: the torrent list holds ~10^5 of them.
 */
export function parseIntegerText(text: string, start = 0, end = text.length): number | undefined {
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  const sign = text.charCodeAt(start);
  const negative = sign === 0x2d;
  const digitsStart = negative || sign === 0x2b ? start + 1 : start;
  if (digitsStart >= end) return undefined;
  let value = 0;
  for (let i = digitsStart; i < end; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  // Past 15 digits the running sum can round differently from a correctly rounded parse.
  if (end - digitsStart > MAX_EXACT_DIGITS) value = Number(text.slice(digitsStart, end));
  return negative && value !== 0 ? -value : value;
}

/** Sets a struct member; "__proto__" from the wire becomes an ordinary key, not a prototype. */
export function setMember(struct: XmlRpcStruct, name: string, value: XmlRpcValue): void {
  if (name === '__proto__') {
    Object.defineProperty(struct, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    struct[name] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

function escapeXmlText(text: string, path: string): string {
  const illegal = findIllegalXmlChar(text);
  if (illegal !== undefined) throw invalidParam(path, `the string contains ${illegal}, which XML cannot carry`);
  // \r is escaped so the server's XML parser does not turn "\r\n" into "\n".
  return /[&<>\r]/.test(text) ? text.replace(/[&<>\r]/g, escapeChar) : text;
}

function escapeChar(char: string): string {
  switch (char) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    default:
      return '&#13;';
  }
}

function encodeValue(value: unknown, path: string, depth: number): string {
  if (depth > MAX_VALUE_DEPTH) throw invalidParam(path, `nested deeper than ${MAX_VALUE_DEPTH} levels (or cyclic)`);
  switch (typeof value) {
    case 'string':
      return `<value><string>${escapeXmlText(value, path)}</string></value>`;
    case 'number':
      assertEncodableInteger(value, path);
      return value >= I4_MIN && value <= I4_MAX ? `<value><i4>${value}</i4></value>` : `<value><i8>${value}</i8></value>`;
    case 'boolean':
      return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
    case 'object': {
      if (value instanceof Uint8Array) {
        return `<value><base64>${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}</base64></value>`;
      }
      if (Array.isArray(value)) {
        let items = '';
        for (let i = 0; i < value.length; i++) items += encodeValue(value[i], `${path}[${i}]`, depth + 1);
        return `<value><array><data>${items}</data></array></value>`;
      }
      if (isStruct(value)) {
        let members = '';
        for (const [name, member] of Object.entries(value)) {
          const memberPath = `${path}.${name}`;
          members += `<member><name>${escapeXmlText(name, memberPath)}</name>${encodeValue(member, memberPath, depth + 1)}</member>`;
        }
        return `<value><struct>${members}</struct></value>`;
      }
      break;
    }
    default: // undefined, bigint, symbol, function: refused below.
  }
  throw invalidParam(path, `${describeType(value)} has no XML-RPC form rTorrent accepts`);
}

/** A complete <methodCall> document, UTF-8. */
export function encodeMethodCall(method: string, params: readonly XmlRpcValue[]): Buffer {
  assertMethodName(method);
  let xml = `<?xml version="1.0"?>\n<methodCall><methodName>${method}</methodName><params>`;
  for (let i = 0; i < params.length; i++) xml += `<param>${encodeValue(params[i], `params[${i}]`, 1)}</param>`;
  return Buffer.from(`${xml}</params></methodCall>\n`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** fast-xml-parser's preserveOrder output: an element is { tag: children }, text is { '#text' }. */
type XmlNode = { [tag: string]: XmlNode[] } & { '#text'?: string; '#cdata'?: XmlNode[] };

const TEXT = '#text';
const CDATA = '#cdata';

const parser = new XMLParser({
  // Order matters (struct members, bare-text values), so keep the document order.
  preserveOrder: true,
  ignoreAttributes: true,
  // Strings are strings: no "007" → 7, no trimming of "  name  ".
  parseTagValue: false,
  trimValues: false,
  // We decode entities ourselves (decodeXmlText): the parser's decoder counts expansions and
  // gives up on large honest answers, and DOCTYPE entities must never be expanded at all.
  processEntities: false,
  htmlEntities: false,
  // CDATA content is literal, so it must stay apart from text we entity-decode.
  cdataPropName: CDATA,
  ignoreDeclaration: true,
  ignorePiTags: true,
  jPath: false,
  // Three elements per value level (value/array/data, value/struct/member) plus the envelope.
  maxNestedTags: MAX_VALUE_DEPTH * 3 + 8,
});

function tagOf(node: XmlNode): string | undefined {
  for (const key in node) return key === TEXT || key === CDATA ? undefined : key;
  return undefined;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  return node[tag] ?? [];
}

function isBlank(text: string): boolean {
  return trimXmlSpace(text) === '';
}

/** The element children of a node, refusing any text besides whitespace between them. */
function elementsOf(children: readonly XmlNode[], where: string): Array<{ tag: string; node: XmlNode }> {
  const elements: Array<{ tag: string; node: XmlNode }> = [];
  for (const child of children) {
    const tag = tagOf(child);
    if (tag !== undefined) elements.push({ tag, node: child });
    else if (child[CDATA] !== undefined || !isBlank(child[TEXT] ?? '')) {
      throw protocolError(`Malformed XML-RPC response: unexpected text in <${where}>`);
    }
  }
  return elements;
}

function onlyElement(children: readonly XmlNode[], where: string, expected: string): XmlNode {
  const elements = elementsOf(children, where);
  const first = elements[0];
  if (elements.length !== 1 || first === undefined || first.tag !== expected) {
    const found = elements.length === 0 ? 'nothing' : elements.map((e) => `<${e.tag}>`).join(', ');
    throw protocolError(`Malformed XML-RPC response: expected one <${expected}> in <${where}>, found ${found}`);
  }
  return first.node;
}

/** Character data of a leaf element: text decoded, CDATA literal. */
function textOf(children: readonly XmlNode[], where: string): string {
  let text = '';
  for (const child of children) {
    const raw = child[TEXT];
    const cdata = child[CDATA];
    if (raw !== undefined) text += decodeXmlText(raw);
    else if (cdata !== undefined) text += cdata.map((part) => part[TEXT] ?? '').join('');
    else throw protocolError(`Malformed XML-RPC response: <${where}> must hold text only, found <${tagOf(child)}>`);
  }
  return text;
}

const DOUBLE_TEXT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeScalar(tag: string, children: readonly XmlNode[]): XmlRpcValue {
  const text = textOf(children, tag);
  const bad = (): SeedboxError => protocolError(`Malformed XML-RPC response: invalid <${tag}> ${describeReceived(text)}`);
  switch (tag) {
    case 'string':
    case 'dateTime.iso8601':
      return tag === 'string' ? text : trimXmlSpace(text);
    case 'i4':
    case 'int':
    case 'i8':
    case 'ex:i8': {
      const value = parseIntegerText(text);
      if (value === undefined) throw bad();
      return value;
    }
    case 'boolean': {
      const trimmed = trimXmlSpace(text);
      if (trimmed === '1' || trimmed === 'true') return true;
      if (trimmed === '0' || trimmed === 'false') return false;
      throw bad();
    }
    case 'double': {
      const trimmed = trimXmlSpace(text);
      if (DOUBLE_TEXT.test(trimmed)) return Number(trimmed);
      const special = trimmed.toLowerCase().replace(/^\+/, '');
      if (special === 'inf' || special === 'infinity') return Infinity;
      if (special === '-inf' || special === '-infinity') return -Infinity;
      if (special === 'nan') return Number.NaN;
      throw bad();
    }
    case 'base64': {
      const compact = text.replace(/[ \t\n\r]+/g, '');
      if (!BASE64_TEXT.test(compact) || compact.length % 4 === 1) throw bad();
      // A copy, so the result does not pin Buffer's shared pool.
      return new Uint8Array(Buffer.from(compact, 'base64'));
    }
    case 'nil':
    case 'ex:nil':
      if (!isBlank(text)) throw bad();
      return null;
    default:
      throw protocolError(`Malformed XML-RPC response: unsupported value type <${tag}>`);
  }
}

function decodeValue(valueChildren: readonly XmlNode[], depth: number): XmlRpcValue {
  if (depth > MAX_VALUE_DEPTH) throw protocolError(`XML-RPC response nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let typed: { tag: string; node: XmlNode } | undefined;
  for (const child of valueChildren) {
    const tag = tagOf(child);
    if (tag === undefined) continue;
    if (typed !== undefined) throw protocolError('Malformed XML-RPC response: a <value> holds more than one element');
    typed = { tag, node: child };
  }
  // A <value> without a type element is a string, whitespace and all.
  if (typed === undefined) return textOf(valueChildren, 'value');
  if (!isBlank(textOf(valueChildren.filter((child) => tagOf(child) === undefined), 'value'))) {
    throw protocolError('Malformed XML-RPC response: a <value> mixes text and a typed element');
  }
  const { tag, node } = typed;
  const children = childrenOf(node, tag);
  if (tag === 'array') {
    const data = onlyElement(children, 'array', 'data');
    return elementsOf(childrenOf(data, 'data'), 'data').map(({ tag: itemTag, node: item }) => {
      if (itemTag !== 'value') throw protocolError(`Malformed XML-RPC response: <${itemTag}> inside <data>`);
      return decodeValue(childrenOf(item, 'value'), depth + 1);
    });
  }
  if (tag === 'struct') {
    const struct: XmlRpcStruct = {};
    for (const { tag: memberTag, node: member } of elementsOf(children, 'struct')) {
      if (memberTag !== 'member') throw protocolError(`Malformed XML-RPC response: <${memberTag}> inside <struct>`);
      let name: string | undefined;
      let value: XmlRpcValue | undefined;
      for (const part of elementsOf(childrenOf(member, 'member'), 'member')) {
        if (part.tag === 'name' && name === undefined) name = textOf(childrenOf(part.node, 'name'), 'name');
        else if (part.tag === 'value' && value === undefined) value = decodeValue(childrenOf(part.node, 'value'), depth + 1);
        else throw protocolError(`Malformed XML-RPC response: unexpected <${part.tag}> in <member>`);
      }
      if (name === undefined || value === undefined) {
        throw protocolError('Malformed XML-RPC response: a <member> needs one <name> and one <value>');
      }
      setMember(struct, name, value);
    }
    return struct;
  }
  return decodeScalar(tag, children);
}

function faultFrom(value: XmlRpcValue): SeedboxError {
  if (isStruct(value) && typeof value.faultCode === 'number' && typeof value.faultString === 'string') {
    const { faultCode, faultString } = value;
    return new SeedboxError('rpc-fault', `${faultString} (fault ${faultCode})`, { faultCode, faultString });
  }
  return protocolError('Malformed XML-RPC response: a <fault> without faultCode and faultString');
}

function parseDocument(text: string): XmlNode[] {
  // The parser alone accepts unclosed and mismatched tags, which would let a truncated answer
  // through as a shorter valid one; the validator catches those.
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    throw protocolError(`Malformed XML-RPC response (${validation.err.msg}): ${describeReceived(text)}`);
  }
  try {
    return parser.parse(text) as XmlNode[];
  } catch (error) {
    // Its own limits (nesting depth, names such as __proto__) surface as plain Errors.
    const reason = error instanceof Error ? error.message : String(error);
    throw new SeedboxError('protocol', `Malformed XML-RPC response (${reason.slice(0, 120)})`, {}, { cause: error });
  }
}

/**
 * The value of a <methodResponse>. A <fault> throws 'rpc-fault' with {faultCode, faultString};
 * anything that is not a well-formed methodResponse throws 'protocol'.
 */
export function decodeMethodResponse(xml: Buffer | string): XmlRpcValue {
  const text = bodyToText(xml);
  const roots = elementsOf(parseDocument(text), 'document');
  const root = roots[0];
  if (roots.length !== 1 || root === undefined || root.tag !== 'methodResponse') {
    throw protocolError(`Expected an XML-RPC methodResponse, received ${describeReceived(text)}`);
  }
  const outcome = elementsOf(childrenOf(root.node, 'methodResponse'), 'methodResponse');
  const only = outcome[0];
  if (outcome.length === 1 && only?.tag === 'params') {
    const param = onlyElement(childrenOf(only.node, 'params'), 'params', 'param');
    const value = onlyElement(childrenOf(param, 'param'), 'param', 'value');
    return decodeValue(childrenOf(value, 'value'), 1);
  }
  if (outcome.length === 1 && only?.tag === 'fault') {
    const value = onlyElement(childrenOf(only.node, 'fault'), 'fault', 'value');
    throw faultFrom(decodeValue(childrenOf(value, 'value'), 1));
  }
  throw protocolError('Malformed XML-RPC response: a <methodResponse> needs one <params> or one <fault>');
}

export type MulticallResult = { ok: true; value: XmlRpcValue } | { ok: false; faultCode: number; faultString: string };

/** The per-call outcomes of a system.multicall answer: [value] on success, a fault struct otherwise. */
export function decodeMulticallResults(value: XmlRpcValue): MulticallResult[] {
  if (!Array.isArray(value)) throw protocolError(`system.multicall answered ${describeType(value)}, not a list`);
  return value.map((entry, index): MulticallResult => {
    if (Array.isArray(entry) && entry.length === 1) return { ok: true, value: entry[0] as XmlRpcValue };
    if (isStruct(entry) && typeof entry.faultCode === 'number' && typeof entry.faultString === 'string') {
      return { ok: false, faultCode: entry.faultCode, faultString: entry.faultString };
    }
    throw protocolError(`system.multicall result ${index} is neither [value] nor a fault`);
  });
}
