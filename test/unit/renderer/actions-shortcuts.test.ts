import { afterEach, describe, expect, it } from 'vitest';
import { commonCapabilities, groupByBox, parseLabels, removalSummary, toggleAction } from '../../../renderer/src/lib/actions';
import { tidyMenu } from '../../../renderer/src/lib/menu';
import { CATALOGUES } from '../../../electron/shared/i18n';
import { localShortcut, setLocale } from '../../../renderer/src/i18n';
import { isMacPlatform, shortcutFor, shortcutLabel } from '../../../renderer/src/lib/shortcuts';
import { hash, row } from './torrent-fixtures';

const press = (key: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('maps the table keys, and leaves them to text fields while typing', () => {
    expect(shortcutFor(press('Delete'), false)).toBe('remove');
    expect(shortcutFor(press('Delete', { shiftKey: true }), false)).toBe('remove-data');
    expect(shortcutFor(press(' '), false)).toBe('toggle');
    expect(shortcutFor(press('a', { ctrlKey: true }), false)).toBe('select-all');
    expect(shortcutFor(press('A', { metaKey: true }), false, true)).toBe('select-all');
    expect(shortcutFor(press('f', { ctrlKey: true }), true)).toBe('focus-search');
    expect(shortcutFor(press('Delete'), true)).toBeNull();
    expect(shortcutFor(press(' '), true)).toBeNull();
    expect(shortcutFor(press('a', { ctrlKey: true }), true)).toBeNull();
    expect(shortcutFor(press('ArrowDown', { shiftKey: true }), false)).toBe('extend-down');
  });

  it('take the platform\'s own modifier: Cmd on macOS, Ctrl elsewhere, and label it so', () => {
    // On macOS Ctrl+A moves to the line start (Emacs keys) and Ctrl+click is a right-click.
    expect(shortcutFor(press('a', { ctrlKey: true }), false, true)).toBeNull();
    expect(shortcutFor(press('f', { metaKey: true }), false, false)).toBeNull();
    expect(shortcutFor(press('o', { metaKey: true }), false, true)).toBe('add');
    expect(shortcutFor(press(',', { ctrlKey: true }), false, false)).toBe('settings');
    expect(shortcutFor(press('Backspace', { metaKey: true }), false, true)).toBe('remove');
    expect(shortcutFor(press('Backspace', { metaKey: true, shiftKey: true }), false, true)).toBe('remove-data');
    expect(shortcutFor(press('Backspace', { metaKey: true }), true, true)).toBeNull();
    expect(shortcutFor(press('Backspace', { ctrlKey: true }), false, false)).toBeNull();
    expect(shortcutLabel('Ctrl+F', en, true)).toBe('⌘F');
    expect(shortcutLabel('Ctrl+F', en, false)).toBe('Ctrl+F');
    expect(shortcutLabel('Shift+Del', en, true)).toBe('⇧⌦');
    expect(shortcutLabel('Shift+Del', en, false)).toBe('Shift+Del');
    expect(shortcutLabel('Alt+↑', en, true)).toBe('⌥↑');
    expect(shortcutLabel('Ctrl+Shift+Del', en, true)).toBe('⇧⌘⌦');
    expect(shortcutLabel('Space', en, true)).toBe('Space');
    // Control is the Control key itself, on macOS too (⌃, first in Apple's order).
    expect(shortcutLabel('Control+Alt+Space', en, true)).toBe('⌃⌥Space');
    expect(shortcutLabel('Control+Space', en, false)).toBe('Ctrl+Space');
    expect(isMacPlatform({ platform: 'MacIntel' })).toBe(true);
    expect(isMacPlatform({ userAgentData: { platform: 'macOS' }, platform: 'MacIntel' })).toBe(true);
    expect(isMacPlatform({ userAgentData: { platform: 'Windows' }, platform: 'Win32' })).toBe(false);
    expect(isMacPlatform({ platform: 'Linux x86_64' })).toBe(false);
  });
});

const en = CATALOGUES.en.common.keys;

