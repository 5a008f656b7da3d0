import { ErrorCode } from '@lexy/server-errors';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UploadMeter } from './upload-meter.js';

const sink = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

describe('UploadMeter', () => {
  it('counts and hashes what passes through', async () => {
    const meter = new UploadMeter(10, ErrorCode.FILE_TOO_LARGE);
    await pipeline(Readable.from([Buffer.from('hello '), Buffer.from('world')]), meter, sink()).catch(() => undefined);
    // 11 bytes > 10: the limit is exact
    expect(meter.limitError?.code).toBe(ErrorCode.FILE_TOO_LARGE);

    const exact = new UploadMeter(11, ErrorCode.FILE_TOO_LARGE);
    await pipeline(Readable.from([Buffer.from('hello '), Buffer.from('world')]), exact, sink());
    expect(exact.bytes).toBe(11);
    expect(exact.digest()).toBe(createHash('sha256').update('hello world').digest('hex'));
  });

  it('reports the storage quota when that is what limited the upload', async () => {
    const meter = new UploadMeter(3, ErrorCode.STORAGE_QUOTA_EXCEEDED);
    await expect(pipeline(Readable.from([Buffer.from('abcd')]), meter, sink())).rejects.toMatchObject({
      code: ErrorCode.STORAGE_QUOTA_EXCEEDED,
      details: { maxBytes: 3 },
    });
  });

  it('has no limit when the group is unlimited', async () => {
    const meter = new UploadMeter(undefined, ErrorCode.FILE_TOO_LARGE);
    await pipeline(Readable.from([Buffer.alloc(1 << 20)]), meter, sink());
    expect(meter.bytes).toBe(1 << 20);
  });
});
