import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh-token rotation. A family (one sign-in on one device) stays one row per refresh
 * token: using a token stamps `rotated_at` and points `replaced_by` at the row of its
 * successor, and presenting a stamped token again is reuse, which revokes every row of
 * the family. The family id is what access tokens carry as `sid`; the first row of a
 * family has id = family_id. Before rotation existed every family had exactly one row, so
 * setting family_id = id keeps the access tokens already issued valid.
 */
export class AddRefreshTokenRotation1795700000000 implements MigrationInterface {
  name = 'AddRefreshTokenRotation1795700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('UPDATE sessions SET family_id = id');
    await runner.query(`
      ALTER TABLE sessions
        ADD COLUMN rotated_at datetime(3) NULL,
        ADD COLUMN replaced_by char(36) NULL,
        ADD CONSTRAINT chk_sessions_rotation CHECK ((rotated_at IS NULL) = (replaced_by IS NULL))`);
    // Sign-out-everywhere and disable look up a user's live families.
    await runner.query('CREATE INDEX idx_sessions_user_revoked ON sessions (user_id, revoked_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX idx_sessions_user_revoked ON sessions');
    await runner.query(`
      ALTER TABLE sessions
        DROP CONSTRAINT chk_sessions_rotation,
        DROP COLUMN replaced_by,
        DROP COLUMN rotated_at`);
  }
}
