import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { mysqlDataSourceOptions, type DatabaseConfig, type SchemaDefinition } from './database-config.js';

const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/;

function assertDatabaseName(name: string): void {
  if (!DATABASE_NAME.test(name)) throw new Error(`invalid database name: ${name}`);
}

async function withServerConnection<T>(
  config: DatabaseConfig,
  fn: (run: (sql: string) => Promise<unknown>) => Promise<T>,
) {
  const connection = await createConnection({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    connectTimeout: 5_000,
  });
  try {
    return await fn((sql) => connection.query(sql));
  } finally {
    await connection.end();
  }
}

/** Creates the service's database if it does not exist yet (utf8mb4). */
export async function ensureDatabase(config: DatabaseConfig): Promise<void> {
  assertDatabaseName(config.database);
  await withServerConnection(config, (run) =>
    run(`CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
  );
}

/** Drops a database; for test suites that made their own. */
export async function dropDatabase(config: DatabaseConfig): Promise<void> {
  assertDatabaseName(config.database);
  await withServerConnection(config, (run) => run(`DROP DATABASE IF EXISTS \`${config.database}\``));
}

/** Creates the database if needed and applies pending migrations, each in its own transaction. */
export async function runMigrations(config: DatabaseConfig, schema: SchemaDefinition): Promise<string[]> {
  await ensureDatabase(config);
  const dataSource = new DataSource(mysqlDataSourceOptions(config, schema));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** What a service's migrate script does: applies pending migrations and says which. */
export async function migrateAndReport(
  service: string,
  config: DatabaseConfig,
  schema: SchemaDefinition,
): Promise<void> {
  const applied = await runMigrations(config, schema);
  console.log(`${service}: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}`);
}

/** MySQL's duplicate-key error, raised by a unique index. */
export function isDuplicateKeyError(error: unknown): boolean {
  const cause = (error as { driverError?: { code?: string }; code?: string } | null) ?? {};
  return cause.code === 'ER_DUP_ENTRY' || cause.driverError?.code === 'ER_DUP_ENTRY';
}
