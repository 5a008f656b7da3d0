import fc from 'fast-check';
import { concat, sha256Hex } from '../../test/bytes.js';
import { IncomingFiles } from './file-digests.js';

describe('IncomingFiles', () => {
  it('splits payloads at the declared file sizes and hashes each file', async () => {
    const stream = Uint8Array.from({ length: 10 }, (_v, index) => index);
    const files = new IncomingFiles([3, 0, 7]);
    const parts = [...files.take(stream.subarray(0, 5)), ...files.take(stream.subarray(5))];
    expect(parts.map((part) => [part.file, Array.from(part.bytes)])).toEqual([
      [0, [0, 1, 2]],
      [2, [3, 4]],
      [2, [5, 6, 7, 8, 9]],
    ]);
    expect(files.complete).toBe(true);
    expect(files.digests()).toEqual(
      await Promise.all([stream.subarray(0, 3), new Uint8Array(), stream.subarray(3)].map(sha256Hex)),
    );
  });

  it('throws on bytes past the declared total', () => {
    const files = new IncomingFiles([2]);
    expect(() => files.take(new Uint8Array(3))).toThrow(/more bytes/);
  });

  it('gives the same digests as hashing each whole file, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 20 }),
        async (contents, cuts) => {
          const stream = concat(contents);
          const files = new IncomingFiles(contents.map((file) => file.length));
          let at = 0;
          for (let index = 0; at < stream.length; index++) {
            const length = cuts[index % cuts.length]!;
            files.take(stream.subarray(at, at + length));
            at += length;
          }
          expect(files.received).toBe(stream.length);
          expect(files.digests()).toEqual(await Promise.all(contents.map(sha256Hex)));
        },
      ),
    );
  });
});
