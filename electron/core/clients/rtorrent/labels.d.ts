/**
 * rTorrent has no labels of its own; front ends keep them in d.custom1, in two forms:
 * - 'rutorrent': one label, URL-encoded (ruTorrent writes encodeURIComponent(label)).
 * - 'flood': any number of tags, each URL-encoded, joined by commas (Flood, rtorrent-rpc).
 * Which one a seedbox uses is its setting, because writing the other form would garble the
 * labels the user's web UI shows. The default is ruTorrent's, the most common.
 */
export declare const LABEL_STYLES: readonly ["rutorrent", "flood"];
export type LabelStyle = (typeof LABEL_STYLES)[number];
export declare function decodeLabels(custom1: string, style: LabelStyle): string[];
export declare function encodeLabels(labels: string[], style: LabelStyle): string;