describe('shortcut labels in other languages', () => {
  afterEach(() => setLocale('en'));

  it("name the keys as the language's keyboards do off macOS: German Strg, Umschalt, Entf", () => {
    const de = CATALOGUES.de.common.keys;
    expect(shortcutLabel('Shift+Del', de, false)).toBe('Umschalt+Entf');
    expect(shortcutLabel('Ctrl+F', de, false)).toBe('Strg+F');
    expect(shortcutLabel('Control+Space', de, false)).toBe('Strg+Leertaste');
    expect(shortcutLabel('Alt+↑', de, false)).toBe('Alt+↑');
    expect(shortcutLabel('Backspace', de, false)).toBe('Rücktaste');
    // Keyboards sold in China print the Latin names; only Space is said in Chinese.
    const zh = CATALOGUES['zh-CN'].common.keys;
    expect(shortcutLabel('Shift+Del', zh, false)).toBe('Shift+Del');
    expect(shortcutLabel('Control+Space', zh, false)).toBe('Ctrl+空格');
  });

  it("keep macOS's symbols in every language; only a key without one is a word", () => {
    const de = CATALOGUES.de.common.keys;
    expect(shortcutLabel('Shift+Del', de, true)).toBe('⇧⌦');
    expect(shortcutLabel('Ctrl+Shift+Del', de, true)).toBe('⇧⌘⌦');
    expect(shortcutLabel('Ctrl+F', de, true)).toBe('⌘F');
    expect(shortcutLabel('Space', de, true)).toBe('Leertaste');
  });

  it("follow the window's language as it changes", () => {
    setLocale('de');
    expect(localShortcut('Shift+Del')).toBe(isMacPlatform() ? '⇧⌦' : 'Umschalt+Entf');
    setLocale('zh-CN');
    expect(localShortcut('Space')).toBe('空格');
    setLocale('en');
    expect(localShortcut('Ctrl+V')).toBe(isMacPlatform() ? '⌘V' : 'Ctrl+V');
  });
});

describe('action helpers', () => {
  it('group a cross-box selection into one call per box', () => {
    expect([...groupByBox([row('a', 1), row('b', 2), row('a', 3)])]).toEqual([
      ['a', [hash(1), hash(3)]],
      ['b', [hash(2)]],
    ]);
  });

  it('offer only what every selected box can do', () => {
    const caps = { labels: true, multipleLabels: true, queue: true, deleteData: true, moveStorage: true, alternativeSpeed: false, pushEvents: false, freeSpace: true, perTorrentSpeedLimits: true, filePriorities: ['skip', 'normal', 'high'] as const, addFromUrl: true };
    const common = commonCapabilities([{ ...caps, filePriorities: [...caps.filePriorities] }, { ...caps, queue: false, filePriorities: ['normal', 'high'] }]);
    expect(common).toMatchObject({ queue: false, labels: true, filePriorities: ['normal', 'high'] });
    expect(commonCapabilities([{ ...caps, filePriorities: [] }, null]).labels).toBe(false);
  });

  it('Space resumes when anything is stopped, pauses otherwise', () => {
    expect(toggleAction([row('a', 1, { state: 'seeding' }), row('a', 2, { state: 'paused' })])).toBe('start');
    expect(toggleAction([row('a', 1, { state: 'seeding' }), row('a', 2, { state: 'downloading' })])).toBe('stop');
  });

  it('name what a removal deletes', () => {
    const rows = [1, 2, 3, 4, 5, 6, 7].map((n) => row('a', n, { doneBytes: 1024 * 1024 }));
    const summary = removalSummary(rows, { deleteData: true });
    expect(summary.title).toBe('Remove these 7 torrents and delete their data?');
    expect(summary.names).toEqual(['Torrent 1', 'Torrent 2', 'Torrent 3', 'Torrent 4', 'Torrent 5']);
    expect(summary.more).toBe(2);
    expect(summary.consequence).toMatch(/^7\.00 MiB of downloaded data will be deleted/);
    expect(removalSummary(rows.slice(0, 1), { deleteData: false }).title).toBe('Remove this torrent?');
  });

  it('parse labels and tidy menus', () => {
    expect(parseLabels(' tv, 4k ,,tv ', true)).toEqual(['tv', '4k']);
    expect(parseLabels('tv, 4k', false)).toEqual(['tv']);
    const run = (): void => {};
    const menu = tidyMenu([{ kind: 'separator' }, { kind: 'action', id: 'a', label: 'A', run }, { kind: 'separator' }, { kind: 'separator' }, { kind: 'action', id: 'b', label: 'B', run }, { kind: 'separator' }]);
    expect(menu.map((item) => item.kind)).toEqual(['action', 'separator', 'action']);
  });
});
