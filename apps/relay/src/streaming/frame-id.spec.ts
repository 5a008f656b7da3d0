import { FRAME_ID_BYTES, frameTransferId, uuidToBytes } from './frame-id.js';

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('frame ids', () => {
  it('writes a UUID as its 16 bytes in RFC 9562 order, and reads it back', () => {
    const bytes = uuidToBytes(ID.toUpperCase());
    expect(bytes).toEqual(
      Buffer.from([0x01, 0x90, 0xa1, 0xb2, 0xc3, 0xd4, 0x7e, 0x5f, 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b]),
    );
    expect(frameTransferId(bytes)).toBe(ID);
  });

  it('reads the id of a frame with payload, and none of a frame shorter than the prefix', () => {
    const frame = Buffer.concat([uuidToBytes(ID), Buffer.from('payload')]);
    expect(frameTransferId(frame)).toBe(ID);
    expect(frameTransferId(frame.subarray(0, FRAME_ID_BYTES - 1))).toBeNull();
    expect(frameTransferId(Buffer.alloc(0))).toBeNull();
  });

  it('refuses to write something that is not a UUID', () => {
    expect(() => uuidToBytes('not-a-uuid')).toThrow();
  });
});
