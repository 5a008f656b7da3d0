import type { QueryRunner } from 'typeorm';
import { AUDIT_LOG_TABLE } from './audit-entry.entity.js';

/**
 * Creates `audit_log` in a service's own database, with triggers that refuse UPDATE and
 * DELETE: the log is append-only even for code (or a person with the service's credentials)
 * that tries otherwise. Each service that records admin actions calls this from a migration.
 */
export async function createAuditLogTable(runner: QueryRunner): Promise<void> {
  await runner.query(`CREATE TABLE ${AUDIT_LOG_TABLE} (
    id char(36) NOT NULL PRIMARY KEY,
    at datetime(3) NOT NULL,
    actor_id varchar(96) NOT NULL,
    action varchar(64) NOT NULL,
    target varchar(160) NOT NULL,
    before_json text NOT NULL,
    after_json text NOT NULL,
    details_json text NOT NULL,
    request_id varchar(128) NOT NULL,
    KEY idx_audit_log_at (at, id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  for (const verb of ['UPDATE', 'DELETE']) {
    await runner.query(`CREATE TRIGGER ${AUDIT_LOG_TABLE}_no_${verb.toLowerCase()} BEFORE ${verb} ON ${AUDIT_LOG_TABLE}
      FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
  }
}

export async function dropAuditLogTable(runner: QueryRunner): Promise<void> {
  await runner.query(`DROP TABLE ${AUDIT_LOG_TABLE}`);
}
