// Rencode built byte by byte for the decoder's bound tests: little on the wire, a lot of heap
// for a decoder without bounds.

/** A rencode list (0x3b … 0x7f) of `count` copies of the already encoded `item`. */
export function rencodeList(item: readonly number[], count: number): Buffer {
  const bytes = Buffer.alloc(2 + item.length * count);
  bytes[0] = 0x3b;
  for (let index = 0; index < count; index++) bytes.set(item, 1 + index * item.length);
  bytes[bytes.length - 1] = 0x7f;
  return bytes;
}

/** A rencode dict (0x3c … 0x7f) of `count` distinct short string keys, each mapped to 0. */
export function rencodeDistinctKeys(count: number): Buffer {
  const bytes = Buffer.alloc(2 + count * 7);
  let at = 0;
  bytes[at++] = 0x3c;
  for (let index = 0; index < count; index++) {
    const key = index.toString(36);
    bytes[at++] = 0x80 + key.length;
    at += bytes.write(key, at, 'latin1');
    bytes[at++] = 0x00;
  }
  bytes[at++] = 0x7f;
  return bytes.subarray(0, at);
}
