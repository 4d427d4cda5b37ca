export interface CappedRead {
  /** The first bytes of the body, at most the cap. */
  readonly bytes: Uint8Array;
  /** Bytes taken off the connection: at most the cap plus one chunk. */
  readonly bytesRead: number;
  /** True when the body went on past the cap and the rest was left unread. */
  readonly overCap: boolean;
}

/**
 * Reads a response body up to `capBytes` and stops there: leaving the loop early cancels the
 * stream, which closes the connection. A receiver that answers without end costs at most the cap
 * plus one chunk of memory, never the time until a timeout. Works on a fetch body and on a Node
 * stream alike (both are async iterables of bytes).
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array> | null | undefined,
  capBytes: number,
): Promise<CappedRead> {
  const kept: Uint8Array[] = [];
  let size = 0;
  let bytesRead = 0;
  let overCap = false;
  if (body) {
    for await (const chunk of body) {
      bytesRead += chunk.byteLength;
      const room = capBytes - size;
      if (chunk.byteLength > room) {
        kept.push(chunk.subarray(0, room));
        size += room;
        overCap = true;
        break;
      }
      kept.push(chunk);
      size += chunk.byteLength;
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of kept) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, bytesRead, overCap };
}
