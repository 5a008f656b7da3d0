import { parseId } from '../relay/ids.js';

/** The transfer-id prefix of every binary frame (api.md § Bytes): a UUID's 16 bytes. */
export const FRAME_ID_BYTES = 16;

/** A transfer id (a UUID string) as the 16 bytes that prefix its frames, in RFC 9562 byte order. */
export function uuidToBytes(id: string): Buffer {
  const parsed = parseId(id);
  if (!parsed) throw new Error(`not a UUID: ${id}`);
  return Buffer.from(parsed.replaceAll('-', ''), 'hex');
}

/** The transfer id a binary frame names (lower-case UUID), or null for a frame too short to name one. */
export function frameTransferId(frame: Buffer): string | null {
  if (frame.length < FRAME_ID_BYTES) return null;
  const hex = frame.subarray(0, FRAME_ID_BYTES).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
