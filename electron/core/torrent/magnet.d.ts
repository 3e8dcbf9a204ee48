export interface MagnetLink {
    /** Lowercase hex v1 info-hash. */
    infoHash: string;
    displayName: string;
    trackers: string[];
}
/** Parses a magnet URI with a v1 (btih) info-hash, hex or base32, or throws 'invalid-torrent'. */
export declare function parseMagnet(uri: string): MagnetLink;
