export { ApiError, apiErrorFromResponse, isApiError, networkError } from './api-error.js';
export type { ApiErrorCode, ClientErrorCode, ErrorEnvelope } from './api-error.js';
export { createApiClient, createRawApiClient, unwrap } from './api-client.js';
export type {
  ApiClient,
  ApiClientOptions,
  DevicePlatform,
  DeviceView,
  FileView,
  MeResponse,
  PickupAccess,
  PickupFileView,
  RawApiClient,
  SessionResponse,
  TransferFileRequest,
  TransferView,
  UserView,
} from './api-client.js';
export { describeError, ENGLISH_ERROR_TEXTS, errorFacts } from './describe-error.js';
export type { ErrorFacts, ErrorTexts } from './describe-error.js';
export { formatBytes, formatDuration } from './format.js';
export { groupPickupCode, normalizePickupCode, parseShareUrl } from './pickup-code.js';
export type { components, operations, paths } from './generated/schema.js';
export { ProgressMeter } from './progress-meter.js';
export type { ProgressReading } from './progress-meter.js';
export * from './relay/index.js';
