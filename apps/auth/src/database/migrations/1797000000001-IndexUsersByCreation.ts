import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The admin console lists users newest first and counts registrations per day. */
export class IndexUsersByCreation1797000000001 implements MigrationInterface {
  name = 'IndexUsersByCreation1797000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX idx_users_created_at ON users (created_at, id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX idx_users_created_at ON users');
  }
}
