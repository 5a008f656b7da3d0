export { FILE_CHANGES_CHANNEL } from './channels.js';
export { connectFailFastRedis, failFastRedisProviders } from './fail-fast-redis.js';
