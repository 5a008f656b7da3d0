export { DEFAULT_THROTTLE_PREFIX, throttleBucketKey } from './bucket-key.js';
export { DownloadGate, LEASE_SECONDS, type GateDependencies } from './download-gate.js';
export { GROUP_LIMITS_TTL_MS, GroupLimitsCache, type GetGroupLimits } from './group-limits.cache.js';
export { OpenGates, REAL_CLOCK, type GateClock } from './open-gates.js';
export { RedisTokenBucket } from './redis-token-bucket.js';
export { BURST_SECONDS, limitsFor, takeTokens, type BucketLimits, type BucketState } from './token-bucket.js';
export type { TokenBucketStore } from './token-bucket-store.js';
