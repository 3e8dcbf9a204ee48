import type { FilePriority, Peer, Torrent, TorrentFile, TorrentState, Tracker } from '../../../shared/model';
import type { XmlRpcValue } from '../../codecs/xmlrpc';
import { type LabelStyle } from './labels';
/**
 * The list row: one d.multicall2 over the "main" view. Trackers come as one string built by
 * rTorrent itself (url|seeds|leechers|||...) so that every cell stays a string or an integer,
 * which keeps the reply on the fast decoder.
 */
export declare const LIST_FIELDS: readonly ["d.hash=", "d.name=", "d.state=", "d.is_active=", "d.complete=", "d.hashing=", "d.is_meta=", "d.size_bytes=", "d.completed_bytes=", "d.left_bytes=", "d.up.total=", "d.down.total=", "d.ratio=", "d.down.rate=", "d.up.rate=", "d.peers_connected=", "d.peers_complete=", "d.custom1=", "d.directory=", "d.is_multi_file=", "d.custom=addtime", "d.load_date=", "d.timestamp.finished=", "d.message=", "cat=\"$t.multicall=,t.url=,cat=|,t.scrape_complete=,cat=|,t.scrape_incomplete=,cat={|||}\""];
export declare const FILE_FIELDS: readonly ["f.path=", "f.size_bytes=", "f.completed_chunks=", "f.size_chunks=", "f.priority="];
export declare const PEER_FIELDS: readonly ["p.address=", "p.port=", "p.client_version=", "p.completed_percent=", "p.down_rate=", "p.up_rate="];
export declare const TRACKER_FIELDS: readonly ["t.url=", "t.group=", "t.is_enabled=", "t.scrape_complete=", "t.scrape_incomplete=", "t.failed_counter=", "t.success_counter=", "t.is_busy="];
export declare const PRIORITY_TO_RAW: Partial<Record<FilePriority, number>>;
export declare function normalizeState(raw: {
    started: boolean;
    active: boolean;
    complete: boolean;
    hashing: boolean;
    meta: boolean;
    message: string;
}): TorrentState;
export declare function parseTrackerSummary(summary: string): {
    hosts: string[];
    seeds: number;
    leechers: number;
};
export declare function normalizeTorrentRow(row: XmlRpcValue[], labelStyle: LabelStyle): Torrent;
export declare function normalizeFiles(rows: XmlRpcValue[][], chunkSize: number): TorrentFile[];
export declare function normalizePeers(rows: XmlRpcValue[][]): Peer[];
export declare function normalizeTrackers(rows: XmlRpcValue[][], torrentMessage: string): Tracker[];
