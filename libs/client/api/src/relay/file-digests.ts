import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

// WebCrypto digests only whole buffers; a transfer of several gigabytes is hashed as it passes,
// with @noble/hashes' incremental SHA-256.

export type Sha256 = ReturnType<typeof sha256.create>;

export const newSha256 = (): Sha256 => sha256.create();
export const hexDigest = (hash: Sha256): string => bytesToHex(hash.digest());

/** A piece of one file: which file (by its index in the transfer) and its bytes. */
export interface FilePart {
  file: number;
  bytes: Uint8Array;
}

/**
 * The receiver's side of a transfer's byte stream: the files come back to back, their declared
 * sizes marking the boundaries (docs/api.md). Splits each payload at those boundaries and hashes
 * every file as its bytes pass.
 */
export class IncomingFiles {
  private readonly hashes: Sha256[];
  private file = 0;
  private leftInFile: number;
  /** Bytes taken so far over all files (what a resume answers). */
  received = 0;

  constructor(private readonly sizes: readonly number[]) {
    this.hashes = sizes.map(() => newSha256());
    this.file = this.firstFileWithBytes(0);
    this.leftInFile = sizes[this.file] ?? 0;
  }

  get total(): number {
    return this.sizes.reduce((sum, size) => sum + size, 0);
  }

  /** The parts of `payload`, in order; throws when it runs past the declared total. */
  take(payload: Uint8Array): FilePart[] {
    const parts: FilePart[] = [];
    let rest = payload;
    while (rest.length > 0) {
      if (this.file >= this.sizes.length) throw new Error('more bytes than the transfer declared');
      const bytes = rest.subarray(0, this.leftInFile);
      this.hashes[this.file]!.update(bytes);
      parts.push({ file: this.file, bytes });
      rest = rest.subarray(bytes.length);
      this.received += bytes.length;
      this.leftInFile -= bytes.length;
      if (this.leftInFile === 0) {
        this.file = this.firstFileWithBytes(this.file + 1);
        this.leftInFile = this.sizes[this.file] ?? 0;
      }
    }
    return parts;
  }

  /** Whether every declared byte has arrived. */
  get complete(): boolean {
    return this.received === this.total;
  }

  /** Each file's SHA-256 in hex (call once, after the last byte). */
  digests(): string[] {
    return this.hashes.map(hexDigest);
  }

  /** Empty files take no bytes: the stream moves past them at once. */
  private firstFileWithBytes(from: number): number {
    let file = from;
    while (file < this.sizes.length && this.sizes[file] === 0) file++;
    return file;
  }
}
