// Calling the core service as the window does, and holding its lists as the window does.
import { dispatchInvoke } from '../../electron/core/service/dispatch';
import type { InvokeArgs, InvokeChannel, InvokeHandlers, InvokeResult, TorrentDelta } from '../../electron/shared/contract';
import { SeedboxError } from '../../electron/shared/errors';
import type { Torrent } from '../../electron/shared/model';

/** One box's list rebuilt from deltas alone, the way the renderer's store applies them. */
export function applyDelta(view: Map<string, Map<string, Torrent>>, delta: TorrentDelta): void {
  const box = delta.full ? new Map<string, Torrent>() : (view.get(delta.seedboxId) ?? new Map<string, Torrent>());
  for (const torrent of delta.added) box.set(torrent.id, torrent);
  for (const change of delta.changed) box.set(change.id, { ...box.get(change.id)!, ...change });
  for (const id of delta.removed) box.delete(id);
  view.set(delta.seedboxId, box);
}

/** Through the contract's validation (results too when asked); a refusal throws its typed error. */
export async function invokeService<C extends InvokeChannel>(handlers: InvokeHandlers, channel: C, args: InvokeArgs<C>, options: { validateResults?: boolean } = {}): Promise<InvokeResult<C>> {
  const envelope = await dispatchInvoke(handlers, channel, args, { ...options, log: (message) => console.warn(message) });
  if (!envelope.ok) throw new SeedboxError(envelope.error.code, envelope.error.message, envelope.error.details);
  return envelope.value as InvokeResult<C>;
}
