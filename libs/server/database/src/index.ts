export {
  databaseConfig,
  mysqlDataSourceOptions,
  type DatabaseConfig,
  type MysqlConnectionEnv,
  type SchemaDefinition,
} from './database-config.js';
export { dropDatabase, ensureDatabase, isDuplicateKeyError, runMigrations } from './database-admin.js';
export { databaseProviders, databaseReachable, DataSourceCloser } from './database.providers.js';
