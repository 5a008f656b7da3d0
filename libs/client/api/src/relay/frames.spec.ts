import { toHex } from '../../test/bytes.js';
import { prefixFrame, transferIdBytes, transferIdFromBytes, unprefixFrame } from './frames.js';

describe('relay frames', () => {
  const id = '0190f3a2-7b1c-7def-8a12-3456789abcde';

  it('writes the transfer id in RFC 9562 byte order (the hex digits as written)', () => {
    expect(toHex(transferIdBytes(id))).toBe('0190f3a27b1c7def8a123456789abcde');
  });

  it('reads back the id and the payload of a prefixed frame', () => {
    const frame = prefixFrame(transferIdBytes(id), new Uint8Array([1, 2, 3]));
    expect(frame.length).toBe(19);
    const read = unprefixFrame(frame.buffer as ArrayBuffer);
    expect(read?.transferId).toBe(id);
    expect(Array.from(read!.payload)).toEqual([1, 2, 3]);
    expect(transferIdFromBytes(transferIdBytes(id.toUpperCase()))).toBe(id);
  });

  it('refuses what is not a UUID and frames too short for an id', () => {
    expect(() => transferIdBytes('not-a-uuid')).toThrow();
    expect(unprefixFrame(new Uint8Array(15))).toBeNull();
  });
});
