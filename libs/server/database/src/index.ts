export {
  databaseConfig,
  mysqlDataSourceOptions,
  type DatabaseConfig,
  type MysqlConnectionEnv,
  type SchemaDefinition,
} from './database-config.js';
export {
  dropDatabase,
  ensureDatabase,
  isDuplicateKeyError,
  migrateAndReport,
  runMigrations,
} from './database-admin.js';
export { bigintAsNumber } from './bigint-transformer.js';
export { databaseProviders, databaseReachable, DataSourceCloser } from './database.providers.js';
export { decodeKeysetCursor, encodeKeysetCursor, type KeysetPosition } from './keyset-cursor.js';
export { containsPattern, LIKE_ESCAPE } from './like-pattern.js';
export {
  decodeSortCursor,
  encodeSortCursor,
  sortAfter,
  sortOrderBy,
  type SortDirection,
  type SortKey,
  type SortPosition,
  type SortValue,
  type SqlCondition,
} from './sorted-keyset.js';
