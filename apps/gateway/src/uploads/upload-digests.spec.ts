import { createHash } from 'node:crypto';
import { UploadDigests } from './upload-digests.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('UploadDigests', () => {
  it('carries one upload digest across PATCHes that this process received in order', () => {
    const digests = new UploadDigests();
    const first = digests.resume('u', 0)!;
    first.update('hello ');
    digests.advance('u', 6, first);
    const second = digests.resume('u', 6)!;
    second.update('world');
    digests.advance('u', 11, second);
    expect(digests.take('u', 11)).toBe(sha256('hello world'));
    expect(digests.take('u', 11)).toBeNull(); // taken once
  });

  it('loses the thread when a PATCH continues at an offset it did not see (another replica)', () => {
    const digests = new UploadDigests();
    const first = digests.resume('u', 0)!;
    first.update('abc');
    digests.advance('u', 3, first);
    expect(digests.resume('u', 5)).toBeNull();
    expect(digests.resume('other', 3)).toBeNull();
  });

  it('keeps the digest of the stored bytes when a PATCH fails (it worked on a copy)', () => {
    const digests = new UploadDigests();
    const first = digests.resume('u', 0)!;
    first.update('abc');
    digests.advance('u', 3, first);
    digests.resume('u', 3)!.update('bytes that were then discarded');
    const retry = digests.resume('u', 3)!;
    retry.update('def');
    digests.advance('u', 6, retry);
    expect(digests.take('u', 6)).toBe(sha256('abcdef'));
  });

  it('gives no digest for an upload that is not whole, and forgets idle ones', () => {
    const digests = new UploadDigests();
    const hash = digests.resume('u', 0, 0)!;
    hash.update('abc');
    digests.advance('u', 3, hash, 0);
    expect(digests.take('u', 10)).toBeNull();

    const idle = digests.resume('v', 0, 0)!;
    idle.update('12345');
    digests.advance('v', 5, idle, 0);
    digests.resume('w', 0, 7 * 3600 * 1000); // any later call drops what idled for hours
    expect(digests.take('v', 5)).toBeNull();
  });
});
