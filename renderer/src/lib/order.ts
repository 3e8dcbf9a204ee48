// Reordering a list of ids (table columns, seedboxes in the sidebar).

/** The ids with `id` moved just before `beforeId` (to the end when null or absent). */
export function moveBefore(ids: readonly string[], id: string, beforeId: string | null): string[] {
  const order = ids.filter((other) => other !== id);
  const at = beforeId === null ? -1 : order.indexOf(beforeId);
  order.splice(at === -1 ? order.length : at, 0, id);
  return order;
}

/** The ids with `id` moved one place up (-1) or down (+1); unchanged at either end. */
export function moveByStep(ids: readonly string[], id: string, step: -1 | 1): string[] {
  const from = ids.indexOf(id);
  const to = from + step;
  if (from === -1 || to < 0 || to >= ids.length) return [...ids];
  const order = [...ids];
  [order[from], order[to]] = [order[to]!, order[from]!];
  return order;
}
