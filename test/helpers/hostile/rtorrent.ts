// A fake rTorrent on loopback SCGI, in either dialect: XML-RPC (0.9.8) or JSON-RPC (0.15+).
// It answers like a small, healthy rtorrent (a few torrents, the methods the client asks for)
// unless `hostile` says otherwise for a call: another value for that call (inside a multicall
// or batch too), raw XML/JSON in its place, or a misbehaving whole answer (./server.ts).
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer';
import type { XmlRpcValue } from '../../../electron/core/codecs/xmlrpc';
import { startFakeServer, type FakeRequest, type FakeServer, type Misbehaviour } from './server';

export interface FakeTorrent {
  /** 40 hex digits, upper case as rtorrent writes them. */
  hash: string;
  name: string;
}

/** What to do instead of the healthy answer to one call. */
export type Override =
  /** Answer this value for the call (wherever it is: alone, in a system.multicall, in a batch). */
  | { value: unknown }
  /** Put this text where the call's value goes (XML <value>…</value>, or JSON). */
  | { raw: string }
  /** Answer the whole request this call is part of like this. */
  | { whole: Misbehaviour };

export interface RpcCallSeen {
  method: string;
  params: unknown[];
}

export interface FakeRtorrentOptions {
  dialect: 'xmlrpc' | 'jsonrpc';
  torrents?: FakeTorrent[];
  /** Consulted for every call; undefined keeps the healthy answer. Can change over time. */
  hostile?(call: RpcCallSeen): Override | undefined;
}

export interface FakeRtorrent {
  url: string;
  server: FakeServer;
  /** Every call seen, multicall members included, in order. */
  calls: RpcCallSeen[];
  close(): Promise<void>;
}

const METHODS = [
  'system.listMethods', 'system.multicall', 'system.client_version', 'network.xmlrpc.size_limit', 'view.size',
  'd.multicall2', 'd.multicall.filtered', 'd.is_meta', 'd.hash', 'd.name', 'd.start', 'd.stop', 'd.open', 'd.close',
  'd.erase', 'f.multicall', 'p.multicall', 't.multicall', 'd.chunk_size', 'load.raw', 'load.raw_start', 'load.start',
  'load.normal', 'throttle.global_down.rate', 'throttle.global_up.rate', 'throttle.global_down.max_rate', 'throttle.global_up.max_rate',
];

const STRING_FIELDS = new Set(['d.custom1=', 'd.directory=', 'd.custom=addtime', 'd.message=', 'f.path=', 'p.address=', 'p.client_version=', 't.url=']);

/** A healthy answer for one row field of one torrent. */
function fieldValue(field: string, torrent: FakeTorrent): XmlRpcValue {
  if (field === 'd.hash=') return torrent.hash;
  if (field === 'd.name=' || field.startsWith('branch=')) return torrent.name;
  if (field === 'd.directory=') return '/downloads';
  if (STRING_FIELDS.has(field) || field.startsWith('cat=')) return '';
  return 0;
}

