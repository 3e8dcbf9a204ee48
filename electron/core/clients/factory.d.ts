import type { ClientKind } from '../../shared/model';
import type { Connector, TlsOptions } from '../transports/types';
import type { TorrentClient } from './types';
import type { LabelStyle } from './rtorrent/labels';
/** Everything needed to reach one daemon; the seedbox registry stores all but the secrets. */
export interface ConnectionSettings {
    kind: ClientKind;
    url: string;
    username?: string;
    password?: string;
    timeoutMs?: number;
    tls?: TlsOptions;
    connector?: Connector;
    /** rTorrent only: how labels are stored in d.custom1. */
    labelStyle?: LabelStyle;
}
/** scgi:// can only be rTorrent and deluge:// only Deluge; http(s) could be any of four. */
export declare function inferClientKind(url: string): ClientKind | undefined;
export declare function createTorrentClient(settings: ConnectionSettings): TorrentClient;
