import { ErrorCode } from '@lexy/server-errors';
import { createHash } from 'node:crypto';
import { ChunkChecksum, currentChunkChecksum, parseUploadChecksum, withExpectedChecksum } from './chunk-checksum.js';

const b64 = (algorithm: string, data: string) => createHash(algorithm).update(data).digest('base64');

describe('Upload-Checksum', () => {
  it('reads "<algorithm> <base64>" for sha1, sha256 and md5', () => {
    for (const algorithm of ['sha1', 'sha256', 'md5']) {
      const parsed = parseUploadChecksum(`${algorithm} ${b64(algorithm, 'x')}`);
      expect(parsed?.algorithm).toBe(algorithm);
    }
    expect(parseUploadChecksum(undefined)).toBeUndefined();
  });

  it.each([
    ['crc32 AAAAAA==', 'Unsupported checksum algorithm'],
    ['sha1', 'Upload-Checksum must be'],
    ['sha1 not-base64!', 'Upload-Checksum must be'],
    [`sha1 ${b64('md5', 'x')}`, 'Upload-Checksum must be'], // a digest of the wrong length
    [`sha1 ${b64('sha1', 'x')} extra`, 'Upload-Checksum must be'],
  ])('refuses %s with 400', (header, message) => {
    expect(() => parseUploadChecksum(header)).toThrow(message);
    try {
      parseUploadChecksum(header);
    } catch (error) {
      expect((error as { code: string }).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });

  it('verifies the body it saw: a match passes, anything else is CHECKSUM_MISMATCH', () => {
    const expected = parseUploadChecksum(`sha256 ${b64('sha256', 'hello world')}`)!;
    const good = new ChunkChecksum(expected);
    good.update(Buffer.from('hello '));
    good.update(Buffer.from('world'));
    expect(() => good.verify()).not.toThrow();

    const bad = new ChunkChecksum(expected);
    bad.update(Buffer.from('hello there'));
    expect(() => bad.verify()).toThrow(expect.objectContaining({ code: ErrorCode.CHECKSUM_MISMATCH }));
  });

  it('travels with the request context only', async () => {
    const expected = parseUploadChecksum(`md5 ${b64('md5', '')}`);
    expect(currentChunkChecksum()).toBeUndefined();
    await withExpectedChecksum(expected, async () => {
      await Promise.resolve();
      expect(currentChunkChecksum()).toBeInstanceOf(ChunkChecksum);
    });
    expect(currentChunkChecksum()).toBeUndefined();
  });
});
