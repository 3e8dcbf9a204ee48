// The `xmlrpc` package's serializer and deserializer, used by live tests as an independent
// reader of rtorrent's state (its public typings only cover the HTTP client).
declare module 'xmlrpc/lib/serializer' {
  const serializer: { serializeMethodCall(method: string, params: unknown[], encoding?: string): string };
  export default serializer;
}
declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';
  export default class Deserializer {
    deserializeMethodResponse(stream: Readable, callback: (error: unknown, value: unknown) => void): void;
    deserializeMethodCall(stream: Readable, callback: (error: unknown, method: string, params: unknown[]) => void): void;
  }
}
