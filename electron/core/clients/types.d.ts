import type { AddOptions, AddSource, ClientInfo, FilePriority, SpeedLimits, Torrent, TorrentDetails } from '../../shared/model';
/**
 * One interface in front of every daemon. Raw wire types stay inside clients/<daemon>/;
 * what comes out of here is the normalized model. Every method that takes ids throws
 * SeedboxError('not-found') naming the unknown id(s) and changes nothing when any id is
 * unknown.
 */
export interface TorrentClient {
    /** Connects (and logs in) once; later calls reuse what it learned (version, methods). */
    connect(): Promise<ClientInfo>;
    close(): Promise<void>;
    list(): Promise<Torrent[]>;
    details(id: string): Promise<TorrentDetails>;
    /** Returns the new torrent's id. */
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
    setTorrentSpeedLimits(ids: string[], limits: SpeedLimits): Promise<void>;
}
