import type { RpcTransport, TransportOptions } from './types';
export interface HttpTransportOptions extends TransportOptions {
    /** "https://host[:port]/RPC2"; may carry "user:password@" (percent-encoded). */
    url: string;
    /** Wins over the user name in the URL. */
    username?: string;
    /** Wins over the password in the URL. */
    password?: string;
}
/** Where rTorrent's XML-RPC is mounted in nearly every web server setup. */
export declare const DEFAULT_RPC_PATH = "/RPC2";
export declare function createHttpTransport(options: HttpTransportOptions): RpcTransport;
