export { ErrorCode, ERROR_TRANSPORT, codeForGrpcStatus, isErrorCode } from './error-code.js';
export { DomainError, toEnvelope, type ErrorDetails, type ErrorEnvelope } from './domain-error.js';
export {
  ERROR_CODE_METADATA_KEY,
  ERROR_DETAILS_METADATA_KEY,
  fromGrpcError,
  toGrpcError,
  type GrpcErrorPayload,
} from './grpc-error.js';
