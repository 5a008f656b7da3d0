import type { MigrationInterface, QueryRunner } from 'typeorm';

// The default limits of api.md ("Groups and their limits"); MB and GB are decimal.
// Admins may edit them later, so this runs once and never overwrites their changes.
const DEFAULT_GROUPS = [
  ['anonymous', 3_000_000, 500_000_000, 2_000_000_000, 1_000_000_000, 'day', 15 * 60],
  ['normal', 8_000_000, 2_000_000_000, 10_000_000_000, 5_000_000_000, 'day', 6 * 3600],
  ['vip', 15_000_000, 5_000_000_000, 40_000_000_000, 500_000_000_000, 'month', 5 * 86_400],
  ['admin', null, null, null, null, null, null],
] as const;

export class SeedGroups1795607686001 implements MigrationInterface {
  name = 'SeedGroups1795607686001';

  async up(runner: QueryRunner): Promise<void> {
    for (const row of DEFAULT_GROUPS) {
      await runner.query(
        `INSERT INTO \`groups\` (name, download_bytes_per_second, max_file_bytes, storage_bytes,
           traffic_bytes, traffic_window, retention_seconds) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [...row],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      'DELETE FROM `groups` WHERE name IN (?, ?, ?, ?)',
      DEFAULT_GROUPS.map(([name]) => name),
    );
  }
}
