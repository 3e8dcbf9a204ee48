import type { AddOptions, AddSource, ClientInfo, FilePriority, SpeedLimits, Torrent, TorrentDetails } from '../../../shared/model';
import type { RpcTransport } from '../../transports/types';
import type { ConnectionSettings } from '../factory';
import type { TorrentClient } from '../types';
/** Parses scgi://host:port, scgi:///abs/path.sock and http(s)://host[:port][/path] into a transport. */
export declare function createRtorrentTransport(settings: ConnectionSettings): RpcTransport;
export declare class RtorrentClient implements TorrentClient {
    private readonly rpc;
    private readonly labelStyle;
    private readonly overScgi;
    private info;
    private methods;
    /** The largest request body rTorrent will take: its XML-RPC limit, and 2 MiB over SCGI. */
    private requestLimit;
    constructor(settings: ConnectionSettings);
    connect(): Promise<ClientInfo>;
    close(): Promise<void>;
    list(): Promise<Torrent[]>;
    details(id: string): Promise<TorrentDetails>;
    add(source: AddSource, options?: AddOptions): Promise<string>;
    start(ids: string[]): Promise<void>;
    stop(ids: string[]): Promise<void>;
    recheck(ids: string[]): Promise<void>;
    reannounce(ids: string[]): Promise<void>;
    remove(ids: string[], options: {
        deleteData: boolean;
    }): Promise<void>;
    move(ids: string[], targetDirectory: string): Promise<void>;
    setLabels(ids: string[], labels: string[]): Promise<void>;
    setFilePriority(id: string, fileIndexes: number[], priority: FilePriority): Promise<void>;
    getGlobalSpeedLimits(): Promise<SpeedLimits>;
    setGlobalSpeedLimits(limits: SpeedLimits): Promise<void>;
    /**
     * rTorrent limits torrents through named throttle groups. Each distinct pair of rates gets
     * its own group ("seedbox-d<KiB>-u<KiB>"); 0/0 clears the torrent's group. The group can
     * only be changed on a stopped download, so started ones are stopped and started again.
     * rTorrent applies groups only while a global limit is set (its own design).
     */
    setTorrentSpeedLimits(ids: string[], limits: SpeedLimits): Promise<void>;
    /** Runs the calls for every id in one system.multicall, after checking every id exists. */
    private forEach;
    /** One round trip that proves every id exists, so an action never half-applies. */
    private checkIds;
    private exists;
    private waitUntilLoaded;
    private faultFor;
    private require;
    /** Splits calls into system.multicalls whose encoded size stays under rTorrent's request limit. */
    private batchesWithinLimit;
}
