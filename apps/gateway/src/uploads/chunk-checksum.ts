import { DomainError, ErrorCode } from '@lexy/server-errors';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, timingSafeEqual, type Hash } from 'node:crypto';

/** tus checksum extension: the algorithms a PATCH may name in `Upload-Checksum`. */
export const CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'md5'] as const;
type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

/** What one PATCH body must hash to. */
export interface ExpectedChecksum {
  algorithm: ChecksumAlgorithm;
  digest: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses an `Upload-Checksum` header ("<algorithm> <base64 digest>"). No header → undefined;
 * an unknown algorithm or a malformed value → 400, as the tus checksum extension asks.
 */
export function parseUploadChecksum(header: string | undefined): ExpectedChecksum | undefined {
  if (header === undefined) return undefined;
  const [name = '', value = '', ...rest] = header.trim().split(/\s+/);
  const algorithm = CHECKSUM_ALGORITHMS.find((candidate) => candidate === name.toLowerCase());
  if (!algorithm) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, `Unsupported checksum algorithm "${name}"`, {
      supported: [...CHECKSUM_ALGORITHMS],
    });
  }
  const digest = BASE64.test(value) && rest.length === 0 ? Buffer.from(value, 'base64') : Buffer.alloc(0);
  if (digest.length !== createHash(algorithm).digest().length) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Upload-Checksum must be "<algorithm> <base64 digest>"');
  }
  return { algorithm, digest };
}

/** Hashes one PATCH body as it streams and says, at its end, whether it matched. */
export class ChunkChecksum {
  private readonly hash: Hash;

  constructor(private readonly expected: ExpectedChecksum) {
    this.hash = createHash(expected.algorithm);
  }

  update(chunk: Buffer): void {
    this.hash.update(chunk);
  }

  /** Throws CHECKSUM_MISMATCH (460) when the body did not hash to the expected digest. */
  verify(): void {
    if (!timingSafeEqual(this.hash.digest(), this.expected.digest)) {
      throw new DomainError(ErrorCode.CHECKSUM_MISMATCH, 'The chunk does not match its Upload-Checksum');
    }
  }
}

// The tus library hands its store only the body stream, so the checksum a PATCH announced
// travels to the store beside the request, in the request's async context.
const expectedChecksums = new AsyncLocalStorage<ExpectedChecksum | undefined>();

export function withExpectedChecksum<T>(expected: ExpectedChecksum | undefined, work: () => T): T {
  return expectedChecksums.run(expected, work);
}

/** The checksum the current PATCH must match, if it announced one. */
export function currentChunkChecksum(): ChunkChecksum | undefined {
  const expected = expectedChecksums.getStore();
  return expected ? new ChunkChecksum(expected) : undefined;
}
