import type { Readable } from 'node:stream';
import { MAX_PART_SIZE_BYTES, MIB } from './storage-config.js';
import { StorageError } from './storage-error.js';

/** S3 allows at most this many parts, and objects of at most 5 TiB. */
export const MAX_PARTS = 10_000;
export const MAX_OBJECT_BYTES = 5 * 1024 * 1024 * MIB;

/**
 * The part size for an upload: the configured one, unless the declared size needs larger
 * parts to fit in 10,000 (rounded up to whole MiB).
 */
export function choosePartSize(configuredBytes: number, declaredBytes?: number): number {
  if (declaredBytes === undefined) return configuredBytes;
  if (declaredBytes > MAX_OBJECT_BYTES) {
    throw new StorageError('TOO_LARGE', `Objects are limited to 5 TiB; declared ${declaredBytes} bytes`);
  }
  const needed = Math.ceil(Math.ceil(declaredBytes / MAX_PARTS) / MIB) * MIB;
  return Math.min(Math.max(configuredBytes, needed), MAX_PART_SIZE_BYTES);
}

/**
 * Cuts a byte stream into parts of `partSize` bytes (the last one shorter), holding at most
 * `buffers` parts plus one chunk of lookahead in memory. The body is pulled only when a part is
 * wanted, so while the caller is busy with its parts the body is paused and backpressure
 * reaches its source.
 *
 * `next()` returns a view into one of `buffers` reused buffers, taken in turn: a part stays
 * valid until `buffers` more calls of `next()` (with 2, one part can upload while the next is
 * read). After `next()`, `done` tells whether that part was the last, which lets the caller
 * send a body that fits in one part as a single PUT.
 */
export class PartReader {
  private readonly chunks: AsyncIterator<unknown>;
  private readonly buffers: (Buffer | undefined)[];
  private turn = 0;
  private carry: Buffer | undefined;
  private ended = false;
  private total = 0;

  constructor(
    body: Readable,
    private readonly partSize: number,
    private readonly declaredBytes?: number,
    buffers = 1,
  ) {
    this.buffers = new Array<Buffer | undefined>(buffers).fill(undefined);
    // On failure the caller decides what happens to the body (a gateway may still want to
    // answer on the same connection), so finishing early must not destroy it.
    this.chunks = body.iterator({ destroyOnReturn: false });
  }

  /** Bytes read from the body so far. */
  get bytesRead(): number {
    return this.total;
  }

  /** True once the body has ended and every byte was handed out. */
  get done(): boolean {
    return this.ended && !this.carry;
  }

  /** The next part, or null when the body is exhausted. Rejects with the body's error. */
  async next(): Promise<Buffer | null> {
    let filled = 0;
    let buffer: Buffer | undefined;
    while (filled < this.partSize) {
      const chunk = this.carry ?? (await this.pull());
      this.carry = undefined;
      if (!chunk) break;
      buffer ??= this.buffers[this.turn] ??= Buffer.allocUnsafe(this.bufferSize());
      const take = Math.min(chunk.length, this.partSize - filled);
      chunk.copy(buffer, filled, 0, take);
      filled += take;
      if (take < chunk.length) this.carry = chunk.subarray(take);
    }
    if (filled === this.partSize && !this.carry) this.carry = await this.pull();
    if (filled === 0 || !buffer) return null;
    this.turn = (this.turn + 1) % this.buffers.length;
    return buffer.subarray(0, filled);
  }

  /** Stops reading; the body is left as it is. */
  async close(): Promise<void> {
    this.carry = undefined;
    this.buffers.fill(undefined);
    await this.chunks.return?.();
  }

  private async pull(): Promise<Buffer | undefined> {
    while (!this.ended) {
      const { value, done } = await this.chunks.next();
      if (done) {
        this.ended = true;
        if (this.declaredBytes !== undefined && this.total !== this.declaredBytes) {
          throw sizeMismatch(this.declaredBytes, this.total);
        }
        return undefined;
      }
      const chunk = toBuffer(value);
      this.total += chunk.length;
      if (this.declaredBytes !== undefined && this.total > this.declaredBytes) {
        throw sizeMismatch(this.declaredBytes, this.total);
      }
      if (chunk.length > 0) return chunk;
    }
    return undefined;
  }

  /** A body declared smaller than a part needs no full-size buffer. */
  private bufferSize(): number {
    return this.declaredBytes === undefined ? this.partSize : Math.min(this.partSize, this.declaredBytes);
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('The body stream must produce bytes (Buffer, Uint8Array or string chunks)');
}

function sizeMismatch(declared: number, actual: number): StorageError {
  return new StorageError(
    'SIZE_MISMATCH',
    actual > declared
      ? `The body is longer than the declared ${declared} bytes`
      : `The body ended after ${actual} of the declared ${declared} bytes`,
  );
}
