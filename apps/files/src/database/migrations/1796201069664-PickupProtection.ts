import type { MigrationInterface, QueryRunner } from 'typeorm';

// PINs, share links and PIN failure caps (security-cases "Pickup-code policy", PC-07).
// Plain ALTER TABLE ... ADD COLUMN and a CHECK/FOREIGN KEY that MySQL 8 and MariaDB 10.11
// both accept; every new column has a default, so existing rows stay valid.
export class PickupProtection1796201069664 implements MigrationInterface {
  name = 'PickupProtection1796201069664';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The PIN's argon2id hash travels from the upload row to the file row at commit.
    await queryRunner.query('ALTER TABLE `uploads` ADD COLUMN `pin_hash` varchar(255) NULL');
    await queryRunner.query(`
      ALTER TABLE \`files\`
        ADD COLUMN \`link_token_hmac\` char(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        ADD COLUMN \`link_token_ciphertext\` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
        ADD COLUMN \`pin_failures\` int NOT NULL DEFAULT 0,
        ADD COLUMN \`pin_window_started_at\` datetime(3) NULL,
        ADD COLUMN \`pin_locked_until\` datetime(3) NULL,
        ADD COLUMN \`pin_failures_total\` int NOT NULL DEFAULT 0,
        ADD CONSTRAINT \`CHK_files_pin_failures\` CHECK (\`pin_failures\` >= 0 AND \`pin_failures_total\` >= 0)`);
    // Failures per (file, source); the source is stored as a SHA-256, never as an address.
    // Rows go with their file.
    await queryRunner.query(`
      CREATE TABLE \`pin_attempts\` (
        \`file_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`source_hash\` char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`failures\` int NOT NULL DEFAULT 0,
        \`window_started_at\` datetime(3) NULL,
        \`locked_until\` datetime(3) NULL,
        PRIMARY KEY (\`file_id\`, \`source_hash\`),
        CONSTRAINT \`FK_pin_attempts_file\` FOREIGN KEY (\`file_id\`) REFERENCES \`files\` (\`id\`) ON DELETE CASCADE,
        CONSTRAINT \`CHK_pin_attempts_failures\` CHECK (\`failures\` >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `pin_attempts`');
    await queryRunner.query(`
      ALTER TABLE \`files\`
        DROP CONSTRAINT \`CHK_files_pin_failures\`,
        DROP COLUMN \`link_token_hmac\`,
        DROP COLUMN \`link_token_ciphertext\`,
        DROP COLUMN \`pin_failures\`,
        DROP COLUMN \`pin_window_started_at\`,
        DROP COLUMN \`pin_locked_until\`,
        DROP COLUMN \`pin_failures_total\``);
    await queryRunner.query('ALTER TABLE `uploads` DROP COLUMN `pin_hash`');
  }
}
