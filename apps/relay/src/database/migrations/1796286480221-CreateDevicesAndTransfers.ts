import type { MigrationInterface, QueryRunner } from 'typeorm';

// Ids are ASCII compared byte for byte; owner ids and fingerprints are compared exactly too
// (utf8mb4_bin), so two keys differing only in case never share devices. Times are UTC,
// written by the database clock (UTC_TIMESTAMP(3)).
export class CreateDevicesAndTransfers1796286480221 implements MigrationInterface {
  name = 'CreateDevicesAndTransfers1796286480221';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per account that ever registered a device: the row an account's registrations
    // and deletions lock first, so the device limit holds exactly under concurrency.
    await queryRunner.query(`
      CREATE TABLE \`device_owners\` (
        \`owner_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        PRIMARY KEY (\`owner_id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // platform holds the DevicePlatform number of relay.proto; UNSPECIFIED (0) never gets in.
    await queryRunner.query(`
      CREATE TABLE \`devices\` (
        \`id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`owner_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`name\` varchar(64) NOT NULL,
        \`platform\` tinyint unsigned NOT NULL,
        \`fingerprint\` varchar(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`last_seen_at\` datetime(3) NULL,
        PRIMARY KEY (\`id\`),
        UNIQUE KEY \`UQ_devices_owner_fingerprint\` (\`owner_id\`, \`fingerprint\`),
        KEY \`IDX_devices_owner_created\` (\`owner_id\`, \`created_at\`, \`id\`),
        CONSTRAINT \`CHK_devices_platform\` CHECK (\`platform\` >= 1)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // The files of a transfer are a JSON array on its row: they are declared once by the
    // sender, never change, and are always read with the transfer (see transfer.entity.ts).
    // No foreign keys to devices: a deleted device's transfers stay, cancelled, as history.
    await queryRunner.query(`
      CREATE TABLE \`transfers\` (
        \`id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`owner_id\` varchar(96) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
        \`from_device_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`to_device_id\` char(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        \`mode\` enum('relay','p2p') NOT NULL,
        \`status\` enum('pending','accepted','streaming','completed','rejected','cancelled','failed','expired') NOT NULL DEFAULT 'pending',
        \`files\` json NOT NULL,
        \`total_bytes\` bigint NOT NULL,
        \`delivered_bytes\` bigint NOT NULL DEFAULT 0,
        \`failure_code\` varchar(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        \`created_at\` datetime(3) NOT NULL,
        \`updated_at\` datetime(3) NOT NULL,
        \`expires_at\` datetime(3) NOT NULL,
        PRIMARY KEY (\`id\`),
        KEY \`IDX_transfers_owner_created\` (\`owner_id\`, \`created_at\`, \`id\`),
        KEY \`IDX_transfers_from_device_status\` (\`from_device_id\`, \`status\`),
        KEY \`IDX_transfers_to_device_status\` (\`to_device_id\`, \`status\`),
        KEY \`IDX_transfers_status_expires_at\` (\`status\`, \`expires_at\`),
        CONSTRAINT \`CHK_transfers_devices_differ\` CHECK (\`from_device_id\` <> \`to_device_id\`),
        CONSTRAINT \`CHK_transfers_total_bytes\` CHECK (\`total_bytes\` >= 0),
        CONSTRAINT \`CHK_transfers_delivered_bytes\` CHECK (\`delivered_bytes\` >= 0 AND \`delivered_bytes\` <= \`total_bytes\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `transfers`');
    await queryRunner.query('DROP TABLE `devices`');
    await queryRunner.query('DROP TABLE `device_owners`');
  }
}
