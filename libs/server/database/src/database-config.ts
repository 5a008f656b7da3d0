import type { DataSourceOptions } from 'typeorm';

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The MySQL connection variables every service reads (see mysqlEnv in @lexy/server-config). */
export interface MysqlConnectionEnv {
  MYSQL_HOST: string;
  MYSQL_PORT: number;
  MYSQL_USER: string;
  MYSQL_PASSWORD: string;
}

/** A service's own database on the shared MySQL server. */
export function databaseConfig(env: MysqlConnectionEnv, database: string): DatabaseConfig {
  return { host: env.MYSQL_HOST, port: env.MYSQL_PORT, user: env.MYSQL_USER, password: env.MYSQL_PASSWORD, database };
}

export interface SchemaDefinition {
  // TypeORM accepts classes or entity schemas here.
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/**
 * TypeORM options for one service's own database. The `mysql` driver type is used on
 * both MySQL 8 (production) and MariaDB 10.11 (this machine) so one migration set fits
 * both; times are UTC; `synchronize` stays off — the schema changes only by migrations.
 */
export function mysqlDataSourceOptions(config: DatabaseConfig, schema: SchemaDefinition): DataSourceOptions {
  return {
    type: 'mysql',
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: config.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    entities: schema.entities,
    migrations: schema.migrations,
    supportBigNumbers: true,
    bigNumberStrings: false,
    extra: { connectionLimit: 10, connectTimeout: 5_000 },
  };
}
