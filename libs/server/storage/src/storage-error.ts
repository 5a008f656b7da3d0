/** Why a storage call failed, for the failures a caller is expected to handle. */
export type StorageErrorCode =
  /** The object does not exist. */
  | 'NOT_FOUND'
  /** The requested byte range starts past the end of the object. */
  | 'INVALID_RANGE'
  /** The body did not carry the number of bytes the caller declared. */
  | 'SIZE_MISMATCH'
  /** The object is larger than S3 allows (10,000 parts, 5 TiB). */
  | 'TOO_LARGE';

/**
 * A storage failure with a stable code. Anything else thrown by `ObjectStorage` is an
 * infrastructure fault (S3 unreachable, a server error) and should be reported as internal.
 */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
