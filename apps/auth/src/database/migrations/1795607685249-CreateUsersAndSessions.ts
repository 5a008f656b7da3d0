import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users and their sessions. Anonymous users have no email or password yet; the nullable
 * columns are there so registered accounts need no table rewrite. Secrets never sit here
 * in the clear: the refresh token and the device fingerprint are stored as SHA-256 hex.
 */
export class CreateUsersAndSessions1795607685249 implements MigrationInterface {
  name = 'CreateUsersAndSessions1795607685249';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id char(36) NOT NULL,
        group_name varchar(32) NOT NULL,
        email varchar(320) NULL,
        password_hash varchar(255) NULL,
        display_name varchar(100) NULL,
        fingerprint_hash char(64) NULL,
        disabled_at datetime(3) NULL,
        created_at datetime(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_users_email (email),
        KEY idx_users_fingerprint_hash (fingerprint_hash),
        CONSTRAINT chk_users_group_name CHECK (group_name <> '')
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // user_id carries no foreign key: a session is written in the same transaction as its
    // user, and FK-free tables can be purged or archived independently.
    await runner.query(`
      CREATE TABLE sessions (
        id char(36) NOT NULL,
        user_id char(36) NOT NULL,
        family_id char(36) NOT NULL,
        refresh_token_hash char(64) NOT NULL,
        created_at datetime(3) NOT NULL,
        expires_at datetime(3) NOT NULL,
        revoked_at datetime(3) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_sessions_refresh_token_hash (refresh_token_hash),
        KEY idx_sessions_user_id (user_id),
        KEY idx_sessions_family_id (family_id),
        CONSTRAINT chk_sessions_lifetime CHECK (expires_at > created_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE sessions');
    await runner.query('DROP TABLE users');
  }
}
