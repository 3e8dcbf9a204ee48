import { z } from 'zod';
import { SeedboxError } from '../../../shared/errors';
import type { XmlRpcValue } from '../../codecs/xmlrpc';
import type { TorrentLayout } from './paths';
import { faultError, isUnknownHashFault, type RtorrentRpc, type RpcCall } from './rpc';

// What removing or moving a torrent's data needs to know, read fresh in one round trip and
// checked against a schema: a wrong-shaped answer is a typed protocol error, never a guess.

/** Whether a torrent runs: restored exactly after a move, or after a removal that was refused. */
export interface RunState {
  /** d.state: 1 started, 0 stopped. */
  started: boolean;
  /** d.is_open: its files are open (a stopped torrent may still be open). */
  open: boolean;
  /** d.is_active: started and not paused. */
  active: boolean;
}

export interface LiveLayout extends TorrentLayout {
  hash: string;
  name: string;
  state: RunState;
}

const flag = z.union([z.literal(0), z.literal(1)]);
const METHODS = ['d.directory', 'd.is_multi_file', 'd.name', 'd.state', 'd.is_open', 'd.is_active'] as const;
/** The answers to METHODS, then f.multicall with the one field f.path= (no rows for a magnet still fetching its info). */
const layoutAnswers = z.tuple([z.string().min(1), flag, z.string(), flag, flag, flag, z.array(z.tuple([z.string().min(1)]))]);

export async function readLayouts(rpc: RtorrentRpc, hashes: string[]): Promise<LiveLayout[]> {
  const calls: RpcCall[] = hashes.flatMap((hash) => [
    ...METHODS.map((method) => ({ method, params: [hash] })),
    { method: 'f.multicall', params: [hash, '', 'f.path='] },
  ]);
  const answers = await rpc.multicallAll(calls, (call, code, text) =>
    isUnknownHashFault(code, text)
      ? new SeedboxError('not-found', `No torrent ${String(call.params[0]).toLowerCase()} on this seedbox (any more).`, { id: String(call.params[0]).toLowerCase() })
      : faultError(call.method, code, text),
  );
  const per = METHODS.length + 1;
  return hashes.map((hash, index) => {
    const row = answers.slice(index * per, index * per + per);
    const [directory, multi, name, started, open, active, files] = checked(layoutAnswers, row, (path) => METHODS[Number(path[0])] ?? 'f.multicall f.path=', hash);
    return {
      hash,
      id: hash.toLowerCase(),
      directory,
      isMultiFile: multi === 1,
      name,
      files: files.map(([path]) => path),
      state: { started: started === 1, open: open === 1, active: active === 1 },
    };
  });
}

/** Validates one daemon answer; a mismatch names the call (or, for several answers, the one that is wrong) and the field. */
export function checked<T>(schema: z.ZodType<T>, value: XmlRpcValue | XmlRpcValue[] | undefined, method: string | ((path: PropertyKey[]) => string), hash: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path ?? [];
  const name = typeof method === 'string' ? method : method(path);
  const inner = typeof method === 'string' ? path : path.slice(1);
  const where = inner.length > 0 ? ` at ${inner.map(String).join('.')}` : '';
  throw new SeedboxError('protocol', `rTorrent answered ${name} for ${hash.toLowerCase()} with something unexpected${where}: ${issue?.message ?? 'wrong shape'}.`, {
    method: name,
    id: hash.toLowerCase(),
  });
}

/** Calls that bring a torrent back to `state` from stopped and closed. */
export function restoreCalls(hash: string, state: RunState): RpcCall[] {
  const calls: RpcCall[] = [];
  if (state.open || state.started) calls.push({ method: 'd.open', params: [hash] });
  if (state.started) calls.push({ method: 'd.start', params: [hash] });
  if (state.started && !state.active) calls.push({ method: 'd.pause', params: [hash] });
  return calls;
}

export function stopCalls(hash: string): RpcCall[] {
  return [
    { method: 'd.stop', params: [hash] },
    { method: 'd.close', params: [hash] },
  ];
}
