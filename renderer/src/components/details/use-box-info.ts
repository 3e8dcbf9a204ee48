// The seedboxes and what each connected client can do (capabilities come with its status), for
// the details panel and the add dialog. One shared copy for the whole window, loaded on first
// use and kept current by the 'seedbox:status' and 'seedboxes:changed' events.
import { shallowRef, type ShallowRef } from 'vue';
import { call, hasBridge, on } from '../../api';
import type { InvokeResult, SeedboxStatus } from '../../../../electron/shared/contract';
import type { Capabilities } from '../../../../electron/shared/model';

export type SeedboxView = InvokeResult<'seedboxes:list'>[number];

const boxes = shallowRef<SeedboxView[]>([]);
const statuses = shallowRef<ReadonlyMap<string, SeedboxStatus>>(new Map());
let started = false;

function setStatus(status: SeedboxStatus): void {
  const next = new Map(statuses.value);
  next.set(status.seedboxId, status);
  statuses.value = next;
}

async function start(): Promise<void> {
  if (started || !hasBridge()) return;
  started = true;
  on('seedbox:status', setStatus);
  on('seedboxes:changed', (list) => (boxes.value = list));
  try {
    const [list, all] = await Promise.all([call('seedboxes:list', {}), call('seedboxes:statuses', {})]);
    boxes.value = list;
    // Events that arrived meanwhile are newer than this snapshot.
    const next = new Map(all.map((status) => [status.seedboxId, status]));
    for (const [id, status] of statuses.value) next.set(id, status);
    statuses.value = next;
  } catch {
    // The window shows connection problems elsewhere; these panels just lack capabilities.
    started = false;
  }
}

export function useBoxInfo(): {
  boxes: ShallowRef<SeedboxView[]>;
  statuses: ShallowRef<ReadonlyMap<string, SeedboxStatus>>;
  capabilitiesOf: (seedboxId: string) => Capabilities | null;
} {
  void start();
  return {
    boxes,
    statuses,
    capabilitiesOf: (seedboxId) => statuses.value.get(seedboxId)?.info?.capabilities ?? null,
  };
}

/** For tests: forget the shared copy so the next use loads again. */
export function resetBoxInfo(): void {
  started = false;
  boxes.value = [];
  statuses.value = new Map();
}
