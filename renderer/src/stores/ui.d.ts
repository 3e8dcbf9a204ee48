import { type ColumnPrefs } from '../lib/columns';
import type { AddSourceDraft } from '../lib/add-sources';
import { type SelectionState } from '../lib/selection';
import { type SortDirection, type TorrentRow } from '../lib/torrent-view';
export type MainView = 'torrents' | 'settings';
/** A dialog of the torrent actions that asks for something first. */
export type ActionDialog = {
    kind: 'remove';
    keys: string[];
    deleteData: boolean;
} | {
    kind: 'move';
    keys: string[];
} | {
    kind: 'labels';
    keys: string[];
} | {
    kind: 'limits';
    keys: string[];
};
export declare const useUiStore: import("pinia").SetupStoreDefinition<"ui", {
    view: import("vue").Ref<MainView, MainView>;
    seedboxId: import("vue").Ref<string | null, string | null>;
    stateFilter: import("vue").Ref<"downloading" | "seeding" | "paused" | "queued" | "checking" | "error" | "active" | null, "downloading" | "seeding" | "paused" | "queued" | "checking" | "error" | "active" | null>;
    labelFilter: import("vue").Ref<string | null, string | null>;
    trackerFilter: import("vue").Ref<string | null, string | null>;
    search: import("vue").Ref<string, string>;
    sortColumn: import("vue").Ref<string, string>;
    sortDirection: import("vue").Ref<SortDirection, SortDirection>;
    columnPrefs: import("vue").ShallowRef<ColumnPrefs, ColumnPrefs>;
    columns: import("vue").ComputedRef<{
        column: import("../lib/columns").ColumnDef;
        width: number;
    }[]>;
    selection: import("vue").ShallowRef<SelectionState, SelectionState>;
    addDialog: import("vue").ShallowRef<{
        open: boolean;
        sources: AddSourceDraft[];
    }, {
        open: boolean;
        sources: AddSourceDraft[];
    }>;
    editor: import("vue").ShallowRef<{
        open: boolean;
        seedboxId: string | null;
    }, {
        open: boolean;
        seedboxId: string | null;
    }>;
    actionDialog: import("vue").ShallowRef<ActionDialog | null, ActionDialog | null>;
    reveal: import("vue").ShallowRef<{
        key: string;
        serial: number;
    } | null, {
        key: string;
        serial: number;
    } | null>;
    counts: import("vue").ComputedRef<import("../lib/torrent-view").FacetCounts>;
    filtered: import("vue").ComputedRef<TorrentRow[]>;
    rows: import("vue").ComputedRef<TorrentRow[]>;
    rowKeys: import("vue").ComputedRef<string[]>;
    selectedRows: import("vue").ComputedRef<TorrentRow[]>;
    detailsRow: import("vue").ComputedRef<TorrentRow | null>;
    selectBox: (id: string | null) => void;
    setSort: (column: string) => void;
    click: (key: string, modifiers: {
        shift: boolean;
        toggle: boolean;
    }) => void;
    contextClick: (key: string) => void;
    selectAllRows: () => void;
    clearSelection: () => void;
    move: (step: number, shift: boolean) => void;
    showTorrent: (box: string, id: string) => void;
    setColumnWidth: (id: string, width: number) => void;
    toggleColumn: (id: string) => void;
    reorderColumn: (id: string, beforeId: string | null) => void;
    resetColumns: () => void;
    openAdd: (sources?: AddSourceDraft[]) => void;
    closeAdd: () => void;
    openEditor: (id: string | null) => void;
    closeEditor: () => void;
}>;
