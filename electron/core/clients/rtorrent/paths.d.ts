export interface TorrentLayout {
    id: string;
    /** d.directory: the save path for a single file, <save path>/<name> for a multi-file torrent. */
    directory: string;
    isMultiFile: boolean;
    /** f.path of every file, relative to the torrent's root. */
    files: string[];
}
export interface RemovalPlan {
    files: string[];
    /** Directories to try to remove, deepest first; only empty ones go. */
    directories: string[];
}
export declare function planDataRemoval(layout: TorrentLayout): RemovalPlan;
export interface MovePlan {
    source: string;
    destination: string;
}
/** Where the data is and where it must go; null when it is already there. */
export declare function planMove(layout: TorrentLayout & {
    name: string;
    target: string;
}): MovePlan | null;
