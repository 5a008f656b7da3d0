import { createAuditLogTable, dropAuditLogTable } from '@lexy/server-audit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only log of admin actions on users (user.update), written with each change. */
export class CreateAuditLog1797000000000 implements MigrationInterface {
  name = 'CreateAuditLog1797000000000';

  async up(runner: QueryRunner): Promise<void> {
    await createAuditLogTable(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await dropAuditLogTable(runner);
  }
}
