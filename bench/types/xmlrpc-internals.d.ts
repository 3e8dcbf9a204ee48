// The `xmlrpc` package's deserializer, used by the benchmarks as the reference decoder (its
// public typings only cover the HTTP client). Same shim as test/types/xmlrpc-internals.d.ts,
// which belongs to the test project.
declare module 'xmlrpc/lib/deserializer' {
  import type { Readable } from 'node:stream';
  export default class Deserializer {
    deserializeMethodResponse(stream: Readable, callback: (error: unknown, value: unknown) => void): void;
  }
}
