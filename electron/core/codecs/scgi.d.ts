/** rTorrent's whole header block is about 80 bytes; more than this is not an SCGI answer. */
export declare const MAX_SCGI_HEADER_BYTES: number;
/**
 * Frames one SCGI request. `extraHeaders` adds CGI variables (CONTENT_TYPE, or a different
 * REQUEST_URI); CONTENT_LENGTH and SCGI are computed here and may not be given.
 */
export declare function encodeScgiRequest(body: Uint8Array, extraHeaders?: Record<string, string>): Buffer;
/** What the header block of an answer said. */
export interface ScgiResponseHead {
    status: number;
    statusText: string;
    /** Lower-cased names; a repeated header's values are joined with ", ". */
    headers: Record<string, string>;
    /** How the status was given: it matters to tell an HTTP server from an SCGI one. */
    statusSource: 'http-status-line' | 'status-header' | 'default';
    /** Body length announced by Content-Length; undefined means "until end of stream". */
    contentLength: number | undefined;
    /** Where the body starts in the answer's bytes. */
    bodyOffset: number;
}
export interface ScgiResponse {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    body: Buffer;
}
/**
 * Parses the header block at the start of `bytes`. Returns undefined while the block is
 * still incomplete; throws 'protocol' as soon as what is there cannot be an answer.
 */
export declare function parseScgiHead(bytes: Uint8Array, source?: string): ScgiResponseHead | undefined;
/**
 * Follows an answer as its bytes arrive, to know when it is complete without waiting for the
 * server to close. Keeps only the header block; the caller keeps the bytes (bounded).
 */
export declare class ScgiResponseParser {
    #private;
    /** `source` names the server in error messages ("scgi://127.0.0.1:5000"). */
    constructor(source?: string);
    /** The parsed header block, once it has fully arrived. */
    get head(): ScgiResponseHead | undefined;
    /** Total bytes seen so far. */
    get receivedBytes(): number;
    /** True once Content-Length says the body is all there; never true for read-to-EOF answers. */
    get complete(): boolean;
    /** Feeds the next bytes; returns `complete`. Throws 'protocol' on a malformed head. */
    push(chunk: Uint8Array): boolean;
}
/**
 * Parses a whole answer: everything the server sent up to the end of the stream (or up to
 * the point where the parser said `complete`). Bytes beyond Content-Length are ignored.
 */
export declare function parseScgiResponse(bytes: Uint8Array, source?: string): ScgiResponse;
