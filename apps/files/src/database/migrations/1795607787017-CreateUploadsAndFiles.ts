import type { MigrationInterface, QueryRunner } from 'typeorm';

// Ids, keys and hashes are ASCII compared byte for byte; owner ids are compared exactly
// too (utf8mb4_bin), so two owner keys differing only in case never share files.
export class CreateUploadsAndFiles1795607787017 implements MigrationInterface {
  name = 'CreateUploadsAndFiles1795607787017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`uploads\` (
        \`id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`owner_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`owner_group\` varchar(32) NOT NULL,
        \`name\` varchar(255) NOT NULL,
        \`mime_type\` varchar(255) NOT NULL,
        \`object_key\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`reservation_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`max_bytes\` bigint NULL,
        \`download_limit\` int NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`id\`),
        UNIQUE KEY \`UQ_uploads_object_key\` (\`object_key\`),
        KEY \`IDX_uploads_owner\` (\`owner_id\`),
        KEY \`IDX_uploads_expires_at\` (\`expires_at\`),
        CONSTRAINT \`CHK_uploads_max_bytes\` CHECK (\`max_bytes\` IS NULL OR \`max_bytes\` >= 0),
        CONSTRAINT \`CHK_uploads_download_limit\` CHECK (\`download_limit\` IS NULL OR \`download_limit\` >= 1)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE \`files\` (
        \`id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`upload_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`owner_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`reservation_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`name\` varchar(255) NOT NULL,
        \`mime_type\` varchar(255) NOT NULL,
        \`size_bytes\` bigint NOT NULL,
        \`sha256\` char(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`object_key\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`code_hmac\` char(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        \`code_ciphertext\` varchar(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
        \`status\` enum('active','expired') NOT NULL DEFAULT 'active',
        \`created_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NULL,
        \`purge_at\` datetime(3) NULL,
        \`downloads\` int NOT NULL DEFAULT 0,
        \`download_limit\` int NULL,
        \`pin_hash\` varchar(255) NULL,
        PRIMARY KEY (\`id\`),
        UNIQUE KEY \`UQ_files_upload_id\` (\`upload_id\`),
        UNIQUE KEY \`UQ_files_object_key\` (\`object_key\`),
        UNIQUE KEY \`UQ_files_code_hmac\` (\`code_hmac\`),
        KEY \`IDX_files_owner_created\` (\`owner_id\`, \`created_at\`, \`id\`),
        KEY \`IDX_files_status_expires_at\` (\`status\`, \`expires_at\`),
        KEY \`IDX_files_purge_at\` (\`purge_at\`),
        CONSTRAINT \`CHK_files_size_bytes\` CHECK (\`size_bytes\` >= 0),
        CONSTRAINT \`CHK_files_downloads\` CHECK (\`downloads\` >= 0),
        CONSTRAINT \`CHK_files_download_limit\` CHECK (\`download_limit\` IS NULL OR \`download_limit\` >= 1)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `files`');
    await queryRunner.query('DROP TABLE `uploads`');
  }
}
