import type { MigrationInterface, QueryRunner } from 'typeorm';

// Download bytes per owner and UTC day; a group's traffic window is a range of these rows.
// `day` is always the database's UTC_DATE(), so every replica counts into the same day.
export class CreateTrafficDays1795607686002 implements MigrationInterface {
  name = 'CreateTrafficDays1795607686002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE traffic_days (
        owner_id varchar(96) NOT NULL,
        \`day\` date NOT NULL,
        bytes bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (owner_id, \`day\`),
        CONSTRAINT chk_traffic_days_bytes CHECK (bytes >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE traffic_days');
  }
}