export async function startFakeRtorrent(options: FakeRtorrentOptions): Promise<FakeRtorrent> {
  const torrents = options.torrents ?? [{ hash: 'A'.repeat(40), name: 'fake one' }];
  const calls: RpcCallSeen[] = [];

  const healthy = (call: RpcCallSeen): XmlRpcValue | { fault: [number, string] } => {
    const { method, params } = call;
    const byHash = (hash: unknown): FakeTorrent | undefined => torrents.find((torrent) => torrent.hash === String(hash).split(':')[0]);
    switch (method) {
      case 'system.listMethods':
        return METHODS;
      case 'system.client_version':
        return options.dialect === 'jsonrpc' ? '0.15.3' : '0.9.8';
      case 'network.xmlrpc.size_limit':
        return 67108863;
      case 'view.size':
        return torrents.length;
      case 'd.multicall2':
      case 'd.multicall.filtered': {
        const from = method === 'd.multicall2' ? 2 : 3;
        const fields = params.slice(from).map(String);
        const view = String(params[1]);
        const shown = view === 'main' ? torrents : [];
        return shown.map((torrent) => fields.map((field) => fieldValue(field, torrent)));
      }
      case 'f.multicall':
      case 'p.multicall':
      case 't.multicall':
        return byHash(params[0]) ? [] : { fault: [-501, 'Could not find info-hash.'] };
      case 'd.chunk_size':
        return byHash(params[0]) ? 16384 : { fault: [-501, 'Could not find info-hash.'] };
      case 'd.hash':
        return byHash(params[0])?.hash ?? { fault: [-501, 'Could not find info-hash.'] };
      default:
        return 0;
    }
  };

  /** The override for one call, remembering the call. */
  const consult = (call: RpcCallSeen): Override | undefined => {
    calls.push(call);
    return options.hostile?.(call);
  };

  const xmlFault = ([code, text]: [number, string]): string =>
    `<value><struct><member><name>faultCode</name><value><i4>${code}</i4></value></member><member><name>faultString</name><value><string>${text}</string></value></member></struct></value>`;
  const xmlAnswer = (value: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<methodResponse><params><param>${value}</param></params></methodResponse>\n`;
  const xmlResponse = (body: string): Misbehaviour => ({ kind: 'answer', body, contentType: 'text/xml' });

  /** One call's value as XML, or the whole answer if an override says so. */
  const xmlFor = (call: RpcCallSeen): { value: string } | { fault: [number, string] } | { whole: Misbehaviour } => {
    const override = consult(call);
    if (override && 'whole' in override) return override;
    if (override && 'raw' in override) return { value: override.raw };
    if (override) return { value: xmlValue(override.value) };
    const answer = healthy(call);
    return isFault(answer) ? answer : { value: xmlValue(answer) };
  };

  const respondXml = async (request: FakeRequest): Promise<Misbehaviour> => {
    const { method, params } = await decodeXmlCall(request.body);
    if (method !== 'system.multicall') {
      const result = xmlFor({ method, params });
      if ('whole' in result) return result.whole;
      if ('fault' in result) return xmlResponse(`<?xml version="1.0"?><methodResponse><fault>${xmlFault(result.fault)}</fault></methodResponse>`);
      return xmlResponse(xmlAnswer(result.value));
    }
    const members: string[] = [];
    for (const inner of params[0] as Array<{ methodName: string; params: unknown[] }>) {
      const result = xmlFor({ method: inner.methodName, params: inner.params });
      if ('whole' in result) return result.whole;
      members.push('fault' in result ? xmlFault(result.fault) : `<value><array><data>${result.value}</data></array></value>`);
    }
    return xmlResponse(xmlAnswer(`<value><array><data>${members.join('')}</data></array></value>`));
  };

  const jsonFor = (request: { id: unknown; method: string; params: unknown[] }): string | { whole: Misbehaviour } => {
    const call = { method: request.method, params: request.params };
    const override = consult(call);
    if (override && 'whole' in override) return override;
    const id = JSON.stringify(request.id);
    if (override && 'raw' in override) return `{"jsonrpc":"2.0","id":${id},"result":${override.raw}}`;
    const answer = override ? override.value : healthy(call);
    if (isFault(answer)) return JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code: answer.fault[0] === -501 ? -32602 : answer.fault[0], message: 'invalid parameters: info-hash not found' } });
    return `{"jsonrpc":"2.0","id":${id},"result":${JSON.stringify(answer)}}`;
  };

  const respondJson = (request: FakeRequest): Misbehaviour => {
    const text = request.body.toString('utf8');
    // An XML request to a JSON-capable server (load.raw with bytes): not needed by these tests.
    if (text.startsWith('<')) return { kind: 'answer', body: xmlAnswer(xmlValue(0)), contentType: 'text/xml' };
    const parsed = JSON.parse(text) as { id: unknown; method: string; params: unknown[] } | Array<{ id: unknown; method: string; params: unknown[] }>;
    const items = Array.isArray(parsed) ? parsed : [parsed];
    const answers: string[] = [];
    for (const item of items) {
      const answer = jsonFor(item);
      if (typeof answer !== 'string') return answer.whole;
      answers.push(answer);
    }
    return { kind: 'answer', body: Array.isArray(parsed) ? `[${answers.join(',')}]` : answers[0]!, contentType: 'application/json' };
  };

  const server = await startFakeServer({
    framing: 'scgi',
    respond: async (request) => {
      const isJson = request.body.toString('utf8', 0, 1) === '{' || request.body.toString('utf8', 0, 1) === '[';
      if (options.dialect === 'xmlrpc' && isJson) {
        // What rtorrent 0.9.8 answers to the JSON probe: an XML fault (the body is not XML).
        return xmlResponse(`<?xml version="1.0"?><methodResponse><fault>${xmlFault([-503, 'Call XML not a proper XML-RPC call.'])}</fault></methodResponse>`);
      }
      return options.dialect === 'jsonrpc' ? respondJson(request) : respondXml(request);
    },
  });
  return { url: `scgi://${server.host}:${server.port}`, server, calls, close: () => server.close() };
}

/** Any value as XML-RPC, null (<nil/>) and fractions (<double>) included, as a hostile server may send them. */
function xmlValue(value: unknown): string {
  if (value === null || value === undefined) return '<value><nil/></value>';
  if (typeof value === 'string') return `<value><string>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string></value>`;
  if (typeof value === 'number') return Number.isInteger(value) ? `<value><i8>${value}</i8></value>` : `<value><double>${value}</double></value>`;
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (Array.isArray(value)) return `<value><array><data>${value.map(xmlValue).join('')}</data></array></value>`;
  const members = Object.entries(value as Record<string, unknown>).map(([name, member]) => `<member><name>${name}</name>${xmlValue(member)}</member>`);
  return `<value><struct>${members.join('')}</struct></value>`;
}

function isFault(value: unknown): value is { fault: [number, string] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'fault' in value;
}

function decodeXmlCall(body: Buffer): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(Readable.from([body]), (error: unknown, method: string, params: unknown[]) =>
      error ? reject(error as Error) : resolve({ method, params }),
    );
  });
}
