// Selecting rows like a desktop list: click selects one, Ctrl/Cmd toggles, Shift extends a
// range from the anchor (the last plain or Ctrl click) in the current display order.

export interface SelectionState {
  selected: ReadonlySet<string>;
  /** Where a Shift range starts; null before the first click. */
  anchor: string | null;
  /** The row the keyboard is on (details show it when it is the only one selected). */
  focused: string | null;
}

export const EMPTY_SELECTION: SelectionState = { selected: new Set(), anchor: null, focused: null };

export interface ClickInput {
  key: string;
  /** The keys in display order (the range is taken from it). */
  order: readonly string[];
  shift: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  toggle: boolean;
}

export function clickSelection(state: SelectionState, { key, order, shift, toggle }: ClickInput): SelectionState {
  if (shift && state.anchor !== null) {
    const from = order.indexOf(state.anchor);
    const to = order.indexOf(key);
    if (from !== -1 && to !== -1) {
      const range = order.slice(Math.min(from, to), Math.max(from, to) + 1);
      const selected = toggle ? new Set([...state.selected, ...range]) : new Set(range);
      return { selected, anchor: state.anchor, focused: key };
    }
  }
  if (toggle) {
    const selected = new Set(state.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, focused: key };
  }
  return { selected: new Set([key]), anchor: key, focused: key };
}

/** Right-click: keeps a selection that contains the row, else selects just that row. */
export function contextSelection(state: SelectionState, key: string): SelectionState {
  return state.selected.has(key) ? { ...state, focused: key } : { selected: new Set([key]), anchor: key, focused: key };
}

export function selectAll(order: readonly string[], state: SelectionState): SelectionState {
  return { selected: new Set(order), anchor: state.anchor ?? order[0] ?? null, focused: state.focused ?? order[0] ?? null };
}

/** Arrow keys: moves the focus by `step` rows; with Shift extends from the anchor. */
export function moveFocus(state: SelectionState, order: readonly string[], step: number, shift: boolean): SelectionState {
  if (order.length === 0) return state;
  const current = state.focused === null ? -1 : order.indexOf(state.focused);
  const last = order.length - 1;
  // Home/End are ±Infinity steps; without a focus, Down starts at the top and Up at the bottom.
  const next = !Number.isFinite(step) ? (step > 0 ? last : 0) : current === -1 ? (step > 0 ? 0 : last) : Math.max(0, Math.min(last, current + step));
  const key = order[next]!;
  return shift ? clickSelection(state, { key, order, shift: true, toggle: false }) : { selected: new Set([key]), anchor: key, focused: key };
}

/** Drops keys of rows that no longer exist, so actions never target removed torrents. */
export function pruneSelection(state: SelectionState, exists: (key: string) => boolean): SelectionState {
  let changed = false;
  const selected = new Set<string>();
  for (const key of state.selected) {
    if (exists(key)) selected.add(key);
    else changed = true;
  }
  const focused = state.focused !== null && !exists(state.focused) ? null : state.focused;
  const anchor = state.anchor !== null && !exists(state.anchor) ? null : state.anchor;
  if (!changed && focused === state.focused && anchor === state.anchor) return state;
  return { selected, anchor, focused };
}
