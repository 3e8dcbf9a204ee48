import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, clickSelection, contextSelection, moveFocus, pruneSelection, selectAll } from '../../../renderer/src/lib/selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const click = (state: typeof EMPTY_SELECTION, key: string, mods: { shift?: boolean; toggle?: boolean } = {}) =>
  clickSelection(state, { key, order, shift: mods.shift ?? false, toggle: mods.toggle ?? false });
const keys = (state: typeof EMPTY_SELECTION): string[] => [...state.selected].sort();

describe('selection', () => {
  it('a click selects only that row and sets the anchor', () => {
    const state = click(click(EMPTY_SELECTION, 'b'), 'd');
    expect(keys(state)).toEqual(['d']);
    expect(state.anchor).toBe('d');
    expect(state.focused).toBe('d');
  });

  it('Ctrl toggles a row in or out and moves the anchor', () => {
    let state = click(EMPTY_SELECTION, 'b');
    state = click(state, 'e', { toggle: true });
    expect(keys(state)).toEqual(['b', 'e']);
    state = click(state, 'b', { toggle: true });
    expect(keys(state)).toEqual(['e']);
    expect(state.anchor).toBe('b');
  });

  it('Shift selects the range from the anchor in display order, either direction', () => {
    let state = click(EMPTY_SELECTION, 'c');
    state = click(state, 'e', { shift: true });
    expect(keys(state)).toEqual(['c', 'd', 'e']);
    // Shift again from the same anchor replaces the range.
    state = click(state, 'a', { shift: true });
    expect(keys(state)).toEqual(['a', 'b', 'c']);
    expect(state.anchor).toBe('c');
  });

  it('Ctrl+Shift adds a range to what was selected', () => {
    let state = click(EMPTY_SELECTION, 'a');
    state = click(state, 'd', { toggle: true });
    state = click(state, 'f', { shift: true, toggle: true });
    expect(keys(state)).toEqual(['a', 'd', 'e', 'f']);
  });

  it('Shift without an anchor acts like a click', () => {
    expect(keys(click(EMPTY_SELECTION, 'c', { shift: true }))).toEqual(['c']);
  });

  it('right-click keeps a selection containing the row, replaces one that does not', () => {
    const state = click(click(EMPTY_SELECTION, 'a'), 'c', { shift: true });
    expect(keys(contextSelection(state, 'b'))).toEqual(['a', 'b', 'c']);
    expect(keys(contextSelection(state, 'f'))).toEqual(['f']);
  });

  it('select all, arrow moves, and pruning of removed rows', () => {
    expect(keys(selectAll(order, EMPTY_SELECTION))).toEqual(order);
    let state = moveFocus(EMPTY_SELECTION, order, 1, false);
    expect(state.focused).toBe('a');
    state = moveFocus(state, order, 1, false);
    state = moveFocus(state, order, 1, true);
    state = moveFocus(state, order, 1, true);
    expect(keys(state)).toEqual(['b', 'c', 'd']);
    expect(moveFocus(state, order, Infinity, false).focused).toBe('f');
    expect(moveFocus(EMPTY_SELECTION, order, -Infinity, false).focused).toBe('a');
    const pruned = pruneSelection(state, (key) => key !== 'c' && key !== 'd');
    expect(keys(pruned)).toEqual(['b']);
    expect(pruned.focused).toBeNull();
    expect(pruneSelection(pruned, () => true)).toBe(pruned);
  });
});
