import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { DomainError, type ErrorDetails } from './domain-error.js';
import { ERROR_TRANSPORT, ErrorCode, codeForGrpcStatus, isErrorCode } from './error-code.js';

/** Metadata keys that carry a domain error across a gRPC call (design decision 11). */
export const ERROR_CODE_METADATA_KEY = 'lexy-error-code';
export const ERROR_DETAILS_METADATA_KEY = 'lexy-error-details';

export interface GrpcErrorPayload {
  code: GrpcStatus;
  message: string;
  details: string;
  metadata: Metadata;
}

/** DomainError → what a gRPC server callback expects: status, message and code metadata. */
export function toGrpcError(error: DomainError): GrpcErrorPayload {
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_METADATA_KEY, error.code);
  if (Object.keys(error.details).length > 0) {
    metadata.set(ERROR_DETAILS_METADATA_KEY, JSON.stringify(error.details));
  }
  return { code: ERROR_TRANSPORT[error.code].grpc, message: error.message, details: error.message, metadata };
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number';
}

function readDetails(metadata: Metadata | undefined): ErrorDetails {
  const raw = metadata?.get(ERROR_DETAILS_METADATA_KEY)[0];
  if (typeof raw !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ErrorDetails) : {};
  } catch {
    return {};
  }
}

/**
 * A failed gRPC call → DomainError. A service's own domain error keeps its code and
 * message; a bare transport failure gets a generic message so no internals leak.
 */
export function fromGrpcError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (!isServiceError(error)) return new DomainError(ErrorCode.INTERNAL, 'Internal error');
  const code = error.metadata?.get(ERROR_CODE_METADATA_KEY)[0];
  if (isErrorCode(code)) return new DomainError(code, error.details, readDetails(error.metadata));
  const mapped = codeForGrpcStatus(error.code);
  const message =
    mapped === ErrorCode.SERVICE_UNAVAILABLE ? 'A service needed for this request is unavailable' : 'Internal error';
  return new DomainError(mapped, message);
}
