import { randomBytes } from 'node:crypto';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dropDatabase, isDuplicateKeyError, mysqlDataSourceOptions, runMigrations } from '../src/index.js';

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(runner: QueryRunner) {
    await runner.query('CREATE TABLE things (id int PRIMARY KEY, label varchar(20) NOT NULL UNIQUE) ENGINE=InnoDB');
  }
  async down(runner: QueryRunner) {
    await runner.query('DROP TABLE things');
  }
}

// Runs against the real MariaDB/MySQL on 127.0.0.1:3306 (root, no password by default).
const config = {
  host: process.env['MYSQL_HOST'] ?? '127.0.0.1',
  port: Number(process.env['MYSQL_PORT'] ?? 3306),
  user: process.env['MYSQL_USER'] ?? 'root',
  password: process.env['MYSQL_PASSWORD'] ?? '',
  database: `lexy_test_db_${randomBytes(4).toString('hex')}`,
};
const schema = { entities: [], migrations: [CreateThings1700000000000] };

afterAll(() => dropDatabase(config));

describe('runMigrations', () => {
  it('creates the database, applies pending migrations once, and reports duplicates', async () => {
    expect(await runMigrations(config, schema)).toEqual(['CreateThings1700000000000']);
    expect(await runMigrations(config, schema)).toEqual([]);

    const dataSource = await new DataSource(mysqlDataSourceOptions(config, schema)).initialize();
    try {
      await dataSource.query('INSERT INTO things VALUES (1, ?)', ['a']);
      const duplicate = await dataSource.query('INSERT INTO things VALUES (2, ?)', ['a']).catch((e: unknown) => e);
      expect(isDuplicateKeyError(duplicate)).toBe(true);
      expect(isDuplicateKeyError(new Error('other'))).toBe(false);
    } finally {
      await dataSource.destroy();
    }
  });
});
