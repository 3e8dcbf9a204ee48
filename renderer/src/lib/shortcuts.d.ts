export type ShortcutCommand = 'remove' | 'remove-data' | 'toggle' | 'select-all' | 'focus-search' | 'clear-selection' | 'up' | 'down' | 'extend-up' | 'extend-down' | 'page-up' | 'page-down' | 'first' | 'last' | 'add' | 'settings';
export interface KeyPress {
    key: string;
    ctrlKey: boolean;
    metaKey: boolean;
    shiftKey: boolean;
    altKey: boolean;
}
/**
 * What a key press does, or null. While typing in a field only the window-wide ones apply
 * (Ctrl+F and friends); Delete, Space and the arrows belong to the field then.
 */
export declare function shortcutFor(press: KeyPress, typing: boolean): ShortcutCommand | null;
/** Whether the event comes from a place where keys mean text (inputs, text areas, editable). */
export declare function isTyping(target: EventTarget | null): boolean;
