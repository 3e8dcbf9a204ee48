/** What we need to know about a .torrent before handing it to a daemon. */
export interface TorrentMetainfo {
    /** Lowercase hex SHA-1 of the raw bencoded info dictionary (the v1 info-hash). */
    infoHash: string;
    name: string;
    /** Sum of all file lengths. */
    totalBytes: number;
    /** In torrent order; paths '/'-joined, without the torrent's own folder. */
    files: {
        path: string;
        sizeBytes: number;
    }[];
    /** One entry per tier. */
    trackers: string[][];
    isPrivate: boolean;
}
/** Bigger than any sane .torrent (a 1 TiB torrent with 16 KiB pieces has 1.3 GB of hashes, but nobody does that). */
export declare const MAX_TORRENT_FILE_BYTES: number;
/**
 * Parses .torrent bytes, or throws SeedboxError('invalid-torrent') saying what is wrong.
 * The structure is checked by a bounded, iterative scan first: it also yields the exact bytes
 * of the info dictionary, whose hash is the torrent's id (re-encoding a decoded dictionary
 * would change the hash of any torrent whose creator did not sort its keys).
 */
export declare function parseTorrentFile(bytes: Uint8Array, fileName?: string): TorrentMetainfo;
