import { createHash } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import type { ObjectBody } from '../../src/index.js';

const BLOCK_BYTES = 4096;
const BLOCK_WORDS = BLOCK_BYTES / 4;

/**
 * Deterministic pseudo-random bytes that can be computed at any offset, so tests can send
 * hundreds of MiB without holding them and still check any range of what comes back.
 * Random rather than repeating, so a part stored at the wrong offset cannot go unnoticed.
 * Each 4 KiB block is an xorshift32 sequence seeded from the block number. Only shifts and
 * xors in the loop: `Math.imul` is ~50x slower inside Jest's VM context.
 */
export function patternBytes(seed: number, start: number, end: number): Buffer {
  if (end <= start) return Buffer.alloc(0);
  const firstBlock = Math.floor(start / BLOCK_BYTES);
  const blocks = Math.floor((end - 1) / BLOCK_BYTES) - firstBlock + 1;
  const words = new Uint32Array(blocks * BLOCK_WORDS);
  for (let block = 0; block < blocks; block++) {
    // An odd multiplier makes block seeds distinct; the product stays exact below 2^53.
    let x = (((firstBlock + block + 1) * 2654435761 + seed) >>> 0) | 1;
    const base = block * BLOCK_WORDS;
    for (let i = 0; i < BLOCK_WORDS; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[base + i] = x;
    }
  }
  const offset = firstBlock * BLOCK_BYTES;
  return Buffer.from(words.buffer).subarray(start - offset, end - offset);
}

export interface PatternStreamOptions {
  sizeBytes: number;
  seed?: number;
  chunkBytes?: number;
  /** Fail with `error` once this many bytes were emitted. */
  failAfterBytes?: number;
  error?: Error;
}

/** A readable of `patternBytes`, generated on demand; `sha256()` covers what it emitted. */
export class PatternStream extends Readable {
  private readonly hash = createHash('sha256');
  private emitted = 0;
  private readonly seed: number;
  private readonly chunkBytes: number;

  constructor(private readonly options: PatternStreamOptions) {
    super({ highWaterMark: options.chunkBytes ?? 256 * 1024 });
    this.seed = options.seed ?? 1;
    this.chunkBytes = options.chunkBytes ?? 256 * 1024;
  }

  get bytesEmitted(): number {
    return this.emitted;
  }

  sha256(): string {
    return this.hash.copy().digest('hex');
  }

  override _read(): void {
    const { sizeBytes, failAfterBytes } = this.options;
    if (failAfterBytes !== undefined && this.emitted >= failAfterBytes) {
      this.destroy(this.options.error ?? new Error('pattern stream failed on purpose'));
      return;
    }
    if (this.emitted >= sizeBytes) {
      this.push(null);
      return;
    }
    const limit = Math.min(sizeBytes, failAfterBytes ?? Infinity);
    const chunk = patternBytes(this.seed, this.emitted, Math.min(this.emitted + this.chunkBytes, limit));
    this.emitted += chunk.length;
    this.hash.update(chunk);
    this.push(chunk);
  }
}

/** Reads a stream to its end and returns the SHA-256 and length of what it carried. */
export async function digestStream(stream: Readable): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The bytes of an opened object body as a stream, so the helpers above read it too. Each chunk
 * is copied: a body reuses its buffers once a write has called back, and a PassThrough calls
 * back while it still holds the chunk (a socket does not).
 */
export function bodyStream(body: ObjectBody): Readable {
  const through = new PassThrough();
  const copier = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (through.write(Buffer.from(chunk))) done();
      else through.once('drain', () => done());
    },
    final(done) {
      through.end();
      done();
    },
  });
  body.pipeTo(copier).catch((error: Error) => through.destroy(error));
  return through;
}
