export { ApiError, apiErrorFromResponse, isApiError, networkError } from './api-error.js';
export type { ApiErrorCode, ClientErrorCode, ErrorEnvelope } from './api-error.js';
export { createApiClient, createRawApiClient, unwrap } from './api-client.js';
export { createAdminApiClient } from './admin-client.js';
export type {
  AdminApiClient,
  AdminFileView,
  AdminUserView,
  AuditEntryView,
  AuditListQuery,
  FileListQuery,
  GroupLimitsPatch,
  GroupName,
  GroupView,
  StatsDayView,
  StatsView,
  TakedownOptions,
  UserListQuery,
} from './admin-client.js';
export type {
  ApiClient,
  ApiClientOptions,
  DevicePlatform,
  DeviceView,
  FileView,
  LimitsView,
  MeResponse,
  PickupAccess,
  PickupFileView,
  RawApiClient,
  SessionResponse,
  UsageView,
  TransferFileRequest,
  TransferView,
  UserView,
} from './api-client.js';
export { describeError, ENGLISH_ERROR_TEXTS, errorFacts } from './describe-error.js';
export type { ErrorFacts, ErrorTexts } from './describe-error.js';
export {
  BYTES_PER_UNIT,
  ENGLISH_UNIT_TEXTS,
  fitUnit,
  formatBytes,
  formatDuration,
  formatLimit,
  formatNumber,
  formatSpeed,
  fromUnitAmount,
  SECONDS_PER_UNIT,
  toUnitAmount,
  unitName,
  useUnitTexts,
  type ByteUnit,
  type DurationUnit,
  type UnitTexts,
} from './format.js';
export {
  challengeOf,
  PICKUP_CHALLENGE_HEADER,
  pickupChallengeHeader,
  withPickupChallenge,
} from './pickup-challenge.js';
export type {
  ChallengeRetryOptions,
  PickupChallenge,
  PickupChallengeSolution,
  PickupChallengeSolver,
} from './pickup-challenge.js';
export { nextTrafficReset } from './traffic-window.js';
export type { TrafficWindow } from './traffic-window.js';
export { groupPickupCode, normalizePickupCode, parseShareUrl } from './pickup-code.js';
export type { components, operations, paths } from './generated/schema.js';
export { ProgressMeter } from './progress-meter.js';
export type { ProgressReading } from './progress-meter.js';
export * from './relay/index.js';
