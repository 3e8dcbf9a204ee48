import type { IconName } from './icons';
export type MenuItem = {
    kind: 'action';
    id: string;
    label: string;
    icon?: IconName;
    shortcut?: string;
    disabled?: boolean;
    danger?: boolean;
    checked?: boolean;
    run: () => void;
} | {
    kind: 'submenu';
    id: string;
    label: string;
    icon?: IconName;
    disabled?: boolean;
    items: MenuItem[];
} | {
    kind: 'separator';
};
export declare const separator: MenuItem;
/** Drops separators at either end and doubled ones (left when whole groups are unsupported). */
export declare function tidyMenu(items: readonly MenuItem[]): MenuItem[];
