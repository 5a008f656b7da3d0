import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The admin console sums the traffic of every account per day: by day, not by owner first. */
export class IndexTrafficDaysByDay1797000000001 implements MigrationInterface {
  name = 'IndexTrafficDaysByDay1797000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX idx_traffic_days_day ON traffic_days (`day`)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX idx_traffic_days_day ON traffic_days');
  }
}
