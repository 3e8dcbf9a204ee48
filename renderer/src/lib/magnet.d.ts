export type MagnetParse = {
    ok: true;
    infoHash: string;
    name: string | null;
    trackers: string[];
} | {
    ok: false;
    message: string;
};
/** RFC 4648 base32 (no padding) to lowercase hex; null when a character is not base32. */
export declare function base32ToHex(text: string): string | null;
export declare function parseMagnetUri(uri: string): MagnetParse;
