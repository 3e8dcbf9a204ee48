import type { Capabilities } from '../../../electron/shared/model';
import type { TorrentRow } from './torrent-view';
/** seedboxId → ids, in selection order. */
export declare function groupByBox(rows: readonly Pick<TorrentRow, 'seedboxId' | 'id'>[]): Map<string, string[]>;
/** What every one of the boxes can do (a box not connected can do nothing yet). */
export declare function commonCapabilities(boxCapabilities: readonly (Capabilities | null)[]): Capabilities;
/** Space: resumes when any selected torrent is stopped (paused or in error), else pauses them all. */
export declare function toggleAction(rows: readonly Pick<TorrentRow, 'state'>[]): 'start' | 'stop';
/** "“Ubuntu ISO”" or "3 torrents", for toasts and dialog titles. */
export declare function describeRows(rows: readonly Pick<TorrentRow, 'name'>[]): string;
/** What a removal will delete, named: the first few torrents and the data size on disk. */
export declare function removalSummary(rows: readonly Pick<TorrentRow, 'name' | 'doneBytes' | 'savePath'>[], deleteData: boolean, shown?: number): {
    title: string;
    names: string[];
    more: number;
    consequence: string;
};
/** The labels text field: "movies, 4k" → ['movies', '4k'] (one label when the client allows one). */
export declare function parseLabels(text: string, multiple: boolean): string[];
/** A magnet for each torrent (the name as dn, and its tracker hosts are not URLs so none). */
export declare function magnetOf(row: Pick<TorrentRow, 'id' | 'name'>): string;
