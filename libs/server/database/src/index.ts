export { mysqlDataSourceOptions, type DatabaseConfig, type SchemaDefinition } from './database-config.js';
export { dropDatabase, ensureDatabase, isDuplicateKeyError, runMigrations } from './database-admin.js';
