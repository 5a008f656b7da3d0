export { FILE_CHANGES_CHANNEL, FILE_REMOVED_CHANNEL } from './channels.js';
export { connectFailFastRedis, failFastRedisProviders } from './fail-fast-redis.js';
