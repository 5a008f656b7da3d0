import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

// Group limits, per-owner storage accounts, in-flight reservations and the ledger of
// settled files. NULL limits mean unlimited; byte counters can never go negative.
export class CreateQuotaTables1795607686000 implements MigrationInterface {
  name = 'CreateQuotaTables1795607686000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE \`groups\` (
        name varchar(32) NOT NULL,
        download_bytes_per_second bigint NULL,
        max_file_bytes bigint NULL,
        storage_bytes bigint NULL,
        traffic_bytes bigint NULL,
        traffic_window enum('day','month') NULL,
        retention_seconds bigint NULL,
        PRIMARY KEY (name),
        CONSTRAINT chk_groups_download_bytes_per_second CHECK (download_bytes_per_second >= 0),
        CONSTRAINT chk_groups_max_file_bytes CHECK (max_file_bytes >= 0),
        CONSTRAINT chk_groups_storage_bytes CHECK (storage_bytes >= 0),
        CONSTRAINT chk_groups_traffic_bytes CHECK (traffic_bytes >= 0),
        CONSTRAINT chk_groups_retention_seconds CHECK (retention_seconds >= 0),
        CONSTRAINT chk_groups_traffic_window CHECK ((traffic_bytes IS NULL) = (traffic_window IS NULL))
      ) ${TABLE_OPTIONS}`);

    await runner.query(`
      CREATE TABLE storage_accounts (
        owner_id varchar(96) NOT NULL,
        used_bytes bigint NOT NULL DEFAULT 0,
        reserved_bytes bigint NOT NULL DEFAULT 0,
        updated_at datetime(3) NOT NULL,
        PRIMARY KEY (owner_id),
        CONSTRAINT chk_storage_accounts_used_bytes CHECK (used_bytes >= 0),
        CONSTRAINT chk_storage_accounts_reserved_bytes CHECK (reserved_bytes >= 0)
      ) ${TABLE_OPTIONS}`);

    await runner.query(`
      CREATE TABLE reservations (
        id char(36) NOT NULL,
        owner_id varchar(96) NOT NULL,
        bytes bigint NULL,
        created_at datetime(3) NOT NULL,
        expires_at datetime(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_reservations_owner_id (owner_id),
        KEY idx_reservations_expires_at (expires_at),
        CONSTRAINT chk_reservations_bytes CHECK (bytes >= 0)
      ) ${TABLE_OPTIONS}`);

    await runner.query(`
      CREATE TABLE stored_files (
        file_id char(36) NOT NULL,
        owner_id varchar(96) NOT NULL,
        bytes bigint NOT NULL,
        created_at datetime(3) NOT NULL,
        PRIMARY KEY (file_id),
        KEY idx_stored_files_owner_id (owner_id),
        CONSTRAINT chk_stored_files_bytes CHECK (bytes >= 0)
      ) ${TABLE_OPTIONS}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE stored_files');
    await runner.query('DROP TABLE reservations');
    await runner.query('DROP TABLE storage_accounts');
    await runner.query('DROP TABLE `groups`');
  }
}
