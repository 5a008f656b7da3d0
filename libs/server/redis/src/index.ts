export { connectFailFastRedis, failFastRedisProviders } from './fail-fast-redis.js';
