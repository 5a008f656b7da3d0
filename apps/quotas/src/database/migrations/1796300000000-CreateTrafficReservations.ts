import type { MigrationInterface, QueryRunner } from 'typeorm';

// Downloads admitted but not yet settled. Each row counts in full against its window until
// the download settles to the bytes actually sent, so a rebuilt Redis counter (a sum of
// traffic_days and these rows) never forgets a download in flight. `owner_id` is the
// caller's quota account, as everywhere in lexy_quotas.
export class CreateTrafficReservations1796300000000 implements MigrationInterface {
  name = 'CreateTrafficReservations1796300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE traffic_reservations (
        id char(36) NOT NULL,
        owner_id varchar(96) NOT NULL,
        traffic_window enum('day','month') NOT NULL,
        first_day date NOT NULL,
        \`day\` date NOT NULL,
        bytes bigint NOT NULL,
        created_at datetime(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_traffic_reservations_owner_day (owner_id, \`day\`),
        CONSTRAINT chk_traffic_reservations_bytes CHECK (bytes >= 0)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE traffic_reservations');
  }
}
