import type { Endpoint, RpcTransport, TransportOptions } from './types';
export declare function createScgiTransport(endpoint: Endpoint, options?: TransportOptions): RpcTransport;
/** "scgi://127.0.0.1:5000" or "scgi+unix:///home/me/.rtorrent.sock". */
export declare function describeScgiEndpoint(endpoint: Endpoint): string;
