import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * The one list of error codes of the public API (`api.md`). Every failure a client can
 * see carries one of these; add new codes here and to `api.md` together.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  REFRESH_TOKEN_REUSED = 'REFRESH_TOKEN_REUSED',
  /** The refresh token's successor is being issued right now (a race between a client's own tabs): retry. */
  REFRESH_IN_PROGRESS = 'REFRESH_IN_PROGRESS',
  FORBIDDEN = 'FORBIDDEN',
  /** An admin route or admin gRPC call by a caller who is not an enabled administrator. */
  ADMIN_REQUIRED = 'ADMIN_REQUIRED',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  NOT_FOUND = 'NOT_FOUND',
  PICKUP_CODE_NOT_FOUND = 'PICKUP_CODE_NOT_FOUND',
  FILE_EXPIRED = 'FILE_EXPIRED',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  TRANSFER_STATE_CONFLICT = 'TRANSFER_STATE_CONFLICT',
  /** The account has as many devices as it may register (security-cases WS-02). */
  DEVICE_LIMIT_REACHED = 'DEVICE_LIMIT_REACHED',
  /** Devices and transfers are for registered accounts only. */
  RELAY_FORBIDDEN = 'RELAY_FORBIDDEN',
  FILE_TOO_LARGE = 'FILE_TOO_LARGE',
  STORAGE_QUOTA_EXCEEDED = 'STORAGE_QUOTA_EXCEEDED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  QUOTA_EXCEEDED = 'QUOTA_EXCEEDED',
  RATE_LIMITED = 'RATE_LIMITED',
  CHALLENGE_REQUIRED = 'CHALLENGE_REQUIRED',
  PIN_REQUIRED = 'PIN_REQUIRED',
  PIN_INVALID = 'PIN_INVALID',
  /** The PIN path of a file closed after too many wrong PINs over its lifetime; its owner can reopen it. */
  PIN_LOCKED = 'PIN_LOCKED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  UPLOAD_EXPIRED = 'UPLOAD_EXPIRED',
  CHECKSUM_MISMATCH = 'CHECKSUM_MISMATCH',
  /** A relayed transfer's sender sent more or fewer bytes than its files declare. */
  TRANSFER_SIZE_MISMATCH = 'TRANSFER_SIZE_MISMATCH',
  /** The other device of a relayed transfer is gone (disconnected, or not reachable from this relay). */
  PEER_GONE = 'PEER_GONE',
  UPLOAD_OFFSET_MISMATCH = 'UPLOAD_OFFSET_MISMATCH',
  UPLOAD_LOCKED = 'UPLOAD_LOCKED',
  /** The uploaded bytes were taken down by an administrator and may not be stored again. */
  UPLOAD_BLOCKED = 'UPLOAD_BLOCKED',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  TUS_VERSION_UNSUPPORTED = 'TUS_VERSION_UNSUPPORTED',
  RANGE_NOT_SATISFIABLE = 'RANGE_NOT_SATISFIABLE',
  CODE_SPACE_EXHAUSTED = 'CODE_SPACE_EXHAUSTED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

interface CodeTransport {
  http: number;
  grpc: GrpcStatus;
}

/** How each code travels: the HTTP status of the envelope and the gRPC status between services. */
export const ERROR_TRANSPORT: Record<ErrorCode, CodeTransport> = {
  [ErrorCode.VALIDATION_FAILED]: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorCode.UNAUTHENTICATED]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.TOKEN_EXPIRED]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.INVALID_CREDENTIALS]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.REFRESH_TOKEN_REUSED]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.REFRESH_IN_PROGRESS]: { http: 409, grpc: GrpcStatus.ABORTED },
  [ErrorCode.FORBIDDEN]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.ADMIN_REQUIRED]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.ACCOUNT_DISABLED]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.NOT_FOUND]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorCode.PICKUP_CODE_NOT_FOUND]: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  [ErrorCode.FILE_EXPIRED]: { http: 410, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.EMAIL_TAKEN]: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  [ErrorCode.TRANSFER_STATE_CONFLICT]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.DEVICE_LIMIT_REACHED]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.RELAY_FORBIDDEN]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.FILE_TOO_LARGE]: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.STORAGE_QUOTA_EXCEEDED]: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.PAYLOAD_TOO_LARGE]: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.QUOTA_EXCEEDED]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.RATE_LIMITED]: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  [ErrorCode.CHALLENGE_REQUIRED]: { http: 428, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.PIN_REQUIRED]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.PIN_INVALID]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.PIN_LOCKED]: { http: 423, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.SESSION_REVOKED]: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  [ErrorCode.UPLOAD_EXPIRED]: { http: 410, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.CHECKSUM_MISMATCH]: { http: 460, grpc: GrpcStatus.DATA_LOSS },
  [ErrorCode.TRANSFER_SIZE_MISMATCH]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.PEER_GONE]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.UPLOAD_OFFSET_MISMATCH]: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.UPLOAD_LOCKED]: { http: 423, grpc: GrpcStatus.ABORTED },
  [ErrorCode.UPLOAD_BLOCKED]: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  [ErrorCode.TUS_VERSION_UNSUPPORTED]: { http: 412, grpc: GrpcStatus.FAILED_PRECONDITION },
  [ErrorCode.RANGE_NOT_SATISFIABLE]: { http: 416, grpc: GrpcStatus.OUT_OF_RANGE },
  [ErrorCode.CODE_SPACE_EXHAUSTED]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorCode.SERVICE_UNAVAILABLE]: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  [ErrorCode.INTERNAL]: { http: 500, grpc: GrpcStatus.INTERNAL },
};

/** For a gRPC failure that carries no domain code (a crashed or unreachable service). */
const CODE_FOR_BARE_GRPC_STATUS: Partial<Record<GrpcStatus, ErrorCode>> = {
  [GrpcStatus.INVALID_ARGUMENT]: ErrorCode.VALIDATION_FAILED,
  [GrpcStatus.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
  [GrpcStatus.PERMISSION_DENIED]: ErrorCode.FORBIDDEN,
  [GrpcStatus.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [GrpcStatus.RESOURCE_EXHAUSTED]: ErrorCode.RATE_LIMITED,
  [GrpcStatus.UNAVAILABLE]: ErrorCode.SERVICE_UNAVAILABLE,
  [GrpcStatus.DEADLINE_EXCEEDED]: ErrorCode.SERVICE_UNAVAILABLE,
};

export function codeForGrpcStatus(grpcStatus: GrpcStatus): ErrorCode {
  return CODE_FOR_BARE_GRPC_STATUS[grpcStatus] ?? ErrorCode.INTERNAL;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_TRANSPORT, value);
}
