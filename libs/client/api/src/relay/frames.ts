// Binary frames on /ws (docs/api.md § WebSocket "Bytes"): 16 bytes of the transfer id, a UUID
// in RFC 9562 byte order (its hex digits in the order they are written), then the payload.

export const PREFIX_BYTES = 16;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The 16 bytes of a transfer id. */
export function transferIdBytes(id: string): Uint8Array {
  if (!UUID.test(id)) throw new Error(`not a UUID: ${id}`);
  const hex = id.replaceAll('-', '');
  const bytes = new Uint8Array(PREFIX_BYTES);
  for (let index = 0; index < PREFIX_BYTES; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

/** The transfer id (lower-case, with dashes) that 16 bytes spell. */
export function transferIdFromBytes(bytes: Uint8Array): string {
  const hex = Array.from(bytes.subarray(0, PREFIX_BYTES), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One frame: the prefix, then the payload. */
export function prefixFrame(prefix: Uint8Array, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(PREFIX_BYTES + payload.length);
  frame.set(prefix, 0);
  frame.set(payload, PREFIX_BYTES);
  return frame;
}

/** A received frame's transfer id and payload (a view on the frame, no copy); null when it is too short to carry an id. */
export function unprefixFrame(frame: ArrayBuffer | Uint8Array): { transferId: string; payload: Uint8Array } | null {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.length < PREFIX_BYTES) return null;
  return { transferId: transferIdFromBytes(bytes), payload: bytes.subarray(PREFIX_BYTES) };
}
