import type { MigrationInterface, QueryRunner } from 'typeorm';

// Lifecycle and cleanup: files move active → expired → purging → (row deleted), and a file
// whose object storage lost is marked so it stops resolving. The indexes are the ones the
// cleanup worker's calls scan, each with status first (its queries name the status):
// (status, expires_at) for ExpireDue and (status, purge_at) for due purges — the latter
// replaces the index on purge_at alone, which no query uses without the status — and
// (status, purge_claimed_at) for new and stale claims. The lookups by object key and the
// expired uploads already have their indexes (UQ_files_object_key, UQ_uploads_object_key,
// IDX_uploads_expires_at). Appending an enum value and adding nullable columns leave every
// existing row valid.
export class FileLifecycle1796235394869 implements MigrationInterface {
  name = 'FileLifecycle1796235394869';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE \`files\`
        MODIFY COLUMN \`status\` enum('active','expired','purging') NOT NULL DEFAULT 'active',
        ADD COLUMN \`purge_claimed_at\` datetime(3) NULL,
        ADD COLUMN \`object_missing_at\` datetime(3) NULL,
        DROP INDEX \`IDX_files_purge_at\`,
        ADD KEY \`IDX_files_status_purge_at\` (\`status\`, \`purge_at\`),
        ADD KEY \`IDX_files_status_purge_claimed_at\` (\`status\`, \`purge_claimed_at\`)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The old schema has no purging state; such rows fall back to expired (owners see them again).
    await queryRunner.query("UPDATE `files` SET `status` = 'expired' WHERE `status` = 'purging'");
    await queryRunner.query(`
      ALTER TABLE \`files\`
        DROP INDEX \`IDX_files_status_purge_claimed_at\`,
        DROP INDEX \`IDX_files_status_purge_at\`,
        ADD KEY \`IDX_files_purge_at\` (\`purge_at\`),
        DROP COLUMN \`object_missing_at\`,
        DROP COLUMN \`purge_claimed_at\`,
        MODIFY COLUMN \`status\` enum('active','expired') NOT NULL DEFAULT 'active'`);
  }
}
