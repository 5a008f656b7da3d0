import { createAuditLogTable, dropAuditLogTable } from '@lexy/server-audit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

// The admin console (FileAdminService):
// - `audit_log`, append-only (its triggers refuse UPDATE and DELETE);
// - `blocked_content`, the SHA-256s of taken-down files, which CommitUpload refuses;
// - `upload_days`, the daily upload ledger that GetFileStats reads: files committed per UTC day
//   and their bytes, kept when the files are purged. It starts from the rows there are now
//   (files purged before this migration are gone and cannot be counted);
// - an index per sort key of AdminListFiles, each ending in the id that breaks ties, so a page
//   of every owner's files reads one range of it. The status filter is left to the scan:
//   nearly every row is active or expired. A file that never expires (expires_at NULL) sorts
//   as the latest expiry: `expires_sort` is its expiry or the latest datetime (NEVER_EXPIRES in
//   file.entity.ts), a virtual column, so adding it rewrites no row and only its index stores it.
export class AdminConsole1796500000000 implements MigrationInterface {
  name = 'AdminConsole1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAuditLogTable(queryRunner);
    await queryRunner.query(`
      CREATE TABLE \`blocked_content\` (
        \`sha256\` char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`blocked_at\` datetime(3) NOT NULL,
        \`file_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`actor_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        PRIMARY KEY (\`sha256\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`upload_days\` (
        \`day\` date NOT NULL,
        \`uploads\` bigint NOT NULL DEFAULT 0,
        \`upload_bytes\` bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (\`day\`),
        CONSTRAINT \`CHK_upload_days_counts\` CHECK (\`uploads\` >= 0 AND \`upload_bytes\` >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      INSERT INTO \`upload_days\` (\`day\`, \`uploads\`, \`upload_bytes\`)
        SELECT DATE(\`created_at\`), COUNT(*), SUM(\`size_bytes\`) FROM \`files\` GROUP BY DATE(\`created_at\`)`);
    await queryRunner.query(`
      ALTER TABLE \`files\`
        ADD KEY \`IDX_files_created_at\` (\`created_at\`, \`id\`),
        ADD KEY \`IDX_files_size_bytes\` (\`size_bytes\`, \`id\`),
        ADD KEY \`IDX_files_name\` (\`name\`, \`id\`),
        ADD COLUMN \`expires_sort\` datetime(3)
          AS (COALESCE(\`expires_at\`, TIMESTAMP'9999-12-31 23:59:59.999')) VIRTUAL,
        ADD KEY \`IDX_files_expires_sort\` (\`expires_sort\`, \`id\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE \`files\`
        DROP INDEX \`IDX_files_expires_sort\`,
        DROP COLUMN \`expires_sort\`,
        DROP INDEX \`IDX_files_name\`,
        DROP INDEX \`IDX_files_size_bytes\`,
        DROP INDEX \`IDX_files_created_at\``);
    await queryRunner.query('DROP TABLE `upload_days`');
    await queryRunner.query('DROP TABLE `blocked_content`');
    await dropAuditLogTable(queryRunner);
  }
}
